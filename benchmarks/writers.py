"""Time each output file's writer of ``xref build`` alone, one after another, and the floor
they set under a build's time.

    python benchmarks/writers.py 1000 [--jobs 2] [--floor]

The build's stages run as ``xref build`` runs them (``--jobs`` processes, no segmentation
cache); then every writer the CLI spreads over processes (tables; the graph files, after the
attribute scan their XML formats share; workbook, page with heatmap, each plan's figures, each
coverage table) runs alone in this process, and its wall time, CPU time and the rise of this
process's peak resident memory are printed as a Markdown table. Outputs go to a temporary
folder. Corpora are those of ``run.py`` (generated there first).

With ``--floor``, bare jieba is first measured as ``run.py`` measures it (in a fresh process,
before this one does any work), and the floor is printed: (jieba's cut + every writer's CPU) /
cores, the least a build that writes these outputs could take on this machine if nothing else
cost anything and every core were busy throughout, next to issue 6's target of 1.3x bare
jieba (dictionary load and cut). It is written to ``results/floor-<size>.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import tempfile
import time
from functools import partial
from pathlib import Path

from run import RESULTS, bare_jieba, corpus

from xref import cli
from xref.export import graph_schema, write_gexf, write_graphml, write_json
from xref.timing import Stages, _peak_mb, _reset_peak

TARGET = 1.3  # issue 6: a build takes at most this many times bare jieba


def _name(writer: partial) -> str:
    """The writer and what it writes: its file, or the plan its figures are of."""
    files = [a.name for a in writer.args if isinstance(a, Path) and a.suffix]
    plans = [a for a in writer.args if isinstance(a, str) and a.isascii() and "-" not in a]
    return " ".join([writer.func.__name__.lstrip("_"), *(files or plans)])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("size", type=int)
    p.add_argument("--jobs", type=int, default=2, help="processes for the stages before writing")
    p.add_argument("--floor", action="store_true", help="also measure bare jieba; print the floor")
    a = p.parse_args(argv)
    bare = bare_jieba(corpus(a.size)) if a.floor else None
    with tempfile.TemporaryDirectory() as out:
        args = cli.parser().parse_args(
            ["build", str(corpus(a.size)), "-o", out, "--no-cache", "--jobs", str(a.jobs)]
        )
        stages = Stages()
        built = cli._pipeline(args, stages)
        graph, mentions = cli._graph(built, stages)
        cov = cli._coverage(args, graph, mentions, built.facts["targets"], stages)
        folder = Path(out)
        # the graph files as write_graph_files writes them, each alone, after the attribute
        # scan the two XML files share
        schema = graph_schema(graph, mentions)
        writers = [
            *cli._table_writers(built, folder),
            partial(graph_schema, graph, mentions),
            partial(write_json, graph, folder / "graph.json", mentions=mentions),
            partial(
                write_graphml, graph, folder / "graph.graphml", mentions=mentions, schema=schema
            ),
            partial(
                write_gexf,
                graph,
                folder / "graph.gexf",
                date=built.date,
                mentions=mentions,
                schema=schema,
            ),
            *cli._report_writers(args, built.links, built.date, cov, folder),
        ]
        print("| writer | seconds | CPU seconds | peak rise MB |\n|---|---|---|---|")
        cpu = {}
        for writer in writers:
            gc.collect()
            _reset_peak()
            before = _peak_mb()
            start, start_cpu = time.perf_counter(), time.process_time()
            writer()
            seconds = time.perf_counter() - start
            cpu[_name(writer)] = time.process_time() - start_cpu
            print(
                f"| {_name(writer)} | {seconds:.2f} | {cpu[_name(writer)]:.2f} | "
                f"{_peak_mb() - before:.0f} |"
            )
    if bare is not None:
        _floor(a.size, bare, cpu)


def _floor(size: int, bare: dict, cpu: dict[str, float]) -> None:
    cores = len(os.sched_getaffinity(0))
    jieba_s = bare["load_s"] + bare["cut_s"]
    floor = (bare["cut_s"] + sum(cpu.values())) / cores
    print(
        f"\n{size:,} documents: bare jieba {jieba_s:.1f} s (load {bare['load_s']:.1f}, cut "
        f"{bare['cut_s']:.1f}); {TARGET}x that: {TARGET * jieba_s:.1f} s. Writers' CPU "
        f"{sum(cpu.values()):.1f} s. Floor on {cores} cores: ({bare['cut_s']:.1f} + "
        f"{sum(cpu.values()):.1f}) / {cores} = {floor:.1f} s, {floor / jieba_s:.2f}x bare jieba"
    )
    result = {
        "docs": size,
        "cores": cores,
        "bare_jieba": bare,
        "writers_cpu_s": cpu,
        "floor_s": floor,
        "target_s": TARGET * jieba_s,
    }
    (RESULTS / f"floor-{size}.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
