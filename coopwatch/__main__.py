"""``python -m coopwatch`` is the ``coopwatch`` command."""

from coopwatch.cli import entrypoint

entrypoint()
