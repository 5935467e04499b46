"""Every benchmark run kept in ``results/``, as one Markdown table, oldest commit first.

    python benchmarks/history.py

``results/<size>.json`` is the latest run; ``results/<size>-<commit>.json`` an earlier one,
measured at that commit. Runs are ordered by their commit's date (``git log``); the latest
come last. The ratio is the build's wall time over bare jieba (load and cut) in the same run.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LATEST = "latest"


def runs() -> list[dict]:
    """One row per results file that holds a whole build."""
    rows = []
    for path in RESULTS.glob("*.json"):
        size, _, commit = path.stem.partition("-")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "build" not in data:
            continue  # the starting point's stages, peaks.py's peaks
        bare = data["bare_jieba"]
        rebuild = data.get("rebuild")
        fast = data.get("build_rjieba")
        rows.append(
            {
                "commit": commit or LATEST,
                "docs": int(size),
                "jieba": bare["load_s"] + bare["cut_s"],
                "build": data["build"]["wall_s"],
                "rjieba": fast["wall_s"] if fast else None,
                "main_mb": data["build"]["peak_mb"],
                "all_mb": data["build"].get("tree_peak_pss_mb"),
                "rebuild": rebuild["after_adding_one_s"] / data["build"]["wall_s"]
                if rebuild
                else None,
            }
        )
    return rows


def commit_time(commit: str) -> int:
    if commit == LATEST:
        return 2**62
    out = subprocess.run(
        ["git", "log", "-1", "--format=%ct", commit],
        capture_output=True,
        text=True,
        cwd=RESULTS,
        check=False,
    )
    return int(out.stdout.strip() or 0)


def table(rows: list[dict]) -> str:
    def cell(value: float | None, fmt: str) -> str:
        return "" if value is None else format(value, fmt)

    order = {c: commit_time(c) for c in {r["commit"] for r in rows}}
    lines = [
        "| commit | documents | bare jieba | build | build / jieba | rjieba build "
        "| peak: main; all processes (MB) | rebuild after adding one |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: (order[r["commit"]], r["docs"])):
        peak = f"{r['main_mb']:,.0f}" + (f"; {r['all_mb']:,.0f}" if r["all_mb"] else "")
        lines.append(
            f"| `{r['commit']}` | {r['docs']:,} | {r['jieba']:.1f} s | {r['build']:.1f} s "
            f"| {r['build'] / r['jieba']:.1f}x | {cell(r['rjieba'], '.1f')}"
            f"{' s' if r['rjieba'] else ''} | {peak} | {cell(r['rebuild'], '.0%')} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(runs()))
