"""The compose file is valid and agrees with the settings, the Dockerfile and the README.

No container engine runs here, but Debian's `docker-compose` validates and resolves a compose
file without one (`docker-compose config`). `scripts/install --test` installs it; under CI a
missing validator is a failure, elsewhere the test skips and says why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from scrgraph.settings import SETTINGS, is_ci

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def _validator() -> str:
    exe = shutil.which("docker-compose")
    if exe is None:
        why = "docker-compose (Debian's package) is not installed: scripts/install --test adds it"
        if is_ci():
            pytest.fail(why)
        pytest.skip(why)
    return exe


def _resolved(password: str | None = "compose-check-only") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run(
        [_validator(), "--project-directory", str(ROOT), "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    done = _resolved()
    assert done.returncode == 0, done.stderr
    parsed = yaml.safe_load(done.stdout)
    assert isinstance(parsed, dict)
    return parsed


_SHORT_PORT = re.compile(r"^(?:(?P<host>[\d.]+):)?(?P<published>\d+):(?P<target>\d+)(?:/\w+)?$")


def _ports(service: dict[str, Any]) -> set[tuple[str, int, int]]:
    """(host address, published port, container port) of each mapping, long or short form."""
    out: set[tuple[str, int, int]] = set()
    for p in service.get("ports", []):
        if isinstance(p, dict):
            out.add((str(p.get("host_ip", "")), int(p["published"]), int(p["target"])))
            continue
        m = _SHORT_PORT.match(str(p))
        assert m, f"unexpected port mapping {p!r}"
        out.add((m["host"] or "", int(m["published"]), int(m["target"])))
    return out


def test_compose_file_is_valid_and_names_two_services(config: dict[str, Any]) -> None:
    assert set(config["services"]) == {"neo4j", "api"}
    neo4j, api = config["services"]["neo4j"], config["services"]["api"]
    assert neo4j["image"] == "neo4j:5.26-community"
    # Both listen on loopback only: nothing is exposed to the network by default.
    assert _ports(neo4j) == {("127.0.0.1", 7687, 7687), ("127.0.0.1", 7474, 7474)}
    assert _ports(api) == {("127.0.0.1", 8000, 8000)}
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "healthcheck" in neo4j and "healthcheck" in api


def test_compose_refuses_to_start_without_a_password() -> None:
    done = _resolved(password=None)
    assert done.returncode != 0
    assert "set NEO4J_PASSWORD" in done.stderr


def test_api_environment_uses_only_declared_settings(config: dict[str, Any]) -> None:
    api = config["services"]["api"]
    env = api["environment"]
    declared = {s.env for s in SETTINGS}
    assert set(env) <= declared, set(env) - declared
    assert env["SCRGRAPH_BACKEND"] == "neo4j"
    # The API reaches Neo4j by its service name, on the port the neo4j service listens on.
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"] == "compose-check-only"  # taken from the environment, not written
    command = api["command"]
    text = command if isinstance(command, str) else " ".join(command)
    assert "scrgraph serve" in text and "--port 8000" in text


def test_dockerfile_copies_every_package_it_installs() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {p.rstrip("*") for p in include}
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.M))
    assert copied == packages


def test_readme_operator_section_matches_the_compose_file(config: dict[str, Any]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    operator = readme[readme.index("## Operator") : readme.index("## Development")]
    for service in config["services"]:
        assert f"`{service}`" in operator, f"the operator section does not name service {service}"
    for service in config["services"].values():
        for _, published, _ in _ports(service):
            assert str(published) in operator, (
                f"the operator section does not give port {published}"
            )
    assert "NEO4J_PASSWORD" in operator
