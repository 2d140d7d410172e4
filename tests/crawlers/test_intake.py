"""Ingest judges a page with the crawl's own checks (crawlers/intake.py): a saved copy of a crawled
page is a duplicate, an edited one is linked, and a canonical link never overwrites a stored article."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coopwatch import pipeline
from coopwatch.records import article_id
from coopwatch.store import Store
from crawlers.runner import run_crawl
from crawlers.sources import load_sources

TELE = Path(__file__).parents[1] / "fixtures" / "replicas" / "atom" / "news" / "tele.html"


def _crawl_replica(settings, replica_site, write_registry) -> str:
    server = replica_site("atom")
    path = write_registry(
        server.base,
        [{"name": "replica-atom", "lang": "en", "kind": "rss", "start_urls": ["{base}/atom.xml"],
          "article_patterns": ["/news/"]}],
    )
    report = run_crawl(settings, load_sources(path), path)
    assert report["totals"]["new"] == 3
    return server.base


def test_saved_copies_of_crawled_pages_go_through_the_crawls_duplicate_checks(settings, replica_site, write_registry, tmp_path):
    base = _crawl_replica(settings, replica_site, write_registry)
    store = Store.open(settings)
    tele_id = article_id(f"{base}/news/tele.html")
    html = TELE.read_text()
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "exact.html").write_text(html)  # saved as-is, no canonical link
    (saved / "edited.html").write_text(html.replace("twelve Vietnamese residents", "fifteen Vietnamese residents"))

    counts = pipeline.ingest(store, settings, [str(saved / "exact.html")])
    assert counts["dropped/duplicate-content"] == 1 and counts["new"] == 0
    assert store.count_articles() == 3  # no second copy to index
    assert store.drop_counts()["duplicate-content"] == 1

    counts = pipeline.ingest(store, settings, [str(saved / "edited.html")])
    assert counts["new"] == 1 and counts["duplicate-near"] == 1
    (edited_id,) = counts["ids"]
    assert store.duplicate_links()[edited_id][0] == tele_id  # linked to the crawled original, kept


def test_a_canonical_link_never_overwrites_a_stored_article(settings, replica_site, write_registry, tmp_path):
    base = _crawl_replica(settings, replica_site, write_registry)
    store = Store.open(settings)
    tele_url = f"{base}/news/tele.html"
    before = store.get_article(article_id(tele_url))
    head = f'<link rel="canonical" href="{tele_url}">'
    html = TELE.read_text().replace("<title>", head + "<title>")
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "same.html").write_text(html)
    (saved / "other.html").write_text(html.replace("cardiology and stroke care", "oncology and paediatrics"))

    counts = pipeline.ingest(store, settings, [str(saved / "same.html")], source="analyst")
    assert counts["unchanged"] == 1

    res = subprocess.run(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(settings.data_dir), "ingest", str(saved / "other.html"),
         "--source", "analyst"],
        capture_output=True, text=True, timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "dropped/canonical-conflict=1" in res.stderr
    line = next(ln for ln in res.stderr.splitlines() if "dropped canonical-conflict:" in ln)
    assert "other.html" in line and "replica-atom" in line
    after = store.get_article(article_id(tele_url))
    assert (after.text, after.title, after.source, after.content_sha1) == (
        before.text, before.title, "replica-atom", before.content_sha1)
    assert store.drop_counts()["canonical-conflict"] == 1

    # the same page asked for by its own address is a real fetch: it may update the article
    counts = pipeline.ingest(store, settings, [tele_url])
    assert counts["unchanged"] == 1 and json.dumps(counts)
