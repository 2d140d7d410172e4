"""Search backends registered by name, as data (dotted ``module:Class`` paths).

Engine backends are imported only when chosen, so the embedded default needs
none of their packages; a backend whose module or dependency is missing says
so in a :class:`BackendError` instead of an ImportError traceback.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from indexer.base import BackendError, SearchBackend

if TYPE_CHECKING:
    from coopwatch.settings import Settings

BACKENDS: dict[str, str] = {
    "sqlite": "indexer.sqlite_fts:SqliteBackend",
    "elasticsearch": "indexer.elastic:ElasticBackend",
    "opensearch": "indexer.elastic:ElasticBackend",
}


def load_backend_class(name: str) -> type[SearchBackend]:
    """The backend class registered as ``name`` (imported lazily)."""
    try:
        target = BACKENDS[name]
    except KeyError:
        raise BackendError(f"unknown search backend {name!r}; choose one of: {', '.join(BACKENDS)}") from None
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module_name or module_name.startswith(exc.name + ".")):
            raise BackendError(
                f"search backend {name!r} is not available yet ({module_name} is not part of this "
                'installation); use backend = "sqlite"'
            ) from exc
        raise BackendError(
            f"search backend {name!r} needs the Python package {exc.name!r}: pip install {exc.name}"
        ) from exc
    try:
        cls = getattr(module, attr)
    except AttributeError:
        raise BackendError(
            f"search backend {name!r}: {module_name} has no {attr}; the registry is out of date"
        ) from None
    return cls  # type: ignore[no-any-return]


def open_backend(settings: Settings) -> SearchBackend:
    """Open the backend ``settings.backend`` names (not yet checked: call ``check()``)."""
    cls = load_backend_class(settings.backend)
    if settings.backend == "sqlite":
        return cls(settings.search_db)  # type: ignore[call-arg]
    factory = getattr(cls, "from_settings", None)
    if factory is not None:
        return factory(settings)  # type: ignore[no-any-return]
    return cls(settings)  # type: ignore[call-arg]
