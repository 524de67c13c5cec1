"""A Neo4j of the benchmarks' own: the same launcher `scripts/neo4j-local` runs, with its own
home under var/bench/ and its own loopback port, so benchmarks never touch (or get wiped by)
the server that tests use.

The password is random per start and travels to the JVM and the driver in the environment.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks._util import BENCH_DIR, ROOT, say
from scrgraph.settings import Settings, load_settings

if TYPE_CHECKING:
    from graph_store import Neo4jStore

PROJECT = ROOT / "tools" / "neo4j-local"
MAIN_CLASS = "dev.scrgraph.Neo4jLocal"


class BenchNeo4j:
    """Start with `start()`, stop with `stop()`; `settings` points a store at it."""

    def __init__(self, port: int = 7699, heap: str = "2g", home: Path | None = None) -> None:
        self.port = port
        self.heap = heap
        self.home = home or BENCH_DIR / "neo4j-home"
        self.password = secrets.token_urlsafe(24)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": "neo4j",
        }

    @property
    def settings(self) -> Settings:
        return load_settings({"SCRGRAPH_BACKEND": "neo4j", **self.env})

    def available(self) -> str | None:
        """None if it can start here, else why not."""
        if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
            return "java not found"
        if not (PROJECT / "target" / "lib").is_dir():
            return "tools/neo4j-local is not built (run scripts/neo4j-local start once)"
        return None

    def start(self, timeout: float = 180.0) -> None:
        java = shutil.which("java") or str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
        self.home.mkdir(parents=True, exist_ok=True)
        log_path = self.home / "neo4j.log"
        offset = log_path.stat().st_size if log_path.exists() else 0
        log = log_path.open("ab")
        env = {
            **os.environ,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_PORT": str(self.port),
            "NEO4J_LOCAL_HOME": str(self.home),
        }
        say(f"starting the benchmarks' own Neo4j on {self.uri} (heap {self.heap}, {self.home})")
        self.proc = subprocess.Popen(
            [
                java,
                f"-Xms{self.heap}",
                f"-Xmx{self.heap}",
                "-XX:+UseG1GC",
                "-XX:-OmitStackTraceInFastThrow",
                "-XX:+DisableExplicitGC",
                "-Djdk.nio.maxCachedBufferSize=1024",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "-Dlog4j2.disable.jmx=true",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp",
                f"{PROJECT / 'target' / 'classes'}:{PROJECT / 'target' / 'lib'}/*",
                MAIN_CLASS,
                str(self.home),
                str(self.port),
            ],
            cwd=self.home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait(timeout, log_path, offset)

    def _wait(self, timeout: float, log_path: Path, offset: int) -> None:
        """Until the launcher prints READY (after it has set the password: Bolt listens
        before that, and a driver's tries with the new password then lock the user out for
        a while, as seen under load), then until a query answers."""
        from neo4j import GraphDatabase

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"Neo4j exited during start-up; see {log_path}")
            with log_path.open("rb") as f:
                f.seek(offset)
                ready = b"\nNEO4J READY " in b"\n" + f.read()
            if not ready:
                last = RuntimeError("the launcher has not printed NEO4J READY yet")
                time.sleep(0.5)
                continue
            try:
                with GraphDatabase.driver(
                    self.uri, auth=("neo4j", self.password), connection_timeout=3
                ) as d:
                    d.verify_connectivity()
                    d.execute_query("RETURN 1", database_="neo4j")
                say("Neo4j ready")
                return
            except Exception as e:  # any failure: not ready yet
                last = e
                time.sleep(1.0)
        self.stop()
        raise RuntimeError(f"Neo4j did not answer on {self.uri} in {timeout:.0f}s: {last}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server has used so far, from /proc."""
        if self.proc is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()  # first: saying so can fail (a closed pipe) and must not leave it up
        with contextlib.suppress(OSError):
            say("stopping the benchmarks' Neo4j")
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)
        self.proc = None

    @contextlib.contextmanager
    def running_store(self) -> Iterator[Neo4jStore]:
        """Start this Neo4j and yield a store on it; close the driver and stop it after."""
        from graph_store import Neo4jStore, make_driver

        self.start()
        try:
            driver = make_driver(self.settings)
            try:
                yield Neo4jStore(driver, "neo4j")
            finally:
                driver.close()
        finally:
            self.stop()
