// outstanding_actions: open actions (not completed or cancelled) on visible recommendations.
// This is the tail: a head (queries/accountability.py, `_ACTION_HEADS`) starts from whichever
// end the filters fix and binds the action ac, its recommendation r, review rv, board b and
// owner o (b and o may be NULL); every filter is applied here. Days overdue and the ordering
// are computed in Python from $as_of.
WITH ac, r, rv, b, o
WHERE rv.status IN $statuses AND ($kind IS NULL OR rv.review_type = $kind)
  AND ($board IS NULL OR b.id = $board) AND ($agency IS NULL OR o.id = $agency)
RETURN DISTINCT {
  id: ac.id, description: ac.description, status: ac.status, due_date: ac.due_date,
  owner_agency_id: o.id, owner_name: o.name, recommendation_id: r.id,
  recommendation_number: r.number, review_id: rv.id, year: rv.year,
  board_id: b.id, board_name: b.name
} AS action
