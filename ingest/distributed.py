"""Ingest on a Ray cluster: reading, chunking and embedding run on Ray Data workers; the version is written here.

`publish_on_ray(files_to_read(paths)..., address=...)` is `pipeline.ingest` with the work spread over a cluster
(and `publish_on_ray(documents, ...)` is `pipeline.publish`, for a crawl's pages); the same documents, chunks
and (within rounding) vectors come back, and `pipeline.write_version` writes them.
`contents_on_ray(items, ...)` is the reusable step: files to read or `Document`s already in memory (a
crawl's pages) in, `IndexContents` out. Each Ray worker is an actor that loads the model once and
takes batches of documents sized for its cores. Files are read by the workers at their absolute path:
on a cluster of several machines, they must lie on a volume every node mounts at the same path.

Ray is imported only here, and only when called (the `ray` extra): a plain install never imports it.
The incremental caches of a local ingest (vectors, chunk spans) are neither read nor filled.
"""

from __future__ import annotations

import logging
import pickle
import socket
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from docqa.errors import DocqaError, InvalidInput
from docqa.ingest.chunker import ChunkingSettings
from docqa.ingest.loaders import Document, FileLimits, Skipped, load_file, printable_path
from docqa.ingest.pdf_text import stop_helper
from docqa.ingest.pipeline import (
    DocumentSplit,
    IngestReport,
    Phase,
    PhaseCallback,
    assemble_contents,
    discover,
    nothing_indexed,
    split_document,
    write_version,
    writing,
)

if TYPE_CHECKING:
    from docqa.index.embedding.embedder import Embedder
    from docqa.index.storage import store

RAY_EXTRA = "pip install 'docqa[ray]'"
CONNECT_TIMEOUT_S = 5.0
"""How long the cluster's address may take to accept a connection before the ingest gives up (nothing done yet)."""
MAX_THREADS_PER_WORKER = 8
DOCUMENTS_PER_BATCH_PER_THREAD = 32

EmbedderFactory = Callable[..., "Embedder"]
"""`factory(threads=N)` → an embedder: called once in each Ray worker (it must pickle: a module-level function or a partial)."""


@dataclass(frozen=True)
class FileToRead:
    """A file a worker reads: `path` absolute, `shown` as the user named it (what a skip names)."""

    path: str
    shown: str
    doc_id: str


@dataclass(frozen=True)
class EmbeddedDocument:
    """What a worker returns for one document: its split and the vectors of its chunks and sentences."""

    split: DocumentSplit
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray


@dataclass(frozen=True)
class ClusterShape:
    """How the work is spread: `workers` actors, each embedding on `threads` cores."""

    workers: int
    threads: int

    @property
    def documents_per_batch(self) -> int:
        return DOCUMENTS_PER_BATCH_PER_THREAD * self.threads


def ray_module(*, setting: str = "--ray") -> Any:
    """`ray`, or InvalidInput naming the extra (and `setting`, where the cluster's address came from) when this install lacks it."""
    try:
        import ray
    except ImportError:
        raise InvalidInput(f"{setting} needs Ray, which this install lacks: {RAY_EXTRA}") from None
    return ray


def _bootstrap_address(address: str) -> str | None:
    """HOST:PORT of the cluster's head for `address` (auto: the one `ray start` recorded), or None if unknown."""
    if address == "auto":
        try:
            from ray._private.services import canonicalize_bootstrap_address

            return canonicalize_bootstrap_address("auto")
        except Exception:  # no cluster recorded on this machine: ray.init says so itself, at once
            return None
    return address.removeprefix("ray://")


def check_reachable(address: str, *, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Raise DocqaError within `timeout` seconds when nothing listens at the cluster's address."""
    target = _bootstrap_address(address)
    if not target:
        return
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise InvalidInput(f"--ray takes HOST:PORT of a Ray cluster's head, or auto; got {address!r}.")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise DocqaError(f"Cannot reach the Ray cluster at {target}: {exc.strerror or exc}. Nothing was indexed.") from None
    if not address.startswith("ray://") and not _answers_as_ray_head(target, timeout=timeout):
        # ray.init would wait minutes for a Ray head there
        raise DocqaError(f"{target} accepts connections but does not answer as a Ray cluster's head. Nothing was indexed.")


def _answers_as_ray_head(target: str, *, timeout: float) -> bool:
    """Whether the gRPC server of a Ray head (its GCS) answers at `target` (True when that cannot be asked: grpcio,
    in the `ray` extra, is missing)."""
    try:
        import grpc
        from ray.core.generated import gcs_service_pb2, gcs_service_pb2_grpc
    except ImportError:
        return True
    with grpc.insecure_channel(target) as channel:
        try:
            gcs_service_pb2_grpc.NodeInfoGcsServiceStub(channel).GetClusterId(gcs_service_pb2.GetClusterIdRequest(), timeout=timeout)
        except grpc.RpcError as exc:  # another gRPC answer (e.g. authentication required) is still a Ray head
            return exc.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    return True


def connect(address: str, *, progress: bool = False) -> Any:
    """Join the Ray cluster at `address` (HOST:PORT, ray://HOST:PORT or auto), checked first; returns `ray`."""
    ray = ray_module()
    check_reachable(address)
    try:
        ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise DocqaError(f"Cannot join the Ray cluster at {address}: {str(exc).splitlines()[0]} Nothing was indexed.") from None
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = progress
    context.print_on_execution_start = False
    for name in ("ray", "ray.data"):  # Ray Data's own lines (execution started/finished) are not ours to print
        logging.getLogger(name).setLevel(logging.ERROR)
    return ray


def cluster_shape(nodes: Sequence[dict], *, threads: int | None = None) -> ClusterShape:
    """Workers of `threads` cores (default: up to MAX_THREADS_PER_WORKER), never more than the smallest node has,
    so that every node takes at least one; as many as the nodes' cores allow."""
    cpus = [int(node.get("Resources", {}).get("CPU", 0)) for node in nodes if node.get("Alive")]
    cpus = [c for c in cpus if c > 0]
    if not cpus:
        raise DocqaError("The Ray cluster has no node with a CPU to run workers on.")
    threads = min(threads or MAX_THREADS_PER_WORKER, min(cpus))
    return ClusterShape(workers=max(1, sum(c // threads for c in cpus)), threads=threads)


class SplitAndEmbed:
    """A Ray Data worker: loads the model once, then reads, splits and embeds batches of documents."""

    def __init__(self, make_embedder: EmbedderFactory, threads: int, chunking: ChunkingSettings, limits: FileLimits) -> None:
        self.embedder = make_embedder(threads=threads)
        self.chunking, self.limits = chunking, limits

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        try:
            loaded = [_read(pickle.loads(item), limits=self.limits) for item in batch["item"]]
        finally:
            stop_helper()  # the PDF reader's helper process, if one was started
        splits = [split_document(d, embedder=self.embedder, chunking=self.chunking) for d in loaded if isinstance(d, Document)]
        chunk_vectors = self.embedder.embed([t for s in splits for t in s.embed_texts])
        sentence_vectors = self.embedder.embed([t for s in splits for t in s.sentence_texts])
        results: list[bytes] = []
        chunk_row = sentence_row = 0
        done = iter(splits)
        for document in loaded:
            if isinstance(document, Skipped):
                results.append(pickle.dumps(document))
                continue
            split = next(done)
            chunks, sentences = len(split.chunk_texts), len(split.sentence_texts)
            vectors = (chunk_vectors[chunk_row : chunk_row + chunks], sentence_vectors[sentence_row : sentence_row + sentences])
            results.append(pickle.dumps(EmbeddedDocument(split, *vectors)))
            chunk_row, sentence_row = chunk_row + chunks, sentence_row + sentences
        return {"position": batch["position"], "result": np.array(results, dtype=object)}


def _read(item: FileToRead | Document, *, limits: FileLimits) -> Document | Skipped:
    if isinstance(item, Document):
        return item
    loaded = load_file(Path(item.path), doc_id=item.doc_id, limits=limits)
    # A skip names the file as the user did (as a local ingest does), not as the worker found it; a document
    # cites its id (the path relative to the folder ingested), as a local ingest's does.
    return replace(loaded, path=item.shown) if isinstance(loaded, Skipped) else loaded


def contents_on_ray(
    items: Sequence[FileToRead | Document],
    *,
    make_embedder: EmbedderFactory,
    chunking: ChunkingSettings,
    limits: FileLimits = FileLimits(),
    threads: int | None = None,
) -> tuple["store.IndexContents", list[Skipped], ClusterShape]:
    """Read (files), split and embed `items` on the connected Ray cluster: the index contents in the items'
    order, the files skipped (unreadable or a duplicate document id), and the cluster shape used."""
    import ray

    shape = cluster_shape(ray.nodes(), threads=threads)
    dataset = ray.data.from_items(
        [{"position": n, "item": pickle.dumps(item)} for n, item in enumerate(items)],
        override_num_blocks=max(1, min(len(items), -(-len(items) // shape.documents_per_batch))),
    )
    embedded = dataset.map_batches(
        SplitAndEmbed,
        fn_constructor_args=(make_embedder, shape.threads, chunking, limits),
        batch_size=shape.documents_per_batch,
        batch_format="numpy",
        num_cpus=shape.threads,
        compute=ray.data.ActorPoolStrategy(size=shape.workers),
    )
    results: list[tuple[int, Any]] = []
    try:
        for batch in embedded.iter_batches(batch_format="numpy", batch_size=None):
            results += [(int(p), pickle.loads(r)) for p, r in zip(batch["position"], batch["result"])]
    except (ray.exceptions.RayError, ray.data.exceptions.SystemException) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise DocqaError(f"The Ray ingest failed, nothing was written: {reason}") from None
    results.sort(key=lambda pair: pair[0])
    embedded_documents, skipped, seen = [], [], set()
    for _, result in results:
        if isinstance(result, Skipped):
            skipped.append(result)
        elif result.split.record.doc_id in seen:
            skipped.append(Skipped(result.split.record.source, f"duplicate document id {result.split.record.doc_id!r}"))
        else:
            seen.add(result.split.record.doc_id)
            embedded_documents.append(result)
    contents = assemble_contents(
        [e.split for e in embedded_documents],
        chunk_vectors=_stack([e.chunk_vectors for e in embedded_documents]),
        sentence_vectors=_stack([e.sentence_vectors for e in embedded_documents]),
    )
    return contents, skipped, shape


def _stack(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.float32, copy=False) if parts else np.zeros((0, 0), dtype=np.float32)


def files_to_read(paths: Sequence[Path]) -> tuple[list[FileToRead], list[Skipped]]:
    """The files under `paths` (as `pipeline.discover` finds them) for workers to read by absolute path."""
    files, problems = discover(paths)
    return [FileToRead(str(path.absolute()), printable_path(path), doc_id) for path, doc_id in files], problems


def publish_on_ray(
    items: Sequence[FileToRead | Document],
    *,
    address: str,
    index_root: Path,
    make_embedder: EmbedderFactory,
    skipped: Sequence[Skipped] = (),
    chunking: ChunkingSettings = ChunkingSettings(),
    keep_versions: int = 3,
    index_type: str = "auto",
    limits: FileLimits = FileLimits(),
    threads: int | None = None,
    progress: bool = False,
    on_phase: PhaseCallback | None = None,
) -> IngestReport:
    """`pipeline.ingest` (files: `files_to_read(paths)`, with their `skipped`) or `pipeline.publish` (documents
    already read, a crawl's pages) with reading, chunking and embedding on the Ray cluster at `address` (checked
    first, before any work; the root's writer lock too). Nothing is written, and the served version stays, when
    the cluster fails the work."""
    model = make_embedder(threads=1)  # the settings checked (cheap: nothing loads), and the name the manifest records
    with writing(index_root):
        ray = connect(address, progress=progress)
        try:
            started = time.perf_counter()
            contents, unread, shape = contents_on_ray(items, make_embedder=make_embedder, chunking=chunking, limits=limits, threads=threads)
            skipped = [*skipped, *unread]
            counts = {"documents": len(contents.documents), "chunks": len(contents.chunk_texts), "workers": shape.workers}
            if on_phase:
                on_phase(Phase("ray", counts, time.perf_counter() - started))
        finally:
            ray.shutdown()
        if not contents.documents:
            raise nothing_indexed(skipped)
        return write_version(
            contents,
            index_root=index_root,
            model=model.name,
            dim=int(contents.chunk_vectors.shape[1]),
            chunking=chunking,
            keep_versions=keep_versions,
            index_type=index_type,
            on_phase=on_phase,
            skipped=skipped,
        )
