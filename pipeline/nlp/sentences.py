"""Italian-aware sentence splitting of text blocks.

A block (title, paragraph, embed …) is split on its own, never across blocks: titles carry no
final stop, and a paragraph break always ends a sentence. Inside a block a boundary is a
sentence-final stop (``.``, ``!``, ``?``, ``…``), together with any closing quotation marks or
brackets that follow it, then whitespace, then something that can start a sentence (a capital,
a digit, an opening quotation mark or a dash). A stop is *not* a boundary after

- a title or abbreviation that is followed by more text (``sig.``, ``dott.``, ``on.``, ``art.``,
  ``n.``, ``pag.`` …, see ``ABBREVIATIONS``);
- a single capital initial (``J. D. Vance``) or a dotted acronym (``S.p.A.``, ``U.S.A.``);
- inside a number (``1.000``, ``10.30``: no whitespace follows the dot).

An opening quotation mark after a boundary belongs to the next sentence (``parlato. «Ora…``),
and a closing one to the sentence its stop ends (``…finire.» Poi``). A line break inside a
block also ends a sentence unless the next line starts in lower case (a soft wrap).

A "sentence" longer than ``MAX_SENTENCE_CHARS`` (text with no stops: a transcript, a list, a
lower-case hard-wrapped page) is cut into pieces of at most that length, after the last clause
mark (``; : ,``) or else the last space of each piece. No real sentence is that long, and every
extractor downstream works sentence by sentence: without the cap one 2 MB sentence would make
their cost grow with the square of its length.

Text normalization is length-preserving (one character in, one character out), so offsets
computed on the block text stay valid on the normalized sentence text:

- apostrophes and single quotes ``’ ‘ ‚ ‛ ` ´ ′`` become ``'``;
- English-style double quotes ``“ ” „ ‟ ″`` become ``"`` (Italian outlets use them for the
  same purpose as ``«»``, and often the wrong way round, so their direction carries no
  information worth keeping);
- guillemets ``« »`` are kept: they are unambiguous and standard in Italian;
- no-break and thin spaces become plain spaces.
"""

from __future__ import annotations

import re

import polars as pl

from pipeline.common import frame

# Block kinds that carry running text (not section labels, image captions, bylines, chrome).
SENTENCE_BLOCK_KINDS = ("title", "subtitle", "heading", "paragraph", "embed")

_CHAR_MAP = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201b": "'", "`": "'", "\u00b4": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    }
)


def normalize_text(text: str) -> str:
    """Unify apostrophes, double quotes and odd spaces; the result has the same length."""
    return text.translate(_CHAR_MAP)


# Abbreviations (lower case, without the final dot) after which a dot never ends a sentence
# because a name, number or noun always follows: titles, "art. 5", "n. 3", "pag. 12" …
ABBREVIATIONS = frozenset(
    """
    sig sigg sig.ra sig.na dott dott.ssa dr prof prof.ssa ing avv arch geom rag on sen
    mons gen col magg cap ten serg c.te ill.mo egr gent spett
    art artt n nr num pag pagg pp cfr vol voll fig tab par lett
    es ca tel ecc.mo st mr mrs ms jr sr
    """.split()
)

# Longest sentence kept whole (characters); longer runs without a boundary are cut (see above).
MAX_SENTENCE_CHARS = 2000

_STOP = r"[.!?\u2026]+"
_CLOSERS = "\"'»”“’)]"
# The lookbehind starts a match only at the first stop of a run: otherwise a long run of dots
# with no space after it would be rescanned from each of its positions (quadratic).
_BOUNDARY_RE = re.compile(rf"(?<![.!?\u2026]){_STOP}[{re.escape(_CLOSERS)}]*(?=\s)")
_SENTENCE_START = re.compile(r"[^\W\d_]|\d|[«\"“„'‘(\[\-–—•]")
_LINE_BREAK_RE = re.compile(r"\n\s*")
_DOTTED_ACRONYM_RE = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_HAS_WORD_RE = re.compile(r"\w")
_OPENERS = "«\"“„'‘([—–-"


def _token_before(text: str, end: int) -> str:
    """The run of non-space characters that ends at `end` (empty after a space or at the start).

    Scans back from `end` only: a search anchored at the end of `text[:end]` would try every
    start position from 0, which made splitting a long block quadratic in its length.
    """
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _is_abbreviation(text: str, stop_start: int) -> bool:
    """Does the single dot at `stop_start` close an abbreviation or an initial?"""
    token = _token_before(text, stop_start)
    if not token:
        return False
    token = token.lstrip(_OPENERS).replace("’", "'").rsplit("'", 1)[-1]  # "l'art" → "art"
    if not token:
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "J. D. Vance"
    if _DOTTED_ACRONYM_RE.fullmatch(token):
        return True  # "S.p.A", "U.S.A" (the final dot is the stop being examined)
    return token.lower() in ABBREVIATIONS


def split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of one block's text, trimmed of surrounding whitespace."""
    cuts: list[int] = []  # positions where a new sentence may start
    for m in _BOUNDARY_RE.finditer(text):
        stop = m.group(0)
        nxt = m.end()
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt >= len(text):
            continue
        ch = text[nxt]
        if not _SENTENCE_START.match(ch) or ch.islower():
            continue
        if stop[0] == "." and len(stop.rstrip(_CLOSERS)) == 1 and _is_abbreviation(text, m.start()):
            continue
        cuts.append(m.end())
    for m in _LINE_BREAK_RE.finditer(text):
        if m.end() < len(text) and not text[m.end()].islower():
            cuts.append(m.start())
    cuts = sorted(set(cuts))

    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in [*cuts, len(text)]:
        start, end = prev, cut
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        prev = cut
        if start >= end:
            continue
        if not _HAS_WORD_RE.search(text, start, end):
            # A stray closing mark or dash ("possibile. “"): it belongs to the sentence before.
            if spans:
                spans[-1] = (spans[-1][0], end)
            continue
        spans.append((start, end))
    if any(end - start > MAX_SENTENCE_CHARS for start, end in spans):
        spans = [piece for span in spans for piece in _cut_long(text, *span)]
    return spans


_CLAUSE_MARK_RE = re.compile(r"[;:,](?=\s)")
_SPACE_RE = re.compile(r"\s")


def _cut_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """`(start, end)` as pieces of at most `limit` characters, each cut after the last clause mark,
    else at the last space, in the second half of its window (a hard cut when there is neither)."""
    pieces = []
    while end - start > limit:
        window_end = start + limit
        floor = start + limit // 2
        cut = None
        for m in _CLAUSE_MARK_RE.finditer(text, floor, window_end):
            cut = m.end()
        if cut is None:
            for m in _SPACE_RE.finditer(text, floor, window_end):
                cut = m.start()
        if cut is None:
            cut = window_end
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def split_sentences(
    blocks: pl.DataFrame, kinds: tuple[str, ...] = SENTENCE_BLOCK_KINDS, progress=None
) -> pl.DataFrame:
    """The sentences table from a blocks frame (doc_id, block_no, kind, text).

    Grain: one row per sentence of a text-bearing block. `sent_no` numbers sentences within the
    document in reading order (blocks by block_no, then position in the block).
    """
    rows: dict[str, list] = {k: [] for k in ("sent_id", "doc_id", "block_no", "sent_no", "text", "start", "end")}
    text_blocks = blocks.filter(pl.col("kind").is_in(list(kinds))).sort(["doc_id", "block_no"])
    sent_no = 0
    current_doc = None
    rows_iter = text_blocks.select("doc_id", "block_no", "text").iter_rows()
    if progress is not None:
        rows_iter = progress(rows_iter, desc="sentences", total=text_blocks.height)
    for doc_id, block_no, text in rows_iter:
        if doc_id != current_doc:
            current_doc, sent_no = doc_id, 0
        for n, (start, end) in enumerate(split_spans(text or "")):
            rows["sent_id"].append(f"{doc_id}:{block_no}:{n}")
            rows["doc_id"].append(doc_id)
            rows["block_no"].append(block_no)
            rows["sent_no"].append(sent_no)
            rows["text"].append(normalize_text(text[start:end]))
            rows["start"].append(start)
            rows["end"].append(end)
            sent_no += 1
    return frame("sentences", rows)


def sentences_of(text: str) -> list[str]:
    """Convenience for tests and ad-hoc use: the normalized sentences of one block's text."""
    return [normalize_text(text[s:e]) for s, e in split_spans(text)]
