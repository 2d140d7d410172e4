"""Backend registry: names → dotted paths, lazy imports, actionable errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.settings import load_settings
from indexer import registry
from indexer.base import BackendError
from indexer.sqlite_fts import SqliteBackend


def test_sqlite_is_the_default(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, env={})
    backend = registry.open_backend(settings)
    assert isinstance(backend, SqliteBackend) and backend.name == "sqlite"
    assert backend.path == settings.search_db
    backend.check()
    assert settings.search_db.exists()
    backend.close()


def test_registry_names() -> None:
    assert set(registry.BACKENDS) == {"sqlite", "elasticsearch", "opensearch"}


def test_missing_module_says_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.BACKENDS, "elasticsearch", "indexer.no_such_engine:ElasticBackend")
    with pytest.raises(BackendError, match="not available yet"):
        registry.load_backend_class("elasticsearch")


def test_missing_dependency_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "fake_engine_mod.py").write_text("import no_such_client_pkg\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(registry.BACKENDS, "elasticsearch", "fake_engine_mod:Backend")
    with pytest.raises(BackendError, match="pip install no_such_client_pkg"):
        registry.load_backend_class("elasticsearch")


def test_unknown_name() -> None:
    with pytest.raises(BackendError, match="unknown search backend"):
        registry.load_backend_class("solr")
