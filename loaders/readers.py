"""Readers for corpus files: CSV and JSON Lines, told apart by extension.

A reader never raises on bad input: it yields the rows it can read and records a `Problem`
for everything else (bad encoding, binary content, malformed CSV, broken JSON), so one run
lists every problem in a file.
"""

from __future__ import annotations

import codecs
import csv
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


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _text_lines(path: Path, name: str, sink: Sink) -> Iterator[str] | None:
    """The file's lines as text (with line endings), or None after recording why not.

    UTF-8 with or without a byte-order mark, and UTF-16 with one, are accepted. Anything
    else (another encoding, a binary file, an empty file) is a problem naming the byte offset.
    """
    with path.open("rb") as f:
        head = f.read(4)
    if not head:
        sink.add(name, None, None, None, "a non-empty file (this file is empty)")
        return None
    encoding = None
    skip = 0
    for bom, enc in _BOMS:
        if head.startswith(bom):
            encoding, skip = enc, len(bom)
            break
    if encoding is not None and encoding.startswith("utf-16"):
        data = path.read_bytes()[skip:]
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            sink.add(
                name,
                None,
                None,
                None,
                f"valid {encoding} text (bad bytes at byte {e.start + skip})",
            )
            return None
        return iter(text.splitlines(keepends=True))
    return _utf8_lines(path, name, skip, sink)


def _utf8_lines(path: Path, name: str, skip: int, sink: Sink) -> Iterator[str]:
    offset = skip
    with path.open("rb") as f:
        f.seek(skip)
        for n, raw in enumerate(f, start=1):
            if b"\x00" in raw:
                at = offset + raw.index(b"\x00")
                sink.add(
                    name,
                    n,
                    None,
                    None,
                    f"a text file (NUL byte at byte {at}: this looks like a binary file; "
                    "save it as UTF-8 CSV or JSON Lines)",
                )
                return
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                sink.add(
                    name,
                    n,
                    None,
                    None,
                    f"UTF-8 text (invalid byte {raw[e.start : e.start + 1]!r} at byte "
                    f"{offset + e.start}; re-save the file as UTF-8 or UTF-16 with a BOM)",
                )
                return
            offset += len(raw)
            yield line


def read_csv(path: Path, name: str, sink: Sink) -> Iterator[tuple[int, RawRow]]:
    """(line, row) for each data row; the first row is the header. Cells are strings."""
    lines = _text_lines(path, name, sink)
    if lines is None:
        return
    before = len(sink.problems)
    counter = _LineCounter(lines)
    reader = csv.reader(counter, strict=True)
    header: list[str] | None = None
    try:
        for cells in reader:
            start = counter.start_of_record
            counter.mark()
            if header is None:
                header = [c.strip() for c in cells]
                seen: set[str] = set()
                for c in header:
                    if not c:
                        sink.add(name, start, None, None, "a header row with no empty names")
                    elif c in seen:
                        sink.add(name, start, c, c, "each column named once in the header")
                    seen.add(c)
                continue
            if not cells or all(not c.strip() for c in cells):
                continue  # blank line
            if [c.strip() for c in cells] == header:
                sink.add(name, start, None, None, "data, not a repeated header row")
                continue
            if len(cells) != len(header):
                sink.add(
                    name,
                    start,
                    None,
                    f"{len(cells)} columns",
                    f"{len(header)} columns as in the header (check quoting and delimiters)",
                )
                continue
            yield start, dict(zip(header, cells, strict=True))
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            expected = (
                f"fields of at most {csv.field_size_limit():,} characters "
                "(a field of this record is longer; shorten it)"
            )
        else:
            expected = f"well-formed CSV ({e}; a quote is probably not closed)"
        sink.add(name, counter.start_of_record, None, None, expected)
        return
    if header is None and len(sink.problems) == before:
        sink.add(name, None, None, None, "a header row (the file has no rows)")


class _LineCounter:
    """Feeds csv.reader while remembering the line each record starts on."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.line = 0
        self.start_of_record = 1

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.line += 1
        return line

    def mark(self) -> None:
        self.start_of_record = self.line + 1


def read_jsonl(path: Path, name: str, sink: Sink) -> Iterator[tuple[int, RawRow]]:
    """(line, object) for each non-blank line."""
    lines = _text_lines(path, name, sink)
    if lines is None:
        return
    before = len(sink.problems)
    any_row = False
    for n, line in enumerate(lines, start=1):
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
