"""`scrgraph demo`: the demo corpus on the embedded default, served."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_store import EmbeddedStore
from scrgraph.commands.load import change_summary, rate
from scrgraph.commands.serve import add_log_options, listen, serve
from scrgraph.progress import progress
from scrgraph.settings import DEFAULT_DB, load_settings

if TYPE_CHECKING:
    from loaders.load import LoadReport

DEMO_CORPUS = Path("var/demo-corpus")
DEMO_SEED = 42


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo", help="load the synthetic demo corpus into the embedded store and serve it"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")
    p.add_argument(
        "--db",
        help=f"embedded store file (default: SCRGRAPH_DB, else {DEFAULT_DB}, as every command)",
    )
    p.add_argument("--corpus", default=str(DEMO_CORPUS), help="where the demo corpus lives")
    p.add_argument(
        "--no-serve",
        action="store_true",
        help="generate and load the demo corpus, then exit (the store stays for other commands)",
    )
    add_log_options(p)
    p.set_defaults(func=run)


def prepare(db: Path | str, corpus: Path | str = DEMO_CORPUS) -> bool:
    """Generate the demo corpus if missing and load it unless this exact corpus is loaded.

    Returns True if it loaded. The LoadRun id is a hash of the corpus, so its presence in the
    store means this corpus is already there.
    """
    from graph_schema import Label
    from loaders import corpus_run_id, generate_corpus, load_corpus
    from loaders.generate import GENERATOR

    corpus = Path(corpus)
    if _made_by(corpus) != GENERATOR:
        print(f"scrgraph: generating the demo corpus in {corpus}", flush=True)
        generate_corpus(corpus, scale="demo", seed=DEMO_SEED)
    store = EmbeddedStore(db)
    try:
        run_id = corpus_run_id(corpus)
        if run_id is not None and store.get_nodes(Label.LOAD_RUN, [run_id]):
            return False
        # An older demo corpus in the demo's own store is replaced, not merged with.
        runs = store.get_nodes(Label.LOAD_RUN, sorted(store.ids(Label.LOAD_RUN.value)))
        if runs and all(Path(r.get("path", "")) == corpus for r in runs.values()):
            store.clear()
        print(f"scrgraph: loading the demo corpus into {db}", flush=True)
        with progress("loading") as bar:
            report = load_corpus(store, corpus, progress=bar)
        print(f"scrgraph: loaded {demo_summary(report)} in {rate(report)}", flush=True)
        print(f"scrgraph: {change_summary(report)}", flush=True)
    finally:
        store.close()
    return True


# What the demo's summary names, in this order: (label, one, many).
SUMMARY_LABELS: tuple[tuple[str, str, str], ...] = (
    ("Review", "review", "reviews"),
    ("Recommendation", "recommendation", "recommendations"),
    ("Action", "action", "actions"),
    ("Audit", "audit", "audits"),
    ("Board", "board", "boards"),
    ("Theme", "theme", "themes"),
)


def demo_summary(report: LoadReport) -> str:
    """'288 reviews, 1,502 recommendations, ...': what the load wrote, by the main labels."""
    parts = []
    for label, one, many in SUMMARY_LABELS:
        n = report.nodes.get(label, 0)
        parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts)


def _made_by(corpus: Path) -> str | None:
    """The generator version that wrote the corpus, or None if there is none."""
    try:
        meta = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    made = meta.get("generator") if isinstance(meta, dict) else None
    return made if isinstance(made, str) else None


def run(args: argparse.Namespace) -> int:
    # The same store as every other command, so that `scrgraph stats` afterwards shows the demo.
    settings = load_settings({"SCRGRAPH_BACKEND": "embedded", "SCRGRAPH_DB": args.db})
    if args.no_serve:
        if not prepare(settings.db, args.corpus):
            print(f"scrgraph: the demo corpus is already loaded in {settings.db}", flush=True)
        return 0
    sock = listen(args.host, args.port)  # a busy port fails now, not after the load
    try:
        prepare(settings.db, args.corpus)
    except BaseException:
        sock.close()
        raise
    return serve(
        settings, args.host, args.port, sock, log_level=args.log_level, log_format=args.log_format
    )
