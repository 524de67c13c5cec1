// search: full-text candidates from the schema's full-text indexes ($indexes), visible only.
// $lucene holds every search term as a quoted phrase joined by AND, so Lucene syntax in the
// user's text is inert. The exact hit set is settled in Python (see queries/search.py).
UNWIND $indexes AS ix
CALL db.index.fulltext.queryNodes(ix, $lucene) YIELD node, score
OPTIONAL MATCH (parent:Review)-[:MAKES]->(node)
WITH node, score, CASE WHEN node:Review THEN node ELSE parent END AS review
WHERE review.status IN $statuses
OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(review)
RETURN
  CASE WHEN node:Review THEN 'Review' ELSE 'Recommendation' END AS label,
  node.id AS id,
  score,
  properties(node) AS props,
  review.id AS review_id,
  review.title AS review_title,
  review.year AS year,
  b.id AS board_id
