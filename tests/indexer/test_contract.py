"""One contract suite for every SearchBackend (embedded SQLite today, engines later).

Add an engine by appending a factory to ``BACKEND_FACTORIES`` wrapped in
``pytest.param(..., marks=pytest.mark.engine)``; every test below then runs
against it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coopwatch.query import QueryError
from coopwatch.records import IndexDoc
from indexer.base import BackendError, SearchBackend, SearchQuery
from indexer.sqlite_fts import SqliteBackend


def sqlite_factory(tmp_path: Path, request: pytest.FixtureRequest) -> SearchBackend:
    """The embedded backend as shipped: searches answered by its tantivy mirror."""
    backend = SqliteBackend(tmp_path / "search.db")
    request.addfinalizer(lambda: _assert_mirror_used(backend))
    return backend


def _assert_mirror_used(backend: SqliteBackend) -> None:
    assert backend.count() == 0 or backend._mirror_ready(), "the tantivy mirror fell out of step"


def sqlite_fts5_factory(tmp_path: Path, request: pytest.FixtureRequest) -> SearchBackend:
    """The embedded backend's fallback: every search answered by SQLite FTS5."""
    return SqliteBackend(tmp_path / "search.db", mirror=False)


def engine_factory(flavour: str) -> Callable[[Path, pytest.FixtureRequest], SearchBackend]:
    """A backend on the session's real node, on a fresh index (the previous test's is dropped)."""

    def factory(tmp_path: Path, request: pytest.FixtureRequest) -> SearchBackend:
        from indexer.elastic import ElasticBackend
        from indexer.elastic_client import Auth

        cluster = request.getfixturevalue(f"{flavour}_cluster")
        be = ElasticBackend(Auth(url=cluster.url), flavour=flavour, index="contract", replicas=0)
        be.engine.raw.indices.delete(index="contract-v*", ignore_unavailable=True)
        return be

    return factory


BACKEND_FACTORIES = [
    pytest.param(sqlite_factory, id="sqlite"),
    pytest.param(sqlite_fts5_factory, id="sqlite-fts5"),
    pytest.param(engine_factory("opensearch"), id="opensearch", marks=pytest.mark.engine),
    pytest.param(engine_factory("elasticsearch"), id="elasticsearch", marks=pytest.mark.engine),
]


@pytest.fixture(params=BACKEND_FACTORIES)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    factory: Callable[[Path, pytest.FixtureRequest], SearchBackend] = request.param
    be = factory(tmp_path, request)
    be.check()
    yield be
    be.close()


@pytest.fixture
def loaded(backend: SearchBackend, corpus: dict[str, IndexDoc]) -> SearchBackend:
    report = backend.index(corpus.values())
    assert not report.failed
    assert sorted(report.indexed) == sorted(d.id for d in corpus.values())
    return backend


def ids(results) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.id for h in results.hits}


def search(backend: SearchBackend, text: str = "", **kw) -> object:  # type: ignore[no-untyped-def]
    return backend.search(SearchQuery(text=text, **kw))


# -- indexing -----------------------------------------------------------------


def test_index_is_idempotent_upsert(backend: SearchBackend, corpus: dict[str, IndexDoc], make_doc: Any) -> None:
    backend.index(corpus.values())
    backend.index(corpus.values())
    assert backend.count() == len(corpus)
    doc = corpus["de"]
    changed = make_doc(
        doc.url,
        lang="de",
        source="aerzteblatt",
        title="Neuer Titel über Impfstoffe",
        text="Impfstoffe für Laos.",
        countries=["LA"],
        entities=[("org:unicef", "UNICEF")],
    )
    backend.index([changed])
    assert backend.count() == len(corpus)
    stored = backend.get(doc.id)
    assert stored is not None and stored["title"] == "Neuer Titel über Impfstoffe"
    assert stored["countries"] == ["LA"] and stored["entities"][0]["id"] == "org:unicef"
    # Nothing of the old version survives: text, facets, events.
    assert doc.id not in ids(search(backend, "Charité"))
    assert doc.id in ids(search(backend, "Impfstoffe"))
    assert doc.id not in ids(search(backend, countries=["DE"]))
    assert doc.id not in ids(search(backend, entities=["hosp:charite"]))
    assert not backend.events(entity="hosp:charite")


def test_get_returns_stored_fields(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    doc = corpus["zh"]
    got = loaded.get(doc.id)
    assert got is not None
    assert got["id"] == doc.id and got["url"] == doc.url and got["lang"] == "zh"
    assert got["title"] == doc.title and got["text_en"] == doc.text_en
    assert got["published_at"].startswith("2023-11-06")
    assert {e["id"] for e in got["entities"]} == {"org:who", "gov:vn-moh"}
    assert got["events"][0]["type"] == "agreement_signing"
    assert loaded.get("no-such-id") is None


def test_delete(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    gone = corpus["vi"].id
    assert loaded.delete([gone, "unknown-id"]) == 1
    assert loaded.count() == len(corpus) - 1
    assert loaded.get(gone) is None
    assert gone not in ids(search(loaded, "bệnh viện"))
    assert "training_exchange" not in search(loaded).facets["event_type"]
    assert loaded.delete([]) == 0


# -- full text in four languages ------------------------------------------------


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("远程医疗", "zh"),  # jieba segmentation
        ("Krankenhäuser", "de"),  # German stemming: Krankenhaus
        ("bệnh viện", "vi"),  # Vietnamese syllables with diacritics
        ("hospitals", "en"),  # English stemming: hospital
    ],
)
def test_search_each_language(loaded: SearchBackend, corpus: dict[str, IndexDoc], query: str, key: str) -> None:
    res = search(loaded, query)
    assert corpus[key].id in ids(res)
    assert res.hits[0].score >= res.hits[-1].score


def test_matching_ignores_accents_and_case(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    # Analysts type without tone marks: "benh vien" finds "bệnh viện" (issue 10).
    assert corpus["vi"].id in ids(search(loaded, "BENH VIEN", langs=["vi"]))


def test_cross_language_hit_through_translation(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    res = search(loaded, "telemedicine agreement")
    assert corpus["zh"].id in ids(res)
    hit = next(h for h in res.hits if h.id == corpus["zh"].id)
    assert hit.snippet_en is not None and "<mark>telemedicine</mark>" in hit.snippet_en


def test_title_ranks_above_text(backend: SearchBackend, make_doc: Any) -> None:
    a = make_doc("https://x.example/title", title="Vaccine donation", text="Supplies were shipped.")
    b = make_doc("https://x.example/body", title="Supplies shipped", text="A vaccine donation was shipped.")
    backend.index([b, a])
    assert [h.id for h in search(backend, "vaccine").hits] == [a.id, b.id]


def test_empty_query_lists_newest_first(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    res = search(loaded, per_page=100)
    assert res.total == len(corpus)
    order = [h.id for h in res.hits]
    assert order[:4] == [corpus[k].id for k in ("vi", "de", "en", "zh")]
    assert order[-1] == corpus["undated"].id


@pytest.mark.parametrize(
    ("malformed", "position"),
    [('AND OR " * (', 7), ('"', 0), ("*", 0), ("NEAR(", 5), (")))", 0), ("a OR", 2), ("NOT", 0), ("()", 0), ("-x", 0)],
)
def test_malformed_queries_name_the_position(loaded: SearchBackend, malformed: str, position: int) -> None:
    with pytest.raises(QueryError, match=f"position {position}") as exc:
        search(loaded, malformed)
    assert exc.value.position == position


@pytest.mark.parametrize("odd", ["title:x", "^a", "a-", "C++ hospital", "near and"])
def test_odd_but_valid_queries_run(loaded: SearchBackend, odd: str) -> None:
    assert search(loaded, odd).total >= 0


def test_query_with_operator_words_in_a_phrase(backend: SearchBackend, make_doc: Any) -> None:
    doc = make_doc("https://x.example/ops", title="Research AND development", text="near and far")
    backend.index([doc])
    assert doc.id in ids(search(backend, '"research and development"'))
    assert doc.id in ids(search(backend, "near and far"))


# -- the query language (issue 10): one grammar, the same answers on every backend


@pytest.fixture
def grammar(backend: SearchBackend, make_doc: Any) -> dict[str, Any]:
    docs = {
        "tele_en": make_doc("https://g.example/1", title="Telemedicine hospital opens in Laos", countries=["LA"]),
        "tele_de": make_doc("https://g.example/2", lang="de", title="Telemedizin im Krankenhaus", text="Ein Projekt."),
        "tele_zh": make_doc("https://g.example/3", lang="zh", title="远程医疗中心", text="医院合作。"),
        "ukraine": make_doc("https://g.example/4", title="Support for hospital staff", text="Support reached Ukraine."),
        "charite": make_doc("https://g.example/5", lang="de", title="Charité und Lạng Sơn", text="Partnerschaft."),
        "other": make_doc("https://g.example/6", title="Hospital budget", text="A plain story."),
    }
    assert not backend.index(docs.values()).failed
    return {"backend": backend, **{k: d.id for k, d in docs.items()}}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("telemedicine OR Telemedizin OR 远程医疗", {"tele_en", "tele_de", "tele_zh"}),
        ("telemedicine | Telemedizin", {"tele_en", "tele_de"}),
        ("tele*", {"tele_en", "tele_de"}),
        ("hospital -Laos", {"ukraine", "other"}),
        ("hospital NOT (Laos OR budget)", {"ukraine"}),
        ("(telemedicine OR Telemedizin) AND Laos", {"tele_en"}),
        ('"hospital staff"', {"ukraine"}),
        ('"staff hospital"', set()),
        ("support for Ukraine hospitals", {"ukraine"}),  # 2 of 3 words needed: "hospitals" alone is not enough
        ("Charite", {"charite"}),
        ("lang son", {"charite"}),
    ],
)
def test_query_grammar(grammar: dict[str, Any], query: str, expected: set[str]) -> None:
    got = ids(search(grammar["backend"], query, per_page=100))
    assert got == {grammar[k] for k in expected}


def test_ranked_words_rank_documents_matching_more_first(grammar: dict[str, Any]) -> None:
    hits = search(grammar["backend"], "telemedicine hospital Laos").hits
    assert hits[0].id == grammar["tele_en"]


def test_expanded_query_crosses_languages(grammar: dict[str, Any]) -> None:
    from nlp.crosslang import expand_text

    tree = expand_text("telemedicine")
    res = grammar["backend"].search(SearchQuery(text="telemedicine", tree=tree))
    assert {grammar["tele_en"], grammar["tele_de"], grammar["tele_zh"]} <= ids(res)
    laos = grammar["backend"].search(SearchQuery(text="Laos", tree=expand_text("Laos")))
    assert grammar["tele_en"] in ids(laos)


# -- filters, facets, pagination ------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"langs": ["de"]}, {"de"}),
        ({"langs": ["de", "vi"]}, {"de", "vi"}),
        ({"sources": ["who", "xinhua"]}, {"en", "zh"}),
        ({"countries": ["cn"]}, {"zh", "vi"}),
        ({"countries": ["CN", "DE"]}, {"zh", "vi", "de", "en"}),
        ({"entities": ["org:who"]}, {"zh", "de", "en"}),
        ({"event_types": ["aid_mission", "launch"]}, {"de", "en"}),
        ({"entities": ["org:who"], "countries": ["CN"]}, {"zh"}),
        ({"langs": ["en"], "event_types": ["launch"]}, {"en"}),
        ({"date_from": date(2023, 11, 20)}, {"en", "de", "vi"}),
        ({"date_to": date(2023, 11, 20)}, {"zh", "en"}),
        ({"date_from": date(2023, 11, 7), "date_to": date(2023, 12, 1)}, {"en", "de"}),
    ],
)
def test_filters(loaded: SearchBackend, corpus: dict[str, IndexDoc], filters: dict, expected: set[str]) -> None:
    res = search(loaded, **filters)
    assert ids(res) == {corpus[k].id for k in expected}
    assert res.total == len(expected)


def test_filters_combine_with_text(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    assert ids(search(loaded, "hospital", langs=["de"])) == {corpus["de"].id}
    assert ids(search(loaded, "WHO", date_to=date(2023, 11, 30))) == {corpus["zh"].id, corpus["en"].id}


def test_facets_count_the_whole_match_set(loaded: SearchBackend) -> None:
    res = search(loaded, per_page=1)
    assert len(res.hits) == 1 and res.total == 5
    f = res.facets
    assert f["lang"] == {"en": 2, "zh": 1, "de": 1, "vi": 1}
    assert f["source"]["who"] == 1 and sum(f["source"].values()) == 5
    assert f["country"] == {"VN": 4, "CN": 2, "DE": 2, "LA": 1}
    assert f["entity"] == {"org:who": 3, "gov:vn-moh": 1, "hosp:charite": 1, "hosp:bach-mai": 1}
    assert f["event_type"]["agreement_signing"] == 1 and f["event_type"]["conference_meeting"] == 1
    filtered = search(loaded, "hospital", countries=["VN"]).facets
    assert sum(filtered["lang"].values()) == search(loaded, "hospital", countries=["VN"]).total


def test_facets_can_be_skipped(loaded: SearchBackend) -> None:
    assert not any(search(loaded, facets=False).facets.values())


def test_pagination(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    pages = [search(loaded, page=p, per_page=2) for p in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [2, 2, 1, 0]
    assert all(p.total == 5 for p in pages)
    seen = [h.id for p in pages for h in p.hits]
    assert len(set(seen)) == 5
    assert pages[1].page == 2 and pages[1].per_page == 2


@pytest.mark.parametrize("bad", [{"page": 0}, {"per_page": 0}, {"per_page": 101}, {"page": -1}])
def test_pagination_is_validated(loaded: SearchBackend, bad: dict) -> None:
    with pytest.raises(ValueError, match="page"):
        search(loaded, **bad)


# -- snippets -----------------------------------------------------------------


def test_snippets_mark_matches_and_escape_html(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    res = search(loaded, "partnership")
    hit = next(h for h in res.hits if h.id == corpus["en"].id)
    assert "<mark>partnership</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    zh = next(h for h in search(loaded, "远程医疗").hits if h.id == corpus["zh"].id)
    assert "<mark>远程</mark>" in zh.snippet or "<mark>远程医疗</mark>" in zh.snippet
    de = next(h for h in search(loaded, "Krankenhäuser").hits if h.id == corpus["de"].id)
    assert "<mark>Krankenhaus</mark>" in de.snippet


def test_snippet_without_query_is_the_start(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    hit = next(h for h in search(loaded, per_page=100).hits if h.id == corpus["en"].id)
    assert hit.snippet.startswith("The World Health Organization")
    assert "<mark>" not in hit.snippet and "<script>" not in hit.snippet


def test_hit_fields(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    hit = search(loaded, "Bạch Mai").hits[0]
    assert hit.id == corpus["vi"].id and hit.lang == "vi" and hit.source == "suckhoedoisong"
    assert hit.title_en == "Bach Mai Hospital cooperates with China"
    assert hit.published_at and hit.published_at.startswith("2024-01-15")
    assert set(hit.countries) == {"CN", "VN"}
    assert hit.event_types == ["training_exchange", "visit"]
    assert hit.entities[0]["id"] == "hosp:bach-mai"


# -- timelines and events ------------------------------------------------------


def as_dict(buckets) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    return {b.period: b.counts for b in buckets}


def test_timeline_by_entity(loaded: SearchBackend) -> None:
    buckets = loaded.timeline(entity="org:who", interval="month")
    assert [b.period for b in buckets] == ["2023-11", "2023-12"]
    assert as_dict(buckets) == {"2023-11": {"mentions": 2, "launch": 1}, "2023-12": {"mentions": 1}}


def test_timeline_by_country_pair(loaded: SearchBackend) -> None:
    month = as_dict(loaded.timeline(countries=["VN", "cn"], interval="month"))
    assert month == {
        "2023-11": {"mentions": 1, "agreement_signing": 1},
        "2024-01": {"mentions": 1, "training_exchange": 1},
    }
    year = as_dict(loaded.timeline(countries=["CN", "VN"], interval="year"))
    # The year-precision visit only fits a yearly bucket.
    assert year == {
        "2023": {"mentions": 1, "agreement_signing": 1},
        "2024": {"mentions": 1, "training_exchange": 1, "visit": 1},
    }
    day = loaded.timeline(countries=["CN", "VN"], interval="day")
    assert [b.period for b in day] == ["2023-11-06", "2024-01-15"]


def test_timeline_by_query_and_validation(loaded: SearchBackend) -> None:
    buckets = as_dict(loaded.timeline(query="Charité", interval="year"))
    assert buckets == {"2023": {"mentions": 1, "aid_mission": 1}}
    with pytest.raises(QueryError, match="position 0"):
        loaded.timeline(query='" * (')
    with pytest.raises(ValueError, match="interval"):
        loaded.timeline(entity="org:who", interval="week")


def test_events_listing(loaded: SearchBackend, corpus: dict[str, IndexDoc]) -> None:
    evs = loaded.events(countries=["CN", "VN"])
    assert [e["date"] for e in evs] == ["2023-11-06", "2024-01-01", "2024-01-15"]
    first = evs[0]
    assert first["article_id"] == corpus["zh"].id and first["url"] == corpus["zh"].url
    assert first["title"] == corpus["zh"].title and first["source"] == "xinhua"
    assert first["type"] == "agreement_signing" and first["precision"] == "day"
    assert first["participants"] == ["gov:vn-moh", "gov:cn-nhc"]
    assert first["countries"] == ["CN", "VN"] and "远程医疗" in first["evidence"]
    # Undated events are not listed; entity filter uses participants.
    assert [e["type"] for e in loaded.events(entity="org:who")] == ["launch"]
    assert loaded.events(entity="org:nobody") == []


# -- health checks --------------------------------------------------------------


def test_check_on_healthy_backend(backend: SearchBackend) -> None:
    backend.check()
    assert backend.count() == 0


def test_check_reports_corrupt_file(tmp_path: Path) -> None:
    bad = tmp_path / "search.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackendError, match="search.db"):
        SqliteBackend(bad).check()


def test_check_reports_unusable_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BackendError, match="cannot open"):
        SqliteBackend(blocker / "sub" / "search.db").check()


def test_bad_document_is_reported_not_fatal(backend: SearchBackend, corpus: dict[str, IndexDoc], make_doc: Any) -> None:
    broken = make_doc("https://x.example/broken", title="ok")
    broken.id = ""
    report = backend.index([corpus["en"], broken])
    assert report.indexed == [corpus["en"].id]
    assert list(report.failed.values()) == ["invalid document: document has no id"]
    assert backend.count() == 1


def test_no_match_gives_empty_results_with_facet_fields(loaded: SearchBackend) -> None:
    for text in ("zzzqqqxx", "zzzqqqxx AND yyyqqq"):
        res = search(loaded, text)
        assert res.total == 0 and res.hits == []
        assert set(res.facets) == {"lang", "source", "country", "entity", "event_type"}
        assert not any(res.facets.values())
