"""Entity / country-pair timelines and their exports (CSV, JSON, PNG).

Shared by the CLI and the web UI: :func:`timeline_rows` asks any
:class:`~indexer.base.SearchBackend` for buckets and the events behind them;
the ``write_*`` functions turn that plain dict into files. The PNG is drawn
with matplotlib's Agg canvas directly (no pyplot, no display, no global state),
inside :func:`indexer.chart_fonts.chart_fonts` so Chinese labels have glyphs.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coopwatch.records import EVENT_TYPES
from indexer.base import SearchBackend
from indexer.exports import csv_cell

CSV_COLUMNS = (
    "date",
    "precision",
    "type",
    "participants",
    "countries",
    "title",
    "url",
    "source",
    "evidence",
    # extras after the documented columns, for spreadsheets
    "participant_names",
    "title_en",
    "evidence_en",
    "article_id",
    "lang",
    "published_at",
)


def timeline_rows(
    backend: SearchBackend,
    entity: str | None = None,
    countries: Sequence[str] = (),
    query: str = "",
    interval: str = "month",
) -> dict[str, Any]:
    """Buckets and dated events for an entity, a country set and/or a query."""
    buckets = backend.timeline(entity=entity, countries=countries, query=query, interval=interval)
    events = backend.events(entity=entity, countries=countries, query=query)
    return {
        "entity": entity,
        "countries": [c.upper() for c in countries],
        "query": query,
        "interval": interval,
        "buckets": [{"period": b.period, "counts": dict(b.counts)} for b in buckets],
        "events": events,
    }


def write_csv(data: dict[str, Any], path: str | Path) -> Path:
    """One row per dated event (UTF-8 with BOM so spreadsheets show CJK)."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for ev in data.get("events", []):
            writer.writerow([csv_cell(ev.get(col)) for col in CSV_COLUMNS])
    return path


def write_json(data: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _series(buckets: list[dict[str, Any]]) -> tuple[list[str], list[str], list[int]]:
    periods = [b["period"] for b in buckets]
    present = {k for b in buckets for k in b["counts"] if k != "mentions"}
    types = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
    mentions = [int(b["counts"].get("mentions", 0)) for b in buckets]
    return periods, types, mentions


def write_png(data: dict[str, Any], path: str | Path, title: str = "") -> Path:
    """Stacked bars of events per type per period, with article mentions as a line."""
    from indexer.chart_fonts import chart_fonts

    with chart_fonts():  # tick labels are made while saving, so the whole drawing is inside
        return _draw_png(data, Path(path), title)


def _draw_png(data: dict[str, Any], path: Path, title: str) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    buckets = data.get("buckets", [])
    periods, types, mentions = _series(buckets)
    fig = Figure(figsize=(max(7.0, 0.45 * len(periods) + 5), 4.5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(periods)))
    bottom = [0] * len(periods)
    for kind in types:
        heights = [int(b["counts"].get(kind, 0)) for b in buckets]
        ax.bar(xs, heights, bottom=bottom, label=kind.replace("_", " "))
        bottom = [a + b for a, b in zip(bottom, heights)]
    ax.set_ylabel("events")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(data.get("interval", "period"))
    ax.set_xticks(xs)
    ax.set_xticklabels(periods, rotation=45 if len(periods) > 6 else 0, ha="right" if len(periods) > 6 else "center")
    if any(mentions):
        ax2 = ax.twinx()
        ax2.plot(xs, mentions, color="black", marker="o", linewidth=1.5, label="article mentions")
        ax2.set_ylabel("articles")
        ax2.set_ylim(bottom=0)
        ax2.yaxis.set_major_locator(MaxNLocator(integer=True))  # article counts are whole numbers
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    else:
        handles, labels = ax.get_legend_handles_labels()
    if handles:  # outside the axes, right: never hides a bar
        # below the plot: to the right it would cover the mentions axis
        fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize="small")
    if not periods:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title or "Cooperation timeline")
    fig.savefig(path, format="png", bbox_inches="tight")
    return path
