// corpus_info: what is loaded: the latest load run's metadata, and whether the corpus is synthetic.
// A viewer who may not see every review is told only of the runs that wrote a review it may
// see (through the sources the run read), so that draft and restricted loads count for no one
// else.
MATCH (lr:LoadRun)
WHERE $all
  OR EXISTS { MATCH (lr)-[:LOADED]->(:Source)<-[:FROM_SOURCE]-(rv:Review) WHERE rv.status IN $statuses }
WITH lr ORDER BY lr.finished_at DESC, lr.id DESC
WITH collect(lr {.id, .path, .started_at, .finished_at, .taxonomy_version, .synthetic}) AS runs
RETURN runs[0] AS latest, size(runs) AS runs,
  any(r IN runs WHERE r.synthetic = true) AS any_synthetic
