// agency_load: recommendations addressed to an agency (or every agency of a sector), and the
// actions those agencies own, each with its review's year; counted per year in Python.
CALL () {
  MATCH (a:Agency {id: $agency}) RETURN a
  UNION
  MATCH (a:Agency {sector: $sector}) RETURN a
}
// an agency only hidden reviews name is hidden with them (as queries.entities.visible says)
WITH a WHERE a.declared = true
  OR EXISTS { MATCH (vr:Review)-[:MAKES]->(:Recommendation)-[:ADDRESSED_TO]->(a)
              WHERE vr.status IN $statuses }
  OR EXISTS { MATCH (vr:Review)-[:MAKES]->(:Recommendation)<-[:RESPONDS_TO]-(:Action)-[:OWNED_BY]->(a)
              WHERE vr.status IN $statuses }
WITH a ORDER BY a.id
WITH collect(a) AS agencies
RETURN
  [a IN agencies | a {.id, .name, .sector}] AS agencies,
  COLLECT {
    UNWIND agencies AS a
    MATCH (rv:Review)-[:MAKES]->(r:Recommendation)-[:ADDRESSED_TO]->(a)
    WHERE rv.status IN $statuses
      AND ($year_from IS NULL OR rv.year >= $year_from)
      AND ($year_to IS NULL OR rv.year <= $year_to)
    RETURN DISTINCT {id: r.id, year: rv.year, status: r.status} AS r
  } AS recommendations,
  COLLECT {
    UNWIND agencies AS a
    MATCH (ac:Action)-[:OWNED_BY]->(a)
    MATCH (ac)-[:RESPONDS_TO]->(:Recommendation)<-[:MAKES]-(rv:Review)
    WHERE rv.status IN $statuses
      AND ($year_from IS NULL OR rv.year >= $year_from)
      AND ($year_to IS NULL OR rv.year <= $year_to)
    RETURN DISTINCT {id: ac.id, year: rv.year, status: ac.status, due_date: ac.due_date} AS ac
  } AS actions
