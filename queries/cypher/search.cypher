// search: the visible candidates of each full-text query in $groups (one a search term, the
// term quoted, so Lucene syntax in the user's text is inert), over the indexes $indexes.
// A node found by several groups is one row, with the indexes of the groups that found it.
// Visible: a review whose status is in $statuses, or a recommendation made by such a review;
// review_id is the review itself, or the recommendation's first visible review by id. The
// exact word rule, the terms' postings and the scores are settled in Python (queries/search.py).
UNWIND range(0, size($groups) - 1) AS i
CALL (i) {
  UNWIND $indexes AS ix
  CALL db.index.fulltext.queryNodes(ix, $groups[i]) YIELD node
  RETURN node
}
WITH node, collect(i) AS groups
WITH node, groups, CASE
  WHEN node:Review THEN CASE WHEN node.status IN $statuses THEN node.id END
  ELSE COLLECT {
    MATCH (v:Review)-[:MAKES]->(node) WHERE v.status IN $statuses
    RETURN v.id AS id ORDER BY id LIMIT 1
  }[0]
END AS review_id
WHERE review_id IS NOT NULL
RETURN
  CASE WHEN node:Review THEN 'Review' ELSE 'Recommendation' END AS label,
  node.id AS id,
  review_id,
  groups,
  CASE WHEN node:Review THEN [f IN $fields.Review | node[f]]
    ELSE [f IN $fields.Recommendation | node[f]] END AS texts
