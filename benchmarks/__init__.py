"""Benchmarks of load, query, API and GraphQL-shape speed, outside the test suite.

Run them with `scrgraph bench`; figures and the machine they ran on are in RESULTS.md.
"""

from benchmarks.run import (
    Plan,
    format_report,
    full_plan,
    quick_plan,
    run,
    steps,
    targets,
    write_json,
)

__all__ = [
    "Plan",
    "format_report",
    "full_plan",
    "quick_plan",
    "run",
    "steps",
    "targets",
    "write_json",
]
