// outstanding_actions: open actions (not completed or cancelled) on visible recommendations.
// Days overdue and the ordering are computed in Python from $as_of.
MATCH (ac:Action)
WHERE ac.status IN $open
MATCH (ac)-[:RESPONDS_TO]->(r:Recommendation)<-[:MAKES]-(rv:Review)
WHERE rv.status IN $statuses AND ($kind IS NULL OR rv.review_type = $kind)
OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)
OPTIONAL MATCH (ac)-[:OWNED_BY]->(o:Agency)
WITH ac, r, rv, b, o
WHERE ($board IS NULL OR b.id = $board) AND ($agency IS NULL OR o.id = $agency)
RETURN DISTINCT {
  id: ac.id, description: ac.description, status: ac.status, due_date: ac.due_date,
  owner_agency_id: o.id, owner_name: o.name, recommendation_id: r.id,
  recommendation_number: r.number, review_id: rv.id, year: rv.year,
  board_id: b.id, board_name: b.name
} AS action
