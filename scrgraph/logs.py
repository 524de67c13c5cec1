"""The server console's log: scrgraph's own loggers on stderr, one line per event.

`scrgraph serve` and `scrgraph demo` call `configure` so that what `gql_api` logs reaches the
console: a client's mistake is one INFO line from `scrgraph.api` (status code, where, message,
no traceback), a backend outage one WARNING line, a server bug an ERROR with its traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Final, TextIO

LEVELS: Final = ("debug", "info", "warning", "error")
FORMATS: Final = ("text", "json")
DEFAULT_LEVEL: Final = "info"

# The namespace every project logger lives under (gql_api logs as "scrgraph.api").
ROOT: Final = "scrgraph"
_MARK: Final = "_scrgraph_console"


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for operators' log collectors; a traceback is a field."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure(level: str = DEFAULT_LEVEL, fmt: str = "text", stream: TextIO | None = None) -> None:
    """Send the `scrgraph` loggers at `level` and above to stderr (or `stream`).

    Safe to call again: the handler it added before is replaced, never doubled.
    """
    if level not in LEVELS:
        raise ValueError(f"log level {level!r} is not one of {', '.join(LEVELS)}")
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r} is not one of {', '.join(FORMATS)}")
    reset()
    logger = logging.getLogger(ROOT)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    setattr(handler, _MARK, True)
    logger.addHandler(handler)
    logger.setLevel(level.upper())


def reset() -> None:
    """Undo `configure`: the console handler removed, the level left to the parents again."""
    logger = logging.getLogger(ROOT)
    for h in [h for h in logger.handlers if getattr(h, _MARK, False)]:
        logger.removeHandler(h)
    logger.setLevel(logging.NOTSET)
