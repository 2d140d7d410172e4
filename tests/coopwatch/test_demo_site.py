"""The bundled demo site: served correctly, feeds/sitemaps valid, every listed URL alive.

The site is the fixture of the crawler tests, so these checks pin its structure.
"""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from coopwatch.demo import build_site
from coopwatch.demo.server import SITE_DIR, serve_site

DEMO_DIR = SITE_DIR.parent
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BODY_CLASSES = {"article-body", "artikel-text", "detail-content", "TRS_Editor"}
UNDATED = {
    "/de/nachrichten/deutsch-chinesisches-gesundheitsforum-in-berlin.html": "Berlin, 14. November 2023 \u2013",
    "/zh-gbk/content/content_2001.html": "2023年03月15日 来源：",
}
DATE_META_MARKERS = ("article:published_time", 'name="pubdate"', 'name="date"', "datePublished", "<time")


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, b""


def decode(headers: dict[str, str], body: bytes) -> str:
    m = re.search(r"charset=([\w-]+)", headers.get("content-type", ""), re.IGNORECASE)
    return body.decode(m.group(1) if m else "utf-8")


class _LinkAndBodyParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, anchor text)
        self.paragraphs: list[str] = []
        self._a: list[str] | None = None
        self._href = ""
        self._stack: list[tuple[str, bool]] = []  # (tag, opens article body)
        self._depth_in_body = 0
        self._p: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self._a, self._href = [], attrs["href"]
        opens = tag == "div" and bool(BODY_CLASSES & set((attrs.get("class") or "").split()))
        if tag not in ("meta", "link", "br", "img", "input"):
            self._stack.append((tag, opens))
            if opens:
                self._depth_in_body += 1
        if tag == "p" and self._depth_in_body:
            self._p = []

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.links.append((self._href, "".join(self._a).strip()))
            self._a = None
        if tag == "p" and self._p is not None:
            self.paragraphs.append("".join(self._p).strip())
            self._p = None
        while self._stack:
            t, opens = self._stack.pop()
            if opens:
                self._depth_in_body -= 1
            if t == tag:
                break

    def handle_data(self, data):
        if self._a is not None:
            self._a.append(data)
        if self._p is not None:
            self._p.append(data)


def parse_html(text: str) -> _LinkAndBodyParser:
    p = _LinkAndBodyParser()
    p.feed(text)
    p.close()
    return p


@pytest.fixture(scope="module")
def base():
    with serve_site(SITE_DIR) as url:
        yield url


@pytest.fixture(scope="module")
def discovered(base) -> dict[str, list[str]]:
    """Article URLs per source, found the way the crawler finds them."""
    out: dict[str, list[str]] = {}

    _, _, body = fetch(f"{base}/en/feed.xml")
    out["en"] = [item.findtext("link") for item in ET.fromstring(body).iter("item")]

    _, _, body = fetch(f"{base}/de/atom.xml")
    out["de"] = [
        e.find("atom:link[@rel='alternate']", NS).get("href") for e in ET.fromstring(body).findall("atom:entry", NS)
    ]

    _, _, body = fetch(f"{base}/sitemap.xml")
    vi: list[str] = []
    for loc in ET.fromstring(body).findall("sm:sitemap/sm:loc", NS):
        _, _, sub = fetch(loc.text.strip())
        vi += [u.findtext("sm:loc", namespaces=NS).strip() for u in ET.fromstring(sub).findall("sm:url", NS)]
    out["vi"] = vi

    zh: list[str] = []
    for page in ("/zh/index.html", "/zh/list_2.html", "/zh-gbk/index.html"):
        status, headers, body = fetch(base + page)
        assert status == 200
        for href, _ in parse_html(decode(headers, body)).links:
            url = urljoin(base + page, href).split("#")[0]
            if re.search(r"/zh/content/|/zh-gbk/content/", url) and url not in zh:
                zh.append(url)
    out["zh"] = zh
    return out


def all_articles(discovered) -> list[str]:
    return [u for urls in discovered.values() for u in urls]


# ------------------------------------------------------------------ feeds and sitemaps


def test_rss_feed(base):
    status, headers, body = fetch(f"{base}/en/feed.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    root = ET.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert len(items) == 6
    for item in items:
        assert item.findtext("link").startswith(base + "/en/news/")
        assert re.match(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", item.findtext("pubDate"))


def test_atom_feed(base):
    status, headers, body = fetch(f"{base}/de/atom.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    root = ET.fromstring(body)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("atom:entry", NS)
    assert len(entries) == 6
    assert all(e.findtext("atom:updated", namespaces=NS) for e in entries)
    assert sum(e.find("atom:published", NS) is not None for e in entries) == 5


def test_sitemap_index_and_news_sitemap(base):
    status, _, body = fetch(f"{base}/sitemap.xml")
    assert status == 200
    root = ET.fromstring(body)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    locs = [x.text.strip() for x in root.findall("sm:sitemap/sm:loc", NS)]
    assert locs == [f"{base}/sitemap-vi.xml"]
    status, headers, body = fetch(locs[0])
    assert status == 200 and headers["content-type"].startswith("application/xml")
    urls = ET.fromstring(body).findall("sm:url", NS)
    assert len(urls) == 6
    for u in urls:
        assert u.findtext("sm:loc", namespaces=NS).startswith(base + "/vi/tin-tuc/")
        assert re.match(r"\d{4}-\d{2}-\d{2}T", u.findtext("news:news/news:publication_date", namespaces=NS))


def test_robots_txt(base):
    status, _, body = fetch(f"{base}/robots.txt")
    text = body.decode()
    assert status == 200
    assert "Allow: /" in text and f"Sitemap: {base}/sitemap.xml" in text
    assert "Disallow: /\n" not in text


def test_no_placeholder_leaks(base):
    for path in ("/en/feed.xml", "/de/atom.xml", "/sitemap.xml", "/sitemap-vi.xml", "/robots.txt"):
        status, headers, body = fetch(base + path)
        assert status == 200
        assert b"__BASE_URL__" not in body and base.encode() in body
        assert int(headers["content-length"]) == len(body)


# ------------------------------------------------------------------ listing pages and articles


def test_listing_pages_navigation(base):
    _, headers, body = fetch(f"{base}/zh/index.html")
    links = parse_html(decode(headers, body)).links
    assert ("/zh/list_2.html", "下一页") in links
    assert ("/zh-gbk/index.html", "地方动态") in links


def test_discovery_counts(discovered):
    assert {k: len(v) for k, v in discovered.items()} == {"en": 6, "de": 6, "vi": 6, "zh": 6}
    assert sum("/zh-gbk/content/" in u for u in discovered["zh"]) == 2


def test_every_listed_url_is_ok(discovered):
    for url in all_articles(discovered):
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["content-type"].startswith("text/html"), url
        assert body


def test_gbk_pages(base, discovered):
    gbk_urls = [f"{base}/zh-gbk/index.html"] + [u for u in discovered["zh"] if "/zh-gbk/" in u]
    assert len(gbk_urls) == 3
    for url in gbk_urls:
        _, headers, body = fetch(url)
        assert headers["content-type"] == "text/html; charset=GBK"
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gbk")
        assert "charset=gbk" in text or 'charset="gbk"' in text
    _, _, body = fetch(f"{base}/zh-gbk/content/content_2001.html")
    assert "云南省卫生健康委员会第23批援老挝医疗队出征" in body.decode("gbk")


def test_utf8_pages_declare_utf8(base):
    _, headers, body = fetch(f"{base}/zh/content/2023-11/06/content_1001.html")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "广西壮族自治区卫生健康委员会与越南卫生部签署卫生合作协议" in body.decode("utf-8")


def test_articles_have_body_paragraphs_and_footer(discovered):
    for url in all_articles(discovered):
        _, headers, body = fetch(url)
        text = decode(headers, body)
        paragraphs = [p for p in parse_html(text).paragraphs if len(p) >= 30]
        assert len(paragraphs) >= 4, url
        assert "2008-2026" in text, url
        assert "<h1" in text, url
        assert any(c in text for c in ('class="breadcrumb"', 'class="crumbs"', 'class="position"')), url


def test_date_metadata(discovered):
    for url in all_articles(discovered):
        _, headers, body = fetch(url)
        text = decode(headers, body)
        path = urlsplit(url).path
        if path in UNDATED:
            assert not any(m in text for m in DATE_META_MARKERS), url
            assert UNDATED[path] in text, url
        else:
            assert any(m in text for m in DATE_META_MARKERS[:4]), url


def test_internal_links_resolve(base):
    """Every same-site link on every page of the site answers 200."""
    seen: set[str] = set()
    for page in sorted(SITE_DIR.rglob("*.html")):
        rel = "/" + page.relative_to(SITE_DIR).as_posix()
        raw = page.read_bytes()
        text = raw.decode("gbk" if rel.startswith("/zh-gbk/") else "utf-8")
        for href, _ in parse_html(text).links:
            if href.startswith(("mailto:", "javascript:", "#", "http://", "https://")):
                continue
            url = urljoin(base + rel, href).split("#")[0]
            if url not in seen:
                seen.add(url)
                assert fetch(url)[0] == 200, f"{url} (linked from {rel})"
    assert len(seen) > 20


# ------------------------------------------------------------------ registry, build, server


def test_sources_yaml_matches_site(base, discovered):
    data = yaml.safe_load((DEMO_DIR / "sources.yaml").read_text(encoding="utf-8"))
    sources = {s["name"]: s for s in data["sources"]}
    assert set(sources) == {"demo-en", "demo-de", "demo-vi", "demo-zh"}
    kinds = {name: s["kind"] for name, s in sources.items()}
    assert kinds == {"demo-en": "rss", "demo-de": "rss", "demo-vi": "sitemap", "demo-zh": "listing"}
    for s in sources.values():
        assert set(s) >= {"lang", "kind", "start_urls", "allowed_domains", "article_patterns", "follow_patterns"}
        for start in s["start_urls"]:
            assert fetch(start.format(base=base))[0] == 200
        for url in discovered[s["lang"]]:
            assert any(re.search(p, url) for p in s["article_patterns"]), url
        for page in (
            "/index.html",
            "/en/index.html",
            "/de/index.html",
            "/vi/index.html",
            "/zh/index.html",
            "/zh/list_2.html",
            "/zh-gbk/index.html",
            "/de/impressum.html",
        ):
            assert not any(re.search(p, base + page) for p in s["article_patterns"]), page
    follow = sources["demo-zh"]["follow_patterns"]
    assert any(re.search(p, f"{base}/zh/list_2.html") for p in follow)
    assert any(re.search(p, f"{base}/zh-gbk/index.html") for p in follow)
    assert not any(re.search(p, f"{base}/zh/content/2023-11/06/content_1001.html") for p in follow)


def test_committed_site_matches_build(tmp_path):
    out = tmp_path / "site"
    build_site.build(out)
    built = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    committed = {p.relative_to(SITE_DIR): p.read_bytes() for p in SITE_DIR.rglob("*") if p.is_file()}
    assert set(built) == set(committed), "run: python -m coopwatch.demo.build_site"
    stale = [str(k) for k in built if built[k] != committed[k]]
    assert not stale, f"stale files, run: python -m coopwatch.demo.build_site: {stale}"


def test_server_missing_file_and_shutdown(tmp_path):
    (tmp_path / "a.xml").write_text("<x>__BASE_URL__</x>", encoding="utf-8")
    with serve_site(tmp_path) as url:
        status, headers, body = fetch(url + "/a.xml")
        assert status == 200 and headers["content-type"] == "application/xml"
        assert body.decode() == f"<x>{url}</x>"
        assert fetch(url + "/missing.html")[0] == 404
        host, port = urlsplit(url).hostname, urlsplit(url).port
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=1).close()
    with pytest.raises(FileNotFoundError), serve_site(tmp_path / "nope"):
        pass


def test_site_dir_constant():
    assert SITE_DIR == Path(build_site.__file__).resolve().parent / "site"
    assert (SITE_DIR / "index.html").is_file()
