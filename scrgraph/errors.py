"""One error base class. Every user-facing error says what, where, and what to do."""

from __future__ import annotations


class ScrgraphError(Exception):
    """Base of every error scrgraph raises on purpose."""

    exit_code = 1


class ConfigError(ScrgraphError):
    """A setting is missing or wrong."""

    exit_code = 2


class BackendUnavailable(ScrgraphError):
    """The graph backend cannot be reached (for example, Neo4j is down)."""

    exit_code = 3


class ConstraintViolation(ScrgraphError):
    """A write broke a uniqueness constraint; the whole batch was rolled back."""


class MissingEndpoint(ScrgraphError):
    """A relationship names a node that does not exist; the whole batch was rolled back."""


class WriteTimedOut(ScrgraphError):
    """A write ran past the backend's transaction time limit; the whole batch was rolled back."""


class SchemaViolation(ScrgraphError):
    """A write names a label, relationship type or property outside the schema."""


class InputError(ScrgraphError):
    """Input files are malformed or invalid. `problems` lists each one."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
