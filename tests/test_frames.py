"""Row iteration: records() yields what itertuples yields, faster."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xref.frames import records


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
