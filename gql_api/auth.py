"""Bearer API keys and the roles they grant.

Keys look like `scr_<random>`; the keys file keeps only their SHA-256 hashes (keys are long
and random, so a fast hash is enough), with a name, a role and the restricted-access grant.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from queries import ROLES, Viewer
from scrgraph.errors import ConfigError, ScrgraphError

KEY_PREFIX: Final = "scr_"
MUTATING_ROLES: Final = ("inspector", "admin")
QUEUE_ROLES: Final = ("analyst", "inspector", "admin")  # who works the review queue


class AuthError(ScrgraphError):
    """The request's credentials are missing or wrong (HTTP 401)."""

    code = "UNAUTHENTICATED"


class Forbidden(ScrgraphError):
    """The viewer's role may not do this (HTTP 403 semantics, reported as a GraphQL error)."""

    code = "FORBIDDEN"


@dataclass(frozen=True)
class KeyRecord:
    """One stored key: never the key itself, only its hash."""

    name: str
    role: str
    restricted: bool
    sha256: str
    created: str

    def viewer(self) -> Viewer:
        return Viewer(
            role=self.role, restricted=self.restricted or self.role == "admin", name=self.name
        )


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def load_keys(path: Path) -> list[KeyRecord]:
    """The keys in the file; an absent file means no keys."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [KeyRecord(**k) for k in data.get("keys", [])]
    except (OSError, ValueError, TypeError) as e:
        raise ConfigError(
            f"cannot read the keys file {path}: {e}; fix it or point SCRGRAPH_KEYS elsewhere"
        ) from e


def create_key(path: Path, role: str, name: str, restricted: bool = False) -> str:
    """Make a new key, store its hash and return the key (shown once, never stored)."""
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    keys = load_keys(path)
    if any(k.name == name for k in keys):
        raise ConfigError(f"a key named {name!r} exists already in {path}; choose another name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    rec = KeyRecord(
        name=name,
        role=role,
        restricted=restricted,
        sha256=hash_key(key),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(
        json.dumps({"keys": [asdict(k) for k in [*keys, rec]]}, indent=2) + "\n", encoding="utf-8"
    )
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return key


class KeyRing:
    """The keys file, re-read when it changes, answering `Authorization` headers.

    Every worker process of a server holds its own ring and looks at the file on each request
    that carries a key, so a key added (or removed) with `scrgraph keys` is honoured by every
    worker from the next request on. A change is seen by the file's identity, size and
    modification time in nanoseconds: `create_key` replaces the file, so even two changes in
    one clock tick give a new inode.
    """

    def __init__(self, path: Path, require_key: bool) -> None:
        self.path = path
        self.require_key = require_key
        self._seen: tuple[int, int, int, int] | None = None
        self._by_hash: dict[str, KeyRecord] = {}

    def _refresh(self) -> None:
        try:
            st = self.path.stat()
            seen: tuple[int, int, int, int] | None = (
                st.st_dev,
                st.st_ino,
                st.st_size,
                st.st_mtime_ns,
            )
        except OSError:
            seen = None
        if seen != self._seen or seen is None:
            self._by_hash = {k.sha256: k for k in load_keys(self.path)}
            self._seen = seen

    def viewer(self, authorization: str | None) -> Viewer:
        """The viewer a request's `Authorization` header names."""
        if not authorization:
            if self.require_key:
                raise AuthError(
                    "this server requires an API key: send `Authorization: Bearer <key>` "
                    "(create one with `scrgraph keys create --role ROLE`)"
                )
            return Viewer()
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError("the Authorization header must be `Bearer <key>`")
        self._refresh()
        digest = hash_key(token)
        for h, rec in self._by_hash.items():
            if hmac.compare_digest(h, digest):
                return rec.viewer()
        raise AuthError("the API key is not known to this server; check it or create a new one")


def require_mutation_role(viewer: Viewer) -> None:
    if viewer.role not in MUTATING_ROLES:
        raise Forbidden(
            f"role {viewer.role!r} may not change actions or audits; "
            "use a key with the inspector or admin role"
        )


def require_queue_role(viewer: Viewer) -> None:
    """Only analysts, inspectors and admins see and decide the review queue."""
    if viewer.role not in QUEUE_ROLES:
        raise Forbidden(
            f"role {viewer.role!r} may not see or decide the review queue; "
            "use a key with the analyst, inspector or admin role"
        )
