"""The reliability summary: what the suite tried, and what it measured.

    python -m tests.reliability.summary [--json FILE] [pytest args...]

runs `tests/reliability` (extra arguments go to pytest, e.g. `-m "not slow"`) and prints one
table: per area, the tests run, the inputs tried, the faults injected, the requests sent
(hostile or fuzzed), and records lost and leaks. "records lost" and "leaks" show a number only
where a test measured them (records checked after a fault, responses searched for restricted
data); otherwise they say "not measured". Any pytest run that includes the folder prints the
same table at its end.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest

TALLY_KEY: Final = "reliability"

# Test module -> the area (in the order).
CATEGORIES: Final[dict[str, str]] = {
    "test_bad_input": "1 bad input",
    "test_crash": "2 crash safety",
    "test_outage": "3 outage",
    "test_concurrency": "4 concurrency",
    "test_hostile": "5 hostile queries",
    "test_fuzz": "6 fuzzing",
    "test_durability": "7 durability",
}
_NUMBERS: Final = (
    "inputs",
    "faults",
    "requests",
    "records_checked",
    "records_lost",
    "responses_checked",
    "leaks",
)


@dataclass
class Area:
    """Totals for one area."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_NUMBERS, 0))
    notes: list[str] = field(default_factory=list)
    skip_reasons: set[str] = field(default_factory=set)


class Collector:
    """A pytest plugin: gathers each reliability test's outcome and tally."""

    def __init__(self) -> None:
        self.areas: dict[str, Area] = {}
        self._outcome: dict[str, str] = {}

    def _area(self, nodeid: str) -> Area | None:
        stem = Path(nodeid.split("::")[0]).stem
        if "tests/reliability/" not in nodeid.replace("\\", "/") or stem not in CATEGORIES:
            return None
        return self.areas.setdefault(CATEGORIES[stem], Area())

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        area = self._area(report.nodeid)
        if area is None:
            return
        if report.failed:
            self._outcome[report.nodeid] = "failed"
        elif report.skipped and report.nodeid not in self._outcome:
            self._outcome[report.nodeid] = "skipped"
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            area.skip_reasons.add(str(reason).removeprefix("Skipped: "))
        elif report.when == "call" and report.passed:
            self._outcome.setdefault(report.nodeid, "passed")
        if report.when != "teardown":
            return
        outcome = self._outcome.get(report.nodeid, "skipped")
        setattr(area, outcome, getattr(area, outcome) + 1)
        for key, value in report.user_properties:
            if key != TALLY_KEY:
                continue
            for n in _NUMBERS:
                area.totals[n] += int(value.get(n, 0))
            area.notes.extend(value.get("notes", []))

    def as_dict(self) -> dict[str, Any]:
        return {
            name: {
                "passed": a.passed,
                "failed": a.failed,
                "skipped": a.skipped,
                **a.totals,
                "notes": a.notes,
                "skip_reasons": sorted(a.skip_reasons),
            }
            for name, a in sorted(self.areas.items())
        }

    def table(self) -> list[str]:
        head = ("area", "tests", "inputs", "faults", "requests", "records lost", "leaks")
        rows: list[tuple[str, ...]] = []
        total = Area()
        for name, a in sorted(self.areas.items()):
            rows.append(_row(name, a))
            total.passed += a.passed
            total.failed += a.failed
            total.skipped += a.skipped
            for n in _NUMBERS:
                total.totals[n] += a.totals[n]
        rows.append(_row("all", total))
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

        def line(r: Sequence[str]) -> str:
            return "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )

        out = [line(head), line(["-" * w for w in widths])]
        out.extend(line(r) for r in rows[:-1])
        out.append(line(["-" * w for w in widths]))
        out.append(line(rows[-1]))
        for name, a in sorted(self.areas.items()):
            out.extend(f"  {name}: {n}" for n in a.notes)
            out.extend(f"  {name}: skipped: {r}" for r in sorted(a.skip_reasons) if r)
        return out

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.areas:
            return
        terminalreporter.section("reliability summary")
        for text in self.table():
            terminalreporter.write_line(text)


def _measured(lost: int, checked: int, what: str) -> str:
    if checked == 0:
        return "not measured"
    return f"{lost} of {checked:,} {what}"


def _row(name: str, a: Area) -> tuple[str, ...]:
    t = a.totals
    tests = f"{a.passed} ok" + (f", {a.failed} FAILED" if a.failed else "")
    tests += f", {a.skipped} skipped" if a.skipped else ""
    return (
        name,
        tests,
        f"{t['inputs']:,}",
        f"{t['faults']:,}",
        f"{t['requests']:,}",
        _measured(t["records_lost"], t["records_checked"], "records"),
        _measured(t["leaks"], t["responses_checked"], "responses"),
    )


COLLECTOR: Final = Collector()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the reliability suite and print the summary (also as JSON with --json FILE)."""
    args = list(sys.argv[1:] if argv is None else argv)
    json_out: Path | None = None
    if "--json" in args:
        i = args.index("--json")
        json_out = Path(args[i + 1])
        del args[i : i + 2]
    here = Path(__file__).resolve().parent
    code = int(pytest.main([str(here), "-p", "no:cacheprovider", *args]))
    from tests.reliability import summary  # the module pytest used, not __main__'s copy

    if json_out is not None:
        json_out.write_text(
            json.dumps(summary.COLLECTOR.as_dict(), indent=2) + "\n", encoding="utf-8"
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
