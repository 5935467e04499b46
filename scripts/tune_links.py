"""How the linking defaults were chosen, and what they give on data they were not chosen on.

    python scripts/tune_links.py [CORPUS] [--gold FILE]

Every allowed pair is scored once (``LinkConfig(keep=None)``); a configuration only
re-weights the signal columns and re-selects, so a grid of a few thousand is cheap. For each
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


class Questions:
    """Signals of every (annotated child, task of its annotated parent document) as
    ``signals x children x tasks`` arrays, with the gold labels."""

    def __init__(self, scored: pd.DataFrame, gold: pd.DataFrame):
        pairs = gold[gold["parent_doc"] != ""][["child_doc", "parent_doc"]].drop_duplicates()
        annotated = gold[["child_doc", "child_id"]].drop_duplicates().merge(pairs)
        rows = scored.merge(
            annotated,
            left_on=["source_doc", "source_id", "target_doc"],
            right_on=["child_doc", "child_id", "parent_doc"],
        )
        keys = zip(rows["source_doc"], rows["source_id"], rows["target_doc"], strict=True)
        children = sorted(set(keys))
        tasks = sorted(set(zip(rows["target_doc"], rows["target_id"], strict=True)))
        c_at = {c: i for i, c in enumerate(children)}
        t_at = {t: i for i, t in enumerate(tasks)}
        self.signals = np.full((len(SIGNALS), len(children), len(tasks)), np.nan)
        for r in rows.itertuples(index=False):
            i = c_at[(r.source_doc, r.source_id, r.target_doc)]
            j = t_at[(r.target_doc, r.target_id)]
            self.signals[:, i, j] = [getattr(r, s) for s in SIGNALS]
        self.primary = np.zeros(self.signals.shape[1:], dtype=bool)
        self.ok = self.primary.copy()
        for g in gold[gold["relation"] != "none"].itertuples(index=False):
            i = c_at[(g.child_doc, g.child_id, g.parent_doc)]
            j = t_at[(g.parent_doc, g.parent_id)]
            self.ok[i, j] = True
            self.primary[i, j] |= g.relation == "primary"
        self.pair = [f"{c[:3]}->{p[:3]}" for c, _, p in children]

    def f1(self, weights: np.ndarray, threshold: float, relative: float, cap: int) -> dict:
        """F1 per document pair and overall."""
        score = np.round(np.tensordot(weights, self.signals, 1), 4)
        score = np.where(np.isnan(score), -np.inf, score)  # a task not scored is never kept
        order = np.argsort(-score, axis=1, kind="stable")
        rank = np.argsort(order, axis=1, kind="stable")
        best = score.max(axis=1, keepdims=True)
        kept = (score >= threshold) & (score >= relative * best) & (rank < cap)
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
    q = Questions(scored, read_gold(args.gold, items))
    others = {Path(f).stem: Questions(scored, read_gold(f, items)) for f in args.held_out}

    rows = []
    for combo in itertools.product(*(GRID[s] for s in SIGNALS)):
        weights = np.array(combo) / sum(combo)
        for threshold, relative, cap in itertools.product(THRESHOLDS, RELATIVE, CAPS):
            rows.append(
                {
                    **dict(zip(SIGNALS, np.round(weights, 3), strict=True)),
                    "threshold": threshold,
                    "relative": relative,
                    "cap": cap,
                    **q.f1(weights, threshold, relative, cap),
                    **{
                        f"{name}:{k}": v
                        for name, other in others.items()
                        for k, v in other.f1(weights, threshold, relative, cap).items()
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
    chosen = (weights / weights.sum(), defaults.threshold, defaults.relative, defaults.cap)
    for name, questions in {"development": q, **others}.items():
        got = questions.f1(*chosen)
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

    plain_cosine({"development": q, **others})
    if others:
        leave_one_set_out(grid, pairs, list(others))


def plain_cosine(sets: dict[str, Questions]) -> None:
    """The baseline the issue names: TF-IDF cosine (``lexical``) alone, every candidate above
    a threshold chosen on the development set kept (no relative cut, no cap)."""
    weights = np.array([s == "lexical" for s in SIGNALS], dtype=float)
    every = max(q.signals.shape[2] for q in sets.values())  # a cap no child reaches
    f1 = {
        t: {n: q.f1(weights, t, 0.0, every)["all"] for n, q in sets.items()}
        for t in np.round(np.arange(0.02, 0.4, 0.005), 3)
    }
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
