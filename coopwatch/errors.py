"""Errors a user can act on: each says what went wrong and how to fix it.

The CLI turns every :class:`CoopwatchError` into a one-line message and a
non-zero exit instead of a traceback.
"""

from __future__ import annotations


class CoopwatchError(Exception):
    """Base class for errors shown to the user as-is."""


class ConfigError(CoopwatchError):
    """A setting or the source registry is invalid."""


class StoreError(CoopwatchError):
    """The store cannot be opened or written."""


class NoStore(StoreError):
    """A command that only reads was pointed at a data directory holding no store."""


class InputError(CoopwatchError):
    """A file, URL or argument given by the user cannot be used."""
