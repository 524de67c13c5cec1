"""Reliability fixtures: each test's tally, and a private Neo4j it may stop and kill.

The tallies travel on the test reports (`user_properties`); `tests.reliability.summary`
collects them and prints one table at the end of any run that included this folder.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from scrgraph.settings import is_ci, test_neo4j_settings
from tests.reliability.helpers import PrivateNeo4j, Tally
from tests.reliability.summary import CATEGORIES, COLLECTOR, TALLY_KEY


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("reliability-summary"):
        config.pluginmanager.register(COLLECTOR, "reliability-summary")


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    """This test's tally, attached to its report when it ends (pass or fail)."""
    stem = Path(str(request.node.fspath)).stem
    t = Tally(CATEGORIES.get(stem, stem))
    yield t
    request.node.user_properties.append((TALLY_KEY, asdict(t)))


@pytest.fixture(scope="session")
def private_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    """A Neo4j of our own. Runs when the suite is given Neo4j (NEO4J_TEST_URI) or under CI."""
    if test_neo4j_settings() is None and not is_ci():
        pytest.skip("no Neo4j: NEO4J_TEST_URI is not set (run scripts/test)")
    server = PrivateNeo4j(tmp_path_factory.mktemp("neo4j-private"))
    try:
        server.start()
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        server.stop()
        if is_ci():
            pytest.fail(f"CI=true needs a real Neo4j: {e}", pytrace=False)
        pytest.skip(f"no private Neo4j: {e}")
    try:
        yield server
    finally:
        server.stop()
