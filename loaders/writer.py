"""Writing corpus files, one row at a time (the generator streams through this)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from loaders.models import FILE_BY_NAME, LIST_SEPARATOR, METADATA_FILE

Format = Literal["csv", "jsonl"]


class CorpusWriter:
    """Opens `<out>/<file>.<fmt>` on first use and appends rows; close() flushes all."""

    def __init__(self, out: Path | str, fmt: Format = "csv") -> None:
        if fmt not in ("csv", "jsonl"):
            raise ValueError(f"format must be csv or jsonl, got {fmt!r}")
        self.out = Path(out)
        self.fmt: Format = fmt
        self.out.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._csv: dict[str, Any] = {}
        self.rows: dict[str, int] = {}

    def _open(self, name: str) -> None:
        spec = FILE_BY_NAME[name]
        f = (self.out / f"{name}.{self.fmt}").open("w", encoding="utf-8", newline="")
        self._files[name] = f
        self.rows[name] = 0
        if self.fmt == "csv":
            w = csv.writer(f, lineterminator="\n")
            w.writerow([c.name for c in spec.columns])
            self._csv[name] = w

    def write(self, name: str, row: dict[str, Any]) -> None:
        """Append one record to the named corpus file (columns as in loaders.models)."""
        if name not in self._files:
            self._open(name)
        spec = FILE_BY_NAME[name]
        self.rows[name] += 1
        if self.fmt == "csv":
            cells = []
            for c in spec.columns:
                v = row.get(c.name)
                if v is None:
                    cells.append("")
                elif isinstance(v, list):
                    cells.append(LIST_SEPARATOR.join(v))
                else:
                    cells.append(str(v))
            self._csv[name].writerow(cells)
        else:
            rec = {c.name: row[c.name] for c in spec.columns if row.get(c.name) is not None}
            self._files[name].write(json.dumps(rec, ensure_ascii=False) + "\n")

    def ensure(self, name: str) -> None:
        """Create the file (with its header) even if no rows are written."""
        if name not in self._files:
            self._open(name)

    def write_metadata(self, meta: dict[str, Any]) -> None:
        (self.out / METADATA_FILE).write_text(
            json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()
        self._csv.clear()

    def __enter__(self) -> CorpusWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
