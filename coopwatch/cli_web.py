"""``coopwatch serve``: the analyst workbench (web UI + JSON API) under uvicorn, on loopback by default."""

from __future__ import annotations

import ipaddress

import typer

from coopwatch.errors import InputError

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer, sources_app: typer.Typer) -> None:
    from coopwatch.cli import err

    @app.command()
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default; the app has no login)."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port (0: any free one)."),
    ) -> None:
        """Serve the analyst workbench: search, articles, entity and country-pair timelines, exports, /api/."""
        import uvicorn

        from coopwatch.web.app import create_app
        from coopwatch.web.service import Workbench

        c = ctx.obj
        wb = Workbench(c.settings, store=c.store, backend=c.backend())
        count = wb.backend.count()
        if count == 0:
            err.print("[yellow]the search index is empty[/]: run `coopwatch run` (or `coopwatch demo`) first")
        allowed = [host.strip("[]"), *LOOPBACK_HOSTS] if is_loopback(host) else None
        if allowed is None:
            err.print(f"[yellow]warning[/]: serving on {host}, reachable from other machines, without login")
        app_ = create_app(workbench=wb, allowed_hosts=allowed)
        err.print(f"coopwatch workbench on http://{host if ':' not in host else f'[{host}]'}:{port}/ "
                  f"({count} documents, backend {wb.backend.name}, data {c.settings.data_dir}) — Ctrl-C to stop")
        try:
            uvicorn.run(app_, host=host.strip("[]"), port=port, log_level="warning")
        except OSError as exc:  # pragma: no cover - uvicorn usually exits by itself
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        finally:
            wb.close()
