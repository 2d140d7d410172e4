"""The analyst workbench: a read-only web app over the store and the search backend.

``coopwatch serve`` runs :func:`coopwatch.web.app.create_app` under uvicorn on
loopback. Pages are rendered server-side (Jinja2, autoescaped) from the same
functions that answer the JSON API under ``/api/`` (:mod:`coopwatch.web.service`);
CSS is bundled locally and charts are PNGs drawn by
:func:`indexer.timeline.write_png`, so nothing is loaded from outside.
"""

from __future__ import annotations
