"""Embedded SQLite FTS5 vs Elasticsearch 7.10.2 vs OpenSearch 2.19.1 on the same documents.

Generates N multilingual documents (seeded), bulk-indexes them into each backend
(docs/s) and runs the same query mix (text, filters, facets, and two queries
expanded across languages as the CLI runs them) to report search latency
p50/p95. The embedded backend is SQLite with its tantivy mirror. Engine nodes are started on 127.0.0.1 by scripts/engines/engine.sh
(1 node, 512 MiB heap) and stopped afterwards; ``--url-opensearch`` /
``--url-elasticsearch`` use running nodes instead.

    .venv/bin/python benchmarks/bench_backends.py --docs 100000
Writes benchmarks/results/backends.json.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coopwatch.records import IndexDoc, article_id
from indexer.base import SearchBackend, SearchQuery
from indexer.elastic import ElasticBackend
from indexer.elastic_client import Auth
from indexer.sqlite_fts import SqliteBackend

SCRIPT = ROOT / "scripts" / "engines" / "engine.sh"
WORDS = {
    "en": [
        "hospital",
        "cooperation",
        "telemedicine",
        "agreement",
        "vaccine",
        "donation",
        "medical",
        "team",
        "training",
        "health",
        "ministry",
    ],
    "de": [
        "Krankenhaus",
        "Zusammenarbeit",
        "Telemedizin",
        "Abkommen",
        "Impfstoff",
        "Spende",
        "Ärzteteam",
        "Ausbildung",
        "Gesundheit",
    ],
    "vi": [
        "bệnh",
        "viện",
        "hợp",
        "tác",
        "y",
        "tế",
        "từ",
        "xa",
        "thỏa",
        "thuận",
        "vắc",
        "xin",
        "đào",
        "tạo",
        "bộ",
        "y",
        "tế",
    ],
    "zh": ["医院", "合作", "远程医疗", "协议", "疫苗", "捐赠", "医疗队", "培训", "卫生部"],
}
COUNTRIES = ["CN", "VN", "DE", "LA", "KH", "US", "FR"]
ENTITIES = [("org:who", "WHO"), ("hosp:charite", "Charité"), ("hosp:bach-mai", "Bach Mai"), ("gov:vn-moh", "MOH VN")]
QUERIES = [
    SearchQuery(text="hospital cooperation"),
    SearchQuery(text="Krankenhäuser"),
    SearchQuery(text="bệnh viện"),
    SearchQuery(text="远程医疗"),
    SearchQuery(text="vaccine", countries=["VN"]),
    SearchQuery(langs=["de"], entities=["org:who"]),
    SearchQuery(text="training", date_from=datetime(2023, 6, 1).date()),
]
# What the CLI and web run by default: the query expanded into zh/de/vi (nlp.crosslang).
EXPANDED = ["hospital cooperation", "telemedicine agreement Vietnam"]


def query_mix() -> list[SearchQuery]:
    """The plain mix plus the expanded queries (the same trees go to every backend)."""
    from nlp.crosslang import expand_text

    return QUERIES + [SearchQuery(text=t, tree=expand_text(t)) for t in EXPANDED]


def generate(n: int, seed: int = 7) -> list[IndexDoc]:
    rnd = random.Random(seed)
    docs = []
    start = datetime(2022, 1, 1)
    for i in range(n):
        lang = rnd.choice(list(WORDS))
        words = WORDS[lang]
        sep = "" if lang == "zh" else " "
        title = sep.join(rnd.choices(words, k=5))
        text = sep.join(rnd.choices(words, k=60))
        en = " ".join(rnd.choices(WORDS["en"], k=60))
        ents = rnd.sample(ENTITIES, 2)
        day = start + timedelta(days=rnd.randrange(900))
        docs.append(
            IndexDoc(
                id=article_id(f"https://bench.example/{i}"),
                url=f"https://bench.example/{i}",
                source=f"src{i % 12}",
                lang=lang,
                title=title,
                text=text,
                title_en=None if lang == "en" else en[:60],
                text_en=text if lang == "en" else en,
                published_at=day,
                countries=rnd.sample(COUNTRIES, 2),
                entities=[{"id": e, "name": nm, "type": "ORG"} for e, nm in ents],
                events=[
                    {
                        "type": rnd.choice(["agreement_signing", "aid_mission", "visit"]),
                        "date": day.date().isoformat(),
                        "precision": "day",
                        "participants": [ents[0][0]],
                        "countries": ["CN", "VN"],
                        "evidence": title,
                    }
                ],
                relevance=0.9,
            )
        )
    return docs


def measure(backend: SearchBackend, docs: list[IndexDoc], rounds: int, queries: list[SearchQuery]) -> dict[str, Any]:
    backend.check()
    t0 = time.perf_counter()
    for i in range(0, len(docs), 2000):
        report = backend.index(docs[i : i + 2000])
        assert not report.failed, list(report.failed.items())[:3]
    elapsed = time.perf_counter() - t0
    assert backend.count() == len(docs)
    for q in queries:  # warm-up
        backend.search(q)
    lat = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            backend.search(q)
            lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return {
        "docs": len(docs),
        "index_seconds": round(elapsed, 2),
        "docs_per_s": round(len(docs) / elapsed, 1),
        "search_ms_p50": round(statistics.median(lat), 2),
        "search_ms_p95": round(lat[int(0.95 * (len(lat) - 1))], 2),
        "searches": len(lat),
    }


def free_base() -> int:
    for _ in range(200):
        base = random.randrange(20_000, 40_000, 100)
        ok = True
        for port in (base + 1, base + 51):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
        if ok:
            return base
    raise RuntimeError("no free port")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=20, help="passes over the query mix")
    ap.add_argument("--engines", default="opensearch,elasticsearch")
    ap.add_argument("--url-opensearch")
    ap.add_argument("--url-elasticsearch")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "backends.json")
    args = ap.parse_args()
    docs = generate(args.docs)
    queries = query_mix()
    results: dict[str, Any] = {"docs": args.docs, "machine_cpus": __import__("os").cpu_count(), "backends": {}}
    with tempfile.TemporaryDirectory() as tmp:
        sq = SqliteBackend(Path(tmp) / "search.db")
        results["backends"]["sqlite"] = measure(sq, docs, args.rounds, queries)
        sq.close()
        print("sqlite", results["backends"]["sqlite"], flush=True)
        for flavour in [f for f in args.engines.split(",") if f]:
            url = getattr(args, f"url_{flavour}")
            workdir = Path(tmp) / flavour
            if not url:
                proc = subprocess.run(
                    [str(SCRIPT), "start", flavour, str(workdir), "1", str(free_base())],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if proc.returncode:
                    results["backends"][flavour] = {"error": proc.stderr[-2000:]}
                    print(flavour, "did not start", proc.stderr[-500:])
                    continue
                url = proc.stdout.strip().splitlines()[-1]
            try:
                be = ElasticBackend(Auth(url=url, timeout=120), flavour=flavour, index="bench", replicas=0)
                be.engine.raw.indices.delete(index="bench-v*", ignore_unavailable=True)
                results["backends"][flavour] = {"version": be.engine.describe(), **measure(be, docs, args.rounds, queries)}
                be.close()
                print(flavour, results["backends"][flavour], flush=True)
            finally:
                if (workdir / "pid").exists():
                    subprocess.run([str(SCRIPT), "stop", str(workdir)], check=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
