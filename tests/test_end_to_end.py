"""End to end through the real CLI: the demo site crawled, analysed, indexed, searched, exported."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_cli as cli


def test_demo_end_to_end(demo_run):
    data, out = demo_run
    assert out["crawl"]["totals"]["new"] == 24
    assert out["process"]["processed"] == 24 and out["process"]["failed"] == 0
    # the four negatives (football, weather, gold price, metro) are kept but not indexed
    assert out["index"]["skipped_irrelevant"] == 4
    assert out["index"]["indexed"] == 20
    langs_hit: set[str] = set()
    for result in out["searches"].values():
        langs_hit |= set(result["langs"])
    assert langs_hit == {"zh", "en", "de", "vi"}
    assert Path(out["timeline"]["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out["timeline"]["events"] >= 3
    again = cli(data, "search", "Charité", "--json")
    assert again.returncode == 0, again.stderr
    hits = json.loads(again.stdout)
    assert hits["total"] >= 3
    assert all("<script" not in h["snippet"] for h in hits["hits"])


def test_stage_commands_rerun_do_nothing(tmp_path, fixture_server):
    data = tmp_path / "data"
    assert cli(data, "ingest", f"{fixture_server}/a1.html", f"{fixture_server}/gbk.html").returncode == 0
    first = json.loads(cli(data, "process", "--json").stdout)
    assert first["processed"] == 2
    assert json.loads(cli(data, "process", "--json").stdout)["processed"] == 0
    idx = json.loads(cli(data, "index", "--json").stdout)
    assert idx["indexed"] + idx["skipped_irrelevant"] == 2
    assert json.loads(cli(data, "index", "--json").stdout)["indexed"] == 0
    doc = json.loads(cli(data, "search", "越南", "--exact", "--json").stdout)
    assert doc["total"] == 1 and doc["hits"][0]["lang"] == "zh" and doc["also_searched"] == []
    crossed = json.loads(cli(data, "search", "越南", "--json").stdout)  # + stories tagged VN in any language
    assert crossed["total"] == 2
    runs = json.loads(cli(data, "runs", "--json").stdout)
    assert {r["kind"] for r in runs} >= {"ingest", "process", "index"}
    assert all(r["status"] == "ok" for r in runs)
