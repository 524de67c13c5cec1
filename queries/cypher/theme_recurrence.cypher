// theme_recurrence: one theme's kept aggregates (graph_schema.aggregates); shaped in Python.
// Tally cells and events count only reviews the viewer may see ($statuses) and, given $kind,
// of that document kind (both the recommendation's review and the later review, for events).
MATCH (t:Theme {id: $theme})
RETURN
  t {.id, .label, .category, .kind} AS theme,
  COLLECT {
    MATCH (c:ThemeTally {theme: $theme})
    WHERE c.status IN $statuses
      AND ($year_from IS NULL OR c.year >= $year_from)
      AND ($year_to IS NULL OR c.year <= $year_to)
      AND ($boards IS NULL OR c.board IN $boards)
      AND ($kind IS NULL OR c.kind = $kind)
    OPTIONAL MATCH (b:Board {id: c.board})
    RETURN {board_id: c.board, board_name: b.name, year: c.year, reviews: c.reviews,
            recommendations: c.recommendations} AS f
  } AS cells,
  COLLECT {
    MATCH (e:RecurrenceEvent {theme: $theme})
    WHERE e.rec_review_status IN $statuses AND e.review_status IN $statuses
      AND ($boards IS NULL OR e.board IN $boards)
      AND ($kind IS NULL OR (e.rec_review_kind = $kind AND e.review_kind = $kind))
      AND ($year_from IS NULL OR e.review_year >= $year_from)
      AND ($year_to IS NULL OR e.review_year <= $year_to)
    RETURN DISTINCT {
      board_id: e.board, recommendation_id: e.recommendation,
      recommendation_status: e.recommendation_status, basis: e.basis,
      closed_year: e.closed_year, review_id: e.review, review_year: e.review_year,
      review_board_id: e.review_board
    } AS e
  } AS events
