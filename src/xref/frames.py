"""Rows of a DataFrame at the speed of lists, and columns of repeated strings kept small.

pandas 3 keeps text in its ``str`` dtype and iterating such a column hands out one value at a
time through Python: ``itertuples`` over a million rows of strings took 1.3 s here, the same
rows zipped from ``Series.tolist`` 0.2 s. The build's loops over large frames (a term per
item, a link per pair) go through :func:`records`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from functools import cache

import pandas as pd


@cache
def _row_type(columns: tuple[str, ...]) -> type:
    return namedtuple("Row", columns, rename=True)  # as itertuples names its rows


def records(frame: pd.DataFrame) -> Iterator[tuple]:
    """What ``frame.itertuples(index=False)`` yields: a named tuple per row, fields named by
    the columns (positionally where a name is no identifier), values as Python objects."""
    make = _row_type(tuple(map(str, frame.columns)))._make
    return map(make, zip(*(frame[c].tolist() for c in frame.columns), strict=True))


def share_strings(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame``, changed in place: each of ``columns`` holds one string object per value.
    Rows made in forked workers come back each with its own copy of every string: the terms
    of 10,000 documents repeat a few thousand words about 3 million times."""
    for column in columns:
        codes, uniques = pd.factorize(frame[column])
        if (codes < 0).any():  # a missing value: leave the column as it is
            continue
        frame[column] = uniques.take(codes)
    return frame
