"""Progress bars for long commands: tqdm on a terminal's stderr, nothing anywhere else.

A bar is drawn only when stderr is a terminal and the command was not asked to be quiet, so
that pipes, logs and tests see the summary lines alone.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Never, TextIO

from tqdm import tqdm


class RowProgress:
    """A `progress(done, total)` callback (as `loaders.load_corpus` takes) drawing one bar.

    Use it as a context manager so the bar is closed even when the load fails.
    """

    def __init__(self, desc: str, stream: TextIO | None = None, unit: str = "rows") -> None:
        self.desc = desc
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self._bar: tqdm[Never] | None = None  # drawn at the first call, when the total is known
        self.closed = False

    def __call__(self, done: int, total: int) -> None:
        if self.closed:
            return
        if self._bar is None:
            self._bar = tqdm(
                desc=self.desc,
                total=total,
                unit=f" {self.unit}",
                unit_scale=True,
                file=self.stream,
                dynamic_ncols=True,
                leave=True,
                mininterval=0.1,
            )
        elif self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()
        if done > self._bar.n:
            self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None and not self.closed:
            self._bar.close()
        self.closed = True

    def __enter__(self) -> RowProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def wants_progress(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Whether to draw a bar: not quiet, and the stream (stderr) is a terminal."""
    stream = stream if stream is not None else sys.stderr
    try:
        return not quiet and stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def row_progress(desc: str, quiet: bool = False) -> RowProgress | None:
    """A bar on stderr when `wants_progress`, else None (the loader then reports nothing)."""
    return RowProgress(desc) if wants_progress(quiet) else None


@contextmanager
def progress(desc: str, quiet: bool = False) -> Iterator[RowProgress | None]:
    """`row_progress` as a context manager: the bar (or None), closed however the block ends."""
    bar = row_progress(desc, quiet)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()
