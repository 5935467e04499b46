"""Row iteration: records() yields what itertuples yields, faster; share_strings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xref.frames import records, share_strings


def test_records_equal_itertuples_value_for_value() -> None:
    frame = pd.DataFrame(
        {
            "doc_id": ["001", "002", None],
            "n": [1, 2, 3],
            "score": [0.5, np.nan, 1.0],
            "missing": [True, False, True],
            "class": ["a", "b", "c"],  # a keyword: itertuples names it positionally
            "when": pd.to_datetime(["2023-01-01", None, "2024-05-06"]),
        }
    )
    expected = list(frame.itertuples(index=False))
    got = list(records(frame))
    assert [r._fields for r in got] == [r._fields for r in expected]
    for a, b in zip(got, expected, strict=True):
        assert [type(v) for v in a] == [type(v) for v in b]
        assert all(x == y or (x != x and y != y) or (x is y) for x, y in zip(a, b, strict=True))
    assert list(records(frame.iloc[0:0])) == []


def test_share_strings_keeps_the_values_with_one_object_each(terms) -> None:
    """As rows come back from forked workers: every string a copy of its own."""
    words = ["市场监管", "营商环境", "市场监管", "市场监管"]
    frame = pd.DataFrame({"term": ["".join(list(w)) for w in words], "n": range(4)})
    frame["gap"] = ["a", None, "".join("ab"), "ab"]  # a missing value: left as it is
    before = frame.copy()
    share_strings(frame, ["term", "gap"])
    pd.testing.assert_frame_equal(frame, before)
    term = frame["term"].tolist()
    assert term[0] is term[2] is term[3] and term[0] is not term[1]
    gap = frame["gap"].tolist()
    assert gap[2] is not gap[3]
    assert terms["term"].nunique() == len({id(t) for t in terms["term"].tolist()})  # the build's
