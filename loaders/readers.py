"""Readers for corpus files: CSV and JSON Lines, told apart by extension.

A reader never raises on bad input: it yields the rows it can read and records a `Problem`
for everything else (bad encoding, binary content, malformed CSV, broken JSON), so one run
lists every problem in a file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RawRow = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what was found, what was expected."""

    file: str
    line: int | None
    field: str | None
    value: Any
    expected: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = "" if self.field is None else f" {self.field}={_show(self.value)}:"
        kind = "warning: " if self.warning else ""
        return f"{kind}{where}:{what} expected {self.expected}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class Sink:
    """Collects problems; counts errors and warnings."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self,
        file: str,
        line: int | None,
        field: str | None,
        value: Any,
        expected: str,
        *,
        warning: bool = False,
    ) -> None:
        self.problems.append(Problem(file, line, field, value, expected, warning))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


_NUL = b"\x00"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(path: Path, name: str, sink: Sink) -> str | None:
    """The file's text, or None after recording why it cannot be read.

    UTF-8 with or without a byte-order mark, and UTF-16 with one, are accepted. Anything
    else (another encoding, a binary file, an empty file) is a problem naming the byte offset.
    """
    data = path.read_bytes()
    if not data:
        sink.add(name, None, None, None, "a non-empty file (this file is empty)")
        return None
    encoding, skip = "utf-8", 0
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding, skip = enc, len(bom)
            break
    if encoding == "utf-8" and _NUL in data[:8192]:
        at = data.index(_NUL)
        sink.add(
            name,
            data.count(b"\n", 0, at) + 1,
            None,
            None,
            f"a text file (NUL byte at byte {at}: this looks like a binary file, or UTF-16 "
            "without a byte-order mark; save it as UTF-8 CSV or JSON Lines)",
        )
        return None
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as e:
        at = skip + e.start
        line = data.count(b"\n", 0, at) + 1
        bad = data[at : at + 1]
        sink.add(
            name,
            line,
            None,
            None,
            f"{encoding.upper()} text (invalid byte {bad!r} at byte {at}; re-save the file as "
            "UTF-8, or UTF-16 with a byte-order mark)",
        )
        return None


def read_csv(path: Path, name: str, sink: Sink) -> Iterator[tuple[int, RawRow]]:
    """(line, row) for each data row; the first row is the header. Cells are strings."""
    text = read_text(path, name, sink)
    if text is None:
        return
    before = len(sink.problems)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = [c.strip() for c in cells]
                seen: set[str] = set()
                for c in header:
                    if not c:
                        sink.add(name, line, None, None, "a header row with no empty names")
                    elif c in seen:
                        sink.add(name, line, c, c, "each column named once in the header")
                    seen.add(c)
                width = len(header)
                continue
            if len(cells) != width:
                if not cells or all(not c.strip() for c in cells):
                    continue  # blank line
                sink.add(
                    name,
                    line,
                    None,
                    f"{len(cells)} columns",
                    f"{width} columns as in the header (check quoting and delimiters)",
                )
                continue
            if cells[0] == header[0] and [c.strip() for c in cells] == header:
                sink.add(name, line, None, None, "data, not a repeated header row")
                continue
            yield line, dict(zip(header, cells, strict=True))
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            expected = (
                f"fields of at most {csv.field_size_limit():,} characters "
                "(a field of this record is longer; shorten it)"
            )
        else:
            expected = f"well-formed CSV ({e}; a quote is probably not closed)"
        sink.add(name, start, None, None, expected)
        return
    if header is None and len(sink.problems) == before:
        sink.add(name, None, None, None, "a header row (the file has no rows)")


def read_jsonl(path: Path, name: str, sink: Sink) -> Iterator[tuple[int, RawRow]]:
    """(line, object) for each non-blank line."""
    text = read_text(path, name, sink)
    if text is None:
        return
    before = len(sink.problems)
    any_row = False
    # Split on newlines only: U+2028 and friends may appear raw inside JSON strings.
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        any_row = True
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            sink.add(
                name,
                n,
                None,
                _clip(line),
                f"one JSON object per line ({e.msg} at column {e.colno})",
            )
            continue
        if not isinstance(obj, dict):
            sink.add(name, n, None, _clip(line), "a JSON object ({...}) on each line")
            continue
        yield n, obj
    if not any_row and len(sink.problems) == before:
        sink.add(name, None, None, None, "at least one JSON object (the file has only blank lines)")


def _clip(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 60 else line[:57] + "..."


def read_rows(path: Path, name: str, sink: Sink) -> Iterator[tuple[int, RawRow]]:
    """Rows of a .csv or .jsonl file."""
    if path.suffix.lower() == ".csv":
        return read_csv(path, name, sink)
    if path.suffix.lower() == ".jsonl":
        return read_jsonl(path, name, sink)
    sink.add(name, None, None, path.suffix, "a .csv or .jsonl file")
    return iter(())
