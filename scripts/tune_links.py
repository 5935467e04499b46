"""How the linking defaults were chosen, and what they give on data they were not chosen on.

    python scripts/tune_links.py [CORPUS] [--gold FILE]

Every allowed pair is scored once (``LinkConfig(keep=None)``); a configuration only
re-weights the signal columns and re-selects (the cuts, then the chain check over every
candidate, as :func:`xref.link.select` does), so a grid of a few thousand is cheap. For each
configuration the script measures F1 per annotated document pair (the same definitions as
``xref evaluate``: a predicted link is right when its parent is primary or acceptable, recall
counts primary links). It prints:

- in-sample: the configurations whose worse document pair is best (how the defaults were
  picked: the tie is broken by overall F1, then by the grid's order), and the defaults;
- held-out: configurations chosen on one document pair, measured on the other (the mean,
  min and max over the configurations tied on the pair they were chosen on);
- with ``--held-out FILE`` (repeatable), more gold sets: the defaults on each, and each set
  measured with the configurations chosen on all the others as the defaults were (best worse
  pair), a leave-one-set-out estimate of how a choice carries to data it was not made on.

The signal weights are normalised to sum 1, so thresholds are comparable across weightings.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import pandas as pd

import xref
from xref.evaluate import read_gold
from xref.link import SIGNALS, LinkConfig, score_pairs
from xref.structure import ancestors
from xref.terms import corpus_segmenter

ROOT = Path(__file__).resolve().parents[1]
GRID = {
    "lexical": (0.0, 0.2, 0.4, 0.65),
    "chars": (0.0, 0.3, 0.6, 1.0),
    "sentence": (0.0, 0.1, 0.2),
    "terms": (0.0, 0.05, 0.15),
    "quoted": (0.0, 0.15, 0.3),
    "cited": (0.05,),
}
THRESHOLDS = (0.0, 0.02, 0.03, 0.04, 0.05)
RELATIVE = (0.5, 0.6, 0.7, 0.8, 0.9)
CAPS = (1, 2, 3)
QUESTION = ("source_doc", "source_id", "target_doc")  # a child item and a parent document


class Candidates:
    """Signals of every scored question (a child item and a parent document) against every
    task, as ``signals x questions x tasks`` arrays, and what the chain check
    (``LinkConfig.chain``) compares: for each child, parent and grandparent document scored
    together, the child items' rows into the grandparent and the parent tasks' sub-items'."""

    def __init__(self, scored: pd.DataFrame):
        keys = zip(scored["source_doc"], scored["source_id"], scored["target_doc"], strict=True)
        self.questions = sorted(set(keys))
        self.tasks = sorted(set(zip(scored["target_doc"], scored["target_id"], strict=True)))
        self.q_at = {q: i for i, q in enumerate(self.questions)}
        self.t_at = {t: i for i, t in enumerate(self.tasks)}
        self.signals = np.full((len(SIGNALS), len(self.questions), len(self.tasks)), np.nan)
        values = scored[list(SIGNALS)].to_numpy().T
        rows = [self.q_at[q] for q in zip(*(scored[c] for c in QUESTION), strict=True)]
        cols = [self.t_at[t] for t in zip(scored["target_doc"], scored["target_id"], strict=True)]
        self.signals[:, rows, cols] = values
        self.chains = list(self._chains())

    def _rows(self, child_doc: str, parent_doc: str) -> list[tuple[str, int]]:
        return [
            (c, i)
            for i, (d, c, p) in enumerate(self.questions)
            if (d, p) == (child_doc, parent_doc)
        ]

    def _columns(self, doc: str) -> list[int]:
        return [j for j, (d, _) in enumerate(self.tasks) if d == doc]

    def _chains(self):
        """Per child and parent document with grandparents both were scored against: the
        child's rows, the parent's task columns, and per grandparent what the check compares
        (each child row's row into it, the parent's rows into it, which of those are each
        task or below it, the grandparent's task columns)."""
        pairs = {(d, p) for d, _, p in self.questions}
        for child, parent in sorted(pairs):
            grands = sorted(g for d, g in pairs if d == parent and (child, g) in pairs)
            if not grands:
                continue
            rows = self._rows(child, parent)
            tasks = self._columns(parent)
            via = []
            for grand in grands:
                into = dict(self._rows(child, grand))
                sub = self._rows(parent, grand)
                below = [[self.tasks[j][1] in ancestors(c) for c, _ in sub] for j in tasks]
                reach = np.array([into.get(c, -1) for c, _ in rows])
                via.append((reach, [i for _, i in sub], np.array(below, int), self._columns(grand)))
            yield [i for _, i in rows], tasks, via

    def kept(self, weights, threshold, relative, cap, *, chain: bool = True) -> np.ndarray:
        """What :func:`~xref.link.select` keeps, as a ``questions x tasks`` mask."""
        score = np.round(np.tensordot(weights, self.signals, 1), 4)
        score = np.where(np.isnan(score), -np.inf, score)  # a task not scored is never kept
        order = np.argsort(-score, axis=1, kind="stable")
        rank = np.argsort(order, axis=1, kind="stable")
        best = score.max(axis=1, keepdims=True)
        kept = (score >= threshold) & (score >= relative * best) & (rank < cap)
        out = kept.copy()
        for rows, tasks, via in self.chains if chain else ():
            agree = np.zeros((len(rows), len(tasks)), dtype=bool)
            applies = np.zeros(len(tasks), dtype=bool)
            for reach, sub, below, grand in via:
                parents = (below @ kept[np.ix_(sub, grand)]) > 0  # parent tasks x grand tasks
                own = kept[np.ix_(reach, grand)] & (reach >= 0)[:, None]
                agree |= (own.astype(int) @ parents.T.astype(int)) > 0
                applies |= parents.any(axis=1)
            out[np.ix_(rows, tasks)] &= agree | ~applies
        return out


class Questions:
    """The annotated questions of one gold set, with its labels, over :class:`Candidates`."""

    def __init__(self, candidates: Candidates, gold: pd.DataFrame):
        pairs = gold[gold["parent_doc"] != ""][["child_doc", "parent_doc"]].drop_duplicates()
        annotated = gold[["child_doc", "child_id"]].drop_duplicates().merge(pairs)
        keys = zip(
            annotated["child_doc"], annotated["child_id"], annotated["parent_doc"], strict=True
        )
        self.rows = sorted(candidates.q_at[k] for k in keys if k in candidates.q_at)
        at = {q: n for n, q in enumerate(self.rows)}
        self.primary = np.zeros((len(self.rows), len(candidates.tasks)), dtype=bool)
        self.ok = self.primary.copy()
        for g in gold[gold["relation"] != "none"].itertuples(index=False):
            i = at[candidates.q_at[(g.child_doc, g.child_id, g.parent_doc)]]
            j = candidates.t_at[(g.parent_doc, g.parent_id)]
            self.ok[i, j] = True
            self.primary[i, j] |= g.relation == "primary"
        self.pair = [
            f"{c[:3]}->{p[:3]}" for c, _, p in (candidates.questions[i] for i in self.rows)
        ]

    def f1(self, kept: np.ndarray) -> dict:
        """F1 per document pair and overall, of the candidates' ``kept`` mask."""
        kept = kept[self.rows]
        out = {}
        for name in [*dict.fromkeys(self.pair), "all"]:
            rows = [p == name or name == "all" for p in self.pair]
            k, ok, primary = kept[rows], self.ok[rows], self.primary[rows]
            precision = (k & ok).sum() / k.sum() if k.sum() else 0.0
            recall = (k & primary).sum() / primary.sum()
            total = precision + recall
            out[name] = 2 * precision * recall / total if total else 0.0
        return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus", nargs="?", default=ROOT / "data" / "raw")
    p.add_argument("--gold", default=ROOT / "data" / "annotations" / "gold_links.csv")
    p.add_argument("--held-out", action="append", default=[], metavar="FILE")
    args = p.parse_args(argv)
    corpus = xref.load_corpus(args.corpus)
    segmenter = corpus_segmenter(corpus)
    items = xref.extract(corpus, segmenter=segmenter)
    scored = score_pairs(corpus, items, segmenter=segmenter, config=LinkConfig(keep=None))
    candidates = Candidates(scored)
    q = Questions(candidates, read_gold(args.gold, items))
    others = {Path(f).stem: Questions(candidates, read_gold(f, items)) for f in args.held_out}

    rows = []
    for combo in itertools.product(*(GRID[s] for s in SIGNALS)):
        weights = np.array(combo) / sum(combo)
        for threshold, relative, cap in itertools.product(THRESHOLDS, RELATIVE, CAPS):
            kept = candidates.kept(weights, threshold, relative, cap)
            rows.append(
                {
                    **dict(zip(SIGNALS, np.round(weights, 3), strict=True)),
                    "threshold": threshold,
                    "relative": relative,
                    "cap": cap,
                    **q.f1(kept),
                    **{
                        f"{name}:{k}": v
                        for name, other in others.items()
                        for k, v in other.f1(kept).items()
                    },
                }
            )
    grid = pd.DataFrame(rows)
    pairs = [c for c in grid.columns if "->" in c and ":" not in c]
    grid["worse_pair"] = grid[pairs].min(axis=1)
    print(f"{len(grid)} configurations, {len(q.pair)} annotated child items\n")
    print("In-sample, best worse pair:")
    best = grid.sort_values(["worse_pair", "all"], ascending=False, kind="stable")
    print(best.head(5).round(3).to_string(index=False))

    defaults = LinkConfig()
    weights = np.array([defaults.weights[s] for s in SIGNALS])
    kept = candidates.kept(
        weights / weights.sum(), defaults.threshold, defaults.relative, defaults.cap
    )
    for name, questions in {"development": q, **others}.items():
        got = questions.f1(kept)
        print(f"\nDefaults on {name}:", ", ".join(f"{k} {v:.3f}" for k, v in got.items()))

    for name, subset in (("all signals", grid), ("without chars", grid[grid["chars"] == 0])):
        print(f"\nHeld-out, {name} (chosen on one pair, measured on the other):")
        for chosen_on, measured_on in itertools.permutations(pairs, 2):
            tied = subset[subset[chosen_on] >= subset[chosen_on].max() - 1e-9]
            figures = tied[measured_on]
            print(
                f"  chosen on {chosen_on} (F1 {tied[chosen_on].iloc[0]:.3f}, {len(tied)} tied), "
                f"measured on {measured_on}: mean {figures.mean():.3f}, "
                f"min {figures.min():.3f}, max {figures.max():.3f}"
            )

    plain_cosine(candidates, {"development": q, **others})
    if others:
        leave_one_set_out(grid, pairs, list(others))


def plain_cosine(candidates: Candidates, sets: dict[str, Questions]) -> None:
    """The baseline the issue names: TF-IDF cosine (``lexical``) alone, every candidate above
    a threshold chosen on the development set kept (no relative cut, no cap, no chain)."""
    weights = np.array([s == "lexical" for s in SIGNALS], dtype=float)
    every = len(candidates.tasks)  # a cap no child reaches
    f1 = {}
    for t in np.round(np.arange(0.02, 0.4, 0.005), 3):
        kept = candidates.kept(weights, t, 0.0, every, chain=False)
        f1[t] = {n: q.f1(kept)["all"] for n, q in sets.items()}
    best = max(f1, key=lambda t: f1[t]["development"])  # the lowest of ties
    print(f"\nPlain TF-IDF cosine, threshold {best} chosen on the development set:")
    print("  " + ", ".join(f"{n} {v:.3f}" for n, v in f1[best].items()))


def leave_one_set_out(grid: pd.DataFrame, development: list[str], others: list[str]) -> None:
    """Each gold set measured with the configurations chosen, as the defaults were, on the
    others: their worse document pair best, ties kept."""
    sets = {"development": development}
    sets |= {n: [c for c in grid.columns if c.startswith(f"{n}:") and "->" in c] for n in others}
    overall = {"development": "all", **{n: f"{n}:all" for n in others}}
    print("\nLeave one gold set out (chosen on the others, measured on it):")
    for name in sets:
        train = [c for other, cols in sets.items() if other != name for c in cols]
        worse = grid[train].min(axis=1)
        tied = grid[worse >= worse.max() - 1e-9]
        figures = tied[overall[name]]
        print(
            f"  {name}: F1 mean {figures.mean():.3f}, min {figures.min():.3f}, "
            f"max {figures.max():.3f} ({len(tied)} tied; worse pair chosen on "
            f"{worse.max():.3f})"
        )


if __name__ == "__main__":
    main()
