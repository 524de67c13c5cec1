"""`scrgraph serve`: the API and dashboard over HTTP."""

from __future__ import annotations

import argparse
import errno
import socket
from typing import Any

from scrgraph.commands.common import add_store_options, settings_from, warn
from scrgraph.errors import ScrgraphError
from scrgraph.settings import Settings


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("serve", help="serve the GraphQL API and dashboard")
    add_store_options(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")
    p.set_defaults(func=run)


def listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket, or say plainly why not (a busy port, a bad address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        hint = (
            "another server (a `scrgraph demo` or `serve`?) is using it: stop that one, "
            "or pick another port with --port"
            if e.errno == errno.EADDRINUSE
            else "check --host and --port"
        )
        raise ScrgraphError(f"cannot listen on {host}:{port}: {e.strerror or e}; {hint}") from e
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, host: str, port: int, sock: socket.socket | None = None) -> int:
    """Run uvicorn on the app until interrupted. Nothing says "serving" before the port is ours.

    `sock` is a socket `listen` already bound (the demo binds before it loads).
    """
    import uvicorn

    from gql_api import create_app

    if sock is None:
        sock = listen(host, port)
    if settings.backend == "embedded" and not settings.db.exists():
        warn(
            f"the store {settings.db} does not exist; serving it empty "
            "(run scripts/demo or `scrgraph load CORPUS`, or name another with --db)"
        )
    app = create_app(settings)
    print(f"scrgraph: serving the {settings.backend} store at http://{host}:{port}/", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


def run(args: argparse.Namespace) -> int:
    return serve(settings_from(args), args.host, args.port)
