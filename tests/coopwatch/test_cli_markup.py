"""Untrusted text (titles, texts, evidence, queries) is printed as text, never as Rich markup."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_cli

HOSTILE = "Bach Mai Hospital [/x] [red]signs[/red] [link=http://evil.example]deal[/link] with WHO"
BODY = (
    "On 12 March 2024 Bach Mai Hospital [/x] and the World Health Organization signed an agreement on "
    "telemedicine cooperation [red]to train[/red] doctors in provincial hospitals of Viet Nam. "
) * 6


def test_search_and_doc_print_markup_literally(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        f"<html><head><title>{HOSTILE}</title><link rel='canonical' href='https://news.example/hostile'></head>"
        f"<body><article><h1>{HOSTILE}</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    ingested = run_cli(data, "ingest", str(page), "--json")
    assert ingested.returncode == 0, ingested.stderr
    article = json.loads(ingested.stdout)["ids"][0]
    for stage in ("process", "index"):
        done = run_cli(data, stage)
        assert done.returncode == 0, done.stderr
    found = run_cli(data, "search", "telemedicine [/x]")
    assert found.returncode == 0, found.stderr
    assert "[/x]" in found.stdout and "[red]signs[/red]" in found.stdout
    shown = run_cli(data, "doc", article)
    assert shown.returncode == 0, shown.stderr
    assert "[link=http://evil.example]deal[/link]" in shown.stdout and "[red]to train[/red]" in shown.stdout
