"""docqa crawl against a real HTTP server on 127.0.0.1 serving the issue-13 fixture site (tests/crawl_site.py):
what is indexed, what is never requested, and a re-crawl that fetches and embeds only what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docqa.index.storage import store, versions
from docqa.ingest.crawl.crawler import CrawlOptions
from docqa.ingest.crawl.state import CrawlState
from docqa.ingest.crawl.sync import sync
from tests.conftest import FakeEmbedder
from tests.crawl_site import DISCOVERY, agency_site, page

OPTIONS = CrawlOptions(follow_links=True, allow_private=True, timeout=0.5, max_bytes=100_000)


class RecordingEmbedder(FakeEmbedder):
    """The fake embedder, keeping every text it is asked to embed."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts, **options):
        self.texts.extend(texts)
        return super().embed(texts, **options)


@pytest.fixture
def site():
    served = agency_site(slow_seconds=1.5).start()
    yield served
    served.stop()


def full_fetches(log: list[tuple[str, int]]) -> set[str]:
    """Pages and files answered in full (200), leaving out robots.txt, the sitemaps and the page that always times out."""
    return {path for path, status in log if status == 200 and path not in DISCOVERY and path != "/slow.html"}


def served_documents(root: Path) -> dict[str, dict]:
    folder = versions.current_version(root)
    return {d["doc_id"]: d for d in json.loads((folder / "documents.json").read_text())}


def test_first_crawl_indexes_pages_and_linked_files_and_skips_what_it_must(site, tmp_path):
    root = tmp_path / "index"
    report = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=OPTIONS)
    u = site.url
    docs = served_documents(root)
    assert set(docs) == {
        f"{u}/", f"{u}/news/budget.html", f"{u}/news/lab.html", f"{u}/news/moved.html", f"{u}/calls/call-2025.html",
        f"{u}/calls/call-2026.html", f"{u}/hidden.html", f"{u}/fr/actualite.html",
        f"{u}/docs/report.pdf", f"{u}/docs/minutes.docx", f"{u}/docs/agenda.odt",
    }  # the 301 from /old-partnership.html is indexed once, under its canonical URL
    assert all(d["source"] == d["doc_id"] for d in docs.values())  # answers cite the page's URL
    requested = {path for path, _ in site.log}
    assert not any(p.startswith("/private/") for p in requested)  # robots.txt: Disallow /private/
    assert "/images/logo.png" not in requested
    outcome = {o.url.removeprefix(u): o for o in report.outcomes}
    assert outcome["/big.html"].status == "skipped" and "too large" in outcome["/big.html"].detail
    assert outcome["/slow.html"].status == "error" and "timeout" in outcome["/slow.html"].detail
    assert outcome["/missing.html"].status == "gone" and "404" in outcome["/missing.html"].detail
    assert "robots.txt" in outcome["/private/secret.html"].detail
    assert report.partial and report.failure is None and report.version == versions.current_name(root)

    state = CrawlState.load(root)
    record = {url.removeprefix(u): r for url, r in state.pages.items()}
    assert record["/fr/actualite.html"].language == "fr" and record["/news/budget.html"].language == "en"
    indexed = {d.source.removeprefix(u): d for d in store.load(versions.current_version(root), model="fake-bow").documents}
    assert indexed["/fr/actualite.html"].language == "fr" and indexed["/news/budget.html"].language == "en"  # kept in the index
    assert "118 projects" in record["/docs/report.pdf"].text
    assert "ethics charter" in record["/docs/minutes.docx"].text and "B-204" in record["/docs/minutes.docx"].text
    assert "Lyon on 9 October" in record["/docs/agenda.odt"].text and record["/docs/agenda.odt"].title == "Seminar agenda"
    assert "Agency footer" not in record["/news/budget.html"].text  # the existing cleaning: no navigation or footer
    assert record["/old-partnership.html"].canonical == f"{u}/news/moved.html"
    assert all(r.etag for r in state.pages.values() if r.text is not None)


def test_sitemap_site_without_follow_links_fetches_listed_pages_and_linked_files_only(site, tmp_path):
    options = CrawlOptions(allow_private=True, timeout=0.5, max_bytes=100_000)
    sync([site.url + "/"], index_root=tmp_path / "index", embedder=FakeEmbedder(), options=options)
    requested = {path for path, _ in site.log}
    assert "/hidden.html" not in requested and "/missing.html" not in requested  # pages found only by links
    assert {"/docs/report.pdf", "/docs/minutes.docx", "/docs/agenda.odt"} <= requested  # linked documents are followed


def test_recrawl_fetches_and_embeds_only_what_changed_and_drops_what_was_removed(site, tmp_path):
    root = tmp_path / "index"
    sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=OPTIONS)
    first_version = versions.current_name(root)

    site.put("/news/budget.html", page("Budget 2025", "<p>The agency's budget for 2025 is 48 million euros.</p>"), sitemap="news")
    site.delete("/news/lab.html")
    site.delete("/hidden.html")  # still linked from the home page: answers 404
    site.put("/calls/call-2027.html", page("Call 2027", "<p>The 2027 call on quantum sensing opens in January.</p>"), sitemap="calls")
    mark = len(site.log)
    embedder = RecordingEmbedder()
    report = sync([site.url + "/"], index_root=root, embedder=embedder, options=OPTIONS)

    u = site.url
    log = site.requests_since(mark)
    assert full_fetches(log) == {"/news/budget.html", "/calls/call-2027.html"}
    others = {path: status for path, status in log if path not in DISCOVERY | {"/news/budget.html", "/calls/call-2027.html", "/slow.html"}}
    assert set(others.values()) <= {301, 304, 404}, others  # every other page answered 304, or was skipped by lastmod
    assert others["/hidden.html"] == 404
    assert others["/calls/call-2025.html"] == 304  # listed without a lastmod: a conditional request
    assert "/news/lab.html" not in others  # gone from the sitemap: not even requested
    assert {o.status for o in report.outcomes if o.url == f"{u}/fr/actualite.html"} == {"lastmod"}
    assert report.new == [f"{u}/calls/call-2027.html"] and report.changed == [f"{u}/news/budget.html"]
    assert report.removed == [f"{u}/hidden.html", f"{u}/news/lab.html"]  # a 404, and a page gone from the sitemap
    assert report.version is not None and report.version != first_version == versions.version_names(root)[0]

    new_texts = [page_text for page_text in (r.text for url, r in CrawlState.load(root).pages.items() if url.endswith(("budget.html", "call-2027.html")))]
    assert embedder.texts and report.embedded == len(embedder.texts)
    assert all(any(t.split("\n")[-1] in text for text in new_texts) for t in embedder.texts), embedder.texts

    from docqa.index.assistant import Assistant

    assistant = Assistant(root, embedder=FakeEmbedder())
    answer = assistant.ask("Where did the glacier laboratory open?")
    assert all("lab.html" not in s.source for s in answer.sources)  # the deleted page is no longer cited
    assert "48 million" in assistant.ask("What is the agency's budget for 2025?").answer

    mark = len(site.log)
    embedder = RecordingEmbedder()
    again = sync([site.url + "/"], index_root=root, embedder=embedder, options=OPTIONS)
    assert again.version is None and versions.current_name(root) == report.version  # nothing changed: no new version
    assert embedder.texts == [] and again.embedded == 0
    assert full_fetches(site.requests_since(mark)) == set()


def test_state_save_load_round_trip(site, tmp_path):
    root = tmp_path / "index"
    report = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=OPTIONS)
    loaded = CrawlState.load(root)
    assert loaded.pages and all(r.last_seen for r in loaded.pages.values())
    loaded.save(tmp_path / "copy")
    assert CrawlState.load(tmp_path / "copy") == loaded
    assert {d.doc_id for d in loaded.documents()} == set(served_documents(root)) and report.documents == len(loaded.documents())
    (root / "crawl" / "state.json").write_text("{damaged")
    assert CrawlState.load(root) == CrawlState()  # a damaged state costs a full crawl, nothing more


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        "null",
        '"state"',
        '{"format_version": 1, "pages": [1, 2]}',
        '{"format_version": 1, "pages": {"http://x.org/": {}}}',
        '{"format_version": 1, "pages": [{"url": "http://x.org/", "text": 5, "title": ["T"]}]}',
        '{"format_version": 1, "pages": [{"url": "http://x.org/", "links": [1, {"a": 2}]}]}',
        '{"format_version": 1, "pages": [{"url": null}]}',
    ],
)
def test_a_state_file_of_another_shape_costs_a_full_crawl_not_a_traceback(tmp_path, content):
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "state.json").write_text(content)
    assert CrawlState.load(tmp_path) == CrawlState()


def test_a_site_failing_midway_publishes_nothing_unless_allow_partial(site, tmp_path):
    site.failing = ("/news/", "/calls/", "/docs/")
    root = tmp_path / "index"
    report = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=OPTIONS)
    assert report.failure is not None and "too many errors" in report.failure and report.version is None
    assert versions.current_name(root) is None and not (root / "crawl" / "state.json").exists()
    partial = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=CrawlOptions(**{**OPTIONS.__dict__, "allow_partial": True}))
    assert partial.failure is not None and partial.version == versions.current_name(root) is not None
    assert f"{site.url}/fr/actualite.html" in served_documents(root)
    site.failing = ()
    sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=OPTIONS)
    assert len(served_documents(root)) == 11
    site.failing = ("/big", "/fr/", "/news/", "/old-partnership")  # down again: the first pages of the sitemap fail
    for path in ("/big.html", "/fr/actualite.html", "/news/budget.html", "/news/lab.html", "/old-partnership.html"):
        res = site.resources[path]  # their lastmod moves: requested again
        site.put(path, res.body, res.content_type, sitemap=res.sitemap, lastmod=res.lastmod)
    stopped = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=CrawlOptions(**{**OPTIONS.__dict__, "allow_partial": True}))
    assert f"{site.url}/calls/call-2026.html" not in {o.url for o in stopped.outcomes}  # the crawl stopped before it
    assert "too many errors" in stopped.failure and stopped.removed == []  # URLs the stopped crawl did not reach keep their text


def test_crawl_delay_spaces_the_requests(site, tmp_path):
    site.crawl_delay = 0.2
    site.slow.clear()
    sync([site.url + "/"], index_root=tmp_path / "index", embedder=FakeEmbedder(), options=OPTIONS)
    after_robots = site.times[1:]  # robots.txt says the delay
    span, expected = after_robots[-1] - after_robots[0], 0.2 * (len(after_robots) - 1)
    assert len(after_robots) > 10 and span >= 0.8 * expected, (span, expected)  # (the span: one request's jitter does not count)


def test_include_exclude_and_max_pages(site, tmp_path):
    root = tmp_path / "index"
    excluded = CrawlOptions(**{**OPTIONS.__dict__, "exclude": (r"/calls/", r"\.odt$")})
    sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=excluded)
    requested = {path for path, _ in site.log}
    assert not any(p.startswith("/calls/") for p in requested) and "/docs/agenda.odt" not in requested
    assert "/docs/minutes.docx" in requested
    full = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=OPTIONS)
    assert len(full.new) == 3  # the two calls and the ODT file
    capped = sync([site.url + "/"], index_root=root, embedder=FakeEmbedder(), options=CrawlOptions(**{**OPTIONS.__dict__, "max_pages": 3}))
    assert len(capped.outcomes) == 3 and capped.removed == [] and capped.version is None  # pages not reached keep their text
