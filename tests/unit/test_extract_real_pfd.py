"""The reader measured on real PFD reports, read in place (skipped when they are absent).

The real file is never copied: the test reads ../shared/real-pfd/dev.csv where it lies and
asserts only counts. The independent counting rule is checked on invented text.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

MEASURE = Path(__file__).resolve().parents[2] / "evaluation" / "real_pfd" / "measure.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_scrgraph_measure_real_pfd", MEASURE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


measure = _load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. The ward had no plan for leave.\n\n2. Staff were not trained.\n", 2),
        ("(1) Records were late.\n(2) Nobody checked.\n(3) The alarm failed.", 3),
        ("a) The rota was thin.\nb) The door was locked.", 2),
        ("The matters of concern are as follows:\n\n" + "word " * 15 + "\n\n" + "term " * 15, 2),
        ("1. The first worry was raised. 2. The second followed it. 3. A third.", 3),
        ("", 0),
    ],
)
def test_independent_count(text: str, expected: int) -> None:
    assert measure.independent_count(text) == expected


@pytest.mark.slow
def test_measured_on_real_pfd_reports() -> None:
    if not measure.DEV_CSV.is_file():
        pytest.skip(f"{measure.DEV_CSV} is absent: the real PFD reports are not on this machine")
    fig = measure.measure(measure.DEV_CSV)
    print("\n".join(fig.lines()))
    assert fig.reports == 219
    assert fig.expected >= fig.reports
    # Floors: the figures measured when this test last changed; the reader must not fall below.
    # Baseline before PFD reading: 0/219 reports and 0 items, both ways.
    assert fig.concerns_reports_found == fig.reports
    assert fig.whole_reports_found == fig.reports
    assert fig.concerns_matched >= 0.97 * fig.expected
    assert fig.whole_matched >= 0.97 * fig.expected
    assert fig.concerns_items <= 1.02 * fig.expected  # not found by splitting too finely
    assert fig.concerns_exact >= 0.9 * fig.reports
    # The same documents hard-wrapped with no blank lines, as PDF text comes.
    assert fig.wrapped_reports_found == fig.reports
    assert fig.wrapped_matched >= 0.93 * fig.expected
