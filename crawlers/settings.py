"""Scrapy settings for coopwatch's crawlers — the single place they are set.

Politeness is on by default (robots.txt, AutoThrottle, per-domain concurrency,
an identifying user agent); sizes, retries, timeouts and redirects are bounded.
``COOPWATCH_*`` keys carry the application's settings into the pipeline.
"""

from typing import Any

BOT_NAME = "coopwatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "coopwatch/0.1 (+https://github.com/coopwatch/coopwatch; health-cooperation news monitor)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}
SPIDER_MIDDLEWARES = {
    "crawlers.middlewares.DropCounterMiddleware": 50,
    "crawlers.frontier.FrontierMiddleware": 600,  # sees spider output after the Depth/UrlLength filters
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Application settings passed in by crawlers.runner (None → coopwatch's own defaults/env).
COOPWATCH_DATA_DIR = None
COOPWATCH_CONFIG_FILE = None  # the app's --config file, if one was given
COOPWATCH_BACKEND = None
COOPWATCH_SOURCES_FILE = None
COOPWATCH_MAX_PAGE_BYTES = 5_000_000
COOPWATCH_INCREMENTAL = True  # skip known articles whose feed/sitemap date or HTTP 304 says unchanged


def app_settings(scrapy_settings: Any) -> Any:
    """The application's settings as the parent process had them: its data dir, --config file and backend."""
    from coopwatch.settings import load_settings

    return load_settings(
        data_dir=scrapy_settings.get("COOPWATCH_DATA_DIR"),
        config_file=scrapy_settings.get("COOPWATCH_CONFIG_FILE"),
        backend=scrapy_settings.get("COOPWATCH_BACKEND"),
    )
