"""Real translation plumbing: a tiny random-weight package built here, installed through the CLI.

The package (:mod:`nlp.tinymodel`) is a genuine CTranslate2 Transformer plus a
SentencePiece model trained in the test, zipped as an ``.argosmodel``. Its
English is gibberish; the tests prove loading, sentence splitting,
batching, decoding, the on-disk cache and the CLI, with no network.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from coopwatch.records import Article
from coopwatch.settings import Settings
from nlp import tinymodel, translate
from nlp.pipeline import Analyzer
from nlp.transcache import FILE_NAME, get_cache

VI = Article.build(
    url="https://news.example/vi-tiny",
    source="test",
    title="Bộ Y tế Việt Nam ký kết hợp tác với WHO",
    text="Ngày 7 tháng 9 năm 2022, Bộ Y tế Việt Nam và WHO đã ký kết thỏa thuận hợp tác y tế.\n\n"
    "Hai bên trao đổi kinh nghiệm đào tạo bác sĩ.",
    published_at=datetime(2022, 9, 9),
)


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tinymodel.build_argos_package(tmp_path_factory.mktemp("pkg") / "translate-vi_en-tiny.argosmodel")


@pytest.fixture(scope="module")
def installed(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("home")
    res = cli(home, "models", "install", str(package), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["installed"] == "vi-en"
    return Settings(data_dir=home)


def test_models_list_shows_the_installed_pair(installed: Settings) -> None:
    res = cli(installed.data_dir, "models", "list", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [(r["pair"], r["kind"], r["serves"]) for r in rows] == [("vi-en", "argos", True)]


def test_install_rejects_a_bad_file_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK not really")
    res = cli(tmp_path / "home", "models", "install", str(bad))
    assert res.returncode == 2
    assert "cannot install" in res.stderr and "Traceback" not in res.stderr
    res = cli(tmp_path / "home", "models", "install", str(tmp_path / "missing.argosmodel"))
    assert res.returncode == 2 and "does not exist" in res.stderr


def test_package_layout_is_what_argostranslate_reads(installed: Settings, tmp_path: Path) -> None:
    """argostranslate's own Package class accepts what we install (run isolated: it writes under $HOME)."""
    pkg_dir = next((installed.models_path / "argos").iterdir())
    code = (
        "import sys, argostranslate.package as p; pk = p.Package(sys.argv[1]); "
        "print(pk.from_code, pk.to_code, type(pk.tokenizer).__name__)"
    )
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CONFIG_HOME": str(tmp_path / "c"),
           "XDG_CACHE_HOME": str(tmp_path / "k"), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", code, str(pkg_dir)], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["vi", "en", "SentencePieceTokenizer"]


def test_article_translated_then_served_from_cache(installed: Settings) -> None:
    analyzer = Analyzer(installed)
    cache = get_cache(installed.data_dir)
    first = analyzer.analyze(VI)
    assert first.translation == "done"
    assert first.title_en and first.text_en and first.text_en.strip()
    assert "\n\n" in first.text_en  # paragraph break kept
    assert first.events and first.events[0].evidence_en  # evidence translated (a cache hit)
    assert (installed.data_dir / FILE_NAME).is_file()
    misses, hits = cache.misses, cache.hits
    second = analyzer.analyze(VI)
    assert (second.title_en, second.text_en) == (first.title_en, first.text_en)
    assert cache.misses == misses and cache.hits >= hits + 3  # title + 2 sentences, all cached


def test_cache_entries_are_what_gets_served(installed: Settings) -> None:
    """Overwrite one cached translation: the next analysis must return it (proves the lookup key)."""
    ref = translate.find_model("vi", installed.models_path)
    assert ref is not None
    key = __import__("nlp.transcache", fromlist=["cache_key"]).cache_key(ref.model_id, VI.title)
    with sqlite3.connect(installed.data_dir / FILE_NAME) as conn:
        conn.execute("INSERT OR REPLACE INTO translations VALUES (?, ?, ?)", (key, ref.model_id, "CACHED TITLE"))
    assert Analyzer(installed).analyze(VI).title_en == "CACHED TITLE"


def test_missing_pair_still_reported(installed: Settings) -> None:
    an = Analyzer(installed).analyze(
        Article.build(url="https://news.example/de", source="t", title="Gesundheit", text="Das BMG hat eine Vereinbarung unterzeichnet.")
    )
    assert an.translation == "missing-model:de-en"


def test_ct2_directory_kind_serves_a_pair(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, models_dir=tmp_path / "models")
    tinymodel.build_ct2_dir(s.models_path / "ct2" / "zh-en")
    assert translate.installed_pairs(s) == {"zh-en"}
    title_en, text_en, status = translate.translate("中越合作", "国家卫健委与越南卫生部签署备忘录。双方加强交流。", "zh", s)
    assert status == "done" and title_en and text_en
    assert translate.find_model("zh", s.models_path).kind == "ct2"  # type: ignore[union-attr]


def test_packages_installed_by_argospm_are_found(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user who ran `argospm install translate-vi_en` gets translations with no extra step."""
    import zipfile

    argos_home = tmp_path / "argos-packages"
    with zipfile.ZipFile(package) as zf:
        zf.extractall(argos_home)  # the layout argospm leaves: <packages>/<package>/metadata.json, model/ …
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_home))
    s = Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "empty-models")
    ref = translate.find_model("vi", Path(s.models_path))
    assert ref is not None and argos_home in ref.path.parents
    assert Analyzer(s).analyze(VI).translation == "done"
    listed = subprocess.run(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(tmp_path / "data"), "models", "list", "--json"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert [r["pair"] for r in json.loads(listed.stdout)] == ["vi-en"]
    # switched off (the evaluators do this so scores never depend on the machine): not found
    off = Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "empty-models", argospm_packages=False)
    assert translate.find_model("vi", Path(off.models_path), translate.uses_argospm(off)) is None
    assert Analyzer(off).analyze(VI).translation == "missing-model:vi-en"
