// theme_network: per visible review in range with a board, the themes it raises, read from the
// ReviewFact aggregate kept at write time (graph_schema.aggregates). Theme properties, weights,
// metrics, communities and layout are joined and computed in Python, identically for both
// backends.
MATCH (f:ReviewFact)
WHERE f.status IN $statuses
  AND size(f.boards) > 0 AND size(f.themes) > 0
  AND ($year_from IS NULL OR f.year >= $year_from)
  AND ($year_to IS NULL OR f.year <= $year_to)
  AND ($boards IS NULL OR any(b IN f.boards WHERE b IN $boards))
RETURN f.id AS review, f.year AS year, f.themes AS themes
ORDER BY review
