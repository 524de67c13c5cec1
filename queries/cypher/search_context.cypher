// search_context: for the reviews of the shown hits ($ids), their title, year and first
// commissioning board by id.
UNWIND $ids AS id
MATCH (r:Review {id: id})
RETURN r.id AS id, r.title AS title, r.year AS year,
  COLLECT { MATCH (b:Board)-[:COMMISSIONED]->(r) RETURN b.id AS b ORDER BY b LIMIT 1 }[0]
    AS board_id
