// search_stats: how many indexed documents ($labels) the viewer may see ($statuses), and how
// many characters of indexed text ($fields: label -> property names) they hold. Scores are
// computed from these visible counts only, so hidden records cannot move them (issue 17).
CALL {
  MATCH (r:Review)
  WHERE 'Review' IN $labels AND r.status IN $statuses
  RETURN count(r) AS n,
    sum(reduce(s = 0, f IN $fields.Review | s + size(coalesce(toString(r[f]), '')))) AS chars
  UNION ALL
  MATCH (r:Review)-[:MAKES]->(c:Recommendation)
  WHERE 'Recommendation' IN $labels AND r.status IN $statuses
  WITH DISTINCT c
  RETURN count(c) AS n,
    sum(reduce(s = 0, f IN $fields.Recommendation | s + size(coalesce(toString(c[f]), '')))) AS chars
}
RETURN sum(n) AS n, sum(chars) AS chars
