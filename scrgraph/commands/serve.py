"""`scrgraph serve`: the API and dashboard over HTTP."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import functools
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrgraph import logs
from scrgraph.commands.common import add_store_options, settings_from, store_name, warn
from scrgraph.errors import ScrgraphError
from scrgraph.settings import Settings

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("serve", help="serve the GraphQL API and dashboard")
    add_store_options(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")
    add_workers_option(p)
    add_log_options(p)
    p.set_defaults(func=run)


def add_workers_option(p: argparse.ArgumentParser) -> None:
    """--workers, overriding SCRGRAPH_WORKERS."""
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes answering requests, each with its own store connection "
        "(overrides SCRGRAPH_WORKERS; default: the number of cores)",
    )


def add_log_options(p: argparse.ArgumentParser) -> None:
    """--log-level and --log-format, for every command that serves."""
    p.add_argument(
        "--log-level",
        choices=logs.LEVELS,
        default=logs.DEFAULT_LEVEL,
        help="the console log's threshold (info: one line per client mistake, no traceback; "
        "a server bug is an error with its traceback at every level)",
    )
    p.add_argument(
        "--log-format",
        choices=logs.FORMATS,
        default="text",
        help="text lines, or one JSON object per line for a log collector",
    )


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


def serve(
    settings: Settings,
    host: str,
    port: int,
    sock: socket.socket | None = None,
    log_level: str = logs.DEFAULT_LEVEL,
    log_format: str = "text",
) -> int:
    """Run uvicorn on the app until interrupted. Nothing says "serving" before the port is ours.

    `sock` is a socket `listen` already bound (the demo binds before it loads). The project's
    loggers go to stderr at `log_level` (see `scrgraph.logs`).
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
    logs.configure(log_level, log_format)

    def say_ready() -> None:
        print(ready_message(settings, host, sock), flush=True)

    if settings.workers > 1:
        return _serve_workers(settings, sock, log_level, log_format, say_ready)
    app = create_app(settings)
    server = _ready_server(uvicorn.Config(app, log_level="warning"), say_ready)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


def worker_app(settings: Settings, metrics_dir: Path, log_level: str, log_format: str) -> Starlette:
    """The app of one worker process (called in that process, which opens its own store)."""
    from gql_api import create_app

    logs.configure(log_level, log_format)
    _stop_with_parent()
    return create_app(settings, metrics_dir=metrics_dir)


def _stop_with_parent(every: float = 0.5) -> None:
    """Stop this worker gracefully (SIGTERM to itself) once its supervisor is gone, e.g.
    killed with SIGKILL, so that no orphaned worker keeps the port and the store open."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve_workers(
    settings: Settings,
    sock: socket.socket,
    log_level: str,
    log_format: str,
    on_ready: Callable[[], None],
) -> int:
    """`settings.workers` processes accepting on the one listening socket, under uvicorn's
    supervisor: it restarts a worker that dies or hangs, and on SIGINT or SIGTERM stops each
    gracefully (requests in flight are finished). Each worker opens its own store (the
    embedded store notices the others' commits through SQLite's data_version) and keeps its
    own metrics, summed across workers through a directory they share."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    metrics_dir = Path(tempfile.mkdtemp(prefix="scrgraph-metrics-"))
    config = uvicorn.Config(
        functools.partial(worker_app, settings, metrics_dir, log_level, log_format),
        factory=True,
        workers=settings.workers,
        log_level="warning",
        timeout_worker_healthcheck=30,
    )

    class ReadySupervisor(Multiprocess):
        def init_processes(self) -> None:
            super().init_processes()
            # Ready once every worker serves (an embedded store loads its graph first).
            for proc in self.processes:
                if not proc.wait_until_ready(24 * 3600.0, self.should_exit):
                    return  # it died or we are stopping; the supervisor's loop handles it
            on_ready()

    try:
        ReadySupervisor(config, sockets=[sock]).run()
    finally:
        sock.close()
        shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def _ready_server(config: uvicorn.Config, on_ready: Callable[[], None]) -> uvicorn.Server:
    """uvicorn's server, calling `on_ready` once it accepts connections (never before).

    Built here so that uvicorn is imported only by the commands that serve.
    """
    import uvicorn

    class ReadyServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started and not self.should_exit:
                on_ready()

    return ReadyServer(config)


def ready_message(settings: Settings, host: str, sock: socket.socket) -> str:
    """What the console says once the server accepts connections: the store and the URLs."""
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}"
    store = f"{settings.db}" if settings.backend == "embedded" else store_name(settings)
    api = "GraphQL API" + (" (explorer off in production)" if settings.production else "")
    lines = [
        f"scrgraph: ready, serving the {settings.backend} store {store} at {base}/",
        f"  landing page   {base}/",
        f"  dashboard      {base}/dashboard/",
        f"  {api:<14} {base}/graphql",
        f"  briefings      {base}/briefing?audience=police",
        f"  health         {base}/healthz  {base}/readyz  {base}/metrics",
    ]
    if host in ("0.0.0.0", "::", ""):
        lines.append(f"  listening on every interface ({host or 'all'}), port {port}")
    lines.append("  press Ctrl+C to stop")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.workers is not None:
        if args.workers < 1:
            raise ScrgraphError(f"--workers {args.workers}: expected 1 or more processes")
        settings = dataclasses.replace(settings, workers=args.workers)
    return serve(
        settings,
        args.host,
        args.port,
        log_level=args.log_level,
        log_format=args.log_format,
    )
