"""Where the shipped theme taxonomies are, and which version each reader uses (declared once).

Kept apart from `loaders.extract` so that the corpus loader can name the document reader's
version without importing the reader.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Final

# A corpus folder's themes are version 1 unless its metadata names another.
DEFAULT_TAXONOMY_VERSION: Final = 1
# The version the document reader tags with unless told otherwise. Version 2 keeps every key
# of version 1 and adds the themes real reports raise (self-harm and suicide, online harm,
# access to mental health services, schools, criminal exploitation, ...); a loader that
# loads an older version into the store passes that version explicitly.
CURRENT_TAXONOMY_VERSION: Final = 2


def taxonomy_name(version: int) -> str:
    """The shipped file of a taxonomy version."""
    return f"taxonomy_v{version}.jsonl"


def taxonomy_path(version: int = CURRENT_TAXONOMY_VERSION) -> Path:
    """The shipped taxonomy file of `version` (the reader's current one by default)."""
    return Path(str(resources.files("loaders") / "data" / taxonomy_name(version)))
