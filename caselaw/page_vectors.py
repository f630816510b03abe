"""Page vectors of the case-law collection: a dense ranking of judgments for "find similar judgments".

The recipe is frozen (``RECIPE``), as settled by the third round of ``bench.relevance_aila`` (issue 13):
PV-DBOW doc2vec (gensim) trained on every case-law PAGE, 100 dimensions, 10 epochs, three models with
seeds 13, 14 and 15, one worker thread each (so a rebuild from the same pages gives the same vectors).
A query is turned into one vector per model with ``infer_vector`` (50 epochs, the model's random
state reset to its seed first, so the same query always gets the same vector); a page's score is the
mean over the three models of the cosine between the query vector and the page vector, and a
judgment's score is its best page's. ``search_app.search.similar`` fuses this ranking with the BM25
ranking of ``text.facts`` by weighted reciprocal rank (``search_app.search.fusion``).

Tokens are the ``text.facts`` analyser's (``cmms_english``: standard tokenizer, lowercase, ascii
folding, possessive, English stop words, English stemmer), for pages and queries alike: pages from
Elasticsearch term vectors with positions, queries from ``_analyze`` on the same field
(``indexer.page_tokens``). This module takes tokens and never talks to Elasticsearch or Flask.

The vectors are derived data, like the search index: rebuilt from the index (``cmms page-vectors``),
never the system of record. A stored set is a directory holding ``manifest.json`` (recipe, seeds, page
and judgment counts, when built, from which index), ``documents.json`` (the document id of each page
row) and one gensim model per seed. Judgments indexed after the build have no vector and simply rank
by BM25 alone until the next build; judgments deleted since are dropped by the scoped Elasticsearch
query the candidates go through.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
FORMAT_VERSION = 1


class PageVectorsError(Exception):
    """The stored page vectors cannot be used (missing file, other format version). Remedy: run
    ``cmms page-vectors`` to build them again."""

    code = "page_vectors_unusable"


@dataclass(frozen=True)
class Recipe:
    """How the models are trained and queried (gensim ``Doc2Vec`` arguments; anything not named here
    is gensim 4.4's default: negative 5, sample 1e-3, alpha 0.025, min_count 5)."""

    vector_size: int = 100
    epochs: int = 10
    seeds: tuple[int, ...] = (13, 14, 15)
    infer_epochs: int = 50
    min_count: int = 5
    dm: int = 0  # PV-DBOW
    workers: int = 1  # one thread: the same pages give the same vectors


RECIPE = Recipe()


@dataclass(frozen=True)
class PageTokens:
    """One case-law page as the ``text.facts`` analyser saw it: tokens in position order."""

    document_id: str
    page_no: int
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    """What a stored set of page vectors was built from, and how."""

    recipe: dict[str, Any]
    pages: int
    documents: int
    extra_texts: int  # unlabelled texts added to training only (e.g. the bench's query descriptions)
    built_at: str  # ISO 8601, UTC
    index: str  # the concrete Elasticsearch index the tokens were read from
    train_seconds: float
    gensim_version: str
    format_version: int = FORMAT_VERSION
    seconds_per_model: tuple[float, ...] = field(default=())
    source_pages: int = -1  # case-law pages the index held when built, with text or not (-1: not recorded)


def _unit_rows(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class PageVectors:
    """Trained models and their page vectors, ready to rank. Page rows are grouped by judgment
    (``starts`` marks where each judgment's rows begin), so a judgment's best page is one
    ``np.maximum.reduceat``. ``rank`` is safe to call from several threads."""

    def __init__(self, models: Sequence[Any], page_documents: Sequence[str], manifest: Manifest) -> None:
        if not models:
            raise PageVectorsError("no models")
        order = sorted(range(len(page_documents)), key=lambda i: page_documents[i])
        self.models = list(models)
        self.manifest = manifest
        self.training_documents = tuple(page_documents)  # document id of each training row, in tag order
        self._seeds = tuple(int(m.seed) for m in self.models)
        sorted_ids = [page_documents[i] for i in order]
        self._matrices = [_unit_rows(np.asarray(m.dv.vectors[: len(page_documents)])[order]) for m in self.models]
        self.starts = np.array([i for i in range(len(sorted_ids)) if i == 0 or sorted_ids[i] != sorted_ids[i - 1]],
                               dtype=np.int64)
        self.document_ids: tuple[str, ...] = tuple(sorted_ids[i] for i in self.starts)
        self._lock = threading.Lock()

    def query_vectors(self, tokens: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        """One unit vector per model (shape (vector_size,)) for a query's tokens; deterministic."""
        words = list(tokens)
        out = []
        with self._lock:  # infer_vector draws from the model's shared random state
            for model, seed in zip(self.models, self._seeds, strict=True):
                model.random = np.random.RandomState(seed)
                vector = np.asarray(model.infer_vector(words, epochs=self.manifest.recipe["infer_epochs"]),
                                    dtype=np.float32)
                norm = float(np.linalg.norm(vector))
                out.append(vector / norm if norm else vector)
        return out

    def document_scores(self, tokens: Sequence[str]) -> npt.NDArray[np.float32]:
        """Each judgment's score (aligned with ``document_ids``): its best page's mean cosine over the
        models, in [-1, 1]."""
        pages = np.zeros(self._matrices[0].shape[0], dtype=np.float32)
        for matrix, query in zip(self._matrices, self.query_vectors(tokens), strict=True):
            pages += matrix @ query
        pages /= len(self._matrices)
        return np.maximum.reduceat(pages, self.starts) if len(pages) else pages

    def rank(self, tokens: Sequence[str], limit: int) -> list[tuple[str, float]]:
        """The ``limit`` judgments whose best page is closest to the query: [(document_id, score)],
        best first (ties by document id). Empty when the query has no tokens. Ranks the whole
        collection regardless of who asks: callers must pass the result through a scoped query."""
        words = [t for t in tokens if t]
        if not words or limit <= 0 or not self.document_ids:
            return []
        scores = self.document_scores(words)
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        chosen = sorted(top.tolist(), key=lambda i: (-float(scores[i]), self.document_ids[i]))
        return [(self.document_ids[i], float(scores[i])) for i in chosen]


def train(pages: Iterable[PageTokens], index: str, recipe: Recipe = RECIPE,
          extra_texts: Sequence[Sequence[str]] = ()) -> PageVectors:
    """Train the recipe's models on ``pages`` (plus ``extra_texts``, unlabelled token lists that only
    shape the vocabulary and word weights; they are never ranked). ``index``: where the tokens came
    from, recorded in the manifest. Takes 90-160 s a model on ~25,000 pages on 2 shared cores.
    Raises ``PageVectorsError`` when there are no pages with tokens or no word frequent enough."""
    import gensim
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument

    kept = [p for p in pages if p.tokens]
    if not kept:
        raise PageVectorsError("no case-law pages with text to train on")
    corpus = [TaggedDocument(list(p.tokens), [i]) for i, p in enumerate(kept)]
    corpus += [TaggedDocument(list(t), [len(kept) + j]) for j, t in enumerate(extra_texts)]
    models = []
    seconds: list[float] = []
    for seed in recipe.seeds:
        started = time.perf_counter()
        model = Doc2Vec(dm=recipe.dm, vector_size=recipe.vector_size, epochs=recipe.epochs, seed=seed,
                        workers=recipe.workers, min_count=recipe.min_count)
        model.build_vocab(corpus)
        if not len(model.wv):
            raise PageVectorsError(f"too little text to train on: no word occurs {recipe.min_count} times")
        model.train(corpus, total_examples=len(corpus), epochs=recipe.epochs)
        models.append(model)
        seconds.append(time.perf_counter() - started)
    ids = [p.document_id for p in kept]
    manifest = Manifest(recipe=json.loads(json.dumps(asdict(recipe))), pages=len(kept), documents=len(set(ids)),
                        extra_texts=len(extra_texts), built_at=datetime.now(UTC).isoformat(timespec="seconds"),
                        index=index, train_seconds=round(sum(seconds), 1), gensim_version=gensim.__version__,
                        seconds_per_model=tuple(round(s, 1) for s in seconds))
    return PageVectors(models, ids, manifest)


def _model_file(seed: int) -> str:
    return f"pv-dbow-seed{seed}.model"


def save(vectors: PageVectors, directory: Path) -> Path:
    """Write ``vectors`` to ``directory`` (replaced whole: written beside it, then renamed into place,
    so a reader never sees half a set). Returns ``directory``."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f"{directory.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for model in vectors.models:
        model.save(str(staging / _model_file(int(model.seed))))
    (staging / DOCUMENTS).write_text(json.dumps(list(vectors.training_documents)), encoding="utf-8")
    (staging / MANIFEST).write_text(json.dumps(asdict(vectors.manifest), indent=2), encoding="utf-8")
    old = directory.with_name(f"{directory.name}.old-{os.getpid()}")
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return directory


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest of the set stored in ``directory``; None when none is stored there."""
    path = directory / MANIFEST
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["seconds_per_model"] = tuple(raw.get("seconds_per_model", ()))
    return Manifest(**raw)


def load(directory: Path) -> PageVectors | None:
    """The set stored in ``directory``; None when none is stored there. Raises ``PageVectorsError``
    when a set is there but cannot be used (other format version, missing model file)."""
    manifest = read_manifest(directory)
    if manifest is None:
        return None
    if manifest.format_version != FORMAT_VERSION:
        raise PageVectorsError(f"format {manifest.format_version}, expected {FORMAT_VERSION}")
    from gensim.models.doc2vec import Doc2Vec

    try:
        models = [Doc2Vec.load(str(directory / _model_file(seed))) for seed in manifest.recipe["seeds"]]
        documents = json.loads((directory / DOCUMENTS).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PageVectorsError(str(exc)) from exc
    return PageVectors(models, [str(d) for d in documents], manifest)


class PageVectorStore:
    """Loads the set in ``directory`` on first use and keeps it in this process; loads again when the
    manifest changes on disk (a rebuild). ``current()`` is None while no set is stored, so callers
    fall back to BM25 alone. One store per app (held on the app's services, not a module global)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._loaded: tuple[float, PageVectors] | None = None

    def current(self) -> PageVectors | None:
        """The stored set, or None when there is none. Raises ``PageVectorsError`` as ``load``."""
        try:
            stamp = (self.directory / MANIFEST).stat().st_mtime
        except OSError:
            return None
        with self._lock:
            if self._loaded is None or self._loaded[0] != stamp:
                vectors = load(self.directory)
                if vectors is None:
                    return None
                self._loaded = (stamp, vectors)
            return self._loaded[1]
