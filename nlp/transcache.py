"""On-disk translation cache: one SQLite table keyed by content hash.

Key = sha1(model id + NUL + source sentence). The model id names the
installed model and changes when it is reinstalled (size and mtime of its
``model.bin``), so a new model never serves old translations. Reprocessing
an article (new NLP version, new gazetteer) re-translates nothing that an
identical sentence already got from the same model, and boilerplate
sentences repeated across a site are translated once.

The file lives in the data directory (``<data_dir>/translations.sqlite``),
in WAL mode with a busy timeout so several NLP workers can share it. A
corrupt or unwritable cache never stops the pipeline: lookups then miss and
writes are skipped (counted in :attr:`TranslationCache.errors`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

FILE_NAME = "translations.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, model TEXT NOT NULL, en TEXT NOT NULL)"


def cache_key(model_id: str, sentence: str) -> str:
    return hashlib.sha1(f"{model_id}\x00{sentence}".encode()).hexdigest()


class TranslationCache:
    """Sentence → English per model; thread-safe; counts hits and misses."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_SCHEMA)
                self._conn = conn
            except (OSError, sqlite3.Error):
                self.errors += 1
                return None
        return self._conn

    def get_many(self, model_id: str, sentences: list[str]) -> dict[str, str]:
        """Cached translations for those of ``sentences`` that have one."""
        keys = {cache_key(model_id, s): s for s in dict.fromkeys(sentences)}
        found: dict[str, str] = {}
        with self._lock:
            conn = self._connect()
            if conn is not None and keys:
                try:
                    key_list = list(keys)
                    for i in range(0, len(key_list), 500):
                        part = key_list[i : i + 500]
                        marks = ",".join("?" * len(part))
                        for key, en in conn.execute(f"SELECT key, en FROM translations WHERE key IN ({marks})", part):
                            found[keys[key]] = en
                except sqlite3.Error:
                    self.errors += 1
            self.hits += len(found)
            self.misses += len(keys) - len(found)
        return found

    def put_many(self, model_id: str, pairs: dict[str, str]) -> None:
        rows = [(cache_key(model_id, s), model_id, en) for s, en in pairs.items()]
        if not rows:
            return
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            try:
                conn.execute("BEGIN")
                conn.executemany("INSERT OR REPLACE INTO translations (key, model, en) VALUES (?, ?, ?)", rows)
                conn.execute("COMMIT")
            except sqlite3.Error:
                self.errors += 1
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass

    def count(self, model_id: str | None = None) -> int:
        with self._lock:
            conn = self._connect()
            if conn is None:
                return 0
            if model_id is None:
                return int(conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0])
            return int(conn.execute("SELECT COUNT(*) FROM translations WHERE model = ?", (model_id,)).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


_caches: dict[Path, TranslationCache] = {}
_caches_lock = threading.Lock()


def get_cache(data_dir: Path) -> TranslationCache:
    """The process-wide cache object for ``data_dir`` (one connection per file)."""
    path = Path(data_dir) / FILE_NAME
    with _caches_lock:
        if path not in _caches:
            _caches[path] = TranslationCache(path)
        return _caches[path]
