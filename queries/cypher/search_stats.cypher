// search_stats: how many indexed documents ($labels) the viewer may see ($statuses), and how
// many characters of indexed text ($fields: label -> property names) they hold. Scores are
// computed from these visible counts only, so hidden records cannot move them (issue 17).
OPTIONAL MATCH (r:Review)
WHERE 'Review' IN $labels AND r.status IN $statuses
WITH count(r) AS reviews,
  sum(reduce(s = 0, f IN $fields.Review | s + size(coalesce(toString(r[f]), '')))) AS review_chars
OPTIONAL MATCH (v:Review)-[:MAKES]->(c:Recommendation)
WHERE 'Recommendation' IN $labels AND v.status IN $statuses
WITH reviews, review_chars, collect(DISTINCT c) AS recs
RETURN reviews + size(recs) AS n,
  review_chars + reduce(s = 0, c IN recs |
    s + reduce(t = 0, f IN $fields.Recommendation | t + size(coalesce(toString(c[f]), '')))
  ) AS chars
