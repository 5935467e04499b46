"""How the peak memory of ``xref build`` grows with the corpus: one build per size, nothing else.

    python benchmarks/peaks.py 5000 10000 8000 16000 --segmenter rjieba

Each size is built as ``run.py`` builds it (``--no-cache``, every core), the peak of the main
process and of the build with its workers (PSS, sampled every half second) recorded; a size
whose half was built before is compared with it (the target: doubling the corpus at most
doubles the peak). The backend changes the time, not the memory, much (3,456 MB with jieba, 3,476 MB
with rjieba at 10,000 documents on 2026-11-29). The generator yields at most 16,216
documents. Results: ``results/peaks.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from run import RESULTS, build, corpus


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sizes", type=int, nargs="+")
    p.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba")
    args = p.parse_args(argv)
    print(
        "| docs | build s | peak MB: main process | all processes | x the peaks of half as many |"
    )
    print("|---|---|---|---|---|")
    runs: list[dict] = []
    for n in args.sizes:
        folder = corpus(n)
        with tempfile.TemporaryDirectory() as tmp:
            full = build(folder, Path(tmp) / "out", "--no-cache", "--segmenter", args.segmenter)
        run = {
            "docs": n,
            "segmenter": args.segmenter,
            "wall_s": round(full["wall_s"], 1),
            "peak_mb": full["peak_mb"],
            "tree_peak_pss_mb": full["tree_peak_pss_mb"],
        }
        if (half := next((r for r in runs if 2 * r["docs"] == n), None)) is None:
            growth = ""
        else:
            main_x = run["peak_mb"] / half["peak_mb"]
            all_x = run["tree_peak_pss_mb"] / half["tree_peak_pss_mb"]
            growth = f"{main_x:.2f}x; {all_x:.2f}x"
        runs.append(run)
        print(
            f"| {n} | {run['wall_s']:.1f} | {run['peak_mb']:.0f} | "
            f"{run['tree_peak_pss_mb']:.0f} | {growth} |"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "peaks.json").write_text(json.dumps(runs, indent=1) + "\n")


if __name__ == "__main__":
    main()
