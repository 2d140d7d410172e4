"""The read-side CLI on the demo data: doc, entities, timeline exports, doctor, clear errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from cli_helpers import make_store, run_cli


def test_doc_shows_original_analysis_and_events(demo_run):
    data, _ = demo_run
    hits = json.loads(run_cli(data, "search", "夏里特", "--json").stdout)["hits"]
    assert hits, "the zh Charité story is searchable by its Chinese name"
    res = run_cli(data, "doc", hits[0]["id"][:8], "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["article"]["title"] == hits[0]["title"]
    an = doc["analysis"]
    assert an["lang"] == "zh"
    assert an["translation"] in ("missing-model:zh-en", "done")
    assert "org:charite" in {m["entity_id"] for m in an["entities"]}
    assert any(ev["evidence"] for ev in an["events"])


def test_entities_lists_canonical_ids_across_languages(demo_run):
    data, _ = demo_run
    rows = json.loads(run_cli(data, "entities", "--json").stdout)
    charite = next(r for r in rows if r["id"] == "org:charite")
    aliases = set(charite["aliases"])
    assert {"Charité", "柏林夏里特医院"} <= aliases  # one id for every spelling
    assert charite["articles"] >= 4


@pytest.mark.parametrize("fmt", ["csv", "json", "png"])
def test_timeline_exports(demo_run, tmp_path, fmt):
    data, _ = demo_run
    out = tmp_path / f"t.{fmt}"
    res = run_cli(data, "timeline", "柏林夏里特医院", "-f", fmt, "-o", str(out))
    assert res.returncode == 0, res.stderr
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert rows and all("org:charite" in r["participants"] for r in rows)
        assert {r["lang"] for r in rows} >= {"de", "vi"}
    elif fmt == "json":
        d = json.loads(out.read_text())
        assert d["buckets"] and d["events"]
    else:
        assert out.read_bytes()[:4] == b"\x89PNG"


def test_country_pair_timeline(demo_run):
    data, _ = demo_run
    res = run_cli(data, "timeline", "--country", "CN", "--country", "VN", "-f", "json")
    assert res.returncode == 0, res.stderr
    events = json.loads(res.stdout)["events"]
    assert events and all({"CN", "VN"} <= set(e["countries"]) for e in events)


def test_doctor_reports_each_check(demo_run):
    data, _ = demo_run
    res = run_cli(data, "doctor", "--json")
    assert res.returncode == 0, res.stderr
    checks = {c["check"]: c["status"] for c in json.loads(res.stdout)}
    assert checks["store"] == "ok" and checks["search backend"] == "ok"
    assert checks["translation models"] in ("ok", "warn")
    assert checks["query dictionaries"] == "ok"  # make setup installs Ding; CC-CEDICT and the lexicons ship
    assert checks["CJK font"] == "ok"  # make setup installs fonts-noto-cjk


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "x", "--lang", "fr"], "unknown language"),
        (["search", "x", "--from", "yesterday"], "must be a date"),
        (["search", "x", "--event", "party"], "unknown event type"),
        (["timeline", "no-such-org"], "no entity matches"),
        (["timeline", "org:who", "-f", "gif"], "--format must be"),
        (["doc", "ffffffffffff"], "no article"),
    ],
)
def test_bad_arguments_are_one_line_errors(demo_run, args, message):
    data, _ = demo_run
    res = run_cli(data, *args)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["serach", "x"],
        ["search", "x", "--per-page", "500"],
        ["doc"],
        ["runs", "--limit", "0"],
        ["timeline", "org:who", "--json"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path, args) -> None:
    done = run_cli(tmp_path, *args, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr and "╭" not in done.stderr


def test_mistyped_filters_are_errors_not_empty_results(tmp_path) -> None:
    make_store(tmp_path)
    for args, says in (
        (["search", "hospital", "--country", "Narnia"], "unknown country 'Narnia'"),
        (["timeline", "--country", "CN-VN"], "--country CN --country VN"),
        (["search", "hospital", "--source", "nope"], "no stored article comes from source nope"),
        (["entities", "--type", "clinic"], "unknown entity type 'clinic'"),
    ):
        done = run_cli(tmp_path, *args, timeout=120)
        assert done.returncode == 2 and says in done.stderr, (args, done.stderr)


def test_country_filters_take_codes_and_names() -> None:
    from coopwatch.cli_query import country_codes

    assert country_codes(["vn", "Laos", "Lào", "老挝", "Vietnamese"]) == ["VN", "LA", "LA", "LA", "VN"]


def test_timeline_format_follows_the_file_name_and_dash_is_stdout(tmp_path) -> None:
    data = tmp_path / "data"
    bad = run_cli(data, "timeline", "org:who", "-f", "json", "-o", str(tmp_path / "who.png"), timeout=120)
    assert bad.returncode == 2 and "does not match the file name" in bad.stderr
    odd = run_cli(data, "timeline", "org:who", "-o", str(tmp_path / "who.txt"), timeout=120)
    assert odd.returncode == 2 and "cannot tell the format" in odd.stderr


def test_timeline_infers_png_from_the_extension_and_prints_for_dash(demo_run, tmp_path):
    data, _ = demo_run
    png = tmp_path / "charite.png"
    res = run_cli(data, "timeline", "org:charite", "-o", str(png))
    assert res.returncode == 0, res.stderr
    assert png.read_bytes()[:4] == b"\x89PNG"  # not JSON in a .png
    res = run_cli(data, "timeline", "org:charite", "-f", "csv", "-o", "-")
    assert res.returncode == 0, res.stderr
    assert res.stdout.lstrip("\ufeff").startswith(("date", "period", "bucket")) or "," in res.stdout.splitlines()[0]
    assert not (Path.cwd() / "-").exists()


def test_short_doc_ids_and_backend_help(tmp_path) -> None:
    short = run_cli(tmp_path, "doc", "1551", timeout=120)
    assert short.returncode == 2 and "6 or more characters" in short.stderr
    helptext = run_cli(tmp_path, "--help", timeout=120).stdout
    assert "opensearch" in helptext


def test_timeline_output_that_cannot_be_written_is_one_line(tmp_path) -> None:
    data = make_store(tmp_path / "data")
    folder = tmp_path / "out"
    folder.mkdir()
    for target, says in ((folder, "is a directory"), (Path("/proc/nope/t.json"), "cannot write")):
        res = run_cli(data, "timeline", "--country", "CN", "-f", "json", "-o", str(target), timeout=120)
        assert res.returncode == 2 and says in res.stderr, res.stderr


def test_a_truncated_store_is_one_line_for_every_command(tmp_path) -> None:
    data = tmp_path / "data"
    saved = Path(__file__).parents[1] / "fixtures" / "saved"
    assert run_cli(data, "ingest", str(saved), timeout=300).returncode == 0
    db = data / "coopwatch.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    for args in (["runs"], ["entities"], ["process"], ["doc", "abcdef12"], ["ingest", str(saved)]):
        res = run_cli(data, *args, timeout=300)
        lines = [line for line in res.stderr.splitlines() if line.strip()]
        assert res.returncode == 2 and lines[-1].startswith("error: the store cannot be read"), (args, res.stderr)
        assert "Traceback" not in res.stderr


def test_manual_process_takes_the_lease_and_a_killed_one_reads_interrupted(tmp_path) -> None:
    import subprocess
    import sys

    from coopwatch.settings import load_settings
    from coopwatch.store import Store
    from schedules.lock import Leases

    data = tmp_path / "data"
    assert run_cli(data, "ingest", str(Path(__file__).parents[1] / "fixtures" / "saved"), timeout=300).returncode == 0
    url = load_settings(data).store_url
    store = Store(url)
    holder = Leases(store.engine, label="scheduled nightly", heartbeat=False)
    holder.try_acquire(["process"])
    try:
        res = run_cli(data, "process", timeout=300)
        assert res.returncode == 75 and "skipped" in res.stderr, res.stderr  # not the same work twice
    finally:
        holder.release()
    # a manual process killed mid-stage (no chance to record its end)
    killed = (
        "import os, sys\n"
        "from coopwatch.store import Store\n"
        "from schedules.lock import Leases\n"
        "s = Store(sys.argv[1]); rid = s.start_run('process', None)\n"
        "Leases(s.engine, label='manual process', heartbeat=False).try_acquire(['process'], run_ids=[rid])\n"
        "os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", killed, url], check=False, timeout=120, capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    rows = json.loads(run_cli(data, "runs", "--json", timeout=120).stdout)
    assert [r["status"] for r in rows if r["kind"] == "process"] == ["interrupted"], rows


@pytest.mark.parametrize("module", ["coopwatch.cli_schedule", "coopwatch.cli_query", "coopwatch.cli_sources", "coopwatch.cli_web"])
def test_each_cli_module_imports_on_its_own(module) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x"],
        ["doc", "abcdef12"],
        ["entities"],
        ["timeline", "org:who"],
        ["runs"],
        ["serve", "--port", "0"],
        ["schedule", "history"],
        ["schedule", "list"],
        ["schedule", "remove", "nightly"],
    ],
)
def test_read_commands_never_create_a_store(tmp_path, args) -> None:
    data = tmp_path / "nonexistent"
    res = run_cli(data, *args, timeout=120)
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert res.returncode == 2, res.stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: no store at {data}") and "coopwatch" in lines[0], res.stderr
    assert "run`" in lines[0] and not data.exists()  # says how to make one, and made nothing


def test_write_commands_still_create_the_store_and_doctor_only_looks(tmp_path) -> None:
    data = tmp_path / "fresh"
    looked = run_cli(data, "doctor", "--json", timeout=300)
    checks = {c["check"]: c for c in json.loads(looked.stdout)}
    assert checks["store"]["status"] == "warn" and "no store" in checks["store"]["detail"]
    assert not data.exists()
    res = run_cli(data, "process", timeout=300)
    assert res.returncode == 0, res.stderr
    assert (data / "coopwatch.db").is_file()
    assert run_cli(data, "search", "x", timeout=120).returncode == 0
