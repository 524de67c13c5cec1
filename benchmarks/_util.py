"""Small shared pieces: percentiles, the machine, timers, printing."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def no_sniffio_lookup() -> None:
    """Let the in-process client stop looking for sniffio on every request.

    httpx's ASGI transport runs `import sniffio` on each request to ask whether trio is
    running. Where sniffio is not installed, that is a failed import - a scan of sys.path -
    per request, timed as if the API spent it (about 0.3 ms, more under load). Marking the
    module absent in `sys.modules` makes the same import fail at once.
    """
    import importlib.util

    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99, mean and max of samples in seconds, reported in milliseconds."""
    if not samples:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0, "max_ms": 0.0}
    s = sorted(samples)

    def q(p: float) -> float:
        # nearest-rank percentile: honest for small samples (never interpolates below a sample)
        k = max(0, min(len(s) - 1, round(p * len(s) + 0.5) - 1))
        return s[k] * 1000.0

    return {
        "n": len(s),
        "p50_ms": round(q(0.50), 3),
        "p95_ms": round(q(0.95), 3),
        "p99_ms": round(q(0.99), 3),
        "mean_ms": round(statistics.fmean(s) * 1000.0, 3),
        "max_ms": round(s[-1] * 1000.0, 3),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=5,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, Any]:
    """What the figures ran on."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _mem_total_gb(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "commit": _git_commit(),
        "loadavg_start": loadavg(),
    }


def vm_hwm_mb(pid: int) -> float | None:
    """Peak resident set size (VmHWM) of a process, in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def say(msg: str) -> None:
    """A line on stderr; above the progress bar when one is drawn (tqdm.write moves it)."""
    from tqdm import tqdm

    tqdm.write(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr)
