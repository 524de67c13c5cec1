// search_page (the part after the data generation, which queries/search.py puts before it):
// the shown hits ($hits: label, id and context review), each with its indexed fields as stored
// ($fields: label -> property names) and its review's title, year and first commissioning
// board by id. Read in the same transaction as the generation, so that the caller can tell
// whether what it kept still holds.
COLLECT {
  UNWIND $hits AS h
  OPTIONAL MATCH (v:Review {id: h.id}) WHERE h.label = 'Review'
  OPTIONAL MATCH (c:Recommendation {id: h.id}) WHERE h.label = 'Recommendation'
  WITH h, coalesce(v, c) AS n
  MATCH (r:Review {id: h.review})
  RETURN {
    label: h.label,
    id: h.id,
    review: r.id,
    texts: CASE WHEN h.label = 'Review' THEN [f IN $fields.Review | n[f]]
      ELSE [f IN $fields.Recommendation | n[f]] END,
    title: r.title,
    year: r.year,
    board_id: COLLECT {
      MATCH (b:Board)-[:COMMISSIONED]->(r) RETURN b.id AS b ORDER BY b LIMIT 1
    }[0]
  } AS row
} AS rows
