"""coopwatch: multilingual monitoring of health-cooperation news.

The application shell: configuration, the store, shared record types, the CLI.
The pipeline stages live beside it in ``crawlers/``, ``nlp/``, ``indexer/`` and
``schedules/``.
"""

__version__ = "0.1.0"
