// theme_recurrence: the facts about one theme; counting and the trend are shaped in Python.
// Reviews and recommendations count only when their review is visible ($statuses) and, given
// $kind, of that document kind.
MATCH (t:Theme {id: $theme})
RETURN
  t {.id, .label, .category, .kind} AS theme,
  COLLECT {
    MATCH (b:Board)-[:COMMISSIONED]->(rv:Review)-[:RAISES]->(t)
    WHERE rv.status IN $statuses
      AND ($year_from IS NULL OR rv.year >= $year_from)
      AND ($year_to IS NULL OR rv.year <= $year_to)
      AND ($boards IS NULL OR b.id IN $boards)
      AND ($kind IS NULL OR rv.review_type = $kind)
    RETURN {id: rv.id, year: rv.year, board_id: b.id, board_name: b.name} AS f
  } AS reviews,
  COLLECT {
    MATCH (b:Board)-[:COMMISSIONED]->(rv:Review)-[:MAKES]->(r:Recommendation)-[:TAGGED]->(t)
    WHERE rv.status IN $statuses
      AND ($year_from IS NULL OR rv.year >= $year_from)
      AND ($year_to IS NULL OR rv.year <= $year_to)
      AND ($boards IS NULL OR b.id IN $boards)
      AND ($kind IS NULL OR rv.review_type = $kind)
    RETURN {id: r.id, year: rv.year, board_id: b.id, board_name: b.name} AS f
  } AS recommendations,
  COLLECT {
    // A closure: a recommendation on the theme closed as acted on, or audited as embedded.
    MATCH (b:Board)-[:COMMISSIONED]->(rv0:Review)-[:MAKES]->(r:Recommendation)-[:TAGGED]->(t)
    WHERE rv0.status IN $statuses AND ($boards IS NULL OR b.id IN $boards)
      AND ($kind IS NULL OR rv0.review_type = $kind)
    WITH b, rv0, r,
      COLLECT {
        MATCH (a:Action)-[:RESPONDS_TO]->(r)
        WHERE a.status = 'completed' AND a.completed_date IS NOT NULL
        RETURN a.completed_date AS d ORDER BY d DESC LIMIT 1
      } AS done,
      COLLECT {
        MATCH (au:Audit)-[:CHECKS]->(:Action)-[:RESPONDS_TO]->(r)
        WHERE au.rating = 'embedded' AND au.date IS NOT NULL
        RETURN au.date AS d ORDER BY d LIMIT 1
      } AS embedded
    WITH b, rv0, r,
      CASE WHEN r.status IN $closed_acted_on
        THEN coalesce(toInteger(left(done[0], 4)), rv0.year) END AS closed_year,
      toInteger(left(embedded[0], 4)) AS audit_year
    WHERE closed_year IS NOT NULL OR audit_year IS NOT NULL
    WITH b, r,
      CASE
        WHEN audit_year IS NULL OR (closed_year IS NOT NULL AND closed_year <= audit_year)
        THEN {basis: 'closed_acted_on', year: closed_year}
        ELSE {basis: 'audited_embedded', year: audit_year}
      END AS closure
    // The theme comes back later in the same board, or a board that succeeded it.
    MATCH (b)-[:SUCCEEDED_BY*0..]->(lb:Board)-[:COMMISSIONED]->(lr:Review)-[:RAISES]->(t)
    WHERE lr.status IN $statuses AND lr.year > closure.year
      AND ($kind IS NULL OR lr.review_type = $kind)
      AND ($year_from IS NULL OR lr.year >= $year_from)
      AND ($year_to IS NULL OR lr.year <= $year_to)
    RETURN DISTINCT {
      board_id: b.id, recommendation_id: r.id, recommendation_status: r.status,
      basis: closure.basis, closed_year: closure.year,
      review_id: lr.id, review_year: lr.year, review_board_id: lb.id
    } AS e
  } AS events
