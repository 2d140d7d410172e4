"""Probe a source's start URLs: reachable, parseable, and do the article patterns still match?

``coopwatch sources check --fetch`` runs this for operators after a site
redesign: one polite GET per start URL (the crawler's user agent, a timeout),
then the page is read as what its kind says — a feed (feedparser), a sitemap
(Scrapy's Sitemap reader) or a listing page (links) — and the URLs matching the
source's ``article_patterns`` are counted. A probe never raises for a site
problem; it reports it.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from parsel import Selector
from scrapy.utils.sitemap import Sitemap

from crawlers.sources import Source


@dataclass(kw_only=True)
class Probe:
    source: str
    url: str
    status: int | None = None
    links: int = 0  # entries/links found on the page
    articles: int = 0  # of which match the article patterns
    sub_sitemaps: int = 0
    problem: str = ""
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem and (self.articles > 0 or self.sub_sitemaps > 0)


def probe(source: Source, user_agent: str, timeout: float = 15.0) -> list[Probe]:
    return [_probe_one(source, url, user_agent, timeout) for url in source.start_urls]


def _probe_one(source: Source, url: str, user_agent: str, timeout: float) -> Probe:
    p = Probe(source=source.name, url=url)
    req = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            p.status = resp.status
            body = resp.read(10 * 1024 * 1024)
    except urllib.error.HTTPError as exc:
        p.status, p.problem = exc.code, f"HTTP {exc.code}"
        return p
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        p.problem = f"unreachable: {getattr(exc, 'reason', exc)}"
        return p
    if source.kind == "rss":
        feed = feedparser.parse(body)
        links = [urljoin(url, e["link"]) for e in feed.entries if e.get("link")]
        if not links:
            p.problem = f"not a feed with entries ({feed.get('bozo_exception', 'no entries')})"
    elif source.kind == "sitemap":
        try:
            sm = Sitemap(body)
        except Exception as exc:  # noqa: BLE001 - lxml raises assorted errors on non-XML bodies
            p.problem = f"not a sitemap: {exc}"
            return p
        locs = [e["loc"] for e in sm if "loc" in e]
        if sm.type == "sitemapindex":
            p.sub_sitemaps = len(locs)
            links = []
        else:
            links = locs
        if not locs:
            p.problem = "empty sitemap"
    else:
        links = [urljoin(url, h) for h in Selector(text=body.decode("utf-8", "replace")).css("a::attr(href)").getall()]
    p.links = len(links)
    matching = [u for u in links if any(re.search(pat, u) for pat in source.article_patterns)]
    p.articles = len(matching)
    p.examples = matching[:3]
    if not p.problem and links and not matching:
        p.problem = "no link matches the article patterns (site redesigned?)"
    return p
