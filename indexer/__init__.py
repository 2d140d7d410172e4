"""Search indexing: the SearchBackend contract and its implementations.

``base`` holds the contract, ``sqlite_fts`` the embedded default, ``tokenize``
the per-language pre-tokenisation, ``timeline`` the timeline exports.
Backends are registered by name in :data:`indexer.registry.BACKENDS`;
``sqlite_schema`` holds the embedded backend's tables.
"""
