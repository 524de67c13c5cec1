"""Browser-test fixtures: a real server over the demo corpus, and Debian's headless Chromium.

- `live_server`: uvicorn on a free loopback port, in a thread, serving the app over the demo
  corpus on the embedded backend (the session's `demo_embedded` store). Yields its base URL.
  `live_keys_file` is its keys file, for tests that need an API key.
- `browser`: Playwright driving the system Chromium (never Playwright's own download), one
  per module.
- `watched_page`: a 1280x800 page that records console errors, page errors, failed requests
  and any request to a host other than the test server, for the test to assert on.

Without Chromium or Playwright the browser tests skip, saying what to install; under CI=true
they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pytest

from graph_store import EmbeddedStore
from scrgraph.settings import is_ci, load_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SCRGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


def need(what: str) -> None:
    """Skip (locally) or fail (under CI) because something the browser tests use is missing."""
    msg = f"{what} is needed for the browser tests"
    if is_ci():
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_keys_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's keys file (re-read by the server when it changes): add keys with
    `gql_api.auth.create_key(live_keys_file, role, name)`."""
    return tmp_path_factory.mktemp("e2e-keys") / "keys.json"


@pytest.fixture(scope="session")
def live_server(demo_embedded: EmbeddedStore, live_keys_file: Path) -> Iterator[str]:
    """The app over the demo corpus, served by uvicorn on loopback in a thread."""
    import uvicorn

    from gql_api import create_app

    settings = load_settings(
        {
            "SCRGRAPH_BACKEND": "embedded",
            "SCRGRAPH_DB": str(demo_embedded.path),
            "SCRGRAPH_KEYS": str(live_keys_file),
            "SCRGRAPH_REQUEST_TIMEOUT": "120",  # the shared machine can be slow; see tests/api
        },
        environ={},
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, demo_embedded),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the test server did not start on 127.0.0.1:{port}", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium under Playwright, one per test module.

    Module scope, not session: a running sync Playwright owns the thread's event loop, and
    another module may start its own.
    """
    if not Path(CHROMIUM).exists():
        need("Debian's chromium (apt-get install chromium, or scripts/install --test)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("playwright (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    """A page and what it did that a test may want to refuse."""

    page: Page
    base: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.external, f"requests to other hosts: {self.external}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.page_errors, f"page errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"

    def screenshot(self, name: str) -> Path:
        """Save a screenshot of the viewport into test-artifacts/ (git-ignored)."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


def watch(page: Page, base: str) -> Watched:
    w = Watched(page=page, base=base)
    host = urlparse(base).netloc

    def on_request(req: Any) -> None:
        url = str(req.url)
        if not url.startswith(("data:", "blob:", "about:")) and urlparse(url).netloc != host:
            w.external.append(url)

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            w.console_errors.append(str(msg.text))

    page.on("request", on_request)
    page.on("requestfailed", lambda r: w.failed.append(str(r.url)))
    page.on("console", on_console)
    page.on("pageerror", lambda e: w.page_errors.append(str(e)))
    return w


@pytest.fixture
def watched_page(browser: Browser, live_server: str) -> Iterator[Watched]:
    """A fresh 1280x800 page (its own context: no shared storage) on the live server."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        yield watch(context.new_page(), live_server)
    finally:
        context.close()
