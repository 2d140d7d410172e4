"""``coopwatch doctor``: check the installation and say what to fix."""

from __future__ import annotations

import importlib
import os
from typing import Any


def _check(name: str, fn: Any) -> dict[str, str]:
    try:
        status, detail = fn()
    except Exception as exc:  # every check reports, none stops the others
        status, detail = "fail", f"{type(exc).__name__}: {exc}"
    return {"check": name, "status": status, "detail": detail}


def run_checks(ctx: Any) -> list[dict[str, str]]:
    checks: list[dict[str, str]] = []

    def settings() -> tuple[str, str]:
        s = ctx.settings
        return "ok", f"data dir {s.data_dir}, backend {s.backend}, timezone {s.timezone}"

    from coopwatch.store import store_exists

    has_store = store_exists(ctx.settings.store_url)  # doctor looks; it never creates a store

    def store() -> tuple[str, str]:
        if not has_store:
            return "warn", f"no store at {ctx.settings.data_dir} yet: `coopwatch run` (or crawl, ingest, demo) makes one"
        st = ctx.store
        if not os.access(ctx.settings.data_dir, os.W_OK):
            return "fail", f"{ctx.settings.data_dir} is not writable"
        stats = st.stats()
        return "ok", f"{stats['articles']} articles, {stats['analyses']} analysed, {stats['drops']} drops recorded"

    def backend() -> tuple[str, str]:
        if not has_store:
            return "warn", f"{ctx.settings.backend}: not checked, there is no store yet"
        b = ctx.backend()
        b.check()
        return "ok", f"{b.name}: {b.count()} documents"

    def sources() -> tuple[str, str]:
        from crawlers.sources import DEFAULT_SOURCES, load_sources

        ss = load_sources(ctx.settings.sources_file or DEFAULT_SOURCES)
        return "ok", f"{len(ss)} sources"

    def extraction() -> tuple[str, str]:
        for mod in ("trafilatura", "htmldate", "lxml_html_clean", "jieba", "langdetect", "dateparser"):
            importlib.import_module(mod)
        return "ok", "trafilatura, htmldate, lxml_html_clean, jieba, langdetect, dateparser import"

    def spacy_models() -> tuple[str, str]:
        import spacy

        wanted = [p.split("=", 1)[1] for p in ctx.settings.spacy_models.split(",") if "=" in p]
        missing = [m for m in wanted if not spacy.util.is_package(m)]
        if missing:
            return "warn", f"spaCy {spacy.__version__}; configured but not installed: {', '.join(missing)} (pip install them)"
        from nlp import ner

        taggers = {lang: name for lang, name in ner.available().items() if name}
        for lang in ("zh", "en"):
            if lang not in taggers:
                return "warn", f"trained {lang} organization tagger not installed (make setup installs it); rules still run"
        return "ok", f"spaCy {spacy.__version__}; rule + gazetteer pipelines for zh/en/de/vi; trained: " + ", ".join(
            f"{lang}={name}" for lang, name in sorted(taggers.items())
        ) + (f"; configured: {', '.join(wanted)}" if wanted else "")

    def translation() -> tuple[str, str]:
        from nlp import translate

        pairs = translate.installed_pairs(ctx.settings)
        missing = [f"{s}-en" for s in ("zh", "de", "vi") if f"{s}-en" not in pairs]
        if missing:
            return "warn", (
                f"installed: {', '.join(sorted(pairs)) or 'none'}; missing {', '.join(missing)} — articles get "
                "translation=missing-model:xx-en (install with `coopwatch models install FILE.argosmodel`)"
            )
        return "ok", f"installed: {', '.join(sorted(pairs))} (searched {ctx.settings.models_path} and argospm's "
        f"{', '.join(map(str, translate.argospm_dirs()))})"

    def dictionaries() -> tuple[str, str]:
        from nlp.crosslang import DING_FILE, load_lexicon

        lex = load_lexicon()
        detail = "; ".join(f"{lang}: {src}" for lang, src in lex.sources.items())
        if not DING_FILE.is_file():
            return "warn", f"German query translation off ({DING_FILE} missing; make setup installs trans-de-en); {detail}"
        return "ok", detail

    def cjk_font() -> tuple[str, str]:
        from indexer.chart_fonts import CJK_FAMILY, CJK_FIX, find_cjk_font

        path = find_cjk_font()
        if path is None:
            return "warn", f"{CJK_FAMILY} not installed; Chinese shows as boxes in PNG charts and the web UI ({CJK_FIX})"
        return "ok", f"{CJK_FAMILY}: {path} (charts and web UI)"

    for name, fn in [
        ("settings", settings),
        ("store", store),
        ("search backend", backend),
        ("sources", sources),
        ("extraction libraries", extraction),
        ("spaCy", spacy_models),
        ("translation models", translation),
        ("query dictionaries", dictionaries),
        ("CJK font", cjk_font),
    ]:
        checks.append(_check(name, fn))
    return checks
