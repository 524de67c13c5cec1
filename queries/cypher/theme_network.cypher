// theme_network: for each visible review in range, the themes it raises.
// Weights, metrics, communities and layout are computed in Python, identically for both backends.
MATCH (b:Board)-[:COMMISSIONED]->(rv:Review)
WHERE rv.status IN $statuses
  AND ($year_from IS NULL OR rv.year >= $year_from)
  AND ($year_to IS NULL OR rv.year <= $year_to)
  AND ($boards IS NULL OR b.id IN $boards)
MATCH (rv)-[:RAISES]->(t:Theme)
WHERE $category IS NULL OR t.category = $category
WITH DISTINCT rv, t
ORDER BY t.id
WITH rv, collect(t {.id, .label, .category, .kind}) AS themes
RETURN rv.id AS review, rv.year AS year, themes
ORDER BY review
