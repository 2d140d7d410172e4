"""Start a crawl of some sources in a child process and collect its counts.

Twisted's reactor runs once per process, so the CLI, the scheduler and the
tests all crawl through a child ``python -m crawlers.runner``; the parent reads
the child's stats from a JSON file. Per-source politeness becomes each
spider's ``custom_settings``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from coopwatch.errors import CoopwatchError
from coopwatch.settings import Settings
from crawlers.sources import Source, load_sources

SPIDER_BY_KIND = {
    "rss": "crawlers.spiders.rss.FeedSpider",
    "sitemap": "crawlers.spiders.sitemap.NewsSitemapSpider",
    "listing": "crawlers.spiders.listing.ListingSpider",
}


class CrawlFailed(CoopwatchError):
    pass


def crawl_command(
    settings: Settings,
    sources: list[Source],
    sources_file: Path,
    stats_file: Path,
    *,
    jobdir: Path | None = None,
    log_level: str = "WARNING",
    incremental: bool = True,
) -> tuple[list[str], dict[str, str]]:
    """The child-process command line and environment of one crawl."""
    cmd = [
        sys.executable,
        "-m",
        "crawlers.runner",
        "--data-dir",
        str(settings.data_dir),
        "--backend",
        settings.backend,
        "--sources-file",
        str(sources_file),
        "--stats-out",
        str(stats_file),
        "--log-level",
        log_level,
        "--user-agent",
        settings.user_agent,
        "--max-bytes",
        str(settings.max_page_bytes),
        "--download-timeout",
        str(settings.download_timeout),
    ]
    if settings.config_file:  # the child loads the same settings as its parent: same file, same backend
        cmd += ["--config", str(settings.config_file)]
    if jobdir:
        cmd += ["--jobdir", str(jobdir)]
    if not incremental:
        cmd += ["--full"]
    for s in sources:
        cmd += ["--source", s.name]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return cmd, env


def _stop_with_parent() -> None:
    """In the crawl child: be killed when the parent dies, even by SIGKILL.

    Otherwise a killed ``coopwatch run`` leaves its crawl running without the run's
    lock, and the next run's crawl could overlap it. SIGKILL, not SIGTERM: Scrapy's
    graceful stop waits for in-flight downloads, and the crawl is built to survive
    SIGKILL (the frontier keeps every unfinished URL pending for the next run).
    """
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def run_crawl(
    settings: Settings,
    sources: list[Source],
    sources_file: Path,
    *,
    jobdir: Path | None = None,
    log_level: str = "WARNING",
    timeout: float | None = None,
    incremental: bool = True,
) -> dict[str, Any]:
    """Crawl ``sources`` (defined in ``sources_file``) into the store; return counts per source.

    ``incremental`` (the default) skips known articles that a feed/sitemap date
    or an HTTP 304 says are unchanged; ``False`` fetches every article again.
    """
    if not sources:
        return {"sources": {}, "totals": {}}
    with tempfile.TemporaryDirectory(prefix="coopwatch-crawl-") as tmp:
        stats_file = Path(tmp) / "stats.json"
        cmd, env = crawl_command(
            settings, sources, sources_file, stats_file, jobdir=jobdir, log_level=log_level, incremental=incremental
        )
        proc = subprocess.run(
            cmd,
            check=False,
            env=env,
            timeout=timeout,
            capture_output=True,
            text=True,
            preexec_fn=_stop_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )
        if proc.returncode != 0 or not stats_file.exists():
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-15:]
            raise CrawlFailed(f"crawl process exited with {proc.returncode}:\n" + "\n".join(tail))
        stats = json.loads(stats_file.read_text())
    return summarise(stats)


def summarise(per_source: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Keep the counts an operator reads: fetched pages, outcomes and drops by reason."""
    out: dict[str, Any] = {"sources": {}, "totals": {}}
    for name, st in per_source.items():
        counts = {
            "requests": st.get("downloader/request_count", 0),
            "responses": st.get("downloader/response_count", 0),
            "new": st.get("coopwatch/new", 0),
            "updated": st.get("coopwatch/updated", 0),
            "unchanged": st.get("coopwatch/unchanged", 0),
            "duplicate-near": st.get("coopwatch/duplicate-near", 0),
            "resumed": st.get("frontier/resumed", 0),
            "failed": st.get("coopwatch/failed", 0),  # pages that raised in the pipeline (dropped/extract-error)
            "finish_reason": st.get("finish_reason", "?"),
        }
        for key, val in st.items():
            if key.startswith(("dropped/", "skipped/")):
                counts[key] = val
        out["sources"][name] = counts
        for key, val in counts.items():
            if isinstance(val, int):
                out["totals"][key] = out["totals"].get(key, 0) + val
    return out


def _spider_class(source: Source) -> type:
    from scrapy.utils.misc import load_object

    base = load_object(SPIDER_BY_KIND[source.kind])
    custom = {
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.politeness.concurrency,
        "DOWNLOAD_DELAY": source.politeness.download_delay,
        "ROBOTSTXT_OBEY": source.politeness.obey_robots,
    }
    if source.politeness.download_delay == 0:
        custom["AUTOTHROTTLE_ENABLED"] = False
    return type(f"{base.__name__}_{source.name.replace('-', '_')}", (base,), {"custom_settings": custom})


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m crawlers.runner", description=__doc__)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--config", help="the parent's --config settings file")
    ap.add_argument("--backend", help="the parent's search backend")
    ap.add_argument("--sources-file", required=True)
    ap.add_argument("--source", action="append", required=True)
    ap.add_argument("--stats-out", required=True)
    ap.add_argument("--jobdir")
    ap.add_argument("--log-level", default="WARNING")
    ap.add_argument("--user-agent")
    ap.add_argument("--max-bytes", type=int, default=5_000_000)
    ap.add_argument("--download-timeout", type=float, default=30.0)
    ap.add_argument("--full", action="store_true", help="not incremental: fetch known articles again")
    return ap.parse_args(argv)


def scrapy_settings(args: argparse.Namespace) -> Any:
    """The child's Scrapy settings; its ``COOPWATCH_*`` keys give the pipeline the parent's app settings."""
    from scrapy.settings import Settings as ScrapySettings

    ss = ScrapySettings()
    ss.setmodule("crawlers.settings", priority="project")
    ss.set("COOPWATCH_DATA_DIR", args.data_dir)
    ss.set("COOPWATCH_CONFIG_FILE", args.config)
    ss.set("COOPWATCH_BACKEND", args.backend)
    ss.set("COOPWATCH_SOURCES_FILE", args.sources_file)
    ss.set("COOPWATCH_MAX_PAGE_BYTES", args.max_bytes)
    ss.set("DOWNLOAD_MAXSIZE", args.max_bytes)
    ss.set("DOWNLOAD_WARNSIZE", 0)
    ss.set("DOWNLOAD_TIMEOUT", args.download_timeout)
    ss.set("LOG_LEVEL", args.log_level)
    ss.set("COOPWATCH_INCREMENTAL", not args.full)
    if args.user_agent:
        ss.set("USER_AGENT", args.user_agent)
    return ss


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    from scrapy.crawler import CrawlerProcess

    registry = {s.name: s for s in load_sources(args.sources_file)}
    ss = scrapy_settings(args)
    process = CrawlerProcess(ss, install_root_handler=True)
    crawlers = {}
    for name in args.source:
        source = registry[name]
        crawler = process.create_crawler(_spider_class(source))
        if args.jobdir:
            crawler.settings.frozen = False
            crawler.settings.set("JOBDIR", str(Path(args.jobdir) / name), priority="cmdline")
        process.crawl(crawler, source=name, sources_file=args.sources_file)
        crawlers[name] = crawler
    process.start()
    stats = {n: {k: (v if isinstance(v, (int, float, str)) else str(v)) for k, v in c.stats.get_stats().items()} for n, c in crawlers.items()}
    Path(args.stats_out).write_text(json.dumps(stats, indent=1))
    unstarted = [n for n, st in stats.items() if "finish_reason" not in st]
    if unstarted:  # a spider or pipeline failed to start: say so, never exit 0 (scrapy#4175)
        print(f"crawl of {', '.join(unstarted)} did not run; see the log above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
