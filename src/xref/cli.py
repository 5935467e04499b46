"""Command line: a thin layer over the library.

    xref build data/raw -o out [--manifest data/corpus.csv] [--decisions FILE] [--strict]
                               [--similar-to DOC]
    xref report data/raw -o out [--parent 000]   (coverage outputs only)
    xref evaluate --gold data/annotations/gold_links.csv [--gold FILE ...] [data/raw] [-o out]
    xref annotate data/raw --child DOC --parent DOC -o FILE   (a gold file to fill in)

Exit status: 0 on success; 1 when ``--strict`` and some file was skipped; 2 when nothing
could be built (missing folder, malformed manifest or decisions, no readable document).
Outputs are written into a hidden folder inside ``out/`` and moved into place once every one
of them is complete, so a failed run leaves ``out/`` as it was.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import networkx as nx
import pandas as pd

import xref
from xref import engine
from xref.cache import TokenCache
from xref.corpus import TEXT_SUFFIXES
from xref.coverage import CANDIDATE_COLUMNS, match_document
from xref.decisions import DecisionsError, apply_decisions, read_decisions
from xref.evaluate import GoldError, baseline, evaluate, gold_template, read_gold
from xref.export import write_graph_files
from xref.graph import Mentions, build_graph
from xref.hierarchy import cross_region_pairs, document_pairs
from xref.io import publish, staging, write_csv
from xref.link import (
    LINK_COLUMNS,
    BlockJob,
    LinkConfig,
    along_chain,
    find_similar,
    score_pairs,
    select,
)
from xref.manifest import ManifestError
from xref.memory import release
from xref.parallel import available_cores, background, fork_map, share
from xref.report import STALE, report_writers
from xref.segment import BACKENDS
from xref.timing import Stages

CORPUS_HELP = f"folder of documents: {', '.join(TEXT_SUFFIXES)} (file stem = document id)"
DECISIONS_PATH = Path("annotations") / "links.csv"
FACTS = {  # the fact tables, the longest to extract first
    "targets": xref.targets_frame,
    "deadlines": xref.deadlines_frame,
    "citations": xref.citations_frame,
    "units": xref.units_frame,
    "indicators": xref.indicators_frame,
}


def _say(message: str) -> None:
    print(f"xref: {message}", file=sys.stderr, flush=True)


def _load(args: argparse.Namespace) -> xref.Corpus | None:
    try:
        corpus = xref.load_corpus(args.corpus, manifest=args.manifest, jobs=args.jobs)
    except (OSError, ManifestError) as exc:  # OSError: a missing corpus or manifest, a folder
        print(f"xref: error: {exc}", file=sys.stderr)
        return None
    for problem in corpus.problems:
        kind = "warning" if problem.problem == "manifest_unknown_doc" else "skipped"
        print(f"xref: {kind} {problem}", file=sys.stderr)
    if not corpus.documents:
        print(f"xref: error: no readable document in {args.corpus}", file=sys.stderr)
        return None
    return corpus


def _decisions_path(args: argparse.Namespace) -> Path | None:
    if args.decisions:
        return Path(args.decisions)
    default = Path(args.corpus).parent / DECISIONS_PATH
    return default if default.is_file() else None


@dataclass
class _Built:
    corpus: xref.Corpus
    items: pd.DataFrame
    terms: pd.DataFrame
    facts: dict[str, pd.DataFrame]  # by FACTS name
    links: pd.DataFrame
    nearest: pd.DataFrame  # each task's nearest item per child document, for the gaps
    similar: pd.DataFrame | None = None  # with --similar-to

    @property
    def date(self) -> str:
        """The latest document date: pins dates inside GEXF and XLSX files."""
        dates = [d for doc in self.corpus for d in (doc.meta.issue_date, doc.meta.publish_date)]
        return max((d for d in dates if d), default="2000-01-01")


def _default_cache(args: argparse.Namespace) -> Path:
    """``interim/`` beside the corpus folder: data/raw -> data/interim."""
    return Path(args.corpus).resolve().parent / "interim"


def _workers(args: argparse.Namespace) -> int:
    """Processes to fork: ``--jobs`` with the local engine; after dask, one (its client may
    leave threads behind, and forking beside threads is unsafe)."""
    return args.jobs if args.engine == "local" else 1


def _local_map(args: argparse.Namespace) -> Callable | None:
    """Link blocks on ``--jobs`` forked processes (None: in this process)."""
    if _workers(args) <= 1:
        return None
    return lambda fn, jobs: fork_map(fn, jobs, args.jobs, cost=BlockJob.cost)


def _unwritable(args: argparse.Namespace) -> bool:
    """Whether an output path cannot be written, said now rather than after the work: the
    output folder is a file, or the timings file a folder."""
    if args.out and (out := Path(args.out)).exists() and not out.is_dir():
        print(f"xref: error: the output folder {out} is a file", file=sys.stderr)
        return True
    if args.timings and Path(args.timings).is_dir():
        print(f"xref: error: --timings {args.timings} is a folder", file=sys.stderr)
        return True
    return False


def _pipeline(args: argparse.Namespace, stage: Stages) -> _Built | None:
    if _unwritable(args):
        return None
    decisions = None  # read first: a bad file is reported before the corpus is loaded
    if (path := _decisions_path(args)) is not None:
        try:
            decisions = read_decisions(path)
        except (DecisionsError, OSError) as exc:
            print(f"xref: error: {exc}", file=sys.stderr)
            return None
    with stage("load"):
        corpus = _load(args)
    if corpus is None:
        return None
    try:  # a mistyped --parent or --similar-to is reported now, not after the build
        for wanted in args.parent or []:
            match_document(wanted, (doc.doc_id for doc in corpus))
        similar_to = [
            match_document(wanted, (doc.doc_id for doc in corpus), what="--similar-to")
            for wanted in args.similar_to or []
        ]
    except ValueError as exc:
        print(f"xref: error: {exc}", file=sys.stderr)
        return None

    client = engine.connect(args.scheduler) if args.engine == "dask" else None
    with stage("segment"):
        local = client is None and not args.no_cache
        cache = TokenCache(args.cache or _default_cache(args)) if local else None
        segmenter = xref.corpus_segmenter(corpus, backend=args.segmenter, cache=cache)
        if client is not None:
            engine.segment(client, corpus, segmenter)
        # every text segmented here, once; later stages reuse the tokens
        segmenter.tokenize_all((doc.text for doc in corpus), jobs=_workers(args))
        if cache is not None:
            cache.close()
            print(
                f"xref: segmentation cache {cache.path}: {cache.hits} reused, {cache.misses} new",
                file=sys.stderr,
            )
        release()  # the workers' tokens arrived pickled: their buffers are freed
    with stage("extract"):
        items = xref.extract(corpus, segmenter=segmenter, jobs=_workers(args))
        terms = xref.terms_frame(corpus, items, segmenter=segmenter)
        # each fact table reads only the texts and the items: one per forked process
        tables = fork_map(lambda table: table(corpus, items), list(FACTS.values()), _workers(args))
        facts = dict(zip(FACTS, tables, strict=True))
        release()  # the parts' rows, joined into the tables, are freed
    with stage("link"):
        map_blocks = engine.block_mapper(client) if client is not None else _local_map(args)
        pairs = document_pairs(corpus, facts["citations"])  # scored, and checked in decisions
        scored = score_pairs(
            corpus,
            items,
            segmenter=segmenter,
            # an analyst may accept a candidate a build would drop: it needs its row and card
            config=LinkConfig(cards="all") if decisions is not None else LinkConfig(keep="links"),
            terms=terms,
            map_blocks=map_blocks,
            pairs=pairs,
        )
        # with decisions, the chain check reads the links the analysts left, added or accepted
        links = select(scored, LinkConfig(chain=decisions is None))
        nearest = scored.loc[scored["task_rank"] == 1, list(CANDIDATE_COLUMNS)]
        if decisions is not None:
            applied = apply_decisions(links, scored, items, decisions, pairs=pairs)
            links = along_chain(applied.links, scored)
            for warning in applied.warnings:
                print(f"xref: warning: {warning}", file=sys.stderr)
            # an item the analysts rejected for a task is not offered again for its gap
            pair = list(CANDIDATE_COLUMNS[:4])
            nearest = nearest.merge(applied.rejected[pair], how="left", indicator=True)
            nearest = nearest[nearest.pop("_merge") == "left_only"]
        similar = None
        if similar_to:
            similar = find_similar(
                corpus,
                items,
                similar_to,
                segmenter=segmenter,
                terms=terms,
                map_blocks=map_blocks,
            )
            if similar.empty:
                others = cross_region_pairs(corpus, similar_to)["child_doc"].nunique()
                print(
                    f"xref: warning: --similar-to found nothing to compare: {others} "
                    "document(s) of another region, no item of theirs close to a task",
                    file=sys.stderr,
                )
        # the candidates (every one when an analyst may accept it) and every token with its
        # index: the largest tables of a build, not needed past here; freed now, the graph
        # takes their place instead of adding to it
        del scored, segmenter
        release()
    if client is not None:
        client.close()
    return _Built(corpus, items, terms, facts, links, nearest, similar)


def _graph(built: _Built, stage: Stages) -> tuple[nx.MultiDiGraph, Mentions]:
    """The graph without its ``mentions`` edges (one per item and key term: most of a large
    graph's edges, time and memory), and where they are: the graph files and coverage read
    them from there, in the same order and with the same values."""
    with stage("graph"):
        graph = build_graph(
            built.corpus,
            built.items,
            built.links,
            terms=built.terms,
            units=built.facts["units"],
            citations=built.facts["citations"],
            mentions=False,
            similar=built.similar,
        )
        return graph, Mentions(built.terms)


def _coverage(
    args: argparse.Namespace,
    graph: nx.MultiDiGraph,
    mentions: Mentions,
    targets: pd.DataFrame,
    nearest: pd.DataFrame,
    stage: Stages,
) -> xref.Coverage | None:
    with stage("coverage"):
        try:
            cov = xref.coverage(
                graph, args.parent, targets=targets, mentions=mentions, candidates=nearest
            )
        except ValueError as exc:
            print(f"xref: error: {exc}", file=sys.stderr)
            return None
        return cov


def _report_writers(
    args: argparse.Namespace, links: pd.DataFrame, date: str, cov: xref.Coverage, folder: Path
) -> list[Callable]:
    """The coverage outputs, the longest first."""
    title = " · ".join(cov.parents.loc[~cov.parents["missing"], "title"]) or "xref coverage"
    return report_writers(cov, links, folder, date=date, title=f"覆盖分析 {title}")


def _table_writers(built: _Built, folder: Path) -> list[Callable]:
    """The tables of a build, the longest first: they need only what linking left."""
    tables = {
        "links.csv": built.links,
        "items.csv": built.items,
        "terms.csv": built.terms,
        **{f"{name}.csv": table for name, table in built.facts.items()},
        # written empty when not asked for: a comparison from an earlier build is not left
        # beside a graph that has none
        "similar.csv": pd.DataFrame(columns=list(LINK_COLUMNS))
        if built.similar is None
        else built.similar,
    }
    return [
        *(partial(write_csv, table, folder / name) for name, table in tables.items()),
        partial(_write_documents, built.corpus, folder),
    ]


def _write_documents(corpus: xref.Corpus, folder: Path) -> None:
    write_csv(xref.documents_frame(corpus), folder / "documents.csv")
    write_csv(xref.problems_frame(corpus), folder / "problems.csv")


def _say_coverage(args: argparse.Namespace, cov: xref.Coverage) -> None:
    for parent in cov.parents.loc[cov.parents["children"] == "", "parent_doc"]:
        print(
            f"xref: warning: no loaded document may implement {parent} (none below it in its "
            "region chain, none citing it): its coverage is empty",
            file=sys.stderr,
        )
    n_gaps = int((cov.matrix["status"] == "gap").sum())
    print(
        f"xref: coverage of {len(cov.parents)} parent plan(s): {n_gaps} gap cell(s), "
        f"{len(cov.orphans)} orphan item(s) -> {args.out}/report.html",
        file=sys.stderr,
    )


def _build(args: argparse.Namespace) -> int:
    stage = Stages(say=_say)
    if (built := _pipeline(args, stage)) is None:
        return 2
    jobs = _workers(args)
    with staging(args.out) as folder, ExitStack() as started:
        # The tables are written on a forked process while the graph is built (this process
        # takes those not yet started once the graph is built); once coverage is computed,
        # one forked process writes the graph files, then shares out the report with this
        # one. A fork copies every page a process touches while another still maps it: the
        # corpus, items and terms are freed before coverage, and this process frees its
        # graph as soon as the graph files' worker has forked, so that the graph is held
        # once and at most two processes run.
        graph, mentions = _graph_beside_tables(built, folder, jobs, stage)
        links, targets, nearest = built.links, built.facts["targets"], built.nearest
        date = built.date
        summary, problems = _summary(args, built, graph), len(built.corpus.problems)
        del built  # what is left reads the graph, the links and the targets only
        release()
        if (cov := _coverage(args, graph, mentions, targets, nearest, stage)) is None:
            return 2
        with stage("write"):
            # freed before the fork, or the worker would keep them: the report's writers
            # hold the links they read, and nothing reads the targets any more
            report = _report_writers(args, links, date, cov, folder)
            del links, targets, nearest
            release()
            files = started.enter_context(
                background(
                    # one forked worker, the only process that holds the graph meanwhile
                    [partial(write_graph_files, graph, folder, date=date, mentions=mentions)],
                    jobs,
                    hand_over=True,
                    then=report,
                )
            )
            if files.forked:
                graph.clear()  # the worker writes from its own copy
            del graph, mentions
            release()
            files()
            started.close()  # every file is complete, or a writer's error is raised here
        publish(folder, args.out, stale=STALE)
    _say_coverage(args, cov)
    if args.timings:
        stage.write(args.timings)
    print(summary, file=sys.stderr)
    if args.strict and problems:
        print("xref: --strict: failing because of the problems above", file=sys.stderr)
        return 1
    return 0


def _graph_beside_tables(
    built: _Built, folder: Path, jobs: int, stage: Stages
) -> tuple[nx.MultiDiGraph, Mentions]:
    """The graph, built while a forked process writes the tables; then this process writes
    the tables not yet started and waits for the rest. Nothing returned holds the tables."""
    with background(_table_writers(built, folder), jobs) as tables:
        graph_and_mentions = _graph(built, stage)
        with stage("tables"):
            tables()
    return graph_and_mentions


def _summary(args: argparse.Namespace, built: _Built, graph: nx.MultiDiGraph) -> str:
    corpus = built.corpus
    n_warn = sum(bool(d.warnings) for d in corpus)
    return (
        f"xref: {len(corpus)} document(s) loaded from {args.corpus}, "
        f"{len(corpus.problems)} problem(s), {n_warn} document(s) with warnings, "
        f"{len(built.items)} items, {len(built.links)} implements links, "
        f"{'' if built.similar is None else f'{len(built.similar)} similar_to links, '}"
        f"{graph.number_of_nodes()} graph nodes -> {args.out}/"
    )


def _report(args: argparse.Namespace) -> int:
    stage = Stages(say=_say)
    if (built := _pipeline(args, stage)) is None:
        return 2
    graph, mentions = _graph(built, stage)
    targets = built.facts["targets"]
    if (cov := _coverage(args, graph, mentions, targets, built.nearest, stage)) is None:
        return 2
    with stage("write"), staging(args.out) as folder:
        report = _report_writers(args, built.links, built.date, cov, folder)
        del built  # the writers hold what they read
        release()  # the writers fork next: they inherit no freed pages
        share([], report, _workers(args))
        publish(folder, args.out, stale=STALE)
    _say_coverage(args, cov)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    if _unwritable(args) or (corpus := _load(args)) is None:
        return 2
    segmenter = xref.corpus_segmenter(corpus)
    items = xref.extract(corpus, segmenter=segmenter, jobs=_workers(args))
    try:
        # several files are one gold set: every district -> city pair at once, say
        gold = pd.concat([read_gold(path, items) for path in args.gold], ignore_index=True)
    except (GoldError, OSError) as exc:
        print(f"xref: error: {exc}", file=sys.stderr)
        return 2
    # rank every candidate, not only the few a build keeps, so MAP sees the whole ranking
    ranked = score_pairs(
        corpus,
        items,
        segmenter=segmenter,
        config=LinkConfig(keep=None, cards="all"),
        map_blocks=_local_map(args),
    )
    result = evaluate(ranked, gold)
    plain = baseline(ranked, gold)
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.max_colwidth", 120
    ):
        print(result.summary.round(3).to_string(index=False))
        threshold = plain["threshold"].iloc[0]
        print(
            "\nBaseline: the TF-IDF cosine alone, every candidate from a threshold kept, "
            f"the threshold ({threshold}) chosen on this gold set (its best case):"
        )
        print(plain.drop(columns="threshold").round(3).to_string(index=False))
        print("\nTasks taken up (the coverage question; strong: the links coverage counts):")
        print(result.tasks.round(3).to_string(index=False))
        for title, table in (("Misses", result.misses), ("False links", result.false_links)):
            print(f"\n{title} ({len(table)}):")
            if len(table):
                print(table.to_string(index=False))
    if args.out:
        out = Path(args.out)
        write_csv(result.summary, out / "evaluation.csv")
        write_csv(plain, out / "evaluation_baseline.csv")
        write_csv(result.misses, out / "evaluation_misses.csv")
        write_csv(result.false_links, out / "evaluation_false_links.csv")
        write_csv(result.tasks, out / "evaluation_tasks.csv")
    return 0


def _annotate(args: argparse.Namespace) -> int:
    out = Path(args.out)
    tasks_out = out.with_name(f"{out.stem}_tasks{out.suffix or '.csv'}")
    taken = [str(path) for path in (out, tasks_out) if path.exists()]
    if taken:  # an annotator's work is never written over
        verb = "exists" if len(taken) == 1 else "exist"
        message = f"{' and '.join(taken)} already {verb}; choose another -o"
        print(f"xref: error: {message}", file=sys.stderr)
        return 2
    if (corpus := _load(args)) is None:
        return 2
    try:
        child, parent = (
            match_document(wanted, (doc.doc_id for doc in corpus), what=what)
            for wanted, what in ((args.child, "--child"), (args.parent, "--parent"))
        )
    except ValueError as exc:
        print(f"xref: error: {exc}", file=sys.stderr)
        return 2
    items = xref.extract(corpus, segmenter=xref.corpus_segmenter(corpus), jobs=args.jobs)
    pairs = document_pairs(corpus, xref.citations_frame(corpus, items))
    if not ((pairs["child_doc"] == child) & (pairs["parent_doc"] == parent)).any():
        print(
            f"xref: warning: {child} may not implement {parent} (another region, or not a "
            "higher level): xref links none of its items there",
            file=sys.stderr,
        )
    rows, tasks = gold_template(items, child, parent)
    write_csv(rows, out)
    write_csv(tasks, tasks_out)
    print(
        f"xref: {len(rows)} items of {child} to annotate in {out}; the {len(tasks)} tasks of "
        f"{parent} to choose from in {tasks_out}. Fill in parent_anchor (copied from the "
        "list) and relation (primary, acceptable or none), a row per task an item "
        "implements; then xref evaluate --gold",
        file=sys.stderr,
    )
    return 0


def _folder(value: str) -> str:
    """An output folder: not empty (``-o "$OUT"`` with OUT unset would write into the current
    folder, over any namesakes of the outputs there)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty path; give a folder (default: out)")
    return value


def _count(value: str) -> int:
    if (n := int(value)) < 1:
        raise argparse.ArgumentTypeError(f"{n}: at least 1")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xref", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="load a corpus folder and write tables, links and graph")
    b.add_argument("corpus", help=CORPUS_HELP)
    b.add_argument("-o", "--out", type=_folder, default="out", help="output folder (default: out)")
    b.add_argument(
        "--manifest", help="metadata manifest CSV (default: corpus.csv in or beside the corpus)"
    )
    b.add_argument(
        "--decisions",
        help="analysts' link decisions (default: annotations/links.csv beside the corpus)",
    )
    b.add_argument("--strict", action="store_true", help="exit 1 when any file is skipped")
    b.add_argument("--timings", help="write each stage's seconds and peak memory to this JSON")
    b.add_argument(
        "--similar-to",
        action="append",
        metavar="DOC",
        help="also compare the tasks of this document (id or unique prefix; repeatable) with "
        "the items of every document of another region: similar.csv and similar_to edges, "
        "never counted as implementation",
    )
    b.set_defaults(func=_build)
    r = sub.add_parser(
        "report", help="write only the coverage outputs: tables, heatmaps, report.html, xlsx"
    )
    r.add_argument("corpus", help=CORPUS_HELP)
    r.add_argument("-o", "--out", type=_folder, default="out", help="output folder (default: out)")
    r.add_argument("--manifest", help="metadata manifest CSV")
    r.add_argument("--decisions", help="analysts' link decisions")
    r.set_defaults(func=_report, similar_to=None, timings=None)
    for command in (b, r):
        command.add_argument(
            "--segmenter",
            choices=BACKENDS,
            default="jieba",
            help="word segmenter: jieba (default) or rjieba, same tokens, faster (xref[fast])",
        )
        command.add_argument(
            "--engine",
            choices=("local", "dask"),
            default="local",
            help="where segmentation and linking run: this process (default) or a dask cluster",
        )
        command.add_argument(
            "--scheduler",
            help="with --engine dask: the scheduler's address (default: a local cluster)",
        )
        command.add_argument(
            "--cache",
            help="folder of the segmentation cache (default: interim/ beside the corpus folder)",
        )
        command.add_argument(
            "--no-cache", action="store_true", help="segment everything afresh, keep nothing"
        )
        command.add_argument(
            "--parent",
            action="append",
            help="parent plan to analyse (document id or unique prefix; repeatable; "
            "default: every city or province plan and each national plan)",
        )
    e = sub.add_parser("evaluate", help="compare implements links with an annotated gold set")
    e.add_argument(
        "corpus", nargs="?", default="data/raw", help="folder of documents (default: data/raw)"
    )
    e.add_argument(
        "--gold",
        required=True,
        action="append",
        help="gold links CSV (see data/annotations/README.md); repeat it to measure several "
        "files as one set",
    )
    e.add_argument("--manifest", help="metadata manifest CSV")
    e.add_argument("-o", "--out", type=_folder, help="also write evaluation CSVs to this folder")
    a = sub.add_parser(
        "annotate", help="write a gold file to fill in for a document pair, for xref evaluate"
    )
    a.add_argument("corpus", help=CORPUS_HELP)
    a.add_argument("--child", required=True, help="the lower document (id or unique prefix)")
    a.add_argument("--parent", required=True, help="the higher document (id or unique prefix)")
    a.add_argument(
        "-o",
        "--out",
        type=_folder,
        required=True,
        help="the gold file to write (never over an existing one); the task list goes beside "
        "it as NAME_tasks.csv",
    )
    a.add_argument("--manifest", help="metadata manifest CSV")
    a.set_defaults(func=_annotate)
    for command in (b, r, e, a):
        command.add_argument(
            "--jobs",
            type=_count,
            default=available_cores(),
            help="processes for loading, segmentation and linking with the local engine "
            "(default: this machine's cores, here %(default)s; outputs do not depend on it)",
        )
    e.set_defaults(func=_evaluate, engine="local", timings=None)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
