"""Near-duplicate detection for syndicated copies: MinHash + LSH (datasketch).

Exact copies are caught by the content hash; a syndicated copy usually differs
a little (another site's boilerplate that survived extraction, an edited
sentence, a different byline). Each article's main text becomes a set of
character 5-gram shingles over whitespace-normalised, lower-cased text — one
scheme for all four languages, since Chinese has no spaces to split words on —
and a 128-permutation MinHash. An LSH index finds candidates; a candidate whose
estimated Jaccard similarity reaches ``threshold`` is the original the new
article duplicates.

The pipeline keeps a near-duplicate (it may carry an edited sentence) and
records the link in the store's ``duplicates`` table; nothing is dropped.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.7
PERMUTATION = "affine32"  # datasketch's permutation scheme, pinned so stored signatures stay comparable
SCHEME = f"minhash-{PERMUTATION}-char{SHINGLE}-p{NUM_PERM}"  # stored with each signature; a new scheme re-signs


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    norm = re.sub(r"\s+", " ", text.lower()).strip()
    if len(norm) <= size:
        return {norm.encode("utf-8")} if norm else set()
    return {norm[i : i + size].encode("utf-8") for i in range(len(norm) - size + 1)}


def signature(text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=PERMUTATION)
    mh.update_batch(list(shingles(text)))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=PERMUTATION, hashvalues=np.frombuffer(data, dtype=np.uint64))


class NearDuplicateIndex:
    """An in-memory LSH over stored signatures; ``find`` names the best earlier match."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, MinHash] = {}

    def add(self, key: str, mh: MinHash) -> None:
        if key in self.sigs:
            self.lsh.remove(key)
        self.lsh.insert(key, mh)
        self.sigs[key] = mh

    def find(self, key: str, mh: MinHash) -> tuple[str, float] | None:
        """Most similar other article at or above the threshold, with its estimated Jaccard."""
        best: tuple[str, float] | None = None
        for cand in self.lsh.query(mh):
            if cand == key:
                continue
            sim = float(mh.jaccard(self.sigs[cand]))
            if sim >= self.threshold and (best is None or sim > best[1] or (sim == best[1] and cand < best[0])):
                best = (cand, sim)
        return best

    def __len__(self) -> int:
        return len(self.sigs)
