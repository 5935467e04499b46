"""Wall time and peak memory of each stage of a build, for ``xref build --timings``."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux); False where that is not possible."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # since process start


class Stages:
    """``with stages("link"): ...`` records the stage's seconds and peak resident memory
    (per stage on Linux, where the kernel's peak mark can be reset; else since start);
    ``say``, if given, is told as each stage starts (a build of many documents runs for
    minutes)."""

    def __init__(self, say: Callable[[str], object] | None = None) -> None:
        self.rows: list[dict] = []
        self.say = say

    @contextmanager
    def __call__(self, name: str):
        if self.say is not None:
            self.say(f"{name} ...")
        per_stage = _reset_peak()
        started_at = time.time()  # for tools that sample the process from outside
        start = time.perf_counter()
        try:
            yield
        finally:
            self.rows.append(
                {
                    "stage": name,
                    "started_at": round(started_at, 3),
                    "seconds": round(time.perf_counter() - start, 3),
                    "peak_mb": round(_peak_mb(), 1),
                    "peak_is_per_stage": per_stage,
                }
            )

    def write(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(self.rows, indent=1) + "\n", encoding="utf-8")
