"""A thin adapter over the three official engine clients.

The engine backend (:mod:`indexer.elastic`) talks to Elasticsearch 8/9
(``elasticsearch``), Elasticsearch 7 (``elasticsearch7``, the 7.17 client; the
8/9 clients refuse 7.x servers) and OpenSearch (``opensearch-py``). They share
their request shapes (``body=`` is accepted by all three) but differ in
constructor arguments, exception classes and response objects; this module
hides exactly those differences and nothing else.

``connect`` picks the client: ``opensearch`` → opensearch-py; ``elasticsearch``
→ the 8/9 client, falling back to the 7.x client when the server is a 7.x node.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from indexer.base import BackendError

# (module, helpers module) per client family, in the order they are tried.
_FAMILIES = {
    "elasticsearch": [("elasticsearch", "elasticsearch.helpers"), ("elasticsearch7", "elasticsearch7.helpers")],
    "opensearch": [("opensearchpy", "opensearchpy.helpers")],
}
_PIP = {"elasticsearch": "elasticsearch", "elasticsearch7": "elasticsearch7", "opensearchpy": "opensearch-py"}


@dataclass(kw_only=True)
class Auth:
    url: str  # one URL, or several nodes of one cluster comma-separated (the client fails over)
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = None
    verify_certs: bool = True
    timeout: float = 30.0


class Engine:
    """One connected client: ``raw`` (the official client), ``helpers``, error checks."""

    def __init__(self, module: ModuleType, helpers: ModuleType, raw: Any, info: dict[str, Any]) -> None:
        self.module = module
        self.helpers = helpers
        self.raw = raw
        self.info = info
        self.family = module.__name__
        version = info.get("version", {})
        self.distribution = version.get("distribution", "elasticsearch")
        self.version = str(version.get("number", "?"))

    def describe(self) -> str:
        return f"{self.distribution} {self.version} via {self.family}"

    # -- errors -------------------------------------------------------------

    def _errors(self, *names: str) -> tuple[type[BaseException], ...]:
        found = []
        for name in names:
            cls = getattr(self.module, name, None) or getattr(getattr(self.module, "exceptions", None), name, None)
            if isinstance(cls, type):
                found.append(cls)
        return tuple(found)

    def is_not_found(self, exc: BaseException) -> bool:
        return isinstance(exc, self._errors("NotFoundError"))

    def is_connection_error(self, exc: BaseException) -> bool:
        """The engine could not be reached (as opposed to refusing a request)."""
        if isinstance(exc, self._errors("ConnectionError", "ConnectionTimeout")):
            return True
        try:
            import elastic_transport

            return isinstance(exc, (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout))
        except ImportError:  # pragma: no cover - only the 8/9 client ships elastic_transport
            return False

    def engine_errors(self) -> tuple[type[BaseException], ...]:
        """Every exception a request can raise (API errors and transport errors)."""
        errors = list(self._errors("ApiError", "TransportError", "ElasticsearchException", "OpenSearchException"))
        errors.extend(self._errors("BulkIndexError"))
        try:
            import elastic_transport

            errors.append(elastic_transport.TransportError)
        except ImportError:  # pragma: no cover
            pass
        return tuple(errors)

    @staticmethod
    def body(resp: Any) -> dict[str, Any]:
        """A response as a plain dict (8/9 clients wrap it in ObjectApiResponse)."""
        return dict(getattr(resp, "body", resp))

    def close(self) -> None:
        try:
            self.raw.close()
        except Exception:  # noqa: BLE001, S110 - closing a dead pool must not mask the real error
            pass


def hosts(url: str) -> list[str]:
    """The node URLs in ``url`` (comma-separated; the client spreads requests and fails over)."""
    found = [u.strip() for u in url.split(",") if u.strip()]
    if not found:
        raise BackendError("es_url is empty; give the engine URL, or several node URLs comma-separated")
    return found


def _construct(module: ModuleType, auth: Auth) -> Any:
    name = module.__name__
    kw: dict[str, Any] = {"verify_certs": auth.verify_certs}
    if auth.ca_certs:
        kw["ca_certs"] = auth.ca_certs
    if name == "elasticsearch" and int(str(module.__versionstr__).split(".")[0]) >= 8:
        kw["request_timeout"] = auth.timeout
        if auth.api_key:
            kw["api_key"] = auth.api_key
        if auth.username:
            kw["basic_auth"] = (auth.username, auth.password or "")
        return module.Elasticsearch(hosts(auth.url), **kw)
    kw["timeout"] = auth.timeout
    if auth.username:
        kw["http_auth"] = (auth.username, auth.password or "")
    if auth.api_key:
        if name == "opensearchpy":
            kw["headers"] = {"Authorization": f"ApiKey {auth.api_key}"}
        else:
            kw["api_key"] = auth.api_key
    cls = module.OpenSearch if name == "opensearchpy" else module.Elasticsearch
    return cls(hosts(auth.url), **kw)


def connect(flavour: str, auth: Auth) -> Engine:
    """Connect with the first client of ``flavour`` that the server accepts (raises BackendError)."""
    candidates = _FAMILIES.get(flavour)
    if candidates is None:
        raise BackendError(f"unknown engine flavour {flavour!r}; choose elasticsearch or opensearch")
    problems: list[str] = []
    for mod_name, helpers_name in candidates:
        try:
            module = importlib.import_module(mod_name)
            helpers = importlib.import_module(helpers_name)
        except ImportError:
            problems.append(f"{mod_name} is not installed (pip install {_PIP[mod_name]})")
            continue
        raw = None
        try:
            raw = _construct(module, auth)
            info = Engine.body(raw.info())
        except Exception as exc:  # noqa: BLE001 - each client raises its own classes; we report them all
            if raw is not None:
                try:
                    raw.close()
                except Exception:  # noqa: BLE001, S110  # pragma: no cover - keep the connect error
                    pass
            problems.append(f"{mod_name}: {type(exc).__name__}: {exc}")
            continue
        return Engine(module, helpers, raw, info)
    raise BackendError(
        f"cannot use the {flavour} engine at {auth.url}: {'; '.join(problems)}. Check that the engine is "
        "running and reachable (es_url / --url), the credentials (es_api_key or es_username/es_password) "
        "and TLS (es_ca_certs, es_verify_certs)"
    )
