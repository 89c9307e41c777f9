"""What answers cite for an ingested file: its path relative to the folder ingested (or its name), never a
path of the machine that ingested it; an index written before this still loads and is shown the same way."""

import json
from dataclasses import replace

from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.index.assistant import Assistant
from docqa.index.storage import store, versions
from docqa.index.storage.sources import cited_source
from docqa.ingest.loaders import load_file
from docqa.ingest.pipeline import ingest, publish
from docqa.server.app import create_app
from tests.conftest import TINY_DOCS


def _ask(root, embedder, question: str) -> dict:
    app = create_app(Settings(index=root, model=embedder.name), assistant=Assistant(root, embedder=embedder))
    with TestClient(app) as client:
        return client.post("/api/ask", json={"question": question}).json()


def test_ask_cites_a_files_path_relative_to_the_folder_ingested(tmp_path, fake_embedder):
    folder = tmp_path / "private" / "docs"
    (folder / "geo").mkdir(parents=True)
    (folder / "geo" / "rivers.txt").write_text(TINY_DOCS["rivers.txt"])
    single = tmp_path / "private" / "space.md"
    single.write_text(TINY_DOCS["space.md"])
    root = tmp_path / "index"
    ingest([folder, single], index_root=root, embedder=fake_embedder)

    rhine = _ask(root, fake_embedder, "Which river rises in the Swiss Alps?")
    voyager = _ask(root, fake_embedder, "When was Voyager 1 launched?")
    assert rhine["sources"][0]["source"] == "geo/rivers.txt"
    assert voyager["sources"][0]["source"] == "space.md"
    assert str(tmp_path) not in json.dumps([rhine, voyager])


def test_an_index_written_with_machine_paths_loads_and_cites_relative_paths_and_reingest_embeds_nothing(tmp_path, fake_embedder):
    root = tmp_path / "index"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "rivers.txt").write_text(TINY_DOCS["rivers.txt"])
    loaded = load_file(folder / "rivers.txt", doc_id="rivers.txt")
    publish([replace(loaded, source=str(folder / "rivers.txt"))], index_root=root, embedder=fake_embedder)  # what the code before this wrote
    stored = json.loads((versions.current_version(root) / "documents.json").read_text())
    assert stored[0]["source"] == str(folder / "rivers.txt")

    assert store.load(versions.current_version(root)).documents[0].source == "rivers.txt"
    assert _ask(root, fake_embedder, "Which river rises in the Swiss Alps?")["sources"][0]["source"] == "rivers.txt"

    embedded: list[str] = []
    real_embed = fake_embedder.embed
    fake_embedder.embed = lambda texts, **kw: (embedded.extend(texts), real_embed(texts, **kw))[1]
    report = ingest([folder], index_root=root, embedder=fake_embedder)  # the same text: the caches answer
    assert report.documents == 1 and embedded == []
    assert json.loads((versions.current_version(root) / "documents.json").read_text())[0]["source"] == "rivers.txt"


def test_cited_source_keeps_urls_and_hides_absolute_paths():
    assert cited_source("https://example.org/a", "https://example.org/a") == "https://example.org/a"
    assert cited_source("c.html", "https://example.org/canonical") == "https://example.org/canonical"
    assert cited_source("finance/policy.txt", "/srv/finance/policy.txt") == "finance/policy.txt"
    assert cited_source("/srv/x/finance/policy.txt", "/srv/x/finance/policy.txt") == "policy.txt"
    assert cited_source("squad-title", "squad-title") == "squad-title"
