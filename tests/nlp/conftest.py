"""Fixtures for the NLP tests: settings with an empty models directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopwatch.settings import Settings


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("coopwatch-home")
    return Settings(data_dir=Path(home), models_dir=Path(home) / "models")


@pytest.fixture(scope="session")
def analyzer(settings: Settings):
    from nlp.pipeline import Analyzer

    return Analyzer(settings)
