// repeated_recommendations: SIMILAR_TO links whose two ends the viewer may see.
// Clusters (connected components) and the board/year spans are computed in Python.
MATCH (r1:Recommendation)-[s:SIMILAR_TO]->(r2:Recommendation)
MATCH (rv1:Review)-[:MAKES]->(r1)
WHERE rv1.status IN $statuses
MATCH (rv2:Review)-[:MAKES]->(r2)
WHERE rv2.status IN $statuses
OPTIONAL MATCH (b1:Board)-[:COMMISSIONED]->(rv1)
OPTIONAL MATCH (b2:Board)-[:COMMISSIONED]->(rv2)
RETURN
  {id: r1.id, number: r1.number, text: r1.text, status: r1.status,
   review_id: rv1.id, year: rv1.year, board_id: b1.id} AS a,
  {id: r2.id, number: r2.number, text: r2.text, status: r2.status,
   review_id: rv2.id, year: rv2.year, board_id: b2.id} AS b,
  s.score AS score
