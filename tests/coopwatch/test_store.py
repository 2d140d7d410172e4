"""The store: idempotent upserts, stage state by version and rev, runs and drops."""

from __future__ import annotations

from datetime import date

from coopwatch.records import Analysis, Article, EntityMention, Event, article_id, canonical_url
from coopwatch.store import Store


def art(url="https://example.org/news/1.html", text="Hospital cooperation text.") -> Article:
    return Article.build(url=url, source="t", title="Title", text=text)


def analysis(a: Article, version="nlp-1", relevance=0.9) -> Analysis:
    return Analysis(
        article_id=a.id,
        lang="en",
        lang_confidence=0.99,
        entities=[EntityMention(entity_id="org:who", name="World Health Organization", type="IGO", surface="WHO", start=0, end=3)],
        events=[Event(type="visit", date=date(2024, 3, 1), precision="day", participants=["org:who"], evidence="WHO visited.")],
        countries=["VN"],
        relevance=relevance,
        nlp_version=version,
    )


def test_canonical_ids():
    assert article_id("https://Example.org/a/?utm_source=x&b=2&a=1#top") == article_id("https://example.org/a?a=1&b=2")
    assert canonical_url("https://example.org/a/") == "https://example.org/a"
    assert article_id("https://example.org/a") != article_id("https://example.org/b")


def test_upsert_outcomes(tmp_path):
    st = Store(f"sqlite:///{tmp_path}/s.db")
    a = art()
    assert st.upsert_article(a) == "new"
    assert st.upsert_article(a) == "unchanged"
    assert st.upsert_article(art(text="Hospital cooperation text, corrected.")) == "updated"
    assert st.count_articles() == 1


def test_process_pending_follows_version_and_content(tmp_path):
    st = Store(f"sqlite:///{tmp_path}/s.db")
    a = art()
    st.upsert_article(a)
    assert [x.id for x in st.pending_analysis("nlp-1")] == [a.id]
    st.save_analysis(a, analysis(a))
    assert st.pending_analysis("nlp-1") == []
    assert len(st.pending_analysis("nlp-2")) == 1  # a new NLP version reprocesses
    changed = art(text="Hospital cooperation text, corrected.")
    st.upsert_article(changed)
    assert len(st.pending_analysis("nlp-1")) == 1  # changed content reprocesses


def test_save_analysis_replaces_derived_rows(tmp_path):
    st = Store(f"sqlite:///{tmp_path}/s.db")
    a = art()
    st.upsert_article(a)
    st.save_analysis(a, analysis(a))
    st.save_analysis(a, analysis(a))  # re-run: no duplicate mentions or events
    got = st.get_analysis(a.id)
    assert len(got.entities) == 1 and len(got.events) == 1
    assert got.events[0].date == date(2024, 3, 1)
    assert st.entity_table()[0]["mentions"] == 1
    assert st.resolve_entity("who") == ["org:who"]


def test_index_state_tracks_revisions(tmp_path):
    st = Store(f"sqlite:///{tmp_path}/s.db")
    a = art()
    st.upsert_article(a)
    st.save_analysis(a, analysis(a))
    [(aid, rev, _rel)] = st.pending_index("sqlite")
    st.mark_indexed("sqlite", [(aid, rev)])
    assert st.pending_index("sqlite") == []
    assert len(st.pending_index("elasticsearch")) == 1  # each backend has its own state
    st.save_analysis(a, analysis(a))  # reprocessed → new rev → pending again
    assert len(st.pending_index("sqlite")) == 1


def test_runs_and_drops(tmp_path):
    st = Store(f"sqlite:///{tmp_path}/s.db")
    rid = st.start_run("crawl")
    st.finish_run(rid, "ok", {"new": 3})
    st.record_drop(source="s", url="http://x", reason="http-404")
    assert st.list_runs()[0]["counts"] == {"new": 3}
    assert st.drop_counts() == {"http-404": 1}
