"""`scrgraph serve`: the API and dashboard over HTTP."""

from __future__ import annotations

import argparse
from typing import Any

from scrgraph.commands.common import add_store_options, settings_from, warn
from scrgraph.settings import Settings


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("serve", help="serve the GraphQL API and dashboard")
    add_store_options(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")
    p.set_defaults(func=run)


def serve(settings: Settings, host: str, port: int) -> int:
    """Run uvicorn on the app until interrupted."""
    import uvicorn

    from gql_api import create_app

    if settings.backend == "embedded" and not settings.db.exists():
        warn(
            f"the store {settings.db} does not exist; serving it empty "
            "(run scripts/demo or `scrgraph load CORPUS`, or name another with --db)"
        )
    app = create_app(settings)
    print(f"scrgraph: serving the {settings.backend} store at http://{host}:{port}/", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0


def run(args: argparse.Namespace) -> int:
    return serve(settings_from(args), args.host, args.port)
