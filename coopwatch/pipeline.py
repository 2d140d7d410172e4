"""The stages as plain functions: crawl, ingest, process, index, run.

The CLI and the scheduler only pass settings in and call these. Each stage
reads what the previous one committed to the store, records its own result,
and counts every outcome; each is idempotent, so a killed run is simply run
again.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DatabaseError

from coopwatch.errors import InputError
from coopwatch.records import IndexDoc
from coopwatch.settings import Settings
from coopwatch.store import Store, chunks
from crawlers.extract import Dropped, build_article
from crawlers.sources import Source

log = logging.getLogger(__name__)
Progress = Callable[[int], None]  # called with the number of items just finished


def _noop(_n: int) -> None:
    pass


def tracked(store: Store, kind: str, fn: Callable[[], dict[str, Any]], job: str | None = None) -> dict[str, Any]:
    """Run a stage and record it in the runs table; a failure is recorded then re-raised."""
    run_id = store.start_run(kind, job)
    try:
        counts = fn()
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        store.finish_run(run_id, status, {}, f"{type(exc).__name__}: {exc}")
        raise
    failed = counts.get("failed", 0) if isinstance(counts.get("failed", 0), int) else 0
    store.finish_run(run_id, "ok" if not failed else "failed", counts, f"{failed} item(s) failed" if failed else None)
    counts["run_id"] = run_id
    return counts


# ------------------------------------------------------------------------ crawl
def crawl(settings: Settings, sources: list[Source], sources_file: Path, **kw: Any) -> dict[str, Any]:
    from crawlers.runner import run_crawl

    counts = run_crawl(settings, sources, sources_file, **kw)
    counts["failed"] = counts["totals"].get("failed", 0)  # read by tracked(): the run is failed, the CLI exits 1
    return counts


# ------------------------------------------------------------------------ ingest
def _checked_url(url: str) -> str:
    """``url`` when it is a well-formed http(s) address; else an error naming what is wrong."""
    from urllib.parse import urlsplit

    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InputError(f"{url!r} is not a valid URL: it contains a space or control character (write %20)")
    try:
        host = urlsplit(url).hostname
    except ValueError as exc:
        raise InputError(f"{url!r} is not a valid URL: {exc}") from exc
    if not host:
        raise InputError(f"{url!r} is not a valid URL: it names no host")
    return url


def _iter_inputs(items: Iterable[str]) -> Iterable[tuple[str, Path | None]]:
    for item in items:
        if item.startswith(("http://", "https://")):
            yield _checked_url(item), None
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm", ".xhtml"))
            if not found:
                raise InputError(f"{path} holds no .html/.htm files")
            for p in found:
                yield p.resolve().as_uri(), p
        elif path.is_file():
            yield path.resolve().as_uri(), path
        else:
            raise InputError(f"{item} is neither a URL nor an existing file or directory")


def _canonical_link(body: bytes) -> str | None:
    """A saved page's own canonical URL (so it dedups with the crawled copy)."""
    from parsel import Selector

    from crawlers.encoding import BinaryContent, decode_html

    try:
        sel = Selector(text=decode_html(body).text)  # the crawl's decoder: a GBK or UTF-16 file reads right
    except (BinaryContent, ValueError, TypeError):
        return None
    for xp in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        val = sel.xpath(xp).get()
        if val and val.startswith(("http://", "https://")):
            return val.strip()
    return None


def _too_big(size: int, settings: Settings, what: str) -> None:
    if size > settings.max_page_bytes:
        raise Dropped("oversized", f"{size} bytes ({what}) > max_page_bytes {settings.max_page_bytes}")


def fetch_url(url: str, settings: Settings) -> tuple[bytes, str | None]:
    """GET one page; a Content-Length over ``max_page_bytes`` is refused before the body is read."""
    req = urllib.request.Request(url, headers={"User-Agent": settings.user_agent})
    try:
        with urllib.request.urlopen(req, timeout=settings.download_timeout) as resp:  # noqa: S310 - http(s) only, checked above
            length = resp.headers.get("Content-Length")
            if length and length.strip().isdigit():
                _too_big(int(length), settings, "Content-Length")
            body = resp.read(settings.max_page_bytes + 1)  # never more than one byte past the limit
            _too_big(len(body), settings, "read so far")
            return body, resp.headers.get("Content-Type")
    except OSError as exc:
        raise Dropped("fetch-error", str(exc)) from exc


def read_saved(path: Path, settings: Settings) -> bytes:
    """A saved page's bytes; one over ``max_page_bytes`` is refused from its size, unread."""
    try:
        _too_big(path.stat().st_size, settings, "file size")
        with path.open("rb") as fh:
            body = fh.read(settings.max_page_bytes + 1)  # the file may have grown since the stat
    except OSError as exc:
        raise Dropped("unreadable", f"{path}: {exc.strerror or exc}") from exc
    _too_big(len(body), settings, "file size")
    return body


def ingest(
    store: Store,
    settings: Settings,
    items: list[str],
    *,
    source: str = "ingest",
    lang: str | None = None,
    progress: Progress = _noop,
) -> dict[str, Any]:
    """Store saved HTML files (or single pages by URL) without a crawl.

    Each page goes through the crawl's own checks (:class:`crawlers.intake.Intake`):
    an exact copy of a stored text is ``duplicate-content``, a near-duplicate is
    linked, and a saved page whose canonical link names a stored article with
    other text is ``canonical-conflict`` — it never overwrites that article.
    An unexpected error on one page is ``extract-error``, counted as ``failed``.
    """
    from crawlers.intake import Intake

    counts: dict[str, Any] = {"new": 0, "updated": 0, "unchanged": 0, "duplicate-near": 0, "failed": 0,
                              "ids": [], "drops": []}
    intake = Intake(store)
    for uri, path in list(_iter_inputs(items)):
        try:
            try:
                if path is None:
                    body, ctype = fetch_url(uri, settings)
                else:
                    body, ctype = read_saved(path, settings), None
                claimed = _canonical_link(body) if path is not None else None
                art = build_article(
                    url=claimed or uri, source=source, body=body, content_type=ctype, lang_hint=lang,
                    max_bytes=settings.max_page_bytes,
                )
                admitted = intake.admit(art, claimed=claimed is not None)
            except (Dropped, DatabaseError):  # a broken store stops the batch: the CLI names it
                raise
            except Exception as exc:  # one bad page never stops the batch nor vanishes: a named failure
                counts["failed"] += 1
                log.exception("ingest failed on %s", uri)
                raise Dropped("extract-error", f"{type(exc).__name__}: {exc}") from exc
        except Dropped as exc:
            store.record_drop(source=source, url=uri, reason=exc.reason, detail=exc.detail)
            counts[f"dropped/{exc.reason}"] = counts.get(f"dropped/{exc.reason}", 0) + 1
            if len(counts["drops"]) < 20:
                counts["drops"].append(f"{exc.reason}: {uri} {exc.detail}".strip())
            log.warning("dropped %s: %s", uri, exc)
            progress(1)
            continue
        counts[admitted.outcome] += 1
        counts["duplicate-near"] += admitted.near is not None
        counts["ids"].append(art.id)
        progress(1)
    return counts


# ------------------------------------------------------------------------ process
def process(
    store: Store,
    settings: Settings,
    *,
    limit: int | None = None,
    force: bool = False,
    progress: Progress = _noop,
    on_total: Callable[[int], None] = _noop,
) -> dict[str, Any]:
    """Analyse every article whose analysis is missing, outdated or stale."""
    from nlp.pipeline import NLP_VERSION, Analyzer

    pending = store.pending_analysis(NLP_VERSION, limit, force=force)
    on_total(len(pending))
    counts: dict[str, Any] = {"processed": 0, "relevant": 0, "failed": 0, "errors": []}
    if not pending:
        return counts
    analyzer = Analyzer(settings)
    for art in pending:
        try:
            analysis = analyzer.analyze(art)
        except Exception as exc:  # one bad article must not stop the batch; it stays pending
            counts["failed"] += 1
            counts["errors"].append(f"{art.id}: {type(exc).__name__}: {exc}")
            log.exception("NLP failed on %s", art.id)
            progress(1)
            continue
        store.save_analysis(art, analysis)
        counts["processed"] += 1
        counts["relevant"] += int(analysis.relevance >= settings.relevance_threshold)
        progress(1)
    counts["errors"] = counts["errors"][:20]
    return counts


# ------------------------------------------------------------------------ index
def index(
    store: Store,
    settings: Settings,
    backend: Any,
    *,
    progress: Progress = _noop,
    on_total: Callable[[int], None] = _noop,
) -> dict[str, Any]:
    """Send every analysis the backend does not hold yet; irrelevant ones are skipped (and removed)."""
    backend.check()
    held = store.indexed_ids(backend.name)
    if held and backend.count() == 0:
        # The index was emptied or rebuilt (a new index format): refill it from the store.
        store.reset_index_state(backend.name)
        held = set()
    pending = store.pending_index(backend.name)
    on_total(len(pending))
    counts: dict[str, Any] = {"indexed": 0, "skipped_irrelevant": 0, "removed": 0, "failed": 0, "errors": []}
    for batch in chunks(pending, settings.batch_size):
        docs, revs, skipped = [], {}, []
        for art_id, rev, relevance in batch:
            if relevance < settings.relevance_threshold and not settings.index_irrelevant:
                skipped.append((art_id, rev))
                continue
            art, an = store.get_article(art_id), store.get_analysis(art_id)
            if art is None or an is None:
                continue
            docs.append(IndexDoc.from_records(art, an))
            revs[art_id] = rev
        gone = [a for a, _ in skipped if a in held]
        if gone:
            counts["removed"] += backend.delete(gone)
        store.mark_indexed(backend.name, skipped, status="skipped-irrelevant")
        counts["skipped_irrelevant"] += len(skipped)
        if docs:
            report = backend.index(docs)
            store.mark_indexed(backend.name, [(i, revs[i]) for i in report.indexed])
            counts["indexed"] += len(report.indexed)
            counts["failed"] += len(report.failed)
            counts["errors"] += [f"{i}: {why}" for i, why in list(report.failed.items())[:20]]
        progress(len(batch))
    counts["errors"] = counts["errors"][:20]
    return counts
