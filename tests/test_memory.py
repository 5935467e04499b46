"""Freed memory goes back to the system between stages."""

from __future__ import annotations

import os
import sys

import pytest

from xref.memory import release


def _resident() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc: Linux")
def test_release_returns_a_fragmented_heap_to_the_system() -> None:
    before = _resident()
    blocks = [bytearray(2000) for _ in range(100_000)]  # 200 MB, each too big for pymalloc
    survivors = blocks[::1000]  # a few live blocks pin the heap: free() alone keeps its pages
    del blocks
    held = _resident()
    release()
    assert held - before > 150e6
    assert held - _resident() > 150e6
    assert len(survivors) == 100
