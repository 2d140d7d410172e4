"""Timeline exports: CSV, JSON and PNG from any backend."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coopwatch.records import IndexDoc
from indexer.sqlite_fts import SqliteBackend
from indexer.timeline import CSV_COLUMNS, timeline_rows, write_csv, write_json, write_png


@pytest.fixture
def data(tmp_path: Path, corpus: dict[str, IndexDoc]) -> dict:
    backend = SqliteBackend(tmp_path / "search.db")
    backend.index(corpus.values())
    try:
        return timeline_rows(backend, countries=["CN", "VN"], interval="month")
    finally:
        backend.close()


def test_timeline_rows(data: dict) -> None:
    assert data["countries"] == ["CN", "VN"] and data["interval"] == "month"
    assert [b["period"] for b in data["buckets"]] == ["2023-11", "2024-01"]
    assert len(data["events"]) == 3


def test_write_csv(tmp_path: Path, data: dict) -> None:
    path = write_csv(data, tmp_path / "t.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:9] == list(CSV_COLUMNS[:9])
    assert len(rows) == 3
    first = rows[0]
    assert first["date"] == "2023-11-06" and first["type"] == "agreement_signing"
    assert first["participants"] == "gov:vn-moh;gov:cn-nhc" and first["countries"] == "CN;VN"
    assert first["title"] == "中越签署远程医疗合作协议" and first["source"] == "xinhua"
    assert first["url"].startswith("https://") and "远程医疗" in first["evidence"]


def test_write_json(tmp_path: Path, data: dict) -> None:
    path = write_json(data, tmp_path / "t.json")
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["buckets"][0] == {"period": "2023-11", "counts": {"mentions": 1, "agreement_signing": 1}}
    assert "中越" in path.read_text(encoding="utf-8")


def test_write_png(tmp_path: Path, data: dict) -> None:
    path = write_png(data, tmp_path / "t.png", title="China – Vietnam")
    blob = path.read_bytes()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(blob) > 5000


def test_write_png_empty(tmp_path: Path) -> None:
    path = write_png({"buckets": [], "events": [], "interval": "year"}, tmp_path / "empty.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(tmp_path: Path) -> None:
    """OWASP CSV injection: a hostile headline or evidence sentence is shown, never executed."""
    from indexer.exports import csv_cell

    hostile = {
        "events": [
            {
                "date": "2024-01-02",
                "type": "donation",
                "title": '=HYPERLINK("http://evil.example","click")',
                "evidence": "+SUM(1,2)",
                "source": "@attacker",
                "url": "-2+3",
                "participants": ["=cmd|' /C calc'!A0"],
            }
        ]
    }
    with write_csv(hostile, tmp_path / "h.csv").open(encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["title"].startswith("'=") and row["evidence"].startswith("'+")
    assert row["source"].startswith("'@") and row["url"].startswith("'-") and row["participants"].startswith("'=")
    assert csv_cell(-3) == -3 and csv_cell("WHO") == "WHO" and csv_cell(["a", "b"]) == "a;b" and csv_cell(None) == ""
