"""Benchmark ``xref build`` against bare jieba tokenisation of the same text.

    python benchmarks/run.py 100 1000 [--segmenter rjieba] [--rebuild]

For each size the corpus is generated (once, under ``benchmarks/corpora/``), then, each in a
fresh process so that nothing is shared between them:

- bare jieba: load the corpus (not timed), create a ``jieba.Tokenizer``, load its
  dictionary, and ``lcut`` every normalised text (HMM on, jieba's default);
- a full ``xref build`` with no segmentation cache, its stages timed by ``--timings``;
- with ``--segmenter rjieba``, the same build with the fast backend;
- with ``--rebuild``, a build with a warm cache, then one more document added and the build
  run again.

Results are printed as a Markdown table and written to ``benchmarks/results/<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "corpora"
RESULTS = HERE / "results"

BARE_JIEBA = """
import json, sys, time, logging, resource
import jieba
import xref
corpus = xref.load_corpus(sys.argv[1])
texts = [d.text for d in corpus]
jieba.setLogLevel(logging.WARNING)
t0 = time.perf_counter()
tok = jieba.Tokenizer()
tok.initialize()
t1 = time.perf_counter()
n = sum(len(tok.lcut(t)) for t in texts)
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "cut_s": t2 - t1, "tokens": n,
                  "mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def corpus(n: int) -> Path:
    folder = CORPORA / str(n) / "raw"
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(folder)], check=True)
    return folder


def bare_jieba(folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", BARE_JIEBA, str(folder)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of the processes, summed: memory a forked worker shares with
    its parent is counted once, not in each."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def build(folder: Path, out: Path, *extra: str) -> dict:
    """Run ``xref build``; its stages' timings, and the peak memory of the whole process
    tree (the build and its worker processes) sampled every half second."""
    timings = out.parent / f"{out.name}.timings.json"
    start = time.perf_counter()
    command = ["xref", "build", str(folder), "-o", str(out), "--timings", str(timings), *extra]
    log = out.parent / f"{out.name}.stderr"
    with log.open("wb") as err:  # a file, not a pipe: nobody reads a pipe while it runs
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        samples = []  # (epoch seconds, PSS of the tree)
        while proc.poll() is None:
            samples.append((time.time(), _pss_mb(_tree(proc.pid))))
            time.sleep(0.5)
    wall = time.perf_counter() - start
    if proc.returncode:  # what the build said, then the command (a 10,000 documents' build
        # writes 4.6 GB: a full disk is the likely cause)
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
        raise subprocess.CalledProcessError(proc.returncode, command)
    stages = json.loads(timings.read_text())
    for stage in stages:  # the samples taken while the stage ran
        begin = stage["started_at"]
        held = [pss for t, pss in samples if begin <= t < begin + stage["seconds"]]
        stage["tree_peak_pss_mb"] = round(max(held), 1) if held else None  # under 0.5 s
    return {
        "wall_s": wall,
        "stages": stages,
        "peak_mb": max(s["peak_mb"] for s in stages),
        "tree_peak_pss_mb": round(max((pss for _, pss in samples), default=0.0), 1),
    }


def rebuild(folder: Path, n: int, work: Path) -> dict:
    """Warm the cache on a copy of the corpus, add document n+1, build again."""
    copy = work / "raw"
    shutil.copytree(folder, copy)
    cache = work / "cache"
    first = build(copy, work / "out", "--cache", str(cache))
    sys.path.insert(0, str(HERE))
    from generate import documents

    doc_id, text = list(documents(n + 1))[-1]
    (copy / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    second = build(copy, work / "out", "--cache", str(cache))
    return {"warm_s": first["wall_s"], "after_adding_one_s": second["wall_s"]}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sizes", type=int, nargs="+")
    p.add_argument("--segmenter", choices=["rjieba"], help="also time the fast backend")
    p.add_argument("--rebuild", action="store_true", help="also time a rebuild after adding one")
    args = p.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    print(
        "| docs | MB | bare jieba s (load + cut) | xref build s | ratio | peak MB "
        "(main process; all processes) | stages |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        folder = corpus(n)
        with tempfile.TemporaryDirectory() as tmp:
            jieba_run = bare_jieba(folder)
            full = build(folder, Path(tmp) / "out", "--no-cache")
            result = {"docs": n, "bare_jieba": jieba_run, "build": full}
            if args.segmenter:
                result["build_" + args.segmenter] = build(
                    folder, Path(tmp) / "fast", "--no-cache", "--segmenter", args.segmenter
                )
            if args.rebuild:
                result["rebuild"] = rebuild(folder, n, Path(tmp) / "rebuild")
        (RESULTS / f"{n}.json").write_text(json.dumps(result, indent=1) + "\n")
        bare = jieba_run["load_s"] + jieba_run["cut_s"]
        stages = ", ".join(
            f"{st['stage']} {st['seconds']:.1f} s "
            f"({st['peak_mb']:.0f}; {_mb(st['tree_peak_pss_mb'])} MB)"
            for st in full["stages"]
        )
        print(
            f"| {n} | {jieba_run['mb']:.1f} | {bare:.1f} ({jieba_run['load_s']:.1f} + "
            f"{jieba_run['cut_s']:.1f}) | {full['wall_s']:.1f} | {full['wall_s'] / bare:.2f} | "
            f"{full['peak_mb']:.0f}; {full['tree_peak_pss_mb']:.0f} | {stages} |"
        )
        if "build_rjieba" in result:
            fast = result["build_rjieba"]["wall_s"]
            print(
                f"|   | rjieba backend: build {fast:.1f} s ({full['wall_s'] / fast:.2f}x faster) |"
            )
        if "rebuild" in result:
            r = result["rebuild"]
            print(
                f"|   | rebuild after adding one document: {r['after_adding_one_s']:.1f} s "
                f"({r['after_adding_one_s'] / full['wall_s']:.0%} of a full build) |"
            )


if __name__ == "__main__":
    main()
