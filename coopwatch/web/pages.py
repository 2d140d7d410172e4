"""HTML pages: search, article, entity and country-pair timelines, entity list, API reference.

Each page calls the same :class:`Workbench` method and the same parameter
dependencies as its ``/api/`` twin, then renders a Jinja2 template with
autoescaping on; the only markup let through unescaped is a snippet that
:func:`coopwatch.web.safe.safe_snippet` verified holds nothing but ``<mark>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from coopwatch.errors import InputError
from coopwatch.records import EVENT_TYPES, LANGS
from coopwatch.web.api import search_params, workbench
from coopwatch.web.safe import safe_href, safe_snippet
from coopwatch.web.service import SearchParams, Workbench, country_names

TEMPLATES_DIR = Path(__file__).with_name("templates")
LANG_NAMES = {"zh": "Chinese", "en": "English", "de": "German", "vi": "Vietnamese"}
FACETS = (  # (facet field in results, query parameter, heading)
    ("lang", "lang", "Language"),
    ("source", "source", "Source"),
    ("country", "country", "Country"),
    ("entity", "entity", "Organization"),
    ("event_type", "event", "Event type"),
)

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every template, whatever its extension
    undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=_env)
router = APIRouter(include_in_schema=False)


def search_url(p: SearchParams, *, add: tuple[str, str] | None = None, remove: tuple[str, str] | None = None,
               page: int | None = None, show: str = "original", path: str = "/", **extra: Any) -> str:
    """The URL of ``p`` with one filter value added or removed (back to page 1 unless ``page``)."""
    params: list[tuple[str, Any]] = [("q", p.q)] if p.q else []
    for key in ("lang", "source", "country", "entity", "event"):
        values = list(getattr(p, key))
        if add and add[0] == key and add[1] not in values:
            values.append(add[1])
        if remove and remove[0] == key:
            values = [v for v in values if v != remove[1]]
        params += [(key, v) for v in values]
    if p.date_from:
        params.append(("from", p.date_from.isoformat()))
    if p.date_to:
        params.append(("to", p.date_to.isoformat()))
    if page and page > 1:
        params.append(("page", page))
    if p.per_page != 10:
        params.append(("per_page", p.per_page))
    if p.exact:
        params.append(("exact", "true"))
    if show != "original":
        params.append(("show", show))
    params += [(k, v) for k, v in extra.items()]
    qs = urlencode(params)
    return f"{path}?{qs}" if qs else path


_env.globals.update(
    search_url=search_url,
    safe_snippet=safe_snippet,
    safe_href=safe_href,
    lang_names=LANG_NAMES,
    urlencode=lambda pairs: urlencode(pairs),
)


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _hit_view(hit: dict[str, Any], show: str) -> dict[str, Any]:
    """What one result shows in the chosen language (original unless English exists)."""
    english = show == "english" and hit["lang"] != "en"
    has_en = bool(hit.get("title_en") or hit.get("snippet_en"))
    view = dict(hit)
    if english and has_en:
        view["shown_title"] = hit.get("title_en") or hit["title"]
        view["shown_snippet"] = hit.get("snippet_en") or hit["snippet"]
        view["shown_note"] = "English (machine translation)"
    else:
        view["shown_title"] = hit["title"]
        view["shown_snippet"] = hit["snippet"]
        view["shown_note"] = "no English translation; original shown" if english else ""
    return view


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    p: SearchParams = Depends(search_params),
    show: Literal["original", "english"] = Query("original"),
    wb: Workbench = Depends(workbench),
) -> HTMLResponse:
    data = wb.search(p)
    hits = [_hit_view(h, show) for h in data["hits"]]
    labels = {"lang": LANG_NAMES, "event_type": {t: t.replace("_", " ") for t in EVENT_TYPES}, **data["labels"]}
    facets = []
    for field, param, heading in FACETS:
        chosen = set(getattr(p, param))
        values = [
            {"value": v, "count": n, "label": labels.get(field, {}).get(v, v), "chosen": v in chosen}
            for v, n in data["facets"].get(field, {}).items()
        ]
        values += [{"value": v, "count": 0, "label": labels.get(field, {}).get(v, v), "chosen": True}
                   for v in chosen if v not in data["facets"].get(field, {})]
        facets.append({"field": field, "param": param, "heading": heading, "values": values[:15]})
    export_qs = search_url(p, path="/api/search/export")
    return _page(request, "search.html", {
        "p": p, "data": data, "hits": hits, "facets": facets, "show": show,
        "export_base": export_qs + ("&" if "?" in export_qs else "?"),
        "langs": LANGS, "event_types": EVENT_TYPES,
    })


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: str = PathParam(..., max_length=200),
    wb: Workbench = Depends(workbench),
) -> HTMLResponse:
    data = wb.article(article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id!r} in the store")
    return _page(request, "article.html", {"d": data, "a": data["article"], "an": data["analysis"]})


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    limit: int = Query(200, ge=1, le=5000),
    wb: Workbench = Depends(workbench),
) -> HTMLResponse:
    return _page(request, "entities.html", {"rows": wb.entities(limit)})


def _timeline_page(request: Request, wb: Workbench, *, title: str, subject: dict[str, Any],
                   entity: str | None, countries: list[str], interval: str) -> HTMLResponse:
    data = wb.timeline(entity=entity, countries=countries, interval=interval)
    params: list[tuple[str, str]] = [("interval", interval)]
    if data["entity"]:
        params.append(("entity", data["entity"]))
    params += [("country", c) for c in data["countries"]]
    qs = urlencode(params)
    totals: dict[str, int] = {}
    for b in data["buckets"]:
        for k, v in b["counts"].items():
            totals[k] = totals.get(k, 0) + v
    search_link = "/?" + urlencode([("entity", data["entity"])] if data["entity"] else [("country", c) for c in countries])
    return _page(request, "timeline.html", {
        "search_link": search_link, "title": title, "subject": subject, "data": data, "qs": qs, "interval": interval, "totals": totals,
        "country_names": country_names(),
    })


@router.get("/entities/{key}", response_class=HTMLResponse)
def entity_page(
    request: Request,
    key: str = PathParam(..., max_length=200),
    interval: Literal["year", "month", "day"] = Query("month"),
    wb: Workbench = Depends(workbench),
) -> HTMLResponse:
    try:
        ent = wb.entity(key)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None
    return _timeline_page(request, wb, title=ent["name"], subject={"kind": "entity", **ent},
                          entity=ent["id"], countries=[], interval=interval)


@router.get("/countries/{codes}", response_class=HTMLResponse)
def countries_page(
    request: Request,
    codes: str = PathParam(..., pattern=r"^[A-Za-z]{2}(-[A-Za-z]{2})?$", description="CN or a pair CN-VN"),
    interval: Literal["year", "month", "day"] = Query("month"),
    wb: Workbench = Depends(workbench),
) -> HTMLResponse:
    cs = list(dict.fromkeys(c.upper() for c in codes.split("-")))
    names = country_names()
    title = " – ".join(names.get(c, c) for c in cs)
    return _timeline_page(request, wb, title=title, subject={"kind": "countries", "codes": cs},
                          entity=None, countries=cs, interval=interval)


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs_page(request: Request) -> HTMLResponse:
    """The OpenAPI schema rendered locally (FastAPI's Swagger UI would load from a CDN)."""
    schema = request.app.openapi()
    routes = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                           "description": op.get("description", ""), "params": op.get("parameters", [])})
    return _page(request, "api_docs.html", {"routes": routes})
