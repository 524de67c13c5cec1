// search_page: the shown hits ($hits: label, id and context review), each with its indexed
// fields as stored ($fields: label -> property names) and its review's title, year and first
// commissioning board by id.
UNWIND $hits AS h
OPTIONAL MATCH (v:Review {id: h.id}) WHERE h.label = 'Review'
OPTIONAL MATCH (c:Recommendation {id: h.id}) WHERE h.label = 'Recommendation'
WITH h, coalesce(v, c) AS n
MATCH (r:Review {id: h.review})
RETURN
  h.label AS label,
  h.id AS id,
  r.id AS review,
  CASE WHEN h.label = 'Review' THEN [f IN $fields.Review | n[f]]
    ELSE [f IN $fields.Recommendation | n[f]] END AS texts,
  r.title AS title,
  r.year AS year,
  COLLECT { MATCH (b:Board)-[:COMMISSIONED]->(r) RETURN b.id AS b ORDER BY b LIMIT 1 }[0]
    AS board_id
