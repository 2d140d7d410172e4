"""One spider per source kind; the source is chosen with ``-a source=NAME``.

``scrapy list`` shows the kinds (rss, sitemap, listing); ``coopwatch sources
list`` shows the sources. ``scrapy crawl rss -a source=who-wpro-news`` crawls
one source by hand.
"""
