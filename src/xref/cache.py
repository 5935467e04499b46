"""A persistent cache of segmentations, keyed by content.

Segmenting is the costliest step of a build, and a text's tokens depend only on the text,
the segmenter backend and the shipped dictionary; the cache keys them on a hash of those, so
a rebuild segments only new or changed documents. Tokens are stored as their end offsets
(the words are slices of the text), in one SQLite file, which any number of readers may
open. A damaged or foreign file is never trusted: it is set aside and rebuilt.
"""

from __future__ import annotations

import hashlib
import sqlite3
from array import array
from pathlib import Path

SCHEMA = "xref-tokens-1"


def content_key(fingerprint: str, text: str) -> str:
    return hashlib.sha256(f"{fingerprint}\n{text}".encode()).hexdigest()


class TokenCache:
    """``get``/``put`` token end offsets by content key, in ``<folder>/tokens.sqlite``."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / "tokens.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = self.misses = 0
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            self.path.replace(self.path.with_suffix(".sqlite.broken"))
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60)
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, ends BLOB)")
        found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if found is None:
            db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
            db.commit()
        elif found[0] != SCHEMA:
            db.close()
            raise sqlite3.DatabaseError(f"{self.path}: not an {SCHEMA} cache")
        return db

    def get(self, key: str) -> array | None:
        row = self._db.execute("SELECT ends FROM tokens WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        ends = array("I")
        ends.frombytes(row[0])
        return ends

    def put(self, key: str, ends: array) -> None:
        self._db.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?)", (key, ends.tobytes()))

    def close(self) -> None:
        self._db.commit()
        self._db.close()
