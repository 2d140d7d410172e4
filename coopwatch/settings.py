"""Application settings, declared once and layered: defaults → TOML file → env.

Each setting has a name, a type, a default and help text. The file is
``<data_dir>/coopwatch.toml`` (or ``--config``); environment variables are
``COOPWATCH_<NAME>`` (upper case). Values are validated at start-up and the
resulting :class:`Settings` object is passed in to every stage — nothing reads
globals. Scrapy's own settings stay in ``crawlers/settings.py``.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coopwatch.errors import ConfigError


def default_data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "coopwatch"


@dataclass(frozen=True, kw_only=True)
class Settings:
    data_dir: Path
    config_file: Path | None = None  # the file given with --config; passed on to scheduled jobs and the crawl child
    backend: str = "sqlite"
    es_url: str = "http://127.0.0.1:9200"
    es_index: str = "coopwatch"
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_verify_certs: bool = True
    es_replicas: int | None = None  # None: the template's default (1)
    timezone: str = "UTC"
    sources_file: Path | None = None
    user_agent: str = "coopwatch/0.1 (+https://github.com/coopwatch/coopwatch; health-cooperation news monitor)"
    max_page_bytes: int = 5_000_000
    download_timeout: float = 30.0
    index_irrelevant: bool = False
    relevance_threshold: float = 0.5
    models_dir: Path | None = None
    spacy_models: str = ""  # "en=en_core_web_sm,de=de_core_news_sm"
    argospm_packages: bool = True
    batch_size: int = 200
    schedule_cron: str = "0 2 * * *"
    schedule_group_crons: str = ""  # "asia=0 1 * * *; europe=30 2 * * *"
    schedule_catchup_cron: str = "40 * * * *"
    misfire_grace_hours: float = 20.0
    schedule_jitter_seconds: int = 300
    schedule_lock_wait_minutes: float = 60.0

    @property
    def store_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'coopwatch.db'}"

    @property
    def search_db(self) -> Path:
        return self.data_dir / "search.db"

    @property
    def models_path(self) -> Path:
        return self.models_dir or self.data_dir / "models"


HELP: dict[str, str] = {
    "data_dir": "Directory holding the store, the embedded index and models (COOPWATCH_HOME).",
    "config_file": "The settings file given with --config (default <data_dir>/coopwatch.toml); not a setting of the file.",
    "backend": "Search backend: sqlite (embedded) or elasticsearch.",
    "es_url": "Elasticsearch/OpenSearch URL (loopback or your cluster).",
    "es_index": "Alias the engine backend searches; versioned indices sit behind it.",
    "es_api_key": "Elasticsearch API key (base64 id:key).",
    "es_username": "Basic-auth user for the engine.",
    "es_password": "Basic-auth password for the engine.",
    "es_ca_certs": "CA bundle for TLS to the engine.",
    "es_verify_certs": "Verify the engine's TLS certificate.",
    "es_replicas": "Replicas per shard for new engine indices (default 1; 0 for a single node).",
    "timezone": "IANA timezone for schedules and date display.",
    "sources_file": "Source registry YAML (default: crawlers/sources.yaml).",
    "user_agent": "User agent the crawler identifies itself with.",
    "max_page_bytes": "Pages larger than this are dropped with reason 'oversized'.",
    "download_timeout": "Seconds before a page request is abandoned (reason 'timeout').",
    "index_irrelevant": "Also index articles flagged as not relevant.",
    "relevance_threshold": "Score from which an article counts as relevant.",
    "models_dir": "Where translation models are installed (default <data_dir>/models).",
    "spacy_models": "Trained spaCy pipelines to merge in, e.g. 'en=en_core_web_sm'.",
    "argospm_packages": "Also use translation packages installed by argospm ($ARGOS_PACKAGES_DIR, else ~/.local/share/argos-translate/packages).",
    "batch_size": "Articles per batch in process/index.",
    "schedule_cron": "Default cron (in `timezone`) of each source group's nightly crawl → process → index.",
    "schedule_group_crons": "Per-group crons overriding schedule_cron, e.g. 'asia=0 1 * * *; europe=30 2 * * *'.",
    "schedule_catchup_cron": "Cron of the catch-up job that processes and indexes what is still pending.",
    "misfire_grace_hours": "A run missed (scheduler down) still runs if the scheduler is back within this many hours.",
    "schedule_jitter_seconds": "Scheduled runs start up to this many seconds late (spreads load).",
    "schedule_lock_wait_minutes": "How long a scheduled stage waits for another run of the same stage to finish.",
}


def _coerce(name: str, raw: Any, target: Any) -> Any:
    typ = str(target)
    try:
        if raw is None:
            return None
        if "Path" in typ:
            return Path(str(raw)).expanduser()
        if "bool" in typ:
            if isinstance(raw, bool):
                return raw
            low = str(raw).strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if "int" in typ:
            if isinstance(raw, float) and not raw.is_integer():
                raise ValueError(raw)  # 1e400 (inf) or 2.5 is no count
            return int(raw)
        if "float" in typ:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError(raw)
            return value
        return str(raw)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ConfigError(f"setting {name!r} has an invalid value {raw!r} (expected {typ})") from exc


def load_settings(
    data_dir: str | Path | None = None,
    config_file: str | Path | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build validated settings: defaults → file → env → explicit overrides."""
    env = dict(os.environ if env is None else env)
    values: dict[str, Any] = {}
    home = data_dir or env.get("COOPWATCH_HOME") or default_data_dir()
    values["data_dir"] = Path(home).expanduser()
    cfg = Path(config_file).expanduser() if config_file else values["data_dir"] / "coopwatch.toml"
    values["config_file"] = cfg if config_file else None
    known = {f.name: f.type for f in fields(Settings)}
    if config_file and not cfg.exists():
        raise ConfigError(f"config file {cfg} does not exist")
    if cfg.exists():
        try:
            file_values = tomllib.loads(cfg.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {cfg} is not valid TOML: {exc}") from exc
        for key, raw in file_values.items():
            if key not in known or key in ("data_dir", "config_file"):
                raise ConfigError(f"unknown setting {key!r} in {cfg}; known: {', '.join(sorted(HELP))}")
            values[key] = _coerce(key, raw, known[key])
    for name, typ in known.items():
        raw = env.get(f"COOPWATCH_{name.upper()}")
        if raw is not None and name not in ("data_dir", "config_file"):
            values[name] = _coerce(name, raw, typ)
    for name, raw in overrides.items():
        if raw is not None:
            values[name] = _coerce(name, raw, known[name])
    settings = Settings(**values)
    validate(settings)
    return settings


def validate(s: Settings) -> None:
    if s.backend not in ("sqlite", "elasticsearch", "opensearch"):
        raise ConfigError(f"backend must be sqlite, elasticsearch or opensearch, not {s.backend!r}")
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"timezone {s.timezone!r} is not an IANA timezone (e.g. Europe/Berlin)") from exc
    if s.max_page_bytes <= 0 or s.batch_size <= 0:
        raise ConfigError("max_page_bytes and batch_size must be positive")
    if s.download_timeout <= 0:
        raise ConfigError(f"download_timeout must be a positive number of seconds, not {s.download_timeout}")
    if s.es_replicas is not None and s.es_replicas < 0:
        raise ConfigError(f"es_replicas must be 0 or more, not {s.es_replicas}")
    if not 0.0 <= s.relevance_threshold <= 1.0:
        raise ConfigError("relevance_threshold must lie between 0 and 1")
    if s.misfire_grace_hours <= 0 or s.schedule_jitter_seconds < 0 or s.schedule_lock_wait_minutes < 0:
        raise ConfigError("misfire_grace_hours must be positive; schedule_jitter_seconds and schedule_lock_wait_minutes not negative")


def with_overrides(s: Settings, **kw: Any) -> Settings:
    new = replace(s, **{k: v for k, v in kw.items() if v is not None})
    validate(new)
    return new
