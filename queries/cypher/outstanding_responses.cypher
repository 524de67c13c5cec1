// outstanding_responses: visible recommendations awaiting a response that is owed by a date
// (a PFD report's concerns: report date + 56 days). This is the tail: a head
// (queries/accountability.py, `_RESPONSE_HEADS`) binds the recommendation r, its review rv and
// board b (b may be NULL); every filter is applied here. Days overdue are computed in Python.
WITH r, rv, b
WHERE r.status = 'open_awaiting_response' AND r.response_due IS NOT NULL
  AND rv.status IN $statuses
  AND ($kind IS NULL OR rv.review_type = $kind)
  AND ($board IS NULL OR b.id = $board)
  AND ($agency IS NULL OR EXISTS { MATCH (r)-[:ADDRESSED_TO]->(:Agency {id: $agency}) })
RETURN DISTINCT {
  id: r.id, number: r.number, response_due: r.response_due, review_id: rv.id,
  review_type: rv.review_type, year: rv.year, board_id: b.id, board_name: b.name,
  agencies: COLLECT { MATCH (r)-[:ADDRESSED_TO]->(a:Agency) RETURN a.id AS id ORDER BY id }
} AS response
