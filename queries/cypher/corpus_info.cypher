// corpus_info: what is loaded: the latest load run's metadata, and whether the corpus is synthetic.
MATCH (lr:LoadRun)
WITH lr ORDER BY lr.finished_at DESC, lr.id DESC
WITH collect(lr {.id, .path, .started_at, .finished_at, .taxonomy_version, .synthetic}) AS runs
RETURN runs[0] AS latest, size(runs) AS runs,
  any(r IN runs WHERE r.synthetic = true) AS any_synthetic
