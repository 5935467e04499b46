"""Memory a stage has freed, handed back to the operating system between stages."""

from __future__ import annotations

import ctypes
import gc
import sys
from functools import cache


@cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None (another C library, or not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release() -> None:
    """Collect garbage, then return the allocator's free pages to the system.

    glibc keeps what Python frees in its heap, where a few live objects pin the pages around
    them: after the link stage drops its candidates, the process stays as large as at its
    peak, and the next stage's memory comes on top. ``malloc_trim`` gives back every free page,
    wherever it lies in the heap.
    """
    gc.collect()
    if (trim := _malloc_trim()) is not None:
        trim(0)
