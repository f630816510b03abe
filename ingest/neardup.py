"""Re-scan detection: is a new document's page the same paper as a page already in the district?

Two signals per page, computed once the page is read (``fingerprint``):

* a perceptual image hash (pHash, 64 bits, ``imagehash``) of the page image cropped to its ink, so a
  re-scan at another resolution, with other margins, slightly turned or re-compressed hashes close by;
* a MinHash signature (``datasketch``, ``NUM_PERM`` permutations) of the page's word 3-shingles, whose
  agreement estimates the Jaccard similarity of two readings of the text even when OCR differs a little.

Candidates come from the SQL store without scanning every pair's text: pages sharing one of the
signature's LSH bands (``BANDS`` bands of ``ROWS`` values, so pages with Jaccard of about 0.2 and up
meet), plus pages whose image hash is within ``IMAGE_CANDIDATE_BITS`` (Hamming distance, numpy over the
district's hashes). Only earlier, current documents of the same district are compared (another
district's document is never named). A page pair is a re-scan when

* both have text: estimated Jaccard >= ``TEXT_MATCH`` (different pages of one judgment share its
  header and names but stay far below: see ``bench/neardup.py``);
* otherwise (a photo with few words): image distance <= ``IMAGE_MATCH`` bits.

The finding is a ``RescanMatch`` ("looks like a re-scan of #N, pages 3-5") for a person to decide:
make the new document a version of the earlier one, or keep both (``ingest.versions``).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import imagehash
import numpy as np
from datasketch import MinHash
from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ingest.store import FileStore
from models import Document, DocumentStatus, Page, PageFingerprint, PageStatus, PageTextBand, RescanMatch
from models.intake import RescanStatus

NUM_PERM = 64
ROWS = 2
BANDS = NUM_PERM // ROWS
SHINGLE = 3
MIN_WORDS = 12  # fewer words than this: the text signal is too weak, only the image counts
TEXT_MATCH = 0.30
IMAGE_MATCH = 10
IMAGE_CANDIDATE_BITS = 12
SEED = 1
_WORD = re.compile(r"\w+", re.UNICODE)
_SIGN = 1 << 63


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What is compared for one page (``image_hash`` unsigned 64-bit; ``signature`` NUM_PERM values)."""

    page_no: int
    image_hash: int | None
    signature: tuple[int, ...] | None
    word_count: int


@dataclass(frozen=True, slots=True)
class PageMatch:
    new_page: int
    old_page: int
    image_distance: int | None
    text_similarity: float | None

    @property
    def similarity(self) -> float:
        """0..1 for ranking: the text estimate when there is one, else from the image distance."""
        if self.text_similarity is not None:
            return self.text_similarity
        return 1.0 - (self.image_distance or 0) / 64


# --- fingerprints (pure) ----------


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def text_signature(text: str) -> tuple[tuple[int, ...] | None, int]:
    """(MinHash signature of the word 3-shingles or None when under ``MIN_WORDS`` words, word count)."""
    words = words_of(text)
    if len(words) < MIN_WORDS:
        return None, len(words)
    shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch(list(shingles))
    return tuple(int(v) for v in minhash.hashvalues), len(words)


def ink_crop(grey: np.ndarray) -> np.ndarray:
    """The page cut to the box around its ink (Otsu threshold), so margins and scale matter less."""
    small = grey if grey.shape[1] <= 1000 else cv2.resize(grey, (1000, round(grey.shape[0] * 1000 / grey.shape[1])),
                                                           interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # specks are not ink
    points = cv2.findNonZero(ink)
    if points is None:
        return small
    x, y, w, h = cv2.boundingRect(points)
    if w < 20 or h < 20:
        return small
    return small[y : y + h, x : x + w]


def image_hash(grey: np.ndarray) -> int:
    """64-bit pHash (unsigned) of a greyscale page image, cropped to its ink."""
    return int(str(imagehash.phash(Image.fromarray(ink_crop(grey)))), 16)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """MinHash estimate of the Jaccard similarity of two shingle sets."""
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def band_keys(signature: Sequence[int]) -> list[int]:
    """One signed 64-bit key per LSH band (band index and its values hashed together)."""
    keys = []
    for band in range(BANDS):
        values = signature[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(f"{band}:{','.join(map(str, values))}".encode(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def compare(new: Fingerprint, old: Fingerprint) -> PageMatch | None:
    """The pair as a match when it passes the rule in the module docstring, else None."""
    distance = None if new.image_hash is None or old.image_hash is None else hamming(new.image_hash, old.image_hash)
    if new.signature is not None and old.signature is not None:
        similarity = jaccard(new.signature, old.signature)
        return PageMatch(new.page_no, old.page_no, distance, similarity) if similarity >= TEXT_MATCH else None
    if distance is not None and distance <= IMAGE_MATCH:
        return PageMatch(new.page_no, old.page_no, distance, None)
    return None


def best_matches(new: Iterable[Fingerprint], old: Iterable[Fingerprint]) -> list[PageMatch]:
    """For each new page, its most similar matching old page (if any), by new page number."""
    olds = list(old)
    out = []
    for fp in new:
        found = [m for m in (compare(fp, o) for o in olds) if m is not None]
        if found:
            out.append(max(found, key=lambda m: (m.similarity, -m.old_page)))
    return sorted(out, key=lambda m: m.new_page)


# --- storage ----------


def _signed(value: int | None) -> int | None:
    return None if value is None else (value - (1 << 64) if value >= _SIGN else value)


def _unsigned(value: int | None) -> int | None:
    return None if value is None else value & ((1 << 64) - 1)


def _page_image(store: FileStore, page: Page) -> np.ndarray | None:
    if not page.image_path:
        return None
    try:
        image = cv2.imread(str(store.path(page.image_path)), cv2.IMREAD_GRAYSCALE)
    except ValueError:
        return None
    return image if image is not None and image.size else None


def fingerprint_document(session: Session, document: Document, store: FileStore) -> list[Fingerprint]:
    """(Re)compute and store the fingerprints and LSH bands of every read page of ``document``."""
    session.execute(delete(PageTextBand).where(PageTextBand.document_id == document.id))
    session.execute(delete(PageFingerprint).where(PageFingerprint.document_id == document.id))
    prints = []
    for page in document.pages:
        if page.status != PageStatus.TEXT_DONE:
            continue
        grey = _page_image(store, page)
        signature, count = text_signature(page.effective_text)
        fp = Fingerprint(page.page_no, None if grey is None else image_hash(grey), signature, count)
        prints.append(fp)
        session.add(PageFingerprint(page_id=page.id, document_id=document.id, district_id=document.district_id,
                                    page_no=page.page_no, image_hash=_signed(fp.image_hash),
                                    text_signature=list(signature) if signature else None, word_count=count))
        for key in band_keys(signature) if signature else []:
            session.add(PageTextBand(band_key=key, page_id=page.id, document_id=document.id,
                                     district_id=document.district_id))
    session.flush()
    return prints


def candidate_documents(session: Session, document: Document, prints: Sequence[Fingerprint]) -> set[int]:
    """Earlier current documents of the district sharing a text band or a near image hash."""
    comparable = select(Document.id).where(
        Document.district_id == document.district_id, Document.id < document.id,
        Document.superseded_by_id.is_(None),
        Document.status.in_((DocumentStatus.EXTRACTING, DocumentStatus.INDEXING, DocumentStatus.INDEXED)))
    found: set[int] = set()
    keys = sorted({k for fp in prints if fp.signature for k in band_keys(fp.signature)})
    for start in range(0, len(keys), 500):
        found.update(session.scalars(
            select(PageTextBand.document_id).distinct()
            .where(PageTextBand.district_id == document.district_id, PageTextBand.band_key.in_(keys[start:start + 500]),
                   PageTextBand.document_id.in_(comparable))))
    hashes = [fp.image_hash for fp in prints if fp.image_hash is not None]
    if hashes:
        rows = session.execute(
            select(PageFingerprint.document_id, PageFingerprint.image_hash)
            .where(PageFingerprint.district_id == document.district_id, PageFingerprint.image_hash.is_not(None),
                   PageFingerprint.document_id.in_(comparable))).all()
        if rows:
            theirs = np.array([_unsigned(h) for _, h in rows], dtype=np.uint64)
            for mine in hashes:
                bits = np.unpackbits((theirs ^ np.uint64(mine)).view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)
                found.update(int(rows[int(i)][0]) for i in np.nonzero(bits <= IMAGE_CANDIDATE_BITS)[0])
    return found


def stored_prints(session: Session, document_ids: Iterable[int]) -> dict[int, list[Fingerprint]]:
    out: dict[int, list[Fingerprint]] = defaultdict(list)
    ids = sorted(set(document_ids))
    for row in session.scalars(select(PageFingerprint).where(PageFingerprint.document_id.in_(ids))
                               .order_by(PageFingerprint.document_id, PageFingerprint.page_no)):
        out[row.document_id].append(Fingerprint(row.page_no, _unsigned(row.image_hash),
                                                tuple(row.text_signature) if row.text_signature else None,
                                                row.word_count))
    return out


def find_rescans(session: Session, document: Document, store: FileStore) -> list[RescanMatch]:
    """Fingerprint ``document`` and record which earlier documents of its district it re-scans.
    Decided findings are left as they are; pending ones are refreshed (a re-read changes them)."""
    prints = fingerprint_document(session, document, store)
    candidates = candidate_documents(session, document, prints) if prints else set()
    existing = {m.match_document_id: m for m in
                session.scalars(select(RescanMatch).where(RescanMatch.document_id == document.id))}
    found = []
    for other_id, other_prints in stored_prints(session, candidates).items():
        matches = best_matches(prints, other_prints)
        row = existing.pop(other_id, None)
        if not matches:
            if row is not None and row.status == RescanStatus.PENDING:
                session.delete(row)
            continue
        score = sum(m.similarity for m in matches) / max(len(prints), 1)
        if row is None:
            row = RescanMatch(document_id=document.id, match_document_id=other_id,
                              district_id=document.district_id, status=RescanStatus.PENDING)
            session.add(row)
        if row.status == RescanStatus.PENDING:
            row.pages = [[m.new_page, m.old_page, m.image_distance,
                          None if m.text_similarity is None else round(m.text_similarity, 3)] for m in matches]
            row.score = round(score, 3)
        found.append(row)
    for row in existing.values():
        if row.status == RescanStatus.PENDING:
            session.delete(row)
    session.flush()
    return found
