"""The JSON API and the server-rendered pages through FastAPI's TestClient, on real demo data."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from coopwatch.web.safe import is_marked_escaped, safe_href, safe_snippet

PNG = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- search
def test_search_all_languages_with_facets_and_snippets(client):
    r = client.get("/api/search", params={"q": "telemedicine"})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] >= 3
    assert set(data["facets"]) >= {"lang", "source", "country", "entity", "event_type"}
    assert any("<mark>" in (h["snippet"] or "") + (h["snippet_en"] or "") for h in data["hits"])
    for cjk in ("远程医疗", "Krankenhaus", "bệnh viện"):
        d = client.get("/api/search", params={"q": cjk}).json()
        assert d["total"] >= 1, cjk
    # facet labels: entity ids get their names
    assert all(data["labels"]["entity"][i] for i in data["facets"]["entity"])


def test_search_filters_narrow_and_facets_count_the_match_set(client):
    everything = client.get("/api/search").json()
    assert everything["facets"]["lang"] and sum(everything["facets"]["lang"].values()) == everything["total"]
    de = client.get("/api/search", params={"lang": "de"}).json()
    assert 0 < de["total"] < everything["total"]
    assert {h["lang"] for h in de["hits"]} == {"de"}
    vn = client.get("/api/search", params={"country": "vn", "event": "agreement_signing"}).json()
    assert vn["total"] >= 1
    assert all("VN" in h["countries"] and "agreement_signing" in h["event_types"] for h in vn["hits"])
    by_name = client.get("/api/search", params={"entity": "Charité"}).json()  # a name resolves to its id
    by_id = client.get("/api/search", params={"entity": "org:charite"}).json()
    assert by_name["total"] == by_id["total"] >= 3
    dated = client.get("/api/search", params={"from": "2023-01-01", "to": "2023-12-31"}).json()
    assert all(h["published_at"][:4] == "2023" for h in dated["hits"])
    assert 0 < dated["total"] < everything["total"]


def test_pagination(client):
    p1 = client.get("/api/search", params={"per_page": 5}).json()
    p2 = client.get("/api/search", params={"per_page": 5, "page": 2}).json()
    assert p1["pages"] == -(-p1["total"] // 5) and p1["pages"] >= 2
    assert not {h["id"] for h in p1["hits"]} & {h["id"] for h in p2["hits"]}


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({"lang": "xx"}, 422, "lang"),
        ({"event": "party"}, 422, "event"),
        ({"country": "VNM"}, 422, "country"),
        ({"page": 0}, 422, "page"),
        ({"per_page": 1000}, 422, "per_page"),
        ({"from": "yesterday"}, 422, "from"),
        ({"from": "2024-02-30"}, 400, "real date"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, 400, "date range is empty"),
        ({"entity": "nobody-at-all"}, 400, "no entity matches"),
        ({"q": "x" * 501}, 422, "q"),
        ({"q": "a OR"}, 400, "query error at position 2"),
        ({"q": '"unclosed'}, 400, "position 0"),
    ],
)
def test_bad_parameters_get_clear_4xx(client, params, status, words):
    r = client.get("/api/search", params=params)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]


def test_search_says_what_it_also_searched_and_exact_turns_it_off(client):
    crossed = client.get("/api/search", params={"q": "hospital"}).json()
    assert "医院" in crossed["also_searched"] and "Krankenhaus" in crossed["also_searched"]
    exact = client.get("/api/search", params={"q": "hospital", "exact": "true"}).json()
    assert exact["also_searched"] == [] and exact["total"] <= crossed["total"]
    assert {h["lang"] for h in crossed["hits"]} > {h["lang"] for h in exact["hits"]}


# ---------------------------------------------------------------- exports
def _rows_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_search_export_csv_json_parquet_hold_the_same_results(client):
    import pyarrow.parquet as pq

    params = {"q": "hospital", "lang": ["en", "de"]}
    total = client.get("/api/search", params=params).json()["total"]
    assert total >= 2
    c = client.get("/api/search/export", params={**params, "format": "csv"})
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    assert "attachment" in c.headers["content-disposition"]
    rows = _rows_csv(c.content)
    j = client.get("/api/search/export", params={**params, "format": "json"}).json()
    pa = client.get("/api/search/export", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(pa.content))
    assert len(rows) == j["count"] == table.num_rows == total
    assert [r["id"] for r in rows] == [r["id"] for r in j["results"]] == table.column("id").to_pylist()
    assert {r["lang"] for r in rows} <= {"en", "de"}
    assert "<mark>" not in c.text  # exports carry plain text
    assert table.schema.field("entities").type.value_type.equals(__import__("pyarrow").string())


def test_export_limit(client):
    j = client.get("/api/search/export", params={"format": "json", "limit": 3}).json()
    assert j["count"] == 3
    assert client.get("/api/search/export", params={"format": "xlsx"}).status_code == 422


# ---------------------------------------------------------------- articles
def test_article_has_original_translation_status_entities_events(client):
    hits = client.get("/api/search", params={"q": "Charité", "lang": "de"}).json()["hits"]
    art = client.get(f"/api/articles/{hits[0]['id']}").json()
    assert art["article"]["text"] and art["article"]["href"].startswith("http://127.0.0.1:")
    an = art["analysis"]
    assert an["lang"] == "de"
    assert an["translation"] == "done" or an["translation"].startswith("missing-model:")
    if an["translation"].startswith("missing-model:"):
        assert "not translated" in art["translation_note"] and an["translation"].split(":")[1] in art["translation_note"]
    assert any(e["id"] == "org:charite" for e in art["entities"])
    assert art["events"] and all(ev["evidence"] for ev in art["events"])
    assert client.get("/api/articles/doesnotexist").status_code == 404


def test_article_page_shows_why_there_is_no_translation(client):
    zh = client.get("/api/search", params={"lang": "zh", "per_page": 1}).json()["hits"][0]
    data = client.get(f"/api/articles/{zh['id']}").json()
    html = client.get(f"/articles/{zh['id']}").text
    assert data["translation_note"] in html.replace("&#39;", "'")
    for e in data["entities"]:
        assert e["name"] in html or e["name"].replace("'", "&#39;") in html


# ---------------------------------------------------------------- timelines
def test_entity_timeline_is_the_cli_data(client, web_data):
    from indexer import timeline as tl
    from indexer.registry import open_backend

    api = client.get("/api/timeline", params={"entity": "Charité"}).json()
    assert api["entity"] == "org:charite"
    backend = open_backend(web_data.settings)
    cli = tl.timeline_rows(backend, entity="org:charite", interval="month")
    backend.close()
    assert api["buckets"] == cli["buckets"] and api["events"] == cli["events"]
    assert len(api["events"]) >= 3
    assert api["cooccurring"] and all(o["id"] != "org:charite" for o in api["cooccurring"])
    exported = client.get("/api/timeline/export", params={"entity": "org:charite", "format": "json"}).json()
    assert exported == json.loads(json.dumps(cli, default=str))
    c = client.get("/api/timeline/export", params={"entity": "org:charite", "format": "csv"})
    assert len(_rows_csv(c.content)) == len(api["events"])
    png = client.get("/api/timeline/export", params={"entity": "org:charite", "format": "png"})
    assert png.headers["content-type"] == "image/png" and png.content.startswith(PNG)


def test_country_pair_timeline_and_page(client):
    pair = client.get("/api/timeline", params={"country": ["cn", "vn"]}).json()
    assert pair["countries"] == ["CN", "VN"]
    assert pair["events"] and all({"CN", "VN"} <= set(e["countries"]) for e in pair["events"])
    page = client.get("/countries/CN-VN")
    assert page.status_code == 200
    assert 'src="/api/timeline/export?format=png&amp;interval=month&amp;country=CN&amp;country=VN"' in page.text
    assert client.get("/countries/CHN").status_code == 422
    assert client.get("/api/timeline", params={"country": ["CN", "VN", "LA"]}).status_code == 422
    assert client.get("/api/timeline").status_code == 400


def test_entity_page_and_list(client):
    listing = client.get("/entities")
    assert listing.status_code == 200 and "/entities/org%3Acharite" in listing.text
    page = client.get("/entities/org:charite")
    assert page.status_code == 200
    assert "Co-occurring organizations" in page.text and "timeline-chart" in page.text
    for fmt in ("csv", "json", "png"):
        assert f"/api/timeline/export?format={fmt}&amp;interval=month&amp;entity=org%3Acharite" in page.text
    assert client.get("/entities/nobody-at-all").status_code == 404
    assert client.get("/api/entities/WHO").json()["id"] == "org:who"  # alias lookup


# ---------------------------------------------------------------- read-only, OpenAPI
def test_openapi_schema_lists_only_reads(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/search", "/api/search/export", "/api/articles/{article_id}", "/api/timeline",
            "/api/timeline/export", "/api/entities", "/api/entities/{key}"} <= set(paths)
    assert all(path.startswith("/api/") for path in paths)
    assert {m for ops in paths.values() for m in ops} == {"get"}
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/api/search").status_code == 405
    docs = client.get("/api-docs")
    assert docs.status_code == 200 and "/api/search/export" in docs.text
    assert client.get("/docs").status_code == 404  # no CDN-loaded Swagger UI


def test_pages_load_nothing_from_outside(client):
    for url in ("/", "/?q=telemedicine", "/entities/org:who", "/countries/DE-VN", "/entities", "/api-docs"):
        html = client.get(url).text
        assets = re.findall(r'<(?:link|script|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "@import" not in css.text and "url(" not in css.text


# ---------------------------------------------------------------- snippets and links
def test_snippet_guard():
    assert is_marked_escaped("a &lt;b&gt; <mark>c</mark>")
    assert not is_marked_escaped("<mark onclick=x>c</mark>")
    assert not is_marked_escaped("<script>x</script>")
    assert str(safe_snippet("<img src=x onerror=alert(1)>")) == "&lt;img src=x onerror=alert(1)&gt;"
    assert str(safe_snippet("x <mark>y</mark>")) == "x <mark>y</mark>"
    assert safe_href("javascript:alert(1)") is None and safe_href("file:///etc/passwd") is None
    assert safe_href("https://example.org/a") == "https://example.org/a"


def test_search_export_csv_neutralises_formulas():
    """The web search export uses the same OWASP cell rule as the timelines."""
    from coopwatch.web.service import EXPORT_COLUMNS, export_csv

    row = {c: None for c in EXPORT_COLUMNS} | {"id": "abc", "title": "=1+1", "entities": ["@x", "WHO"]}
    out = _rows_csv(export_csv([row]))[0]
    assert out["title"] == "'=1+1" and out["entities"] == "'@x;WHO" and out["id"] == "abc"
