"""The crawl child process loads the same application settings as its parent."""

from __future__ import annotations

from coopwatch.settings import load_settings
from crawlers.runner import crawl_command, parse_args, scrapy_settings
from crawlers.settings import app_settings
from crawlers.sources import DEFAULT_SOURCES, load_sources


def test_crawl_child_gets_the_parents_config_file_and_backend(tmp_path, monkeypatch) -> None:
    for name in ("COOPWATCH_BACKEND", "COOPWATCH_ES_URL", "COOPWATCH_RELEVANCE_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    cfg = tmp_path / "elsewhere.toml"  # not <data dir>/coopwatch.toml
    cfg.write_text('es_url = "http://search.example:9200"\nrelevance_threshold = 0.7\n', encoding="utf-8")
    parent = load_settings(data_dir=tmp_path / "data", config_file=cfg, env={}, backend="elasticsearch")
    source = load_sources(DEFAULT_SOURCES)[0]
    cmd, _env = crawl_command(parent, [source], DEFAULT_SOURCES, tmp_path / "stats.json")
    assert cmd[1:3] == ["-m", "crawlers.runner"]
    child = app_settings(scrapy_settings(parse_args(cmd[3:])))  # what the child's pipeline and frontier load
    assert child.data_dir == parent.data_dir
    assert child.config_file == cfg
    assert (child.backend, child.es_url, child.relevance_threshold) == ("elasticsearch", "http://search.example:9200", 0.7)
