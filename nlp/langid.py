"""Language identification restricted to zh, en, de and vi.

:func:`detect` judges one piece of text; :func:`detect_document` judges a
page paragraph by paragraph, so a mixed page (a Chinese article quoting an
English statement) gets the language of most of its text, a confidence
lowered by the share of other languages, and the paragraph languages the
translator uses to leave English paragraphs as they are.

Script evidence decides first because it is unambiguous and cheap: a text
whose letters are mostly Han characters is Chinese; a text carrying
Vietnamese-only letters (ơ ư ă đ and the stacked tone marks) is Vietnamese.
Otherwise langdetect (seeded, so results are reproducible) ranks the
languages and we keep the best of ours. Too little text gives ``("und", 0.0)``.
"""

from __future__ import annotations

import re
import threading

from coopwatch.records import LANGS

UND = "und"
MIN_LETTERS = 3
SAMPLE_CHARS = 3000  # langdetect cost grows with length; the head suffices

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
# Letters that occur in Vietnamese but in none of our other languages.
_VI_CHARS = set(
    "ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĨŨ"
)
_lock = threading.Lock()
_factory_ready = False


# Function words that settle English against German without langdetect (its random trials are
# most of the cost of a page): frequent, and not words of the other language ("in", "an",
# "was", "die" are both, so they are left out). A text is decided here only when at least a quarter
# of its words are one side's and almost none the other's; anything else (other languages,
# mixed paragraphs, short texts) goes to langdetect. tests/nlp/test_langid.py checks that this
# never disagrees with langdetect on the paragraphs of the realgold and peer pages.
EN_FUNCTION = frozenset(
    "the of and to for with on at by from is are were that this which has have had been be as it its "
    "will would their they there these those or not but said also into than who".split()
)
DE_FUNCTION = frozenset(
    "der das und den dem des ein eine einer eines einem einen zu zum zur mit von vom für auf ist sind "
    "wurde wurden werden wird nicht auch sich bei beim aus wie dass sowie über nach noch durch".split()
)
_WORD = re.compile(r"[^\W\d_]+")
FAST_MIN_WORDS = 8


def _function_word_verdict(sample: str) -> str | None:
    """``"en"`` or ``"de"`` when function words leave no doubt, else None (ask langdetect)."""
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < FAST_MIN_WORDS:
        return None
    en = sum(1 for w in words if w in EN_FUNCTION)
    de = sum(1 for w in words if w in DE_FUNCTION)
    if en >= 0.25 * len(words) and de <= 0.02 * len(words):
        return "en"
    if de >= 0.25 * len(words) and en <= 0.02 * len(words):
        return "de"
    return None


PARAGRAPH_TRIALS = 3  # langdetect's default is 7 random trials; a paragraph inside a page needs fewer


def _langdetect_probs(text: str, trials: int | None = None) -> dict[str, float]:
    """langdetect probabilities for our languages (zh-cn/zh-tw folded)."""
    global _factory_ready
    from langdetect import DetectorFactory, detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    with _lock:
        if not _factory_ready:
            DetectorFactory.seed = 0
            detector_factory.init_factory()
            _factory_ready = True
        try:
            detector = detector_factory._factory.create()  # type: ignore[union-attr]
            if trials:
                detector.n_trial = trials
            detector.append(text)
            ranked = detector.get_probabilities()
        except LangDetectException:
            return {}
    probs: dict[str, float] = {}
    for lang in ranked:
        code = "zh" if lang.lang.startswith("zh") else lang.lang
        if code in LANGS:
            probs[code] = probs.get(code, 0.0) + lang.prob
    return probs


def detect(text: str, hint: str | None = None, trials: int | None = None) -> tuple[str, float]:
    """Return ``(lang, confidence)`` with lang in zh/en/de/vi or ``"und"``.

    ``hint`` (e.g. the source's declared language) only breaks near-ties or
    rescues a text too short to decide.
    """
    sample = (text or "")[:SAMPLE_CHARS]
    letters = [c for c in sample if c.isalpha()]
    hint = hint if hint in LANGS else None
    if len(letters) < MIN_LETTERS:
        return (hint, 0.3) if hint and letters else (UND, 0.0)
    han = len(_HAN.findall(sample))
    if han / len(letters) >= 0.3 and len(_KANA_HANGUL.findall(sample)) < han * 0.2:
        return "zh", round(min(0.99, 0.6 + han / len(letters) * 0.4), 3)
    vi = sum(1 for c in letters if c in _VI_CHARS)
    if vi / len(letters) >= 0.03 and vi >= 2:
        return "vi", round(min(0.99, 0.7 + vi / len(letters) * 3), 3)
    fast = _function_word_verdict(sample)
    if fast is not None:
        return fast, 0.99  # what langdetect's ~1.0 probability becomes below (capped at 0.99)
    probs = _langdetect_probs(sample, trials)
    if not probs:
        return (hint, 0.3) if hint else (UND, 0.0)
    ranked = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))
    best, p = ranked[0]
    if hint and hint != best and probs.get(hint, 0.0) >= p - 0.15:
        best, p = hint, probs[hint]
    if p < 0.2:
        return (hint, round(p, 3)) if hint else (UND, round(p, 3))
    return best, round(min(p, 0.99), 3)


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
MIN_PARAGRAPH_LETTERS = 30  # shorter paragraphs (bylines, captions, short titles) follow the whole page


def detect_paragraphs(
    text: str, hint: str | None = None, whole: tuple[str, float] | None = None
) -> list[tuple[int, int, str, float]]:
    """``(start, end, lang, confidence)`` per paragraph (blank-line or line separated).

    Paragraphs too short to judge take the language of the document as a
    whole, so a one-line caption does not make a page "mixed".
    """
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text or "") if m.group(0).strip()]
    if not spans:
        return []
    doc_lang, doc_conf = whole or detect(text, hint)
    out: list[tuple[int, int, str, float]] = []
    for start, end in spans:
        chunk = text[start:end]
        if sum(c.isalpha() for c in chunk) < MIN_PARAGRAPH_LETTERS:
            out.append((start, end, doc_lang, doc_conf))
            continue
        lang, conf = detect(chunk, hint or (doc_lang if doc_lang in LANGS else None), PARAGRAPH_TRIALS)
        out.append((start, end, lang, conf))
    return out


def _weight(chunk: str) -> int:
    """Letters, a Han character counting as three (it carries about a word)."""
    han = len(_HAN.findall(chunk))
    return sum(c.isalpha() for c in chunk) + 2 * han


def detect_document(
    title: str, text: str, hint: str | None = None
) -> tuple[str, float, list[tuple[int, int, str, float]]]:
    """Language of a whole page from its paragraphs: ``(lang, confidence, text paragraphs)``.

    Each paragraph votes with its letter count, a Han character counting
    as three (the title counts as one paragraph); the document language is the heaviest vote and the
    confidence is that language's share of letters times its mean
    paragraph confidence, so a mixed page reports a lower confidence.
    """
    whole = detect(text, hint) if text and text.strip() else None
    paras = detect_paragraphs(text, hint, whole)
    votes: dict[str, float] = {}
    confs: dict[str, list[float]] = {}
    parts: list[tuple[str, str, float]] = []
    if title and title.strip():
        short = _weight(title) < 40  # headlines are terse; judged alone only when long
        # a terse headline follows the page (the text's own verdict, computed once)
        judged = (whole or detect(title, hint)) if short else detect(title, hint)
        parts.append((title, *judged))
    parts += [(text[s:e], lang, conf) for s, e, lang, conf in paras]
    for chunk, lang, conf in parts:
        if lang == UND:
            continue
        weight = _weight(chunk)
        votes[lang] = votes.get(lang, 0.0) + weight
        confs.setdefault(lang, []).append(conf)
    if not votes:
        lang, conf = detect(f"{title}\n{text}", hint)
        return lang, conf, paras
    best = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    share = votes[best] / sum(votes.values())
    conf = share * sum(confs[best]) / len(confs[best])
    return best, round(min(conf, 0.99), 3), paras
