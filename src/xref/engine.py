"""Running a build's heavy stages on a dask.distributed cluster (``xref build --engine dask``).

Segmentation runs per partition of documents and linking per region block (one parent
document and the documents that may implement it), each on whichever worker dask chooses.
Every worker builds its own segmenter once, from the same vocabulary. The work units are the
functions the local engine runs, so the outputs are the same, byte for byte; only where they
run changes. The segmentation cache is not used on workers (one SQLite file shared by many
machines is no cache); a cluster is for corpora too large to rebuild on one machine anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from xref.parallel import partitions
from xref.segment import Segmenter
from xref.types import Corpus

PARTITION_CHARS = 2_000_000  # characters of text per segmentation task


def connect(scheduler: str | None = None):
    """A dask client: to the scheduler at ``scheduler`` (``tcp://host:8786``), or to a new
    cluster of local processes, one single-threaded worker per core."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ImportError("--engine dask needs dask.distributed: pip install 'xref[dask]'") from exc
    if scheduler:
        return Client(scheduler)
    return Client(LocalCluster(threads_per_worker=1, processes=True, dashboard_address=None))


@cache
def _worker_segmenter(extra_terms: tuple[str, ...], backend: str) -> Segmenter:
    return Segmenter(extra_terms, backend=backend)  # once per worker process


def _segment(texts: Sequence[str], extra_terms: tuple[str, ...], backend: str) -> list:
    segmenter = _worker_segmenter(extra_terms, backend)
    return [segmenter.tokenize(text) for text in texts]


def segment(client, corpus: Corpus, segmenter: Segmenter) -> None:
    """Segment every document on the cluster; ``segmenter`` then holds all the tokens."""
    texts = list(dict.fromkeys(doc.text for doc in corpus))
    parts = partitions(texts, PARTITION_CHARS)
    futures = client.map(
        _segment, parts, extra_terms=segmenter.extra_terms, backend=segmenter.backend
    )
    for part, tokens in zip(parts, client.gather(futures), strict=True):
        for text, toks in zip(part, tokens, strict=True):
            segmenter.remember(text, toks)


def block_mapper(client) -> Callable:
    """A ``map`` that scores link blocks on the cluster, results in order."""

    def run(fn: Callable, jobs: list) -> list:
        # a worker elsewhere has no token index: each job travels with its views built
        return client.gather(client.map(fn, [job.with_views() for job in jobs], pure=False))

    return run
