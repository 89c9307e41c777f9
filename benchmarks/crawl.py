"""Re-crawl of a website: first crawl, unchanged re-crawl, and re-crawl after one page changed.

    python benchmarks/crawl.py [--pages 200] [--backend auto] [--concurrency 2] [--json]

A fixture site (tests/crawl_site.py) on 127.0.0.1 serves --pages HTML pages, each a Cranfield
abstract inside the site's navigation and footer, listed by a sitemap index over two sitemaps (one
gzipped): 90% with a <lastmod>, the rest without (those cost a conditional request: 304). Each
step runs docqa's own `sync()` in this process with the default embedder, after a warm-up crawl of
a one-page site (imports and the model load are not counted). Targets: the unchanged re-crawl
takes <= 5% of the first crawl's time, embeds 0 texts and publishes no version; one changed
page re-embeds only its own texts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, cranfield, machine  # noqa: E402


def fixture_site_module():
    """tests/crawl_site.py by path (the benchmark does not need the test package importable)."""
    spec = importlib.util.spec_from_file_location("docqa_crawl_site", REPO / "tests" / "crawl_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--backend", default=None)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from docqa.index.embedding.embedder import get_embedder
    from docqa.ingest.crawl.crawler import CrawlOptions
    from docqa.ingest.crawl.sync import sync

    sites = fixture_site_module()
    _, texts, _, _ = cranfield()
    model = get_embedder(backend=args.backend)
    model.embed(["warm up"])
    options = CrawlOptions(allow_private=True, concurrency=args.concurrency)

    site = sites.FixtureSite()
    for n, text in enumerate(texts[: args.pages]):
        title, _, body = text.partition("\n")
        paragraphs = "".join(f"<p>{part}</p>" for part in body.split(". ") if part.strip())
        site.put(f"/articles/{n:04d}.html", sites.page(title.strip()[:120] or f"Article {n}", paragraphs),
                 sitemap="news" if n % 2 else "calls", lastmod=n % 10 != 0)
    site.start()
    warm = sites.FixtureSite()
    warm.put("/", sites.page("Warm-up", "<p>One page to import the parsers before timing.</p>"), sitemap="news")
    warm.start()
    steps = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            sync([warm.url + "/"], index_root=Path(scratch) / "warm", embedder=model, options=options)
            root = Path(scratch) / "index"
            for label in ("first crawl", "unchanged re-crawl", "one page changed"):
                if label == "one page changed":
                    site.put("/articles/0001.html", sites.page("Changed article", "<p>The wind tunnel was rebuilt in 2026.</p>"), sitemap="news")
                mark = len(site.log)
                started = time.perf_counter()
                report = sync([site.url + "/sitemap_index.xml"], index_root=root, embedder=model, options=options)
                if report.failure:
                    raise SystemExit(f"{label} failed: {report.failure}")
                seconds = time.perf_counter() - started
                log = site.requests_since(mark)
                steps.append({
                    "step": label,
                    "seconds": round(seconds, 3),
                    "texts_embedded": report.embedded,
                    "new_version": report.version is not None,
                    "requests": len(log),
                    "answered_200": sum(1 for _, status in log if status == 200),
                    "answered_304": sum(1 for _, status in log if status == 304),
                    "skipped_by_lastmod": report.count("lastmod"),
                    "documents": report.documents,
                })
    finally:
        site.stop()
        warm.stop()
    full = steps[0]["seconds"]
    for step in steps:
        step["share_of_first"] = round(step["seconds"] / full, 4)
    result = {"machine": machine(), "pages": args.pages, "concurrency": args.concurrency, "steps": steps}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{args.pages} pages (Cranfield abstracts) on a 127.0.0.1 fixture site, concurrency {args.concurrency}, backend {getattr(model, 'variant', '?')}")
    for s in steps:
        print(
            f"  {s['step']:20s} {s['seconds']:7.2f} s ({100 * s['share_of_first']:5.1f}% of first), texts embedded {s['texts_embedded']:5d}, "
            f"new version: {'yes' if s['new_version'] else 'no '}; requests {s['requests']} (200: {s['answered_200']}, 304: {s['answered_304']}), "
            f"skipped by lastmod {s['skipped_by_lastmod']}, documents {s['documents']}"
        )


if __name__ == "__main__":
    main()
