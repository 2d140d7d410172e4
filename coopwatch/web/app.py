"""The FastAPI application: routers, local static files, error pages, security headers.

:func:`create_app` takes settings (or a ready :class:`Workbench`) and never
reads globals. Errors a user can act on become 4xx answers with one clear
message: JSON under ``/api/``, an HTML page elsewhere. Every answer carries a
strict Content-Security-Policy (scripts, styles and images from this origin
only), so even a rendering bug could not run injected script.
"""

from __future__ import annotations

import logging

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from sqlalchemy import exc as sa_exc
from starlette.middleware.trustedhost import TrustedHostMiddleware

from coopwatch.errors import InputError
from coopwatch.store import store_problem
from coopwatch.settings import Settings
from coopwatch.web import api, pages
from coopwatch.web.service import Workbench
from indexer.base import BackendError

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).with_name("static")
# no script-src: the pages use no JavaScript at all, so default-src 'none' forbids every script
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _error(request: Request, status: int, message: str, detail: Any = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "detail": detail if detail is not None else message}, status_code=status)
    return pages.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def create_app(
    settings: Settings | None = None,
    *,
    workbench: Workbench | None = None,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The workbench app over ``settings`` (store + backend opened here) or a given ``workbench``."""
    if workbench is None:
        if settings is None:
            raise ValueError("create_app needs settings or a workbench")
        workbench = Workbench(settings)
    app = FastAPI(
        title="coopwatch workbench API",
        version="1",
        description="Read-only search, articles, entities and timelines of health-cooperation news.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN; /api-docs renders the schema locally
        redoc_url=None,
    )
    app.state.workbench = workbench
    if allowed_hosts:  # loopback serving: refuse DNS-rebinding requests for other host names
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        from fastapi.encoders import jsonable_encoder

        detail = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
        return _error(request, 422, _validation_message(exc), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return _error(request, exc.status_code, message)

    @app.exception_handler(BackendError)
    async def backend_error(request: Request, exc: BackendError) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(sa_exc.DatabaseError)
    async def store_error(request: Request, exc: sa_exc.DatabaseError) -> Response:
        return _error(request, 503, store_problem(exc))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # served by the outermost middleware, outside security_headers: the headers are set here
        log.exception("unexpected error on %s", request.url.path)
        response = _error(request, 500, "internal error; the server log has the details")
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
