"""The source registry: ``crawlers/sources.yaml`` loaded and validated.

Every source names its language hint, its kind (``rss`` | ``sitemap`` |
``listing``), where to start, which domains it may visit and which URLs are
articles. A malformed registry stops start-up with one message per problem,
naming the source and the field — CSS ``selectors`` and ``schedule`` crons
included, so a typo never reaches a page or a night.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coopwatch.crontab import crontab_fields
from coopwatch.errors import ConfigError

DEFAULT_SOURCES = Path(__file__).with_name("sources.yaml")


def css_problem(css: str) -> str | None:
    """Why ``css`` is not a selector parsel can apply (None when it is): checked on load, not per page."""
    from cssselect import SelectorError
    from parsel import Selector

    try:
        Selector(text="<html><body></body></html>").css(css)
    except (SelectorError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid")

    download_delay: float = Field(1.0, ge=0, le=120)
    concurrency: int = Field(2, ge=1, le=32)
    obey_robots: bool = True


class Source(BaseModel):
    """One site (or one section of a site) to crawl."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,60}$")
    lang: Literal["zh", "en", "de", "vi"]
    kind: Literal["rss", "sitemap", "listing"]
    start_urls: list[str] = Field(min_length=1)
    allowed_domains: list[str] = Field(min_length=1)
    article_patterns: list[str] = Field(min_length=1)
    follow_patterns: list[str] = []
    selectors: dict[str, str] = {}
    politeness: Politeness = Field(default_factory=lambda: Politeness())
    group: str = "default"
    schedule: str | None = None  # cron expression overriding the group's
    enabled: bool = True
    description: str = ""

    @field_validator("start_urls")
    @classmethod
    def _http(cls, urls: list[str]) -> list[str]:
        for u in urls:
            if not re.match(r"^https?://[^/\s]+", u):
                raise ValueError(f"{u!r} is not an http(s) URL")
        return urls

    @field_validator("article_patterns", "follow_patterns")
    @classmethod
    def _regex(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"{p!r} is not a valid regular expression: {exc}") from exc
        return patterns

    @field_validator("selectors")
    @classmethod
    def _selectors(cls, sel: dict[str, str]) -> dict[str, str]:
        unknown = set(sel) - {"title", "text", "date"}
        if unknown:
            raise ValueError(f"unknown selector(s) {sorted(unknown)}; allowed: title, text, date")
        for field, css in sel.items():
            problem = css_problem(css)
            if problem:
                raise ValueError(f"{field}: {css!r} is not a valid CSS selector ({problem})")
        return sel

    @field_validator("schedule")
    @classmethod
    def _cron(cls, expr: str | None) -> str | None:
        if expr is not None:
            try:
                crontab_fields(expr)
            except ValueError as exc:
                raise ValueError(f"{expr!r} is not a valid cron expression (e.g. '0 2 * * *'): {exc}") from exc
        return expr

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, domains: list[str]) -> list[str]:
        for d in domains:
            if not re.match(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", d, re.IGNORECASE) or "://" in d:
                raise ValueError(f"{d!r} is not a bare domain name (write e.g. 'who.int', no scheme or path)")
        return domains

    @model_validator(mode="after")
    def _start_urls_on_allowed_domains(self) -> Source:
        for u in self.start_urls:
            host = (urlsplit(u).hostname or "").lower()
            if not any(host == d.lower() or host.endswith("." + d.lower()) for d in self.allowed_domains):
                raise ValueError(
                    f"start URL {u!r} is not on the allowed domains {self.allowed_domains}: the crawl would refuse it"
                )
        return self

    def is_article(self, url: str) -> bool:
        return any(re.search(p, url) for p in self.article_patterns)


def parse_sources(text: str, origin: str = "sources.yaml", base: str | None = None) -> list[Source]:
    """Parse and validate a registry. ``{base}`` in URLs is replaced by ``base`` when given."""
    if base is not None:
        text = text.replace("{base}", base.rstrip("/"))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{origin} must hold a mapping with a 'sources:' list")
    out: list[Source] = []
    problems: list[str] = []
    for i, raw in enumerate(data["sources"], start=1):
        label = raw.get("name", f"#{i}") if isinstance(raw, dict) else f"#{i}"
        try:
            out.append(Source.model_validate(raw))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
                problems.append(f"source {label}: {loc}: {err['msg']}")
    names = [s.name for s in out]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"source {dup}: name is used more than once")
    if problems:
        raise ConfigError(f"{origin} has {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return out


def load_sources(path: str | Path | None = None, base: str | None = None) -> list[Source]:
    p = Path(path) if path else DEFAULT_SOURCES
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the source registry {p}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the source registry {p} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from exc
    return parse_sources(text, origin=str(p), base=base)


def select_sources(sources: list[Source], names: list[str] | None = None, group: str | None = None) -> list[Source]:
    """Enabled sources, optionally narrowed to names or a group; unknown names are an error."""
    by_name = {s.name: s for s in sources}
    if names:
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ConfigError(f"unknown source(s): {', '.join(missing)}. Known: {', '.join(sorted(by_name))}")
        return [by_name[n] for n in names]
    chosen = [s for s in sources if s.enabled]
    if group:
        chosen = [s for s in chosen if s.group == group]
    return chosen
