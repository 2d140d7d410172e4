"""Language identification restricted to zh, en, de and vi.

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


def _langdetect_probs(text: str) -> dict[str, float]:
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


def detect(text: str, hint: str | None = None) -> tuple[str, float]:
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
    probs = _langdetect_probs(sample)
    if not probs:
        return (hint, 0.3) if hint else (UND, 0.0)
    ranked = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))
    best, p = ranked[0]
    if hint and hint != best and probs.get(hint, 0.0) >= p - 0.15:
        best, p = hint, probs[hint]
    if p < 0.2:
        return (hint, round(p, 3)) if hint else (UND, round(p, 3))
    return best, round(min(p, 0.99), 3)
