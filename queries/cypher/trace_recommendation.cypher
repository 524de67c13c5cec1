// trace_recommendation: one round trip. The unique constraint on Recommendation.id seeds it.
// It returns the rows of its themes, later reviews and their boards too, so that the API's
// answer needs no second read.
MATCH (r:Recommendation {id: $id})
USING INDEX r:Recommendation(id)
MATCH (rv:Review)-[:MAKES]->(r)
WHERE rv.status IN $statuses
WITH r, rv
LIMIT 1
OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)
WITH r, rv, b
LIMIT 1
RETURN
  properties(r) AS recommendation,
  properties(rv) AS review,
  CASE WHEN b IS NULL THEN null ELSE properties(b) END AS board,
  COLLECT {
    MATCH (r)-[:ADDRESSED_TO]->(ag:Agency)
    RETURN properties(ag) AS agency ORDER BY ag.id
  } AS agencies,
  COLLECT {
    MATCH (r)-[:TAGGED]->(t:Theme)
    RETURN properties(t) AS theme ORDER BY t.id
  } AS themes,
  COLLECT {
    MATCH (a:Action)-[:RESPONDS_TO]->(r)
    RETURN {
      action: properties(a),
      owner: COLLECT {
        MATCH (a)-[:OWNED_BY]->(o:Agency) RETURN properties(o) AS o ORDER BY o.id
      },
      audits: COLLECT {
        MATCH (au:Audit)-[:CHECKS]->(a) RETURN properties(au) AS au ORDER BY au.date, au.id
      }
    } AS action
    ORDER BY a.id
  } AS actions,
  [later IN reduce(acc = [], pair IN [(b)-[:SUCCEEDED_BY*0..]->(lb:Board) |
        [lr IN [(lb)-[:COMMISSIONED]->(x:Review) | x]
          WHERE lr.status IN $statuses AND lr.year > rv.year
          | {id: lr.id, title: lr.title, year: lr.year, board_id: lb.id,
             themes: [(lr)-[:RAISES]->(lt:Theme)<-[:TAGGED]-(r) | lt.id],
             review: properties(lr), board: properties(lb)}]] | acc + pair)
    WHERE size(later.themes) > 0] AS later_reviews
