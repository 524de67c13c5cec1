"""Settings, declared once as data and read from the environment in this module only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from scrgraph.errors import ConfigError


@dataclass(frozen=True)
class SettingSpec:
    """One environment setting: its name, default and meaning."""

    env: str
    default: str | None
    description: str
    secret: bool = False


# The one store every command (the demo included) opens unless told otherwise.
DEFAULT_DB: Final = "var/scrgraph.sqlite"
# `scrgraph load DIR` refuses, unread, a document of more pages than this (a whole
# inspection report or a scanned archive, not a review).
DEFAULT_MAX_PAGES: Final = 400
# Items and documents the document reader scores below this load `queued` for a person
# (loaders.extract.confidence; measured in docs/ and issue 13's notes at 0.70).
DEFAULT_QUEUE_THRESHOLD: Final = 0.7


def default_workers() -> int:
    """`scrgraph serve`'s worker processes unless told: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


SETTINGS: Final[tuple[SettingSpec, ...]] = (
    SettingSpec(
        "SCRGRAPH_BACKEND", "embedded", "Backend: `embedded` (SQLite + networkx) or `neo4j`."
    ),
    SettingSpec("SCRGRAPH_DB", DEFAULT_DB, "The embedded store's SQLite file."),
    SettingSpec(
        "NEO4J_URI", "bolt://127.0.0.1:7687", "Neo4j URI (`neo4j+s://` for Aura or a cluster)."
    ),
    SettingSpec("NEO4J_USER", "neo4j", "Neo4j user."),
    SettingSpec("NEO4J_PASSWORD", None, "Neo4j password (no default).", secret=True),
    SettingSpec("NEO4J_DATABASE", "neo4j", "Neo4j database every query names."),
    SettingSpec("SCRGRAPH_KEYS", "var/keys.json", "File of hashed API keys."),
    SettingSpec("SCRGRAPH_REQUIRE_KEY", "false", "Refuse requests without an API key."),
    SettingSpec("SCRGRAPH_PRODUCTION", "false", "Production mode: no introspection, no explorer."),
    SettingSpec("SCRGRAPH_REQUEST_TIMEOUT", "10", "Seconds before a request is abandoned."),
    SettingSpec(
        "SCRGRAPH_MAX_PAGES",
        str(DEFAULT_MAX_PAGES),
        "A document with more pages than this is refused by `scrgraph load DIR` (not read).",
    ),
    SettingSpec(
        "SCRGRAPH_QUEUE_THRESHOLD",
        f"{DEFAULT_QUEUE_THRESHOLD:.2f}",
        "Items and documents the document reader is less sure of than this (0 to 1) load "
        "`queued`, into the review queue. Read once, when the reader is first imported.",
    ),
    SettingSpec(
        "SCRGRAPH_WORKERS",
        None,
        "Processes `scrgraph serve` answers with (`--workers`; default: the number of cores).",
    ),
)

BACKENDS: Final = ("embedded", "neo4j")


@dataclass(frozen=True)
class Settings:
    """Resolved settings."""

    backend: str
    db: Path
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    keys_file: Path
    require_key: bool
    production: bool
    request_timeout: float
    max_pages: int = DEFAULT_MAX_PAGES
    workers: int = 1
    queue_threshold: float = (
        DEFAULT_QUEUE_THRESHOLD  # load_settings resolves an unset SCRGRAPH_WORKERS to the cores
    )

    def __repr__(self) -> str:  # never print the password
        return (
            f"Settings(backend={self.backend!r}, db={str(self.db)!r}, "
            f"neo4j_uri={self.neo4j_uri!r}, neo4j_database={self.neo4j_database!r})"
        )


def _bool(name: str, value: str) -> bool:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name}={value!r}: expected true or false")


def _threshold(value: str | None) -> float:
    text = (value or "").strip() or f"{DEFAULT_QUEUE_THRESHOLD}"
    try:
        t = float(text)
    except ValueError:
        t = -1.0
    if not 0.0 <= t <= 1.0:
        raise ConfigError(
            f"SCRGRAPH_QUEUE_THRESHOLD={value!r}: expected a confidence from 0 to 1 (e.g. 0.70)"
        )
    return t


def queue_threshold(environ: Mapping[str, str] | None = None) -> float:
    """SCRGRAPH_QUEUE_THRESHOLD alone (the document reader needs no other setting)."""
    env = os.environ if environ is None else environ
    return _threshold(env.get("SCRGRAPH_QUEUE_THRESHOLD"))


def load_settings(
    overrides: Mapping[str, str | None] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from the environment, with CLI overrides (keys are env names) winning."""
    env = dict(os.environ if environ is None else environ)
    raw: dict[str, str | None] = {s.env: env.get(s.env, s.default) for s in SETTINGS}
    for k, v in (overrides or {}).items():
        if v is not None:
            raw[k] = v
    backend = (raw["SCRGRAPH_BACKEND"] or "embedded").strip().lower()
    if backend not in BACKENDS:
        raise ConfigError(f"SCRGRAPH_BACKEND={backend!r}: expected one of {', '.join(BACKENDS)}")
    try:
        timeout = float(raw["SCRGRAPH_REQUEST_TIMEOUT"] or "10")
    except ValueError as e:
        raise ConfigError(
            f"SCRGRAPH_REQUEST_TIMEOUT={raw['SCRGRAPH_REQUEST_TIMEOUT']!r}: expected seconds"
        ) from e
    pages = raw["SCRGRAPH_MAX_PAGES"] or str(DEFAULT_MAX_PAGES)
    if not pages.strip().isdigit() or int(pages) < 1:
        raise ConfigError(
            f"SCRGRAPH_MAX_PAGES={pages!r}: expected a whole number of pages, 1 or more"
        )
    workers_raw = raw["SCRGRAPH_WORKERS"]
    if workers_raw is None or not workers_raw.strip():
        workers = default_workers()
    elif workers_raw.strip().isdigit() and int(workers_raw) >= 1:
        workers = int(workers_raw)
    else:
        raise ConfigError(
            f"SCRGRAPH_WORKERS={workers_raw!r}: expected a whole number of processes, 1 or more"
        )
    return Settings(
        backend=backend,
        db=Path(raw["SCRGRAPH_DB"] or DEFAULT_DB),
        neo4j_uri=raw["NEO4J_URI"] or "bolt://127.0.0.1:7687",
        neo4j_user=raw["NEO4J_USER"] or "neo4j",
        neo4j_password=raw["NEO4J_PASSWORD"],
        neo4j_database=raw["NEO4J_DATABASE"] or "neo4j",
        keys_file=Path(raw["SCRGRAPH_KEYS"] or "var/keys.json"),
        require_key=_bool("SCRGRAPH_REQUIRE_KEY", raw["SCRGRAPH_REQUIRE_KEY"] or "false"),
        production=_bool("SCRGRAPH_PRODUCTION", raw["SCRGRAPH_PRODUCTION"] or "false"),
        request_timeout=timeout,
        max_pages=int(pages),
        workers=workers,
        queue_threshold=_threshold(raw["SCRGRAPH_QUEUE_THRESHOLD"]),
    )


def is_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether we run under CI (CI=true), where a missing Neo4j is a failure."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class TestNeo4j:
    """Where the test suite may find a Neo4j it is allowed to wipe."""

    uri: str
    user: str
    password: str
    database: str


def test_neo4j_settings(environ: Mapping[str, str] | None = None) -> TestNeo4j | None:
    """A Neo4j given to the tests: NEO4J_TEST_URI (with NEO4J_TEST_* or NEO4J_* credentials).

    Tests wipe that database, so it must be named for tests explicitly; NEO4J_URI alone is not
    enough.
    """
    env = os.environ if environ is None else environ
    uri = env.get("NEO4J_TEST_URI")
    if not uri:
        return None
    password = env.get("NEO4J_TEST_PASSWORD") or env.get("NEO4J_PASSWORD") or ""
    return TestNeo4j(
        uri=uri,
        user=env.get("NEO4J_TEST_USER") or env.get("NEO4J_USER") or "neo4j",
        password=password,
        database=env.get("NEO4J_TEST_DATABASE") or env.get("NEO4J_DATABASE") or "neo4j",
    )


test_neo4j_settings.__test__ = False  # type: ignore[attr-defined]
