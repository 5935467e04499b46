"""Command line: a thin layer over the library.

    xref build data/raw -o out [--manifest data/corpus.csv] [--strict]

Exit status: 0 on success; 1 when ``--strict`` and some file was skipped; 2 when nothing
could be built (missing folder, malformed manifest, no readable document). Outputs are
written only after everything was computed, so a failed run leaves ``out/`` as it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import xref
from xref.io import write_csv
from xref.manifest import ManifestError


def _build(args: argparse.Namespace) -> int:
    try:
        corpus = xref.load_corpus(args.corpus, manifest=args.manifest)
    except (FileNotFoundError, ManifestError) as exc:
        print(f"xref: error: {exc}", file=sys.stderr)
        return 2

    for problem in corpus.problems:
        print(
            f"xref: skipped {problem}"
            if problem.problem != "manifest_unknown_doc"
            else f"xref: warning: {problem}",
            file=sys.stderr,
        )
    if not corpus.documents:
        print(f"xref: error: no readable document in {args.corpus}", file=sys.stderr)
        return 2

    segmenter = xref.corpus_segmenter(corpus)
    items = xref.extract(corpus, segmenter=segmenter)
    tables = {
        "documents.csv": xref.documents_frame(corpus),
        "problems.csv": xref.problems_frame(corpus),
        "items.csv": items,
        "terms.csv": xref.terms_frame(corpus, items, segmenter=segmenter),
        "targets.csv": xref.targets_frame(corpus, items),
        "deadlines.csv": xref.deadlines_frame(corpus, items),
        "units.csv": xref.units_frame(corpus, items),
        "citations.csv": xref.citations_frame(corpus, items),
        "indicators.csv": xref.indicators_frame(corpus, items),
    }
    out = Path(args.out)
    for name, table in tables.items():
        write_csv(table, out / name)

    n_warn = sum(bool(d.warnings) for d in corpus)
    print(
        f"xref: {len(corpus)} document(s) loaded from {args.corpus}, "
        f"{len(corpus.problems)} problem(s), {n_warn} document(s) with warnings -> {out}/",
        file=sys.stderr,
    )
    if args.strict and corpus.problems:
        print("xref: --strict: failing because of the problems above", file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xref", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="load a corpus folder and write the output tables")
    b.add_argument("corpus", help="folder of .txt documents (file stem = document id)")
    b.add_argument("-o", "--out", default="out", help="output folder (default: out)")
    b.add_argument(
        "--manifest",
        help="metadata manifest CSV (default: corpus.csv in or next to the corpus folder)",
    )
    b.add_argument("--strict", action="store_true", help="exit 1 when any file is skipped")
    b.set_defaults(func=_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
