"""Translation hook: original → English, offline models only.

Translators are found, never downloaded, under ``settings.models_path``:

- ``argos/<package>/`` — an unzipped Argos Translate package
  (``metadata.json`` with ``from_code``/``to_code``, a CTranslate2 model in
  ``model/`` and ``sentencepiece.model``). Install with
  ``ARGOS_PACKAGES_DIR=<models_path>/argos argospm install …`` or unzip an
  ``.argosmodel`` file there;
- the packages ``argospm install`` put where argostranslate keeps them
  (``$ARGOS_PACKAGES_DIR``, else ``~/.local/share/argos-translate/packages``),
  so a user who already ran ``argospm install translate-zh_en`` needs no step;
- ``ct2/<src>-en/`` — a CTranslate2 model directory (``model.bin``) with its
  SentencePiece model (``sentencepiece.model``, ``spm.model`` or
  ``source.spm`` + ``target.spm`` as in converted OPUS-MT models).

We do not import :mod:`argostranslate`: importing its ``settings`` creates
directories under ``$HOME`` and freezes the package directory from the
environment at import time, and its translate path splits sentences with
stanza/minisbd, which fetch models over the network. Reading the package
layout ourselves and driving ctranslate2 + sentencepiece directly keeps the
run offline and lets us split sentences with :mod:`nlp.sentences`.

Translator kinds form a small registry (:data:`TRANSLATOR_KINDS`): each kind
discovers model references under the models path and loads one into an
object with ``translate_sentences(list[str]) -> list[str]``.

Title and text are split into sentences, looked up in the on-disk cache
(:mod:`nlp.transcache`, keyed by sha1 of model id + sentence) and only the
misses go to the model, in batches of :data:`BATCH`.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from coopwatch.errors import InputError
from coopwatch.records import LANGS
from nlp.sentences import split_sentences
from nlp.transcache import get_cache

TARGET = "en"
MAX_SENTENCE_CHARS = 1000  # longer "sentences" (tables, lists) are cut, not fed whole
BATCH = 16


class Translator(Protocol):
    def translate_sentences(self, sentences: list[str]) -> list[str]: ...


@dataclass(frozen=True)
class ModelRef:
    kind: str
    src: str
    tgt: str
    path: Path
    sp_source: Path
    sp_target: Path
    target_prefix: str = ""

    @property
    def model_id(self) -> str:
        """Names this installed model; changes when it is reinstalled (cache key part)."""
        weights = self.path / "model.bin" if self.path.is_dir() else self.path
        try:
            st = weights.stat()
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "?"
        name = self.path.parent.name if self.kind == "argos" else self.path.name
        return f"{self.kind}:{name}:{self.src}-{self.tgt}:{stamp}"


@dataclass(frozen=True)
class TranslatorKind:
    discover: Callable[[Path], list[ModelRef]]
    load: Callable[[ModelRef], Translator]


def _find_spm(folder: Path) -> tuple[Path, Path] | None:
    for src_name, tgt_name in (("source.spm", "target.spm"),):
        if (folder / src_name).is_file() and (folder / tgt_name).is_file():
            return folder / src_name, folder / tgt_name
    for name in ("sentencepiece.model", "spm.model", "source.spm"):
        if (folder / name).is_file():
            return folder / name, folder / name
    models = sorted(folder.glob("*.model"))
    return (models[0], models[0]) if models else None


def _discover_ct2(models_path: Path) -> list[ModelRef]:
    refs: list[ModelRef] = []
    root = models_path / "ct2"
    if not root.is_dir():
        return refs
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        src, _, tgt = folder.name.partition("-")
        spm = _find_spm(folder)
        if src and tgt and (folder / "model.bin").is_file() and spm:
            refs.append(ModelRef("ct2", src, tgt, folder, spm[0], spm[1]))
    return refs


def argospm_dirs() -> list[Path]:
    """Where ``argospm install`` puts packages, as argostranslate's settings decide it:
    ``$ARGOS_PACKAGES_DIR`` (or the older ``$ARGOS_TRANSLATE_PACKAGE_DIR``), else
    ``$XDG_DATA_HOME/argos-translate/packages`` with ``~/.local/share`` as XDG's default."""
    for var in ("ARGOS_PACKAGES_DIR", "ARGOS_TRANSLATE_PACKAGE_DIR"):
        if os.environ.get(var):
            return [Path(os.environ[var]).expanduser()]
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return [data / "argos-translate" / "packages"]


def _discover_argospm(_models_path: Path) -> list[ModelRef]:
    """Packages a user already installed with argospm (searched after our own models directory)."""
    return [ref for root in argospm_dirs() for ref in _argos_packages(root)]


def _discover_argos(models_path: Path) -> list[ModelRef]:
    return _argos_packages(models_path / "argos")


def _argos_packages(root: Path) -> list[ModelRef]:
    refs: list[ModelRef] = []
    if not root.is_dir():
        return refs
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        model_dir = folder / "model"
        spm = folder / "sentencepiece.model"
        if meta.get("from_code") and meta.get("to_code") and (model_dir / "model.bin").is_file() and spm.is_file():
            refs.append(
                ModelRef(
                    "argos",
                    str(meta["from_code"]),
                    str(meta["to_code"]),
                    model_dir,
                    spm,
                    spm,
                    str(meta.get("target_prefix") or ""),
                )
            )
    return refs


class CT2Translator:
    """SentencePiece → CTranslate2 → SentencePiece, batched, CPU."""

    def __init__(self, ref: ModelRef) -> None:
        import ctranslate2
        import sentencepiece

        self.ref = ref
        self._model = ctranslate2.Translator(str(ref.path), device="cpu", inter_threads=1, intra_threads=2)
        self._sp_src = sentencepiece.SentencePieceProcessor(model_file=str(ref.sp_source))
        self._sp_tgt = (
            self._sp_src
            if ref.sp_target == ref.sp_source
            else sentencepiece.SentencePieceProcessor(model_file=str(ref.sp_target))
        )
        self._lock = threading.Lock()

    def translate_sentences(self, sentences: list[str]) -> list[str]:
        out: list[str] = []
        prefix = [self.ref.target_prefix] if self.ref.target_prefix else None
        for i in range(0, len(sentences), BATCH):
            chunk = [s[:MAX_SENTENCE_CHARS] for s in sentences[i : i + BATCH]]
            tokens = [self._sp_src.encode(s, out_type=str) for s in chunk]
            # a translation rarely runs past twice its source; the cap stops runaway repetition
            longest = max((len(t) for t in tokens), default=1)
            kw: dict[str, Any] = {"beam_size": 2, "max_decoding_length": min(256, 2 * longest + 16)}
            if prefix:
                kw["target_prefix"] = [prefix] * len(tokens)
            with self._lock:
                results = self._model.translate_batch(tokens, **kw)
            for res in results:
                hyp = res.hypotheses[0]
                if prefix and hyp[:1] == prefix:
                    hyp = hyp[1:]
                out.append(self._sp_tgt.decode(hyp).strip())
        return out


TRANSLATOR_KINDS: dict[str, TranslatorKind] = {
    "argos": TranslatorKind(_discover_argos, CT2Translator),
    "ct2": TranslatorKind(_discover_ct2, CT2Translator),
    "argospm": TranslatorKind(_discover_argospm, CT2Translator),
}
_loaded: dict[tuple[str, Path], Translator] = {}
_loaded_lock = threading.Lock()


def register_kind(name: str, kind: TranslatorKind) -> None:
    """Add (or replace) a translator kind; searched after the built-in ones."""
    TRANSLATOR_KINDS[name] = kind


def find_model(lang: str, models_path: Path, argospm: bool = True) -> ModelRef | None:
    """The first installed model translating ``lang`` → English, or None."""
    for ref in installed_models(models_path, argospm):
        if ref.src == lang and ref.tgt == TARGET:
            return ref
    return None


def installed_models(models_path: Path, argospm: bool = True) -> list[ModelRef]:
    """Every model any registered kind finds under ``models_path`` (and argospm's directory unless ``argospm`` is off)."""
    return [
        ref
        for name, kind in TRANSLATOR_KINDS.items()
        if argospm or name != "argospm"
        for ref in kind.discover(models_path)
    ]


def uses_argospm(settings: Any) -> bool:
    return bool(getattr(settings, "argospm_packages", True))


def installed_pairs(settings: Any) -> set[str]:
    """Installed language pairs as ``"zh-en"`` strings."""
    return {f"{ref.src}-{ref.tgt}" for ref in installed_models(Path(settings.models_path), uses_argospm(settings))}


def install_argos_package(file: Path, settings: Any) -> ModelRef:
    """Unzip an ``.argosmodel`` file into ``<models_path>/argos/`` (no network).

    Raises :class:`InputError` when the file is not a usable package.
    """
    file = Path(file)
    root = Path(settings.models_path) / "argos"
    try:
        with zipfile.ZipFile(file) as zf:
            names = [n for n in zf.namelist() if n and not n.startswith("__MACOSX")]
            tops = {n.split("/", 1)[0] for n in names}
            if len(tops) != 1 or any(".." in Path(n).parts or Path(n).is_absolute() for n in names):
                raise InputError(f"{file} is not an Argos package (expected one top-level folder)")
            top = tops.pop()
            if f"{top}/metadata.json" not in names:
                raise InputError(f"{file} has no {top}/metadata.json; is it an .argosmodel file?")
            target = root / top
            if target.exists():
                shutil.rmtree(target)
            root.mkdir(parents=True, exist_ok=True)
            zf.extractall(root, members=names)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot install {file}: {exc}") from exc
    refs = [r for r in _discover_argos(Path(settings.models_path)) if r.path.parent == target]
    if not refs:
        shutil.rmtree(target, ignore_errors=True)
        raise InputError(f"{file} lacks model/model.bin or sentencepiece.model; it cannot be used offline")
    with _loaded_lock:
        _loaded.pop(("argos", refs[0].path), None)
    return refs[0]


def get_translator(lang: str, models_path: Path, argospm: bool = True) -> Translator | None:
    """A loaded translator for ``lang`` → English (cached), or None."""
    found = _load(lang, models_path, argospm)
    return found[1] if found else None


def _load(lang: str, models_path: Path, argospm: bool = True) -> tuple[ModelRef, Translator] | None:
    ref = find_model(lang, models_path, argospm)
    if ref is None:
        return None
    key = (ref.kind, ref.path)
    with _loaded_lock:
        if key not in _loaded:
            _loaded[key] = TRANSLATOR_KINDS[ref.kind].load(ref)
        return ref, _loaded[key]


def translate_cached(sentences: list[str], ref: ModelRef, translator: Translator, settings: Any) -> list[str]:
    """English for each sentence: cache first, the model for the misses (deduplicated, batched)."""
    cache = get_cache(Path(settings.data_dir))
    model_id = ref.model_id
    known = cache.get_many(model_id, sentences)
    todo = [s for s in dict.fromkeys(sentences) if s not in known]
    if todo:
        fresh = dict(zip(todo, translator.translate_sentences(todo), strict=True))
        cache.put_many(model_id, fresh)
        known.update(fresh)
    return [known[s] for s in sentences]


def _reassemble(text: str, sents: list[tuple[int, int, str]], translated: list[str]) -> str:
    """Join sentence translations, keeping the original's paragraph breaks."""
    parts: list[str] = []
    prev_end = 0
    for (start, end, _), en in zip(sents, translated):
        gap = text[prev_end:start]
        if parts:
            parts.append("\n" * gap.count("\n") if "\n" in gap else " ")
        parts.append(en)
        prev_end = end
    return "".join(parts)


def translate(
    title: str, text: str, lang: str, settings: Any, keep_spans: list[tuple[int, int]] | None = None
) -> tuple[str | None, str | None, str]:
    """Translate an article into English.

    Returns ``(title_en, text_en, status)`` where status is ``same-language``
    (English already; nothing returned), ``done``, ``missing-model:<lang>-en``
    (install a model under ``settings.models_path``) or ``failed:<reason>``.
    Title and text sentences go to the model together (one batched call for
    the cache misses). Text sentences inside ``keep_spans`` (paragraphs
    already in English on a mixed page) are copied, not translated.
    """
    if lang == TARGET:
        return None, None, "same-language"
    if lang not in LANGS:
        return None, None, f"failed:unknown-language:{lang}"
    try:
        loaded = _load(lang, Path(settings.models_path), uses_argospm(settings))
    except Exception as exc:  # noqa: BLE001 — a broken model directory is the user's to fix; say which
        return None, None, f"failed:load-model:{type(exc).__name__}: {str(exc)[:120]}"
    if loaded is None:
        return None, None, f"missing-model:{lang}-{TARGET}"
    ref, translator = loaded
    try:
        title_s = split_sentences(title, lang) if title else []
        text_s = split_sentences(text, lang) if text else []
        keep = keep_spans or []
        kept = {i for i, (s, e, _) in enumerate(text_s) if any(ks <= s and e <= ke for ks, ke in keep)}
        sents = [s for _, _, s in title_s] + [s for i, (_, _, s) in enumerate(text_s) if i not in kept]
        done = iter(translate_cached(sents, ref, translator, settings))
        english = [next(done) for _ in title_s]
        english += [s if i in kept else next(done) for i, (_, _, s) in enumerate(text_s)]
        title_en = _reassemble(title, title_s, english[: len(title_s)])
        text_en = _reassemble(text, text_s, english[len(title_s) :])
    except Exception as exc:  # noqa: BLE001 — model runtime errors: record, do not crash the batch
        return None, None, f"failed:{type(exc).__name__}: {str(exc)[:120]}"
    return title_en, text_en, "done"


def translate_sentence(sentence: str, lang: str, settings: Any) -> str | None:
    """English for one evidence sentence (usually a cache hit), or None without a model."""
    if lang == TARGET or lang not in LANGS or not sentence:
        return None
    try:
        loaded = _load(lang, Path(settings.models_path), uses_argospm(settings))
        if loaded is None:
            return None
        return translate_cached([sentence], loaded[0], loaded[1], settings)[0]
    except Exception:  # noqa: BLE001 — evidence_en is optional; the article-level status records failures
        return None
