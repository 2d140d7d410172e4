"""A tiny random-weight translation package, built locally, for plumbing checks.

Real translation models are hundreds of megabytes and cannot be fetched at
test time, so tests and ``benchmarks/bench_nlp.py`` build a package that has
the exact layout of an Argos Translate ``.argosmodel`` file:

- ``<name>/metadata.json`` (``from_code``/``to_code``),
- ``<name>/model/`` — a CTranslate2 Transformer saved by
  ``ctranslate2.specs.TransformerSpec`` with random numpy weights,
- ``<name>/sentencepiece.model`` — a SentencePiece model trained here on a
  few hundred generated lines.

Its translations are gibberish by design; what it proves is that the real
loading, tokenising, batching, decoding and caching code runs end to end.
Building needs numpy, ctranslate2 and sentencepiece only (no torch).
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

D_MODEL = 16
FFN = 32
HEADS = 2
LAYERS = 1

_SEED_LINES = [
    "Bộ Y tế Việt Nam ký kết thỏa thuận hợp tác với Tổ chức Y tế Thế giới",
    "Bệnh viện Bạch Mai tiếp đoàn chuyên gia y tế Trung Quốc",
    "国家卫生健康委员会与越南卫生部签署合作备忘录",
    "Das Bundesministerium für Gesundheit unterzeichnet eine Vereinbarung",
    "The delegation visited the provincial hospital in Nanning",
    "Hai bên trao đổi kinh nghiệm đào tạo bác sĩ và chuyển giao kỹ thuật",
]


def _corpus(n: int = 300) -> list[str]:
    rng = np.random.default_rng(7)
    words = " ".join(_SEED_LINES).split()
    lines = list(_SEED_LINES)
    while len(lines) < n:
        k = int(rng.integers(4, 12))
        lines.append(" ".join(str(w) for w in rng.choice(words, size=k)))
    return lines


def train_sentencepiece(out_file: Path, vocab_size: int = 100) -> Path:
    """Train a tiny SentencePiece model into ``out_file`` (deterministic corpus)."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus()),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=1,
    )
    out_file.write_bytes(buf.getvalue())
    return out_file


def _fill(spec: object, vocab: int, rng: np.random.Generator) -> None:
    """Give every required weight of a Transformer spec a random value of the right shape."""
    from ctranslate2.specs import model_spec

    def shape_for(scope: str, attr: str) -> tuple[int, ...] | None:
        if attr in ("gamma", "beta"):
            return (D_MODEL,)
        if "embeddings" in scope and attr == "weight":
            return (vocab, D_MODEL)
        if scope.endswith("projection"):
            return (vocab, D_MODEL) if attr == "weight" else (vocab,)
        if "ffn/linear_0" in scope:
            return (FFN, D_MODEL) if attr == "weight" else (FFN,)
        if "ffn/linear_1" in scope:
            return (D_MODEL, FFN) if attr == "weight" else (D_MODEL,)
        if "attention" in scope and "linear_" in scope:
            idx = int(scope.rsplit("linear_", 1)[1])
            self_att = "self_attention" in scope
            rows = {0: 3 * D_MODEL if self_att else D_MODEL, 1: D_MODEL if self_att else 2 * D_MODEL, 2: D_MODEL}[idx]
            return (rows, D_MODEL) if attr == "weight" else (rows,)
        return None

    def visit(layer: object, name: str, value: object) -> None:
        scope, _, attr = name.rpartition("/")
        # position encodings stay OPTIONAL: CTranslate2 then uses sinusoidal ones of any length
        if value is None or (attr == "bias" and value == model_spec.OPTIONAL):
            shape = shape_for(scope, attr)
            if shape is None:
                raise ValueError(f"tiny model: no shape rule for {name}")
            arr = rng.normal(0.0, 0.5, size=shape).astype(np.float32)
            if attr == "gamma":
                arr = np.ones(shape, dtype=np.float32)
            setattr(layer, attr, arr)

    model_spec.visit_spec(spec, visit)


def build_ct2_model(out_dir: Path, sp_model: Path, seed: int = 0) -> Path:
    """Save a random-weight CTranslate2 Transformer whose vocabulary is ``sp_model``'s pieces."""
    import sentencepiece as spm
    from ctranslate2.specs import TransformerSpec

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = TransformerSpec.from_config(LAYERS, HEADS)
    _fill(spec, len(pieces), np.random.default_rng(seed))
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    return out_dir


def build_argos_package(out_file: Path, src: str = "vi", tgt: str = "en") -> Path:
    """Write ``out_file`` (``….argosmodel``): a zip with one top-level package folder."""
    name = f"translate-{src}_{tgt}-tiny"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        root.mkdir()
        sp_model = train_sentencepiece(root / "sentencepiece.model")
        build_ct2_model(root / "model", sp_model)
        meta = {
            "package_version": "0.0.1",
            "argos_version": "1.9.0",
            "from_code": src,
            "from_name": src,
            "to_code": tgt,
            "to_name": tgt,
            "type": "translate",
            "name": f"tiny random {src}-{tgt} (plumbing test)",
        }
        (root / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        out_file.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(tmp).as_posix())
    return out_file


def build_ct2_dir(out_dir: Path) -> Path:
    """A ``ct2/<src>-en`` style directory (model.bin + sentencepiece.model) for the ct2 kind."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sp_model = train_sentencepiece(Path(tmp) / "sentencepiece.model")
        build_ct2_model(out_dir, sp_model, seed=1)
        shutil.copy(sp_model, out_dir / "sentencepiece.model")
    return out_dir
