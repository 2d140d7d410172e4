"""The source registry: the shipped one is complete; a broken one is refused with every problem named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from coopwatch.errors import ConfigError
from crawlers.sources import load_sources, parse_sources

GOOD = """
sources:
  - name: ok-source
    lang: de
    kind: sitemap
    start_urls: ["https://www.example.de/sitemap.xml"]
    allowed_domains: ["example.de"]
    article_patterns: ['/presse/']
"""


def test_shipped_registry_has_real_sources_in_every_language():
    sources = load_sources()
    assert len(sources) >= 12
    by_lang = Counter(s.lang for s in sources)
    assert all(by_lang[lang] >= 3 for lang in ("zh", "en", "de", "vi")), by_lang
    assert {s.kind for s in sources} == {"rss", "sitemap", "listing"}
    for s in sources:
        assert all(u.startswith(("http://", "https://")) and "127.0.0.1" not in u for u in s.start_urls)
        assert s.politeness.download_delay >= 1  # real sites: polite by default


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("lang: fr", "lang: Input should be 'zh', 'en', 'de' or 'vi'"),
        ("kind: atom", "kind: Input should be 'rss', 'sitemap' or 'listing'"),
        ("article_patterns: ['(unclosed']", "is not a valid regular expression"),
        ("start_urls: ['ftp://example.de/x']", "is not an http(s) URL"),
        ("allowed_domains: ['https://example.de/']", "is not a bare domain name"),
        ("allowed_domains: ['other.org']", "is not on the allowed domains"),
        ("selectors: {body: 'div.x'}", "unknown selector(s) ['body']"),
        ("selectors: {title: '[[['}", "title: '[[[' is not a valid CSS selector"),
        ("selectors: {text: 'p:nosuch'}", "text: 'p:nosuch' is not a valid CSS selector"),
        ("schedule: '0 25 * * *'", "schedule: Value error, '0 25 * * *' is not a valid cron expression"),
        ("schedule: '0 2 * *'", "expected 5 fields"),
        ("politeness: {download_delay: -1}", "politeness.download_delay"),
        ("colour: red", "colour: Extra inputs are not permitted"),
    ],
)
def test_each_mistake_is_named_with_source_and_field(entry, message):
    key = entry.split(":")[0]
    lines = [ln for ln in GOOD.splitlines() if not ln.strip().startswith(key + ":")]
    text = "\n".join(lines) + f"\n    {entry}\n"
    with pytest.raises(ConfigError) as exc:
        parse_sources(text, origin="bad.yaml")
    assert "bad.yaml has 1 problem(s)" in str(exc.value)
    assert "source ok-source:" in str(exc.value) and message in str(exc.value)


def test_duplicates_missing_fields_and_bad_yaml():
    with pytest.raises(ConfigError, match="name is used more than once"):
        parse_sources(GOOD + GOOD.split("sources:")[1])
    with pytest.raises(ConfigError, match="article_patterns: Field required"):
        parse_sources(GOOD.replace("    article_patterns: ['/presse/']\n", ""))
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_sources("sources: [\n")
    with pytest.raises(ConfigError, match="must hold a mapping with a 'sources:' list"):
        parse_sources("- just a list\n")
    with pytest.raises(ConfigError, match="cannot read the source registry"):
        load_sources("/nonexistent/sources.yaml")


def _cli(tmp_path: Path, *args: str, sources: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COOPWATCH_HOME=str(tmp_path / "home"), COOPWATCH_SOURCES_FILE=str(sources))
    return subprocess.run(
        [sys.executable, "-m", "coopwatch", *args], env=env, capture_output=True, text=True, check=False
    )


def test_cli_check_refuses_a_bad_registry_with_one_clear_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("lang: de", "lang: fr"))
    res = _cli(tmp_path, "sources", "check", sources=bad)
    assert res.returncode == 2
    assert "source ok-source: lang" in res.stderr and "Traceback" not in res.stderr


def test_valid_selectors_and_crontab_sunday_are_accepted():
    (src,) = parse_sources(GOOD + "    selectors: {title: 'h1::text', text: 'article p'}\n    schedule: '0 2 * * 7'\n")
    assert src.selectors["title"] == "h1::text" and src.schedule == "0 2 * * 7"


def test_cli_check_and_crawl_refuse_a_bad_selector_naming_source_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD + "    selectors: {title: '[[['}\n")
    for args in (("sources", "check"), ("crawl", "--source", "ok-source")):
        res = _cli(tmp_path, *args, sources=bad)
        assert res.returncode == 2, res.stderr
        assert "source ok-source: selectors:" in res.stderr and "title: '[[['" in res.stderr, res.stderr
        assert "Traceback" not in res.stderr


def test_cli_check_fetch_probes_a_replica(tmp_path, replica_site, write_registry):
    server = replica_site("atom")
    path = write_registry(
        server.base,
        [
            {
                "name": "replica-atom",
                "lang": "en",
                "kind": "rss",
                "start_urls": ["{base}/atom.xml"],
                "article_patterns": ["/news/"],
            },
            {
                "name": "replica-moved",
                "lang": "en",
                "kind": "rss",
                "start_urls": ["{base}/gone.xml"],
                "article_patterns": ["/news/"],
            },
        ],
    )
    res = _cli(tmp_path, "sources", "check", "--fetch", "--json", sources=path)
    assert res.returncode == 1, res.stderr  # one source is broken
    probes = {p["source"]: p for p in json.loads(res.stdout)["probes"]}
    assert (
        probes["replica-atom"]["ok"]
        and probes["replica-atom"]["articles"] == 3
        and probes["replica-atom"]["links"] == 4
    )
    assert not probes["replica-moved"]["ok"] and probes["replica-moved"]["problem"] == "HTTP 404"
    assert {ua for _p, ua in server.requests} == {load_settings_ua()}


def load_settings_ua() -> str:
    from coopwatch.settings import load_settings

    return load_settings(env={}).user_agent


def test_a_registry_that_is_not_utf8_is_a_config_error(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_bytes(b"sources:\n  - name: caf\xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_sources(bad)
