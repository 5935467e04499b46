"""Time each output file's writer of ``xref build`` alone, one after another.

    python benchmarks/writers.py 1000 [--jobs 2]

The build's stages run as ``xref build`` runs them (``--jobs`` processes, no segmentation
cache); then every writer the CLI spreads over processes (tables; the graph files, after the
attribute scan their XML formats share; workbook, page with heatmap, each plan's figures, each
coverage table) runs alone in this process, and its
wall time and the rise of this process's peak resident memory are printed as a Markdown table.
Outputs go to a temporary folder. Corpora are those of ``run.py`` (generated there first).
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from functools import partial
from pathlib import Path

from run import corpus

from xref import cli
from xref.export import graph_schema, write_gexf, write_graphml, write_json
from xref.timing import Stages, _peak_mb, _reset_peak


def _name(writer: partial) -> str:
    """The writer and what it writes: its file, or the plan its figures are of."""
    files = [a.name for a in writer.args if isinstance(a, Path) and a.suffix]
    plans = [a for a in writer.args if isinstance(a, str) and a.isascii() and "-" not in a]
    return " ".join([writer.func.__name__.lstrip("_"), *(files or plans)])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("size", type=int)
    p.add_argument("--jobs", type=int, default=2, help="processes for the stages before writing")
    a = p.parse_args(argv)
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
        print("| writer | seconds | peak rise MB |\n|---|---|---|")
        for writer in writers:
            gc.collect()
            _reset_peak()
            before = _peak_mb()
            start = time.perf_counter()
            writer()
            seconds = time.perf_counter() - start
            print(f"| {_name(writer)} | {seconds:.2f} | {_peak_mb() - before:.0f} |")


if __name__ == "__main__":
    main()
