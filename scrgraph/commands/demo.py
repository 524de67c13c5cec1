"""`scrgraph demo`: the demo corpus on the embedded default, served."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scrgraph.commands.serve import serve
from scrgraph.settings import load_settings


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo", help="load the synthetic demo corpus into the embedded store and serve it"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")
    p.add_argument("--db", default="var/demo.sqlite", help="embedded store file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings({"SCRGRAPH_BACKEND": "embedded", "SCRGRAPH_DB": args.db})
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    return serve(settings, args.host, args.port)
