"""Crawl benchmark: pages/s crawling + extracting a generated 2,000-page local site,
side by side with news-please on the same pages from the same local server.

Run::

    python3 -m venv /tmp/newsplease-venv && /tmp/newsplease-venv/bin/pip install news-please jieba
    .venv/bin/python benchmarks/bench_crawl.py [--pages 2000] [--newsplease-python /tmp/newsplease-venv/bin/python]

news-please lives in its own virtual environment because its pinned
dependencies conflict with ours; it is driven with ``NewsPlease.from_html`` on
pages fetched (16 threads) from the same server. coopwatch crawls through its
real path: child process, Scrapy SitemapSpider over the sitemap index → news
sitemaps, robots.txt, the frontier, extraction, near-duplicate signatures and
the store. Both figures include interpreter start-up. Agreement compares
coopwatch's stored title/text with news-please's ``title``/``maintext``: exact
title equality, mean token Jaccard and mean difflib ratio of the texts, and
same-day publication dates. Writes ``benchmarks/results/crawl.json``.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import http.server
import json
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_crawl_site import generate

from coopwatch.settings import load_settings
from coopwatch.store import Store
from crawlers.runner import run_crawl
from crawlers.sources import load_sources

RESULTS = Path(__file__).parent / "results" / "crawl.json"

NEWSPLEASE_DRIVER = r"""
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from urllib.request import urlopen
t0 = time.perf_counter()
from newsplease import NewsPlease
urls = json.load(open(sys.argv[1]))
def get(u):
    with urlopen(u, timeout=30) as r:
        return u, r.read().decode("utf-8")
t1 = time.perf_counter()
out = []
with ThreadPoolExecutor(16) as pool:
    for url, html in pool.map(get, urls):
        try:
            a = NewsPlease.from_html(html, url=url, fetch_images=False)
        except Exception as exc:
            out.append({"url": url, "error": f"{type(exc).__name__}: {exc}"[:200]})
            continue
        d = a.date_publish.date().isoformat() if a.date_publish else None
        out.append({"url": url, "title": a.title, "text": a.maintext, "date": d})
t2 = time.perf_counter()
json.dump({"import_s": t1 - t0, "fetch_extract_s": t2 - t1, "articles": out}, open(sys.argv[2], "w"))
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.endswith(".xml"):
            body = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
            body = body.replace(b"__BASE__", f"http://{self.headers['Host']}".encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()


def tokens(text: str) -> list[str]:
    # words for spaced scripts, single characters for Chinese
    return re.findall(r"[\u4e00-\u9fff]|\w+", (text or "").lower())


def norm(s: str | None) -> str:
    return " ".join((s or "").split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--newsplease-python", default="/tmp/newsplease-venv/bin/python")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp_s:
        tmp = Path(tmp_s)
        paths = generate(tmp / "site", args.pages)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(tmp / "site"))
        )
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            settings = load_settings(data_dir=tmp / "data", env={})
            reg = tmp / "sources.yaml"
            reg.write_text(
                "sources:\n  - name: bench\n    lang: en\n    kind: sitemap\n"
                f"    start_urls: ['{base}/sitemap.xml']\n    allowed_domains: ['127.0.0.1']\n"
                "    article_patterns: ['/news/']\n    politeness: {download_delay: 0, concurrency: 16}\n"
            )
            t = time.perf_counter()
            report = run_crawl(settings, load_sources(reg), reg)
            ours_s = time.perf_counter() - t
            store = Store.open(settings)
            with store.engine.connect() as conn:
                rows = conn.exec_driver_sql("select url, title, text, published_at from articles").all()
            ours = {r[0]: r for r in rows}

            urls_file = tmp / "urls.json"
            urls_file.write_text(json.dumps([base + p for p in paths]))
            driver = tmp / "np_driver.py"
            driver.write_text(NEWSPLEASE_DRIVER)
            t = time.perf_counter()
            subprocess.run([args.newsplease_python, str(driver), str(urls_file), str(tmp / "np.json")], check=True)
            theirs_s = time.perf_counter() - t
            np_out = json.loads((tmp / "np.json").read_text())
        finally:
            server.shutdown()
            server.server_close()

    np_errors = [a for a in np_out["articles"] if "error" in a]
    np_out["articles"] = [a for a in np_out["articles"] if "error" not in a]
    both = [(ours[a["url"]], a) for a in np_out["articles"] if a["url"] in ours]
    title_eq = sum(norm(o[1]) == norm(a["title"]) for o, a in both)
    jac, ratio, same_day = [], [], 0
    for o, a in both:
        ta, tb = tokens(o[2]), tokens(a["text"])
        sa, sb = set(ta), set(tb)
        jac.append(len(sa & sb) / len(sa | sb) if sa | sb else 1.0)
        ratio.append(difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio())
        same_day += bool(o[3]) and a["date"] is not None and str(o[3])[:10] == a["date"]
    per_lang: dict[str, dict[str, float]] = {}
    for lang in ("en", "de", "vi", "zh"):
        idx = [k for k, (o, _a) in enumerate(both) if f"/{lang}/news/" in o[0]]
        if idx:
            per_lang[lang] = {
                "title_equal_pct": round(
                    100 * sum(norm(both[k][0][1]) == norm(both[k][1]["title"]) for k in idx) / len(idx), 1
                ),
                "text_token_jaccard_mean": round(sum(jac[k] for k in idx) / len(idx), 3),
                "newsplease_empty_text_pct": round(100 * sum(not norm(both[k][1]["text"]) for k in idx) / len(idx), 1),
            }
    n_ours, n_theirs = len(ours), len(np_out["articles"])
    result = {
        "site_pages": args.pages,
        "coopwatch": {
            "stored": n_ours,
            "seconds": round(ours_s, 2),
            "pages_per_s": round(n_ours / ours_s, 1),
            "dropped": {k: v for k, v in report["totals"].items() if k.startswith("dropped/")},
            "duplicate_near": report["totals"].get("duplicate-near", 0),
        },
        "newsplease": {
            "extracted": n_theirs,
            "seconds": round(theirs_s, 2),
            "pages_per_s": round(n_theirs / theirs_s, 1),
            "import_s": round(np_out["import_s"], 2),
            "fetch_extract_s": round(np_out["fetch_extract_s"], 2),
            "errors": len(np_errors),
            "error_examples": [e["error"] for e in np_errors[:3]],
        },
        "ratio_coopwatch_over_newsplease": round((n_ours / ours_s) / (n_theirs / theirs_s), 2),
        "agreement": {
            "compared": len(both),
            "title_equal_pct": round(100 * title_eq / max(1, len(both)), 1),
            "text_token_jaccard_mean": round(sum(jac) / max(1, len(jac)), 3),
            "text_difflib_ratio_mean": round(sum(ratio) / max(1, len(ratio)), 3),
            "same_publication_day_pct": round(100 * same_day / max(1, len(both)), 1),
            "coopwatch_dated_pct": round(100 * sum(bool(o[3]) for o, _a in both) / max(1, len(both)), 1),
            "newsplease_dated_pct": round(100 * sum(a["date"] is not None for _o, a in both) / max(1, len(both)), 1),
            "by_lang": per_lang,
        },
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "command": f"python benchmarks/bench_crawl.py --pages {args.pages}",
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
