// corpus_info: what is loaded: the load runs' metadata (summed up in queries/corpus.py).
// A viewer who may not see every review is told only of the runs that last wrote a review it
// may see (the review's load_run), so that draft and restricted loads count for no one else,
// even when they read a file of the same name as a published load (issue 17).
OPTIONAL MATCH (rv:Review)
WHERE NOT $all AND rv.status IN $statuses
WITH collect(DISTINCT rv.load_run) AS wrote
MATCH (lr:LoadRun)
WHERE $all OR lr.id IN wrote
RETURN collect(lr {.id, .path, .started_at, .finished_at, .taxonomy_version, .synthetic}) AS runs
