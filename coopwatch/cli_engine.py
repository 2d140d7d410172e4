"""CLI for the engine backends: ``coopwatch reindex`` (new index version, alias switched).

``reindex`` copies the current versioned index into the next one built from the
current template (new analyzers or mappings) and moves the alias in one atomic
call, so searches never see a missing or half-built index.
"""

from __future__ import annotations

from typing import Any

import typer

from coopwatch.errors import ConfigError


def register(app: typer.Typer, sources_app: typer.Typer) -> None:
    from coopwatch.cli import JsonOpt, emit, out

    @app.command()
    def reindex(
        ctx: typer.Context,
        backend_name: str | None = typer.Option(None, "--backend", help="elasticsearch | opensearch."),
        url: str | None = typer.Option(None, "--url", help="Engine URL (overrides es_url)."),
        delete_old: bool = typer.Option(False, "--delete-old", help="Delete the previous index version afterwards."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Rebuild the engine index as a new version and switch the alias (no downtime)."""
        backend: Any = ctx.obj.backend(needs_store=False, backend=backend_name, es_url=url)  # the engine only
        if not hasattr(backend, "reindex"):
            raise ConfigError(
                f"reindex works on the engine backends (elasticsearch, opensearch), not {backend.name!r}; "
                "use --backend elasticsearch or set backend in the settings"
            )
        try:
            result = backend.reindex(keep_old=not delete_old)
        finally:
            backend.close()

        def render(d: dict[str, Any]) -> None:
            out.print(f"reindexed {d['old']} → {d['new']}: {d['count']} documents; alias {backend.alias} → {d['new']}")

        emit(result, as_json, render)
