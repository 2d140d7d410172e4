"""Quality gate: NLP scores on the gold set may not fall below the pinned baseline.

After an intended change, refresh the pin with
``coopwatch eval --write-baseline tests/gold/baseline.json`` and commit it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import evaluate

GOLD = Path(__file__).resolve().parents[1] / "gold"


@pytest.fixture(scope="module")
def report(settings):
    return evaluate.evaluate(evaluate.load_gold(GOLD), settings)


def test_gold_set_shape() -> None:
    items = evaluate.load_gold(GOLD)
    by_lang = {lang: [i for i in items if i["lang"] == lang] for lang in ("zh", "en", "de", "vi")}
    assert all(len(v) >= 6 for v in by_lang.values()), {k: len(v) for k, v in by_lang.items()}
    assert all(any(not i.get("relevant", True) for i in v) for v in by_lang.values()), "each language needs negatives"


def test_scores_not_below_baseline(report) -> None:
    baseline = json.loads((GOLD / "baseline.json").read_text(encoding="utf-8"))
    assert evaluate.regressions(report, baseline) == []
    assert set(report["scores"]) == {"zh", "en", "de", "vi", "all"}


def test_gate_detects_a_drop(report) -> None:
    raised = {"f1": {"all": {"orgs": report["scores"]["all"]["orgs"]["f1"] + 0.01}}}
    assert evaluate.regressions(report, raised) and "all/orgs" in evaluate.regressions(report, raised)[0]


def test_scoring_counts(settings) -> None:
    item = {
        "id": "t1",
        "lang": "en",
        "published": "2023-07-14",
        "title": "WHO and Viet Nam sign plan",
        "text": "The World Health Organization and Vietnam's Ministry of Health signed an agreement on 12 July 2023.",
        "orgs": ["org:who", "org:moh-vn", "Some Other Agency"],
        "countries": ["VN", "LA"],
        "events": [{"type": "agreement_signing", "date": "2023-07-12"}],
    }
    rep = evaluate.evaluate([item], settings)
    orgs = rep["scores"]["en"]["orgs"]
    assert (orgs["tp"], orgs["fp"], orgs["fn"]) == (2, 0, 1)
    assert rep["scores"]["en"]["countries"]["r"] == 0.5
    assert rep["scores"]["en"]["events"]["f1"] == 1.0
