"""Issue-2 acceptance with the real model: the served API answers the bundled corpus."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient

from docqa.index.assistant import Assistant
from docqa.server.app import create_app
from docqa.config import Settings
from tests.conftest import ACCEPTANCE_QUESTIONS

pytestmark = pytest.mark.model

AGENCY_URL = "http://www.agence-nationale-recherche.fr/en/information/news/single/personalised-medicine-an-international-action-plan-published/"


@pytest.fixture(scope="module")
def client(corpus_index, real_embedder):
    app = create_app(Settings(index=corpus_index), assistant=Assistant(corpus_index, embedder=real_embedder))
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize(
    "question, expected",
    ACCEPTANCE_QUESTIONS,
)
def test_answers_contain_the_expected_text_and_cite_the_agency_page(client, question, expected):
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["answered"] is True
    assert expected in body["answer"]
    assert body["short_answer"] == expected  # from the answer's own sentence, not the antecedent shown before it
    assert body["sources"][0]["source"] == AGENCY_URL


def test_out_of_scope_question_is_declined(client):
    body = client.post("/api/ask", json={"question": "What is the capital of Australia?"}).json()
    assert body["answered"] is False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.e2e
def test_docqa_serve_ingests_the_corpus_then_answers_over_http(tmp_path):
    port = free_port()
    env = {**os.environ, "DOCQA_INDEX": str(tmp_path / "index")}
    server = subprocess.Popen(
        [sys.executable, "-m", "docqa", "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.time() < deadline, "server did not come up"
            time.sleep(0.5)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/ask",
            data=json.dumps({"question": "when does ERA PerMed start?"}).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            body = json.loads(r.read())
        assert body["answered"] and "end of 2017" in body["answer"]
        assert body["short_answer"] == "end of 2017"
        assert body["sources"][0]["source"] == AGENCY_URL
    finally:
        server.terminate()
        server.wait(timeout=20)
