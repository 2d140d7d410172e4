"""The Scrapy project: spiders per source kind, extraction, the store pipeline.

``sources`` loads and validates the source registry (``sources.yaml``),
``extract`` turns one fetched page into an Article (pure functions shared with
``coopwatch ingest``), ``spiders/`` holds one spider per source kind (rss,
sitemap, listing), ``pipelines`` writes into the store and ``runner`` starts a
crawl in a child process (Twisted's reactor cannot be restarted in one process).
"""
