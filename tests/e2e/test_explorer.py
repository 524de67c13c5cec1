"""The explorer page loads in headless Chromium, runs a query, and makes no external request."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from gql_api.explorer import assets_installed

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SCRGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _need(what: str) -> None:
    msg = f"{what} is needed for the explorer test"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("e2e")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {
        **os.environ,
        "SCRGRAPH_BACKEND": "embedded",
        "SCRGRAPH_DB": str(tmp / "e2e.sqlite"),
        "SCRGRAPH_KEYS": str(tmp / "keys.json"),
        "SCRGRAPH_PRODUCTION": "false",
        "SCRGRAPH_REQUIRE_KEY": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrgraph.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("scrgraph serve did not start")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_explorer_loads_offline(server: str) -> None:
    if not assets_installed():
        _need("scripts/install-web (explorer assets)")
    if not Path(CHROMIUM).exists():
        _need("Debian chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright (pip install -e .[dev])")
    host = urlparse(server).netloc
    external: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()

            def on_request(req: object) -> None:
                url = req.url  # type: ignore[attr-defined]
                if (
                    not url.startswith(("data:", "blob:", "about:"))
                    and urlparse(url).netloc != host
                ):
                    external.append(url)

            page.on("request", on_request)
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{server}/graphql", wait_until="networkidle")
            page.wait_for_selector(".graphiql-container", timeout=20000)
            page.wait_for_selector(".graphiql-execute-button", timeout=20000)
            page.click(".graphiql-execute-button")
            page.wait_for_function(
                "() => document.querySelector('.graphiql-response')?.innerText.includes('totalCount')",
                timeout=20000,
            )
        finally:
            browser.close()
    assert not external, f"external requests: {external}"
    assert not failed, f"failed requests: {failed}"
    assert not errors, f"page errors: {errors}"
