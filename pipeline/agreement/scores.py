"""Source-level figures: near-duplicate documents, pairwise source agreement, entity coverage.

Near-duplicates are found with MinHash over word 5-shingles and LSH banding (linear in the corpus,
never all document pairs), then confirmed by the exact shingle Jaccard. Two sources that state a
claim only through near-duplicate documents (syndicated wire copy under two mastheads) are not
counting as agreeing independently: that claim is *copied* for the pair, not shared.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from functools import lru_cache
from itertools import combinations

import numpy as np
import polars as pl

from pipeline.nlp.text import TOKEN_RE

def columns(df: pl.DataFrame, *names: str) -> list[list]:
    return [df[name].to_list() for name in names]


@lru_cache(maxsize=500_000)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def shingles(text: str, size: int) -> np.ndarray:
    """Distinct 32-bit hashes of the word n-grams of a text (lower-cased): a stable fingerprint.

    Each n-gram hash is a polynomial rolling combination of per-word CRC32s, computed vectorised.
    """
    return _rolling_shingles(np.fromiter((_word_hash(w.lower()) for w in TOKEN_RE.findall(text)), dtype=np.uint64), size)


def _rolling_shingles(words: np.ndarray, size: int) -> np.ndarray:
    """The distinct rolling hashes of every `size` consecutive word hashes (one of all of them when fewer)."""
    if words.size == 0:
        return words
    size = min(size, words.size)
    n = words.size - size + 1
    h = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        h = (h * np.uint64(1_000_003) + words[k:k + n]) & np.uint64(0xFFFFFFFF)
    return np.unique(h)


def shingles_of_documents(doc_index: np.ndarray, word_hashes: np.ndarray, n_docs: int, size: int) -> list[np.ndarray]:
    """`shingles` of many documents at once, from their words' hashes (`word_hash` of each
    lower-cased word) in text order; `doc_index` gives each word's document (0..n_docs-1,
    non-decreasing). The same arrays `shingles` gives each document's text, without reading it."""
    word_hashes = word_hashes.astype(np.uint64)
    counts = np.bincount(doc_index, minlength=n_docs)
    ends = np.cumsum(counts)
    out = [np.empty(0, dtype=np.uint64)] * n_docs
    n = word_hashes.size - size + 1
    if n > 0:
        h = np.zeros(n, dtype=np.uint64)
        for k in range(size):
            h = (h * np.uint64(1_000_003) + word_hashes[k:k + n]) & np.uint64(0xFFFFFFFF)
        whole = doc_index[:n] == doc_index[size - 1:size - 1 + n]  # the n-gram's first and last word in one document
        keys = np.sort((doc_index[:n][whole].astype(np.uint64) << np.uint64(32)) | h[whole])
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys  # distinct (np.unique's hash path is slow on these keys)
        bounds = np.searchsorted((keys >> np.uint64(32)).astype(np.int64), np.arange(n_docs + 1))
        values = keys & np.uint64(0xFFFFFFFF)
        for d in np.flatnonzero(counts >= size).tolist():
            out[d] = values[bounds[d]:bounds[d + 1]]
    for d in np.flatnonzero((counts > 0) & (counts < size)).tolist():
        out[d] = _rolling_shingles(word_hashes[ends[d] - counts[d]:ends[d]], size)  # one shingle of all its words
    return out


def word_hash(word: str) -> int:
    """The 32-bit hash of a lower-cased word, of which shingles are made."""
    return _word_hash(word)


NEAR_DUPLICATE_SCHEMA = {"doc_id_a": pl.Utf8, "doc_id_b": pl.Utf8, "shingle_jaccard": pl.Float64}
_ESTIMATE_MARGIN = 0.15  # candidates whose MinHash estimate is this far below min_jaccard skip the exact check


def _mix32(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser: spreads the shingle hashes before the affine permutations."""
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x85EBCA6B)
    x = x ^ (x >> np.uint32(13))
    x = x * np.uint32(0xC2B2AE35)
    return x ^ (x >> np.uint32(16))


def minhash_signatures(sets: list[np.ndarray], n_hashes: int, seed: int = 0) -> np.ndarray:
    """One row of `n_hashes` MinHash values per shingle set (sets must not be empty).

    Permutations are h -> a*h + b mod 2^32 with odd a, on mixed hashes (the "affine32" scheme of
    datasketch 2.x): uint32 arithmetic that wraps instead of a modulo, about 3x faster than mod p.
    """
    rng = np.random.default_rng(seed)
    a = (rng.integers(0, 2**31, size=n_hashes, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[:, None]
    b = rng.integers(0, 2**32, size=n_hashes, dtype=np.uint32)[:, None]
    out = np.empty((len(sets), n_hashes), dtype=np.uint32)
    sizes = np.fromiter((x.size for x in sets), dtype=np.int64, count=len(sets))
    with np.errstate(over="ignore"):
        # a block of sets at a time (about _MINHASH_BLOCK hashes): each set's minimum over its own columns
        lo = 0
        while lo < len(sets):
            hi = lo + max(1, int(np.searchsorted(np.cumsum(sizes[lo:]), _MINHASH_BLOCK)))
            block = _mix32(np.concatenate(sets[lo:hi]).astype(np.uint32))
            out[lo:hi] = np.minimum.reduceat(a * block + b, np.cumsum(sizes[lo:hi]) - sizes[lo:hi], axis=1).T
            lo = hi
    return out


_MINHASH_BLOCK = 20_000  # shingles hashed at once by minhash_signatures (n_hashes x this many uint32)


def lsh_candidates(signatures: np.ndarray, n_bands: int, rows_per_band: int) -> np.ndarray:
    """Row pairs (i < j), sorted and distinct, that agree on every row of at least one band."""
    n = signatures.shape[0]
    found = []
    with np.errstate(over="ignore"):
        for band in range(n_bands):
            part = signatures[:, band * rows_per_band:(band + 1) * rows_per_band].astype(np.uint64)
            key = np.zeros(n, dtype=np.uint64)
            for k in range(rows_per_band):
                key = key * np.uint64(0x100000001B3) + part[:, k]
            order = np.argsort(key, kind="stable")
            ordered = key[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            sizes = np.diff(np.r_[starts, n])
            found.append(_bucket_pairs(order, starts, sizes, n))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.concatenate(found)
    codes.sort()
    if codes.size:  # distinct (np.unique's hash path takes 60 times longer on these codes)
        codes = codes[np.r_[True, codes[1:] != codes[:-1]]]
    return np.stack([codes // n, codes % n], axis=1)


def _bucket_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n: int) -> np.ndarray:
    """The codes a * n + b of every pair of rows a < b in one bucket, each bucket the rows
    order[start:start + size] (ascending: a stable argsort), all buckets at once."""
    starts, sizes = starts[sizes >= 2], sizes[sizes >= 2]
    # each member's place in `order`, and how many members follow it in its bucket
    at = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
    follow = np.repeat(starts + sizes, sizes) - at - 1
    first = np.repeat(at, follow)
    second = first + 1 + np.arange(follow.sum()) - np.repeat(np.cumsum(follow) - follow, follow)
    return order[first].astype(np.int64) * n + order[second]


def near_duplicate_documents(
    doc_texts: dict[str, str], shingle_size: int = 5, n_bands: int = 64, rows_per_band: int = 3,
    min_jaccard: float = 0.3, seed: int = 0,
) -> pl.DataFrame:
    """Pairs of documents (doc_id_a < doc_id_b) whose shingle sets have Jaccard ≥ min_jaccard
    (`near_duplicate_pairs` over each text's `shingles`)."""
    ids = sorted(doc_texts)
    return near_duplicate_pairs(ids, [shingles(doc_texts[d], shingle_size) for d in ids], n_bands, rows_per_band,
                                min_jaccard, seed)


def near_duplicate_pairs(
    doc_ids: list[str], sets: list[np.ndarray], n_bands: int = 64, rows_per_band: int = 3, min_jaccard: float = 0.3,
    seed: int = 0,
) -> pl.DataFrame:
    """Pairs of documents (doc_id_a < doc_id_b) whose shingle sets (`doc_ids` sorted, one set each,
    as `shingles` gives them) have Jaccard ≥ min_jaccard.

    MinHash LSH proposes the pairs (a pair of Jaccard J with probability
    1 - (1 - J^rows_per_band)^n_bands), pairs whose MinHash estimate falls far below min_jaccard
    are dropped, and the exact shingle Jaccard confirms the rest: the sketch costs some recall,
    never precision. Deterministic for a given seed.
    """
    ids, kept = [], []
    for doc_id, x in zip(doc_ids, sets):
        if x.size:
            ids.append(doc_id)
            kept.append(x)
    sets = kept
    if len(ids) < 2:
        return pl.DataFrame(schema=NEAR_DUPLICATE_SCHEMA)
    signatures = minhash_signatures(sets, n_bands * rows_per_band, seed)
    pairs = lsh_candidates(signatures, n_bands, rows_per_band)
    floor = min_jaccard - _ESTIMATE_MARGIN
    # the low byte of each hash first: equal hashes have equal low bytes, so a pair whose low bytes
    # agree too rarely has an estimate below the floor (a quarter of the memory read per pair)
    pairs = pairs[_estimate(signatures.astype(np.uint8), pairs) >= floor]
    checked = pairs[_estimate(signatures, pairs) >= floor]
    rows = []
    for (x, y), inter in zip(checked.tolist(), _intersection_sizes(sets, checked).tolist()):
        jac = inter / (sets[x].size + sets[y].size - inter)
        if jac >= min_jaccard:
            rows.append((ids[x], ids[y], round(jac, 6)))
    return pl.DataFrame(rows, schema=NEAR_DUPLICATE_SCHEMA, orient="row")


def _estimate(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The MinHash Jaccard estimate of each pair of rows: the share of their hashes that agree."""
    return np.concatenate([
        (signatures[chunk[:, 0]] == signatures[chunk[:, 1]]).mean(axis=1)
        for chunk in np.array_split(pairs, max(1, len(pairs) // 100_000))
    ]) if len(pairs) else np.empty(0)


def _intersection_sizes(sets: list[np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """|sets[x] ∩ sets[y]| of each pair (x, y) of `pairs` (sorted by x; each set sorted and
    distinct): the sets of every y of one x looked up in x's at once, not pair by pair."""
    out = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return out
    firsts = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]])
    for lo, hi in zip(firsts.tolist(), np.r_[firsts[1:], len(pairs)].tolist()):
        own = sets[pairs[lo, 0]]
        others = [sets[y] for y in pairs[lo:hi, 1].tolist()]
        values = np.concatenate(others)
        at = np.minimum(np.searchsorted(own, values), own.size - 1)
        found = (own[at] == values).astype(np.int64)
        sizes = np.fromiter((o.size for o in others), dtype=np.int64, count=len(others))
        out[lo:hi] = np.add.reduceat(found, np.cumsum(sizes) - sizes)  # (no set is empty)
    return out


def source_agreement(
    sources: list[str],
    evidence: pl.DataFrame,
    conflicts: pl.DataFrame,
    near_duplicates: pl.DataFrame,
) -> pl.DataFrame:
    """One row per unordered pair of sources (source_a < source_b), pairs with nothing shared included.

    A claim both sources state is *shared* when some document of one and some document of the
    other state it without being near-duplicates of each other, *copied* otherwise. A shared
    claim is *conflicting* for the pair when a conflict row of the claim puts a sentence of one
    against a sentence of the other, else *agreeing*. coverage_jaccard = shared / claims of either.
    """
    dup = {(a, b) for a, b in zip(*columns(near_duplicates, "doc_id_a", "doc_id_b"))}
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    claims_of: dict[str, set[str]] = defaultdict(set)
    sources_of_claim: dict[str, set[str]] = defaultdict(set)
    for claim, source, doc in zip(*columns(evidence, "claim_id", "source_id", "doc_id")):
        docs_of[(claim, source)].add(doc)
        claims_of[source].add(claim)
        sources_of_claim[claim].add(source)
    source_of_doc = dict(zip(*columns(evidence, "doc_id", "source_id")))
    conflicting_pairs = set()
    for claim, da, db in zip(*columns(conflicts, "claim_id", "doc_id_a", "doc_id_b")):
        sa, sb = source_of_doc.get(da), source_of_doc.get(db)
        if sa and sb and sa != sb:
            conflicting_pairs.add((claim, min(sa, sb), max(sa, sb)))

    shared: dict[tuple[str, str], int] = defaultdict(int)
    copied: dict[tuple[str, str], int] = defaultdict(int)
    conflicting: dict[tuple[str, str], int] = defaultdict(int)
    for claim in sorted(sources_of_claim):
        for sa, sb in combinations(sorted(sources_of_claim[claim]), 2):
            independent = any(
                (min(x, y), max(x, y)) not in dup
                for x in docs_of[(claim, sa)] for y in docs_of[(claim, sb)]
            )
            if not independent:
                copied[(sa, sb)] += 1
                continue
            shared[(sa, sb)] += 1
            if (claim, sa, sb) in conflicting_pairs:
                conflicting[(sa, sb)] += 1

    rows = []
    for sa, sb in combinations(sorted(set(sources)), 2):
        n_shared, n_copied, n_conf = shared[(sa, sb)], copied[(sa, sb)], conflicting[(sa, sb)]
        n_a, n_b = len(claims_of[sa]), len(claims_of[sb])
        n_only_a, n_only_b = n_a - n_shared - n_copied, n_b - n_shared - n_copied
        union = n_shared + n_copied + n_only_a + n_only_b
        rows.append({
            "source_a": sa, "source_b": sb, "n_shared_claims": n_shared,
            "n_agreeing": n_shared - n_conf, "n_conflicting": n_conf,
            "n_only_a": n_only_a, "n_only_b": n_only_b, "n_copied_claims": n_copied,
            "agreement_rate": (n_shared - n_conf) / n_shared if n_shared else None,
            "coverage_jaccard": n_shared / union if union else 0.0,
        })
    return pl.DataFrame(rows, schema={
        "source_a": pl.Utf8, "source_b": pl.Utf8, "n_shared_claims": pl.Int64, "n_agreeing": pl.Int64,
        "n_conflicting": pl.Int64, "n_only_a": pl.Int64, "n_only_b": pl.Int64, "n_copied_claims": pl.Int64,
        "agreement_rate": pl.Float64, "coverage_jaccard": pl.Float64,
    })


def dissenters(pairs: list[tuple[str, str]], representative: str | None) -> set[str]:
    """In each conflicting pair of one claim, the sentence at odds with more of the claim gets
    stance `conflicts` (the majority view stands); on a tie the claim's representative stands."""
    degree: dict[str, int] = defaultdict(int)
    for a, b in set(pairs):
        degree[a] += 1
        degree[b] += 1
    out = set()
    for a, b in sorted(set(pairs)):
        if degree[a] != degree[b]:
            out.add(a if degree[a] > degree[b] else b)
        elif representative in (a, b):
            out.add(b if representative == a else a)
        else:
            out.add(max(a, b))  # no majority and no representative: a stable, documented choice
    return out


def entity_coverage(mentions: pl.DataFrame, sentences: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """One row per (entity, source) with at least one mention: n_mentions, first_sent_no."""
    return (
        mentions.select("sent_id", "entity_id")
        .join(sentences.select("sent_id", "doc_id", "sent_no"), on="sent_id", how="inner")
        .join(articles.select("doc_id", "source_id"), on="doc_id", how="inner")
        .group_by("entity_id", "source_id")
        .agg(pl.len().cast(pl.Int64).alias("n_mentions"), pl.col("sent_no").min().cast(pl.Int64).alias("first_sent_no"))
        .sort("entity_id", "source_id")
    )
