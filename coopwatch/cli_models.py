"""CLI commands for the NLP stage: ``models install``, ``models list`` and ``eval``.

Thin adapters over :mod:`nlp.translate` (offline model packages) and
:mod:`nlp.evaluate` (the gold set and its precision/recall/F1 report).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from coopwatch.errors import InputError


def _model_rows(settings: Any) -> list[dict[str, Any]]:
    from nlp import translate

    rows = []
    argospm = translate.uses_argospm(settings)
    for ref in translate.installed_models(Path(settings.models_path), argospm):
        rows.append(
            {
                "pair": f"{ref.src}-{ref.tgt}",
                "kind": ref.kind,
                "path": str(ref.path.parent if ref.kind == "argos" else ref.path),
                "model_id": ref.model_id,
                "serves": translate.find_model(ref.src, Path(settings.models_path), argospm) == ref,
            }
        )
    return rows


def register(app: typer.Typer, sources_app: typer.Typer) -> None:
    from coopwatch.cli import JsonOpt, emit, err, out

    models_app = typer.Typer(help="Offline translation models (Argos packages, CTranslate2 directories).", no_args_is_help=True)
    app.add_typer(models_app, name="models")

    @models_app.command("install")
    def models_install(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="An .argosmodel package file (downloaded beforehand; nothing is fetched)."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Install a translation package from a local .argosmodel file."""
        from nlp import translate

        settings = ctx.obj.settings
        if not file.is_file():
            raise InputError(f"{file} does not exist; download the .argosmodel file first, then install it")
        ref = translate.install_argos_package(file, settings)
        data = {"installed": f"{ref.src}-{ref.tgt}", "kind": ref.kind, "path": str(ref.path.parent), "model_id": ref.model_id}
        emit(data, as_json, lambda d: out.print(f"installed {d['installed']} ({d['kind']}) in {d['path']}"))

    @models_app.command("list")
    def models_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
        """List installed translation models and the language pairs they serve."""
        settings = ctx.obj.settings
        rows = _model_rows(settings)

        def render(rs: list[dict[str, Any]]) -> None:
            if not rs:
                err.print(
                    f"no translation models under {settings.models_path} or {', '.join(map(str, translate.argospm_dirs()))}; "
                    "install one with `coopwatch models install FILE.argosmodel`"
                )
                return
            t = Table("pair", "kind", "serves", "path")
            for r in rs:
                t.add_row(r["pair"], r["kind"], "yes" if r["serves"] else "shadowed", r["path"])
            out.print(t)

        emit(rows, as_json, render)

    @app.command("eval")
    def eval_cmd(
        ctx: typer.Context,
        gold: Path | None = typer.Option(
            None, "--gold", help="Gold directory: tests/gold (default) or a realgold set (<lang>/gold.yaml, e.g. ../shared/realgold)."
        ),
        split: str = typer.Option("heldout", "--split", help="Realgold split to print: tune | heldout | all."),
        extra: bool = typer.Option(True, "--extra/--no-extra", help="Realgold: add coopwatch's own pages (tests/realgold) to the tune split."),
        write_baseline: Path | None = typer.Option(None, "--write-baseline", help="Also write the scores here as the new pinned baseline."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Score the NLP stage on a gold set: per language organizations, countries, events, language, relevance."""
        from nlp import evaluate, realgold

        if gold is not None and realgold.is_realgold(gold):
            if split not in (*realgold.SPLITS, "all"):
                raise InputError(f"--split must be tune, heldout or all, not {split!r}")
            items = realgold.load_realgold(gold)
            if extra and realgold.EXTRA_GOLD.is_dir() and gold.resolve() != realgold.EXTRA_GOLD.resolve():
                items += realgold.load_realgold(realgold.EXTRA_GOLD, extra=True)
            report = realgold.evaluate_real(items, ctx.obj.settings)
            if write_baseline:
                pinned = realgold.baseline_of(report, split)
                write_baseline.write_text(json.dumps(pinned, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                err.print(f"baseline written to {write_baseline}")

            def render_real(r: dict[str, Any]) -> None:
                for name in ("tune", "heldout") if split == "all" else (split,):
                    t = Table(
                        "lang", "org R", "org P", "ctry R", "ctry P", "event F1", "lang id", "relev F1",
                        title=f"{gold} — {name} split (nlp {r['nlp_version']})",
                    )
                    for row in realgold.table_rows(r, name):
                        t.add_row(*[row["lang"], *(f"{row[k]:.2f}" if row[k] is not None else "-" for k in realgold.GATED)])
                    out.print(t)

            emit(report, as_json, render_real)
            return

        report = evaluate.evaluate(evaluate.load_gold(gold), ctx.obj.settings)
        if write_baseline:
            write_baseline.write_text(json.dumps(evaluate.baseline_of(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
            err.print(f"baseline written to {write_baseline}")

        def render(r: dict[str, Any]) -> None:
            t = Table("lang", "field", "P", "R", "F1", "tp", "fp", "fn", title=f"gold set: {r['articles']} articles")
            for lang, fields in r["scores"].items():
                for field, s in fields.items():
                    t.add_row(lang, field, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"]))
            out.print(t)

        emit(report, as_json, render)
