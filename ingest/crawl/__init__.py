"""The web connector: `docqa crawl` keeps an index in step with one or more websites.

    urls.py      start URLs checked, URLs normalised, what stays on a site, --include/--exclude
    safety.py    refuses private, loopback and link-local addresses (unless allowed)
    fetcher.py   polite HTTP: concurrency, crawl delay, timeouts, size limit, redirects kept on the site
    robots.py    robots.txt (user agent `docqa`): allowed URLs, Crawl-delay, Sitemap lines
    sitemaps.py  sitemaps and sitemap indexes (gzip too) → page URLs with their lastmod
    pages.py     a response → a Document (the ingest loaders), its links, canonical URL and language
    state.py     what the last crawl saw of each URL, kept with the index (ROOT/crawl/state.json)
    crawler.py   the crawl itself: discovery, conditional requests, each URL's outcome
    sync.py      crawl → compare with the served version → publish only when something changed
"""
