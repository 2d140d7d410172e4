"""The bundled demo site of coopwatch.

``site/`` is a small static news portal in four languages (en, de, vi, zh; one
zh sub-section encoded in GBK) with an RSS feed, an Atom feed, a sitemap index
pointing to a Google News sitemap, and paginated listing pages.  ``server.py``
serves it on loopback, ``sources.yaml`` registers it in the source-registry
schema, and ``build_site.py`` regenerates the pages from the article texts.

The site is both the demo (``coopwatch demo``) and the fixture of the crawler
tests, so its layout is part of the contract: see ``README.md``.
"""
