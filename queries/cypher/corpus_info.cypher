// corpus_info: what is loaded: the load runs' metadata (summed up in queries/corpus.py).
// A viewer who may not see every review is told only of the runs that wrote a review it may
// see (through the sources the run read), so that draft and restricted loads count for no one
// else.
MATCH (lr:LoadRun)
WHERE $all
  OR EXISTS { MATCH (lr)-[:LOADED]->(:Source)<-[:FROM_SOURCE]-(rv:Review) WHERE rv.status IN $statuses }
RETURN collect(lr {.id, .path, .started_at, .finished_at, .taxonomy_version, .synthetic}) AS runs
