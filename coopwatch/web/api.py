"""The JSON API under ``/api/``: every route a GET, every parameter validated.

Parameters are declared once here (FastAPI turns them into the OpenAPI schema
at ``/api/openapi.json`` and answers bad values with a 422 naming the field);
the HTML pages reuse the same dependencies and :class:`Workbench` calls.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import StringConstraints

from coopwatch.errors import InputError
from coopwatch.records import EVENT_TYPES, LANGS
from coopwatch.web.service import (
    EXPORT_MAX,
    SearchParams,
    Workbench,
    export_csv,
    export_json,
    export_parquet,
)

Lang = Literal[LANGS]  # type: ignore[valid-type]
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
Interval = Literal["year", "month", "day"]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Short = Annotated[str, StringConstraints(max_length=200)]
MAX_VALUES = 20  # values of one repeated filter
DATE_RE = r"^(\d{4}-\d{2}-\d{2})?$"

router = APIRouter(prefix="/api", tags=["api"])


def workbench(request: Request) -> Workbench:
    return request.app.state.workbench  # type: ignore[no-any-return]


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name} must be a real date like 2024-01-31, not {value!r}") from None


def search_params(
    q: str = Query(
        "",
        max_length=500,
        description='Words in any of zh/en/de/vi with AND, OR (|), NOT (-), "phrases", (groups) and prefix*; '
        "plain words are ranked, not all required; empty matches everything.",
    ),
    lang: list[Lang] = Query([], max_length=MAX_VALUES, description="Language filter (repeatable)."),
    source: list[Short] = Query([], max_length=MAX_VALUES, description="Source name filter (repeatable)."),
    country: list[CountryCode] = Query([], max_length=MAX_VALUES, description="ISO 3166 alpha-2 code (repeatable)."),
    entity: list[Short] = Query([], max_length=MAX_VALUES, description="Organization id, name or alias (repeatable)."),
    event: list[EventType] = Query([], max_length=MAX_VALUES, description="Event type filter (repeatable)."),
    date_from: str = Query("", alias="from", pattern=DATE_RE, description="Published on or after (YYYY-MM-DD)."),
    date_to: str = Query("", alias="to", pattern=DATE_RE, description="Published on or before (YYYY-MM-DD)."),
    page: int = Query(1, ge=1, le=1000, description="Result page, from 1."),
    per_page: int = Query(10, ge=1, le=100, description="Results per page."),
    exact: bool = Query(False, description="Search the words as typed, without translations into the other languages."),
) -> SearchParams:
    """The search parameters shared by the API, the export and the search page."""
    return SearchParams(
        q=q,
        lang=list(lang),
        source=[s for s in source if s],
        country=[c.upper() for c in country],
        entity=[e for e in entity if e.strip()],
        event=list(event),
        date_from=_date(date_from, "from"),
        date_to=_date(date_to, "to"),
        page=page,
        per_page=per_page,
        exact=exact,
    )


def timeline_params(
    entity: str = Query("", max_length=200, description="Organization id, name or alias."),
    country: list[CountryCode] = Query([], max_length=2, description="ISO code; twice for a country pair."),
    q: str = Query("", max_length=500, description="Events of articles matching this search."),
    interval: Interval = Query("month", description="Bucket size."),
) -> dict[str, Any]:
    return {"entity": entity.strip() or None, "countries": [c.upper() for c in country], "q": q, "interval": interval}


def download_name(stem: str, ext: str) -> str:
    """A Content-Disposition value: an ASCII fallback name plus the UTF-8 one (RFC 6266)."""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "export"
    return f"attachment; filename=\"{ascii_stem}.{ext}\"; filename*=UTF-8''{quote(stem + '.' + ext, safe='')}"


def timeline_label(data: dict[str, Any]) -> str:
    return data.get("entity") or "-".join(data.get("countries") or []) or data.get("query") or "timeline"


def timeline_png(data: dict[str, Any]) -> bytes:
    """The chart ``coopwatch timeline -f png`` draws, as bytes."""
    from indexer.timeline import write_png

    with tempfile.TemporaryDirectory() as tmp:
        path = write_png(data, Path(tmp) / "t.png", title=f"Cooperation events: {timeline_label(data)}")
        return path.read_bytes()


def timeline_file(data: dict[str, Any], fmt: str) -> bytes:
    """CSV or JSON written by the same functions as the CLI export."""
    from indexer.timeline import write_csv, write_json

    with tempfile.TemporaryDirectory() as tmp:
        path = (write_csv if fmt == "csv" else write_json)(data, Path(tmp) / f"t.{fmt}")
        return path.read_bytes()


# ---------------------------------------------------------------------- routes
@router.get("/search", summary="Full-text search with filters, facets and highlighted snippets")
def api_search(p: SearchParams = Depends(search_params), wb: Workbench = Depends(workbench)) -> dict[str, Any]:
    """Hits (snippets are HTML-escaped with ``<mark>`` around matches), facet counts over
    the whole match set, labels for entity and country facets, and paging."""
    return wb.search(p)


@router.get("/search/export", summary="Every result of a search as CSV, JSON or Parquet")
def api_search_export(
    p: SearchParams = Depends(search_params),
    format: Literal["csv", "json", "parquet"] = Query("csv", description="File format."),
    limit: int = Query(EXPORT_MAX, ge=1, le=EXPORT_MAX, description="At most this many rows, best first."),
    wb: Workbench = Depends(workbench),
) -> Response:
    rows = wb.export_rows(p, limit)
    if format == "csv":
        body, media = export_csv(rows), "text/csv; charset=utf-8"
    elif format == "json":
        body, media = export_json(rows, p.echo()), "application/json"
    else:
        body, media = export_parquet(rows), "application/vnd.apache.parquet"
    stem = "coopwatch-search" + (f"-{p.q}" if p.q else "")
    return Response(body, media_type=media, headers={"Content-Disposition": download_name(stem[:80], format)})


@router.get("/articles/{article_id}", summary="One article: original, translation, entities, countries, events")
def api_article(
    article_id: str = PathParam(..., max_length=200, description="Article id (or a unique prefix of 6+ characters)."),
    wb: Workbench = Depends(workbench),
) -> dict[str, Any]:
    data = wb.article(article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id!r} in the store")
    return data


@router.get("/entities", summary="Canonical organizations with aliases and mention counts")
def api_entities(
    limit: int = Query(100, ge=1, le=5000),
    type: str | None = Query(None, max_length=40, description="Only this entity type (ORG, GOV, HOSPITAL, IGO…)."),
    wb: Workbench = Depends(workbench),
) -> list[dict[str, Any]]:
    return wb.entities(limit, type or None)


@router.get("/entities/{key}", summary="One organization by id, name or alias")
def api_entity(
    key: str = PathParam(..., max_length=200, description="Entity id (org:who), name or alias."),
    wb: Workbench = Depends(workbench),
) -> dict[str, Any]:
    try:
        return wb.entity(key)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/timeline", summary="Events per period stacked by type, the dated events, co-occurring organizations")
def api_timeline(t: dict[str, Any] = Depends(timeline_params), wb: Workbench = Depends(workbench)) -> dict[str, Any]:
    """The same data as ``coopwatch timeline -f json``, plus ``cooccurring``."""
    return wb.timeline(entity=t["entity"], countries=t["countries"], q=t["q"], interval=t["interval"])


@router.get("/timeline/export", summary="A timeline as CSV, JSON or PNG (as `coopwatch timeline` writes it)")
def api_timeline_export(
    t: dict[str, Any] = Depends(timeline_params),
    format: Literal["csv", "json", "png"] = Query("csv", description="File format."),
    wb: Workbench = Depends(workbench),
) -> Response:
    data = wb.timeline(entity=t["entity"], countries=t["countries"], q=t["q"], interval=t["interval"])
    data.pop("cooccurring", None)  # byte-for-byte what the CLI exports
    stem = "timeline-" + timeline_label(data).replace(":", "-")
    if format == "png":
        return Response(
            timeline_png(data),
            media_type="image/png",
            headers={"Content-Disposition": download_name(stem, "png").replace("attachment", "inline", 1)},
        )
    media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    return Response(timeline_file(data, format), media_type=media, headers={"Content-Disposition": download_name(stem, format)})
