"""Stage `ingest`: read every input file once, decode it, and accept or reject it.

Outputs (grain in `pipeline.schemas`):
- `documents`: one row per accepted input file (decoded text, NFC, `\\n` line ends, no BOM).
- `rejected`: one row per input file that was not accepted, with a reason and a sentence saying why.

Every entry under `seeds_dir` (except hidden files and folders and the manifest) ends in exactly one
of the two tables; one bad file never stops the run. An entry is a regular file, a symbolic link (to
a file or a folder, broken or looping) or a special file (named pipe, socket, device). Nothing
outside `seeds_dir` is ever opened or stat'ed: symbolic links are resolved one link at a time with
`os.readlink` (`resolve_link`), and one that leads outside is rejected (`outside_seeds`) before any
part of its target outside is touched. A link to another input file, or to a folder of input files,
is one `duplicate` row (the files are read under their own paths; links to folders are never walked).

The logic lives in pure functions on bytes and strings (`decode_bytes`, `collapse_letter_spacing`,
`visible_text`, `detect_format`, `detect_language`, `classify_file`, `ingest_files`); `main` only
lists the entries, reads them and writes the two tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from pipeline.common import ROOT, load_params, progress, write_table
from pipeline.intake.collections import collection_kind

log = logging.getLogger("pipeline.ingest")

# --- decoding ----------------------------------------------------------------------------------

BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)

# File signatures of formats that are certainly not text.
BINARY_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP (or docx/xlsx/odt)"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE (old Office document)"),
    (b"RIFF", "RIFF (WAV/AVI/WebP)"),
    (b"OggS", "Ogg"),
    (b"\x00\x00\x00\x18ftyp", "MP4"),
    (b"\x00\x00\x00\x20ftyp", "MP4"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# Control bytes that plain text legitimately contains: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS) + b"\x7f"

# Characters frequent in correctly decoded Italian (and Western European) news text, and characters
# that betray a wrong single-byte code page (C1 controls, currency sign, rare symbols).
_ITALIAN_GOOD = set("àèéìíòóùúÀÈÉÌÒÙ’‘“”«»–—…€°")
_WRONG_CODEPAGE = set("¤¦¨´¸¼½¾ÃÂÐÞþðƒ†‡ˆ‰Š‹ŒŽšœžŸ\ufffd") | {chr(c) for c in range(0x80, 0xA0)}
WESTERN_CODEPAGES = ("cp1252", "latin-1", "iso8859-15")
# In Latin-script languages accented letters stand alone inside words ("perché", "città"); runs of
# them ("Ïðèâåò") mean a non-Latin text read with a Western code page.
_NON_ASCII_LETTER_RUN = re.compile(r"[^\x00-\x7f\W\d_]{2,}")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\W\d_]")

class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise; the message says why."""


class BinaryContent(ValueError):
    """The bytes are binary data, not text; the message says why."""


def sniff_binary(raw: bytes, max_control_ratio: float) -> str | None:
    """A sentence saying why `raw` is binary, or None if it may be text.

    Binary: a known file signature, or more than `max_control_ratio` of all its bytes are control
    bytes (NUL and the other C0 controls except tab, line feed, form feed and carriage return, and
    DEL). Below that share the control bytes are strays in a text file, removed by `decode_bytes`.
    Call it on bytes that carry no UTF-16/32 BOM and are not BOM-less UTF-16/32 (those
    legitimately contain NUL bytes).
    """
    for magic, name in BINARY_MAGIC:
        if raw.startswith(magic):
            return f"starts with the signature of a {name} file"
    n_controls = count_control_bytes(raw)
    if raw and n_controls / len(raw) > max_control_ratio:
        first = next(i for i, b in enumerate(raw) if b in _CONTROL_BYTE_SET)
        return (f"has {n_controls:,} control bytes ({n_controls / len(raw):.0%} of its {len(raw):,} bytes, "
                f"the first at byte {first}), over the limit of {max_control_ratio:.0%} "
                "(params ingest.max_control_ratio)")
    return None


_CONTROL_BYTE_SET = frozenset(_CONTROL_BYTES)
# The same controls as characters, plus the C1 controls (U+0080-U+009F) a decoded text may hold.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def count_control_bytes(raw: bytes) -> int:
    """Number of control bytes in `raw` other than tab, line feed, form feed and carriage return."""
    return len(raw) - len(raw.translate(None, _CONTROL_BYTES))


def _utf16_without_bom(raw: bytes) -> str | None:
    """The UTF-16 byte order of BOM-less `raw`, judged by where its NUL bytes fall, else None.

    Latin-script UTF-16 has a NUL in (nearly) every other byte: the high byte of each code unit.
    """
    if len(raw) < 16:
        return None
    even, odd = raw[0::2], raw[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _utf32_without_bom(raw: bytes) -> str | None:
    """The UTF-32 byte order of BOM-less `raw` (three NUL bytes in every four for Latin text), else None."""
    if len(raw) < 32 or len(raw) % 4:
        return None
    lanes = [raw[i::4].count(0) / (len(raw) // 4) for i in range(4)]
    if lanes[1] > 0.9 and lanes[2] > 0.99 and lanes[3] > 0.99 and lanes[0] < 0.05:
        return "utf-32-le"
    if lanes[0] > 0.99 and lanes[1] > 0.99 and lanes[2] > 0.9 and lanes[3] < 0.05:
        return "utf-32-be"
    return None


def _italian_score(text: str) -> int:
    """Higher is more plausible: Italian accented letters and typography minus wrong-code-page signs."""
    good = sum(1 for ch in text if ch in _ITALIAN_GOOD)
    bad = sum(1 for ch in text if ch in _WRONG_CODEPAGE)
    return good - 5 * bad


def _looks_latin_script(text: str) -> bool:
    """True unless most accented letters come in runs, as when Cyrillic or Greek bytes are read as cp1252."""
    n_accented = len(_NON_ASCII_LETTER.findall(text))
    in_runs = sum(len(m) for m in _NON_ASCII_LETTER_RUN.findall(text))
    return n_accented == 0 or in_runs / n_accented < 0.3


def _share_of_garbage(text: str) -> float:
    bad = sum(1 for ch in text if ch in _WRONG_CODEPAGE or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"))
    return bad / max(len(text), 1)


def _decode_single_byte(raw: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: a Western code page when one reads as Latin-script text,
    else charset-normalizer's guess (e.g. cp1251).

    cp1252 and latin-1 differ only in 0x80-0x9F, where cp1252 has ’ “ ” – € … and latin-1 has
    invisible C1 controls: Italian news text is full of the former, so the Italian plausibility
    score picks cp1252 when those bytes occur (and on a tie, as the text is then identical).
    charset-normalizer alone is not used for Western text: it often calls Italian cp1252 "cp1250".
    """
    western = {}
    for enc in WESTERN_CODEPAGES:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_latin_script(text) and _share_of_garbage(text) <= 0.01:
            western[enc] = text
    if western:
        label = max(western, key=lambda enc: _italian_score(western[enc]))  # first wins a tie
        return western[label], label

    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None:
        text = str(best)
        if _share_of_garbage(text) <= 0.01:
            return text, best.encoding.replace("_", "-")
    raise DecodeError("is neither valid UTF-8 nor readable text in any single-byte encoding tried "
                      f"({', '.join(WESTERN_CODEPAGES)}, or charset-normalizer's guesses)")


# The trace every UTF-8 text leaves when it is decoded as a single-byte code page: a lead byte
# (Â-ô) followed by a continuation byte (0x80-0xBF as latin-1 or as cp1252 punctuation), as in
# "Ã©" for "é" or "â€™" for "’". Text without it has no mojibake ftfy could undo, and skipping
# ftfy there saves most of its cost.
_MOJIBAKE_TRACE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                             "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                             "\u203a\u20ac\u2122]")


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 text that was once decoded as cp1252/latin-1 ("perchÃ©" -> "perché")."""
    if not _MOJIBAKE_TRACE.search(text):
        return text, False
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def normalize_text(text: str) -> str:
    """NFC, `\\n` line ends (CRLF, lone CR, Unicode line/paragraph separators), no BOM."""
    text = text.replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def remove_controls(text: str) -> tuple[str, int]:
    """`text` without control characters (C0 except tab, line feed, form feed, carriage return; DEL;
    C1), and how many were removed."""
    cleaned, n_removed = _CONTROL_CHARS.subn("", text)
    return cleaned, n_removed


def decode_bytes(raw: bytes, max_control_ratio: float = 0.05) -> tuple[str, str]:
    """Decode raw file bytes to normalized text; returns (text, encoding label).

    Order: a BOM decides (UTF-32/UTF-16/UTF-8-sig); then BOM-less UTF-32/UTF-16 (judged by where
    their NUL bytes fall); otherwise binary content is refused (a file signature, or more than
    `max_control_ratio` of the bytes are control bytes), and then strict UTF-8 (most files) and
    finally single-byte code pages are tried. What the label records besides the encoding, in this
    order: "+mojibake-repaired" when UTF-8 read as cp1252 was undone ("utf-8+mojibake-repaired"),
    "+controls-removed" when stray control characters (a few NULs, escape codes) were dropped.
    Raises BinaryContent or DecodeError with a sentence saying why.
    """
    text: str | None = None
    for bom, codec, label in BOMS:
        if raw.startswith(bom):
            try:
                text, encoding = raw[len(bom):].decode(codec), label
            except UnicodeDecodeError as err:
                raise DecodeError(f"starts with a {label} byte order mark but is not valid {label}: {err.reason}") from err
            break
    if text is None and b"\x00" in raw and not any(raw.startswith(magic) for magic, _ in BINARY_MAGIC):
        wide = _utf32_without_bom(raw) or _utf16_without_bom(raw[:65536])
        if wide is not None:
            try:
                text, encoding = raw.decode(wide), wide
            except UnicodeDecodeError as err:
                raise DecodeError(f"looks like {wide} without a byte order mark but does not decode: {err.reason}") from err
    n_stray_bytes = 0
    if text is None:
        why = sniff_binary(raw, max_control_ratio)
        if why is not None:
            raise BinaryContent(why)
        n_stray_bytes = count_control_bytes(raw)
        # Stray controls are dropped first, so that they do not count as garbage for the code pages.
        clean = raw.translate(None, _CONTROL_BYTES) if n_stray_bytes else raw
        try:
            text, encoding = clean.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_single_byte(clean)
    # Mojibake first: its repair reads C1 characters ("â\x80\x99" for "’") that are controls otherwise.
    text, repaired = repair_mojibake(text)
    if repaired:
        encoding += "+mojibake-repaired"
    n_chars = len(text)
    text, n_controls = remove_controls(text)
    if n_controls or n_stray_bytes:
        # Wide or BOM-marked text was not sniffed as bytes: judge its share of controls as characters.
        if n_controls > max_control_ratio * max(n_chars, 1):
            raise BinaryContent(f"decodes as {encoding} but {n_controls:,} of its {n_chars:,} characters are "
                                f"control characters, over the limit of {max_control_ratio:.0%} "
                                "(params ingest.max_control_ratio)")
        encoding += "+controls-removed"
    return normalize_text(text), encoding


# --- letter spacing ----------------------------------------------------------------------------

# Some content systems ship copy with every letter followed by one space and words separated by two
# or more spaces or a no-break space ("L a  C a s a  B i a n c a"). A gap of exactly one space (or
# one thin / hair space) is inside a word; any other run of horizontal space separates words.
_H_SPACE_RUN = re.compile(r"[^\S\n]+")
_LETTER_GAPS = {" ", "\u2009", "\u200a"}
LETTER_SPACED_LINE_SHARE = 0.8  # a letter-spaced line: at least this share of its tokens are one character
LETTER_SPACED_MIN_TOKENS = 20   # a letter-spaced text: at least this many one-character tokens in such lines
LETTER_SPACED_TEXT_SHARE = 0.5  # ... holding at least this share of the text's visible characters
LETTER_SPACED_WORD_LENGTH = (2.5, 15.0)  # mean length of the words it collapses to (letters in a list: 1)


def _line_tokens(line: str) -> tuple[list[str], list[str]]:
    """(tokens, gaps between them) of one line, leading and trailing space dropped."""
    parts = _H_SPACE_RUN.split(line.strip())
    gaps = _H_SPACE_RUN.findall(line.strip())
    return parts, gaps


def _collapse_line(tokens: list[str], gaps: list[str]) -> list[str]:
    words, current = [], tokens[0]
    for gap, token in zip(gaps, tokens[1:]):
        if gap in _LETTER_GAPS:
            current += token
        else:
            words.append(current)
            current = token
    words.append(current)
    return words


def _is_spaced_line(tokens: list[str]) -> bool:
    n_single = sum(1 for t in tokens if len(t) == 1)
    return len(tokens) >= 3 and n_single >= LETTER_SPACED_LINE_SHARE * len(tokens)


def collapse_letter_spacing(text: str) -> tuple[str, bool]:
    """Undo letter spacing: ("La Casa Bianca", True) for "L a  C a s a  B i a n c a"; (text, False)
    for text that is not letter-spaced.

    The text is letter-spaced when lines whose tokens are mostly single characters hold at least
    half of its visible characters, with at least `LETTER_SPACED_MIN_TOKENS` such tokens, and their
    words (the letters between word gaps) have a plausible mean length: a list of single letters
    ("a b c d", or "a  b  c  d") is not letter-spaced, nor is prose with a few spaced letters or
    initials ("J. R. R. Tolkien", "le ipotesi A e B"). Only the letter-spaced lines are collapsed,
    each word gap becoming one space; other lines (an ordinary title) stay as they are.
    """
    if text.count(" ") * 3 < len(text):  # in letter-spaced text about every other character is a space
        return text, False
    lines = text.split("\n")
    n_visible = 0
    spaced: dict[int, list[str]] = {}
    n_single = n_letters = n_words = 0
    for i, line in enumerate(lines):
        tokens, gaps = _line_tokens(line)
        n_visible += sum(len(t) for t in tokens)
        if not _is_spaced_line(tokens):
            continue
        words = _collapse_line(tokens, gaps)
        spaced[i] = words
        n_single += sum(1 for t in tokens if len(t) == 1)
        n_letters += sum(len(t) for t in tokens)
        n_words += len(words)
    if n_single < LETTER_SPACED_MIN_TOKENS or n_letters < LETTER_SPACED_TEXT_SHARE * n_visible:
        return text, False
    low, high = LETTER_SPACED_WORD_LENGTH
    if not low <= n_letters / n_words <= high:
        return text, False
    for i, words in spaced.items():
        lines[i] = " ".join(words)
    return "\n".join(lines), True


# --- visible text ------------------------------------------------------------------------------

# Everything here is linear in the text: a failed match never scans past the next bracket, tag
# or line end (so a file of "[x](" or "<a" repeated costs no more than prose), and elements that
# hide their content are cut with one forward scan.
_HIDDEN_ELEMENT = re.compile(r"<(script|style|noscript|template|svg|math|iframe|object)\b", re.I)
_HTML_COMMENT_OPEN = "<!--"
_DATA_URI = re.compile(r"\bdata:[\w.+-]{1,100}/[\w.+-]{1,100}(?:;[\w.+-]{1,100}(?:=[^;,\s]{0,200})?){0,10},[^\s\"'<>)\]]*", re.I)
_TAG = re.compile(r"</?[A-Za-z!?][^<>]{0,4000}>")
_MD_IMAGE_OR_LINK = re.compile(r"!?\[([^\[\]\n]{0,1000})\]\((?:data:[^)\s\[\]]*|[^)\s\[\]]{0,4000})(?:\s+\"[^\"\n]{0,1000}\")?\)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]{1,200}\]:[^\n]*$", re.M)
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'()\[\]]*|\b(?:[\w-]{1,63}\.){1,4}(?:com|it|org|net|eu)/[^\s<>\"']*", re.I)
# A run of 60+ base64 characters, with the whole lines of base64 that continue it when it is
# wrapped (the last line of a wrapped block is shorter).
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{60,}={0,2}(?:\r?\n[A-Za-z0-9+/_-]{8,}={0,2}(?=\r?\n|\Z))*")
_MARKUP_CHARS = re.compile(r"[*_#>`|~=]+|^\s{0,3}(?:[-+*]|\d{1,3}\.)\s", re.M)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _cut_hidden_elements(text: str) -> str:
    """`text` without HTML comments and without script, style and other elements whose content is
    not shown; an element left open hides the rest of the text, as in a browser. One forward scan."""
    out: list[str] = []
    pos = 0
    comment = text.find(_HTML_COMMENT_OPEN)
    element = _HIDDEN_ELEMENT.search(text)
    while pos < len(text):
        if 0 <= comment < pos:
            comment = text.find(_HTML_COMMENT_OPEN, pos)
        if element is not None and element.start() < pos:
            element = _HIDDEN_ELEMENT.search(text, pos)
        if comment < 0 and element is None:
            out.append(text[pos:])
            break
        if element is None or 0 <= comment < element.start():
            out.append(text[pos:comment])
            end = text.find("-->", comment + 4)
            pos = len(text) if end < 0 else end + 3
        else:
            out.append(text[pos:element.start()])
            close = re.compile(rf"</{element.group(1)}\s*>", re.I).search(text, element.end())
            pos = len(text) if close is None else close.end()
    return " ".join(out)


def visible_text(text: str) -> str:
    """What a reader sees of `text`: no HTML tags, comments, scripts or styles; no Markdown syntax
    (a link or image keeps its anchor or alt text); no URLs, `data:` URIs or long base64 runs."""
    text = _DATA_URI.sub("", text)  # "![x](data:...)" stays a Markdown image, read below
    if "<" in text:
        text = _TAG.sub(" ", _cut_hidden_elements(text))
    text = _MD_REFERENCE.sub(" ", _MD_IMAGE_OR_LINK.sub(r" \1 ", text))
    text = _BASE64_RUN.sub(" ", _URL.sub(" ", text))
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return _MARKUP_CHARS.sub(" ", text)


# --- format ------------------------------------------------------------------------------------

# Bounded patterns: a long line of "[[[[" or "**" must not cost the square of its length.
_HTML_DOC = re.compile(r"\A\s*(<!doctype\s+html|<html[\s>]|<\?xml[^<>]{0,1000}>\s*<html)", re.I)
_HTML_TAG = re.compile(r"</?(p|div|span|a|br|h[1-6]|article|section|img|ul|ol|li|figure|table|body|head|script)\b[^<>]{0,4000}>", re.I)
_MD_LINK = _MD_IMAGE_OR_LINK
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_MD_EMPHASIS = re.compile(r"\*\*(?=\S)[^\n*]{1,300}(?<=\S)\*\*|__(?=\S)[^\n_]{1,300}(?<=\S)__")
_MD_LIST_OR_QUOTE = re.compile(r"^(?:[-*+]\s+\S|\d+\.\s+\S|>\s+\S)", re.M)


def detect_format(text: str) -> str:
    """`html` for an HTML document (or text dense in HTML tags), `markdown` when it uses markdown
    links, images, `#` headings or strong emphasis, else `text`."""
    if _HTML_DOC.match(text):
        return "html"
    n_tags = len(_HTML_TAG.findall(text[:200_000]))
    if n_tags >= 3 and n_tags * 200 >= min(len(text), 200_000):  # at least one tag per 200 chars
        return "html"
    if _MD_LINK.search(text) or _MD_HEADING.search(text) or _MD_EMPHASIS.search(text):
        return "markdown"
    if len(_MD_LIST_OR_QUOTE.findall(text)) >= 3:
        return "markdown"
    return "text"


# --- language ----------------------------------------------------------------------------------

_NON_LETTERS = re.compile(r"[\W\d_]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    """A py3langid identifier restricted to `languages` (all of its languages if empty), built once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def language_sample(text: str, limit: int = 3_000, visible: str | None = None) -> str:
    """The visible prose of `text` for language identification (`visible_text`, or `visible` when
    the caller has it already), spaces collapsed, at most `limit` characters."""
    if visible is None:
        visible = visible_text(text)
    return " ".join(visible.split())[:limit]


def detect_language(
    text: str,
    accepted: tuple[str, ...],
    candidates: tuple[str, ...],
    min_letters: int,
    fallback: str | None = None,
    visible: str | None = None,
) -> tuple[str, bool]:
    """(ISO 639-1 code, is_reliable) for `text`, judged on its visible prose only (`visible_text`:
    no markup, URLs, `data:` URIs or base64 runs; pass `visible` if already computed).

    py3langid is restricted to `candidates` (major languages), which keeps it from answering with a
    regional variety (vec, lij) or a rare language for Italian full of foreign names. Statistical
    identification fails on short strings, so when the prose has fewer than `min_letters` letters
    the answer is flagged unreliable and is `fallback` (the manifest's language) when given, else
    the most likely of the `accepted` languages: a short text is never rejected on a guess.
    """
    sample = language_sample(text, visible=visible)
    if len(_NON_LETTERS.sub("", sample)) >= min_letters:
        return _identifier(tuple(candidates)).classify(sample)[0], True
    if fallback:
        return fallback, False
    return _identifier(tuple(accepted)).classify(sample)[0], False


# --- manifest ----------------------------------------------------------------------------------

MANIFEST_FIELDS = ("path", "outlet", "url", "published_date", "language")


@dataclass(frozen=True)
class ManifestEntry:
    outlet: str | None = None
    url: str | None = None
    published_date: dt.date | None = None
    language: str | None = None


def _parse_manifest_date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _manifest_key(path: str) -> str:
    return Path(path.strip().replace("\\", "/")).as_posix().removeprefix("./")


def parse_manifest(content: str, source: str = "manifest") -> tuple[dict[str, ManifestEntry], list[str]]:
    """Manifest CSV text -> ({path relative to seeds_dir: entry}, warnings).

    Never raises: a manifest without a `path` column yields no entries and a warning; a bad row
    (unparseable date, duplicate path) keeps what it can and adds a warning.
    """
    warnings: list[str] = []
    entries: dict[str, ManifestEntry] = {}
    try:
        reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as err:
        return {}, [f"{source}: not a readable CSV ({err}); outlet, url and date are unknown for every file"]
    if "path" not in header:
        return {}, [f"{source}: no 'path' column in the header {header}; the manifest is ignored"]
    reader.fieldnames = header
    try:
        rows = list(reader)
    except csv.Error as err:
        return {}, [f"{source}: malformed CSV ({err}); the manifest is ignored"]
    for line_no, row in enumerate(rows, start=2):
        values = {k: (v or "").strip() if isinstance(v, str) else "" for k, v in row.items() if k}
        path = values.get("path", "")
        if not path:
            warnings.append(f"{source} line {line_no}: empty path, row skipped")
            continue
        key = _manifest_key(path)
        if key in entries:
            warnings.append(f"{source} line {line_no}: {key} listed again, the first row is kept")
            continue
        date_text = values.get("published_date", "")
        date = _parse_manifest_date(date_text) if date_text else None
        if date_text and date is None:
            warnings.append(f"{source} line {line_no}: published_date {date_text!r} is not a date (YYYY-MM-DD)")
        entries[key] = ManifestEntry(
            outlet=values.get("outlet") or None,
            url=values.get("url") or None,
            published_date=date,
            language=(values.get("language") or "").lower() or None,
        )
    return entries, warnings


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Read the manifest file; a missing or broken manifest is a warning, never an error."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        log.warning("manifest %s not found: outlet, url and published_date are unknown for every file", path)
        return {}
    except (OSError, UnicodeDecodeError) as err:
        log.warning("manifest %s unreadable (%s): outlet, url and published_date are unknown", path, err)
        return {}
    entries, warnings = parse_manifest(content, source=path.name)
    for message in warnings:
        log.warning(message)
    return entries


# --- classification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestConfig:
    max_bytes: int
    languages: tuple[str, ...]
    langid_candidates: tuple[str, ...]
    lang_min_letters: int
    max_control_ratio: float
    # field -> column names of article collections (pipeline.intake.collections.DEFAULT_COLUMNS
    # with params ingest.collection_columns applied); None: the defaults.
    collection_columns: tuple[tuple[str, tuple[str, ...]], ...] | None = None

    @property
    def column_aliases(self) -> dict[str, tuple[str, ...]]:
        from pipeline.intake.collections import DEFAULT_COLUMNS

        return dict(self.collection_columns) if self.collection_columns else dict(DEFAULT_COLUMNS)

    @classmethod
    def from_params(cls, params: dict) -> IngestConfig:
        languages = tuple(params.get("languages") or ("it",))
        candidates = tuple(dict.fromkeys([*(params.get("langid_candidates") or ()), *languages]))
        for code in (*languages, *candidates):
            if not isinstance(code, str):
                raise ValueError(f"ingest params: language code {code!r} is not a string (quote it in params.yaml)")
        _identifier(candidates)  # fails now, not once per file, on a code py3langid does not know
        return cls(
            max_bytes=int(params["max_bytes"]),
            languages=languages,
            langid_candidates=candidates,
            lang_min_letters=int(params.get("lang_min_letters", 200)),
            max_control_ratio=float(params.get("max_control_ratio", 0.05)),
            collection_columns=tuple(column_aliases(params.get("collection_columns")).items()),
        )


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 100_000 else f"{n / 1_000_000:.1f} MB ({n:,} bytes)"


def _too_large_detail(n_bytes: int, max_bytes: int) -> str:
    return f"the file is {_size(n_bytes)}, over the limit of {max_bytes:,} bytes (params ingest.max_bytes)"


def classify_file(
    rel_path: str,
    raw: bytes,
    manifest: ManifestEntry | None,
    config: IngestConfig,
) -> tuple[str, dict]:
    """Decide one file from its bytes: ("document", documents row) or ("rejected", rejected row).
    Never raises for any bytes.

    Accepted text is decoded (`decode_bytes`: stray controls removed, mojibake repaired), its
    letter spacing collapsed (`collapse_letter_spacing`), and its language identified on its
    visible text. A file with no visible letter or digit (only markup, links, base64) is `empty`.
    Duplicates are decided by the caller, which sees all files (`ingest_files`).
    """
    table, row = _classify_file(rel_path, raw, manifest, config)
    return table, _in_column_order(table, row)


@lru_cache(maxsize=2)
def _column_names(table: str) -> tuple[str, ...]:
    from pipeline.schemas import TABLES

    return tuple(TABLES["documents" if table == "document" else "rejected"].column_names)


def _in_column_order(table: str, row: dict) -> dict:
    """The row with every column of its table, in declared order (absent ones null)."""
    return {name: row.get(name) for name in _column_names(table)}


def _classify_file(rel_path: str, raw: bytes, manifest: ManifestEntry | None, config: IngestConfig) -> tuple[str, dict]:
    sha = hashlib.sha256(raw).hexdigest()
    n_bytes = len(raw)

    def reject(reason: str, detail: str) -> tuple[str, dict]:
        return "rejected", {"path": rel_path, "sha256": sha, "n_bytes": n_bytes, "reason": reason, "detail": detail}

    if n_bytes == 0:
        return reject("empty", "the file is empty (0 bytes)")
    if n_bytes > config.max_bytes:
        return reject("too_large", _too_large_detail(n_bytes, config.max_bytes))
    try:
        text, encoding = decode_bytes(raw, config.max_control_ratio)
    except BinaryContent as err:
        return reject("binary", f"binary data, not text: the file {err}")
    except DecodeError as err:
        return reject("undecodable", f"cannot be decoded as text: the file {err}")
    return _classify_text(rel_path, text, encoding, sha, n_bytes, manifest.language if manifest else None, config,
                          reject, "the file", document={
                              "doc_id": sha[:16],
                              "outlet": manifest.outlet if manifest else None,
                              "url": manifest.url if manifest else None,
                              "published_date": manifest.published_date if manifest else None,
                          })


def _classify_text(rel_path: str, text: str, encoding: str, sha: str, n_bytes: int, fallback_language: str | None,
                   config: IngestConfig, reject, what: str, document: dict, fmt: str | None = None) -> tuple[str, dict]:
    """Accept decoded `text` (of a file or a collection row, `what` names it in sentences) or
    reject it: empty, no visible text, language. `document` holds the row's other columns."""
    if not text.strip():
        return reject("empty", f"{what} has only whitespace ({_size(n_bytes)})")
    text, collapsed = collapse_letter_spacing(text)
    if collapsed:
        encoding += "+letter-spacing-collapsed"
    visible = visible_text(text)
    if not _LETTER_OR_DIGIT.search(visible):
        return reject("empty", f"{what} has no visible text ({_size(n_bytes)}): only markup, links, "
                               "data: URIs, encoded data or punctuation, without a letter or digit")
    lang, reliable = detect_language(
        text, config.languages, config.langid_candidates, config.lang_min_letters, fallback_language, visible=visible
    )
    if lang not in config.languages:
        accepted = ", ".join(config.languages)
        said = "is detected as" if reliable else (
            f"is too short to identify and the {'manifest' if what == 'the file' else 'language column'} says it is")
        return reject("unsupported_language", f"the text {said} '{lang}', not an accepted language ({accepted})")
    if fallback_language and reliable and fallback_language != lang:
        log.warning("%s: the %s says '%s' but the text reads as '%s'; using '%s'", rel_path,
                    "manifest" if what == "the file" else "language column", fallback_language, lang, lang)
    return "document", {
        "path": rel_path,
        "sha256": sha,
        "n_bytes": n_bytes,
        "encoding": encoding,
        "text": text,
        "format": fmt or detect_format(text),
        "lang": lang,
        **document,
    }


# --- collections -------------------------------------------------------------------------------


def column_aliases(overrides) -> dict[str, tuple[str, ...]]:
    """Column names of collections: the documented defaults with params `ingest.collection_columns`."""
    from pipeline.intake.collections import column_aliases as aliases

    return aliases(overrides)


@dataclass(frozen=True)
class CollectionFile:
    """An input entry that is an article collection (CSV, JSON Lines, Parquet): read row by row
    from `path` by `iter_collection`, never loaded whole."""

    path: Path


def _row_path(rel_path: str, row_id: str) -> str:
    return f"{rel_path}#{row_id}"


def classify_row(rel_path: str, file_sha: str, encoding: str, row, config: IngestConfig) -> tuple[str, dict]:
    """Decide one row (`pipeline.intake.collections.CollectionRow`) of the collection `rel_path`:
    ("document", documents row) or ("rejected", rejected row). Never raises.

    The text is the `text` column, else the `html` column (read as an HTML page). It is cleaned
    as a file's text is (controls, mojibake, NFC, letter spacing) and judged by the same rules
    (empty, too large, language); the row's title, author, outlet, URL, date and language are its
    metadata. doc_id: the first 16 hex of sha256 of the file's sha256 and the row id."""
    table, out = _classify_row(rel_path, file_sha, encoding, row, config)
    return table, _in_column_order(table, out)


def _classify_row(rel_path: str, file_sha: str, encoding: str, row, config: IngestConfig) -> tuple[str, dict]:
    from pipeline.common import stable_id
    from pipeline.intake.collections import parse_row_date, row_text

    path = _row_path(rel_path, row.row_id)
    base = {"path": path, "row_id": row.row_id}
    if row.malformed is not None:
        raw = row.raw or b""
        return "rejected", {**base, "sha256": hashlib.sha256(raw).hexdigest() if row.raw else None,
                            "n_bytes": len(raw), "reason": "malformed_row", "detail": f"malformed row: {row.malformed}"}
    fields = row.fields
    text, fmt = row_text(fields.get("text")), None
    if (text is None or not text.strip()) and row_text(fields.get("html")):
        text, fmt = row_text(fields.get("html")), "html"
    if text is None and fields.get("text") is not None:
        return "rejected", {**base, "sha256": None, "n_bytes": 0, "reason": "malformed_row",
                            "detail": f"malformed row: its text is a {type(fields['text']).__name__}, not a string"}
    raw = (text or "").encode("utf-8", "surrogatepass")
    sha, n_bytes = hashlib.sha256(raw).hexdigest(), len(raw)

    def reject(reason: str, detail: str) -> tuple[str, dict]:
        return "rejected", {**base, "sha256": sha, "n_bytes": n_bytes, "reason": reason, "detail": detail}

    if not text:
        return reject("empty", "the row has no text (the text column is empty or null)")
    if n_bytes > config.max_bytes:
        return reject("too_large", f"the row's text is {_size(n_bytes)}, over the limit of {config.max_bytes:,} "
                                   "bytes (params ingest.max_bytes)")
    text, repaired = repair_mojibake(text)
    if repaired:
        encoding += "+mojibake-repaired"
    n_chars = len(text)
    text, n_controls = remove_controls(text)
    if n_controls:
        if n_controls > config.max_control_ratio * max(n_chars, 1):
            return reject("binary", f"binary data, not text: {n_controls:,} of the row's {n_chars:,} characters are "
                                    f"control characters, over the limit of {config.max_control_ratio:.0%} "
                                    "(params ingest.max_control_ratio)")
        encoding += "+controls-removed"
    text = normalize_text(text)
    if _LONE_SURROGATE.search(text):
        return reject("undecodable", "the row's text holds invalid characters (lone surrogates)")

    def meta(name: str) -> str | None:
        value = _as_meta_text(fields.get(name))
        return " ".join(value.split()) if value else None

    language = (meta("language") or "").lower()[:2] or None
    return _classify_text(path, text, encoding, sha, n_bytes, language, config, reject, "the row", fmt=fmt, document={
        "doc_id": stable_id(file_sha, row.row_id),
        "row_id": row.row_id,
        "outlet": meta("outlet"),
        "url": meta("url"),
        "published_date": parse_row_date(fields.get("published_date")),
        "title": meta("title"),
        "author": meta("author"),
    })


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _as_meta_text(value) -> str | None:
    from pipeline.intake.collections import _as_text

    text = _as_text(value)
    return text if text and text.strip() else None


def iter_collection(rel_path: str, path: Path, config: IngestConfig) -> Iterator[tuple[str, dict]]:
    """(table, row) for every row of the collection at `path`, or one rejected row for the whole
    file when it cannot be read as a collection (no text column, not Parquet, binary, unreadable)
    or has no rows. One row (one Parquet batch) is held at a time."""
    from pipeline.intake.collections import CollectionError, NoTextColumn, iter_rows, open_collection

    aliases = config.column_aliases
    try:
        file_sha = _sha256_of_file(path)
        size = os.path.getsize(path)
    except OSError as err:
        yield "rejected", {"path": rel_path, "sha256": None, "n_bytes": 0, "reason": "unreadable",
                           "detail": f"cannot read the file: {err.strerror or err}"}
        return

    def whole(reason: str, detail: str) -> tuple[str, dict]:
        return "rejected", {"path": rel_path, "sha256": file_sha, "n_bytes": size, "reason": reason, "detail": detail}

    if size == 0:
        yield whole("empty", "the file is empty (0 bytes)")
        return
    try:
        collection = open_collection(path, aliases)
    except NoTextColumn as err:
        yield whole("no_text_column", str(err)[0].upper() + str(err)[1:])
        return
    except CollectionError as err:
        reason = "binary" if str(err).startswith("binary") else "undecodable"
        yield whole(reason, f"cannot be read as a {Path(rel_path).suffix.lstrip('.').upper()} collection: the file {err}")
        return
    except (OSError, UnicodeError, csv.Error) as err:
        yield whole("unreadable", f"cannot be read as a collection: {err}")
        return
    n_rows = 0
    try:
        for row in iter_rows(collection, aliases):
            n_rows += 1
            try:
                yield classify_row(rel_path, file_sha, collection.encoding, row, config)
            except Exception as err:  # noqa: BLE001 - one bad row never stops the run
                log.exception("%s: unexpected error on row %s", rel_path, row.row_id)
                yield "rejected", {"path": _row_path(rel_path, row.row_id), "row_id": row.row_id, "sha256": None,
                                   "n_bytes": 0, "reason": "malformed_row",
                                   "detail": f"malformed row: reading it failed unexpectedly: {type(err).__name__}: {err}"}
    except OSError as err:
        log.error("%s: reading stopped after %d rows: %s", rel_path, n_rows, err)
        if n_rows == 0:
            yield whole("unreadable", f"cannot read the collection: {err.strerror or err}")
        return
    if n_rows == 0:
        yield whole("empty", f"the collection has a header ({', '.join(collection.header[:10])}) but no rows")


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- input files and symbolic links ------------------------------------------------------------

MAX_LINK_HOPS = 40  # as the Linux kernel: more symbolic links than this on one path is a loop


@dataclass(frozen=True)
class LinkTarget:
    """Where a symbolic link under the seeds folder leads, found without leaving the folder.

    `kind`: `file`, `folder`, `special` (pipe, socket, device), `missing` (broken link), `loop`,
    `outside` (leads outside the seeds folder: nothing there was opened or stat'ed) or `error`.
    `path`: the real path it leads to (for `outside`, the path outside as far as it was resolved,
    the rest as written). `chain`: the text of each link followed, as written.
    """

    kind: str
    path: str
    chain: tuple[str, ...]
    error: str | None = None


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def resolve_link(link: Path, seeds_root: Path, max_hops: int = MAX_LINK_HOPS) -> LinkTarget:
    """Follow the symbolic link `link` (inside `seeds_root`, a real path) one component at a time,
    as the kernel does, with `os.readlink` and `os.lstat` only, and stop at the first component
    outside `seeds_root`: no file or folder outside the seeds folder is opened or stat'ed.

    The folders above `seeds_root` are passed through (a link `../seeds/a.txt` is inside).
    """
    root = str(seeds_root)
    resolved = os.path.realpath(link.parent)  # a real folder inside the seeds folder
    pending = [link.name]
    chain: list[str] = []
    st = None
    while pending:
        name = pending.pop(0)
        if name in ("", "."):
            continue
        resolved = os.path.dirname(resolved) if name == ".." else os.path.join(resolved, name)
        if not _is_within(resolved, root):
            if _is_within(root, resolved):  # a folder above the seeds folder, on the way back in
                st = None
                continue
            return LinkTarget("outside", os.path.join(resolved, *pending), tuple(chain))
        try:
            st = os.lstat(resolved)
        except (FileNotFoundError, NotADirectoryError):
            return LinkTarget("missing", os.path.join(resolved, *pending), tuple(chain))
        except OSError as err:
            return LinkTarget("error", resolved, tuple(chain), err.strerror or str(err))
        if stat.S_ISLNK(st.st_mode):
            if len(chain) >= max_hops:
                return LinkTarget("loop", resolved, tuple(chain))
            try:
                written = os.readlink(resolved)
            except OSError as err:
                return LinkTarget("error", resolved, tuple(chain), err.strerror or str(err))
            chain.append(written)
            resolved = "/" if written.startswith("/") else os.path.dirname(resolved)
            pending = written.split("/") + pending
            st = None
        elif pending and not stat.S_ISDIR(st.st_mode):
            return LinkTarget("missing", os.path.join(resolved, *pending), tuple(chain))
    if not _is_within(resolved, root):  # ended on a folder above the seeds folder ("..")
        return LinkTarget("outside", resolved, tuple(chain))
    if st is None:  # ended on "." or "..": a folder inside, or the seeds folder itself
        try:
            st = os.lstat(resolved)
        except OSError as err:
            return LinkTarget("error", resolved, tuple(chain), err.strerror or str(err))
    if stat.S_ISDIR(st.st_mode):
        return LinkTarget("folder", resolved, tuple(chain))
    if stat.S_ISREG(st.st_mode):
        return LinkTarget("file", resolved, tuple(chain))
    return LinkTarget("special", resolved, tuple(chain))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    return "special file"


def display_path(path: str) -> str:
    """A path as a table stores it: '/'-separated, and bytes of a file name that are not UTF-8
    shown as \\xNN (Parquet strings must be valid UTF-8)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_hidden(rel_parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") for part in rel_parts)


def list_input_files(seeds_dir: Path, manifest_path: Path | None) -> list[Path]:
    """Every entry under `seeds_dir` that ingest accounts for, recursively, in sorted order:
    regular files, symbolic links (to files or folders, broken or looping) and special files.
    Hidden files and folders (.gitkeep, .DS_Store) and the manifest itself (by its path, or a
    link to it) are skipped. Folders
    are walked without following links (a link to a folder is itself one entry), and nothing
    outside `seeds_dir` is stat'ed."""
    seeds_root = Path(os.path.realpath(seeds_dir))
    manifest_real = os.path.realpath(manifest_path) if manifest_path else None
    manifest_lexical = os.path.abspath(manifest_path) if manifest_path else None
    files: list[Path] = []
    stack = [Path(seeds_dir)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as err:
            log.warning("cannot list %s (%s): the files in it are not read", folder, err.strerror or err)
            continue
        folder_real = os.path.realpath(folder)
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
                continue
            if manifest_lexical is not None:
                if os.path.abspath(path) == manifest_lexical:
                    continue
                if entry.is_symlink():
                    target = resolve_link(path, seeds_root)
                    real = target.path if target.kind == "file" else None
                else:
                    real = os.path.join(folder_real, entry.name)
                if real == manifest_real:
                    continue
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(seeds_dir).as_posix())


@dataclass(frozen=True)
class Refusal:
    """An input entry rejected without reading it as an article (a link not followed, a pipe).
    `duplicate_of`: the input path whose sha256 and size the rejected row repeats."""

    reason: str
    detail: str
    duplicate_of: str | None = None


# One input entry as `ingest_files` takes it: (repo-relative path, bytes or None, size, sha256
# when the bytes were hashed but not kept, error sentence or Refusal or None).
InputEntry = tuple[str, "bytes | None", int, "str | None", "str | Refusal | None"]


def read_file(path: Path, max_bytes: int) -> tuple[bytes | None, int, str | None, str | None]:
    """(bytes, size, sha256-if-not-read, error) of the regular file `path`. Files over `max_bytes`
    are hashed in chunks instead of being loaded whole; unreadable files give bytes None and an
    error sentence. The last component is never followed if it is a symbolic link, and a file that
    is not regular (a pipe swapped in after listing) is not read (opened without blocking)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        return None, 0, None, f"cannot read the file: {err.strerror or err}"
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None, 0, None, f"cannot read the file: it is a {_special_kind(st.st_mode)}, not a regular file"
            size = st.st_size
            if size > max_bytes:
                digest = hashlib.sha256()
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                return None, size, digest.hexdigest(), None
            raw = fh.read()
            return raw, len(raw), None, None
        except OSError as err:
            return None, 0, None, f"cannot read the file: {err.strerror or err}"


def read_inputs(paths: list[Path], seeds_dir: Path, root: Path, max_bytes: int) -> Iterator[InputEntry]:
    """One `InputEntry` per path of `list_input_files`, in order, holding one file's bytes at a time.

    A symbolic link is resolved inside the seeds folder (`resolve_link`) and never opened when it
    leads outside it (`outside_seeds`), nowhere (broken, loop: `unreadable`), to another input file
    or to a folder whose files are inputs (`duplicate`: those files are read under their own
    paths). Only a link to a file inside the seeds folder that is no input (a hidden file) is read.
    """
    seeds_root = Path(os.path.realpath(seeds_dir))
    seeds_name = display_path(Path(os.path.relpath(seeds_dir, root)).as_posix())
    real_to_rel: dict[str, str] = {}
    for path in paths:
        if not path.is_symlink():
            rel_in_seeds = path.relative_to(seeds_dir)
            real_to_rel[str(seeds_root / rel_in_seeds)] = _rel(path, root)

    root_real = os.path.realpath(root)

    def where(real: str) -> str:
        """A real path for a sentence: by the seeds folder's name inside it (also when that folder
        is itself a link), else relative to the repository root when under it, else absolute."""
        if _is_within(real, str(seeds_root)):
            rel = os.path.relpath(real, seeds_root)
            return seeds_name if rel == "." else display_path(f"{seeds_name}/{Path(rel).as_posix()}")
        if not _is_within(real, root_real):
            return display_path(real)
        rel = os.path.relpath(real, root_real)
        return "the repository root" if rel == "." else display_path(rel)

    for path in paths:
        rel_path = _rel(path, root)
        try:
            mode = os.lstat(path).st_mode
        except OSError as err:
            yield rel_path, None, 0, None, f"cannot read the file: {err.strerror or err}"
            continue
        if stat.S_ISREG(mode):
            if collection_kind(path) is not None:  # streamed row by row, never loaded whole
                yield rel_path, None, os.lstat(path).st_size, None, CollectionFile(path)
                continue
            yield (rel_path, *read_file(path, max_bytes))
            continue
        if not stat.S_ISLNK(mode):
            yield rel_path, None, 0, None, Refusal(
                "unreadable", f"is a {_special_kind(mode)}, not a regular file; it was not opened")
            continue
        target = resolve_link(path, seeds_root)
        chain = " -> ".join([rel_path, *(display_path(c) for c in target.chain)])
        if target.kind == "outside":
            refusal = Refusal("outside_seeds", f"is a symbolic link to {where(target.path)}, outside {seeds_name}/ "
                                               f"({chain}); it was not opened")
        elif target.kind == "loop":
            refusal = Refusal("unreadable", f"is a symbolic link loop ({' -> '.join(chain.split(' -> ')[:4])} -> …): "
                                            "it leads to no file")
        elif target.kind == "missing":
            refusal = Refusal("unreadable", f"is a broken symbolic link ({chain}): {where(target.path)} does not exist")
        elif target.kind == "error":
            refusal = Refusal("unreadable", f"is a symbolic link ({chain}) that cannot be resolved: {target.error}")
        elif target.kind == "special":
            try:
                kind = _special_kind(os.lstat(target.path).st_mode)
            except OSError:
                kind = "special file"
            refusal = Refusal("unreadable", f"is a symbolic link to {where(target.path)}, a {kind}, "
                                            "not a regular file; it was not opened")
        elif target.kind == "folder":
            inside = Path(os.path.relpath(target.path, seeds_root)).parts
            if _is_hidden(inside):
                refusal = Refusal("unreadable", f"is a symbolic link to the hidden folder {where(target.path)}/ "
                                                f"({chain}); hidden folders are skipped and links to folders are not "
                                                "followed, so nothing is read through it")
            else:
                refusal = Refusal("duplicate", f"is a symbolic link to the folder {where(target.path)}/ ({chain}), "
                                               "whose files are read under their own paths (links to folders are "
                                               "not followed)")
        elif target.path in real_to_rel:
            original = real_to_rel[target.path]
            refusal = Refusal("duplicate", f"is a symbolic link to {original}, which is read under its own path",
                              duplicate_of=original)
        else:  # a file inside the seeds folder that is no input itself (a hidden file): read it here
            yield (rel_path, *read_file(Path(target.path), max_bytes))
            continue
        yield rel_path, None, 0, None, refusal


def _rel(path: Path, root: Path) -> str:
    return display_path(Path(os.path.relpath(path, root)).as_posix())


def iter_outcomes(
    files: Iterable[InputEntry],
    manifest: dict[str, ManifestEntry],
    config: IngestConfig,
    total: int | None = None,
) -> Iterator[tuple[str, dict]]:
    """("document", documents row) or ("rejected", rejected row) for files given as `InputEntry`
    (repo-relative path, bytes or None, size, sha256 when bytes were not loaded, read error
    sentence or `Refusal` or `CollectionFile` or None), in sorted path order. `files` may be a
    generator, so that only one file's bytes (one collection row) are held at a time.

    `manifest` keys are paths relative to the repo root; it applies to single files only (a
    collection row carries its own metadata). Exact duplicates of an accepted file are rejected
    as `duplicate`, naming the first file in sorted order, which is kept; a collection row is a
    duplicate of an earlier row with the same text, title, outlet, URL and date (the same agency
    copy under two outlets is two documents). A refused link to another input repeats that
    input's sha256 and size, filled into its (already yielded) row once the generator is
    exhausted: keep rejected rows until then. Every entry (every collection row) gives exactly
    one row.
    """
    first_by_key: dict[bytes, str] = {}
    identity: dict[str, tuple[str | None, int]] = {}  # path -> (sha256, n_bytes) of every file row
    linked: list[tuple[dict, str]] = []

    def deduplicated(table: str, row: dict, key: bytes, what: str) -> tuple[str, dict]:
        if table != "document":
            return "rejected", row
        original = first_by_key.get(key)
        if original is not None:
            return "rejected", {"path": row["path"], "row_id": row.get("row_id"), "sha256": row["sha256"],
                                "n_bytes": row["n_bytes"], "reason": "duplicate",
                                "detail": f"{what} as {original}, which is kept"}
        first_by_key[key] = row["path"]
        return "document", row

    for rel_path, raw, size, sha, error in progress(files, desc="ingest", total=total):
        if isinstance(error, CollectionFile):
            for table, row in iter_collection(rel_path, error.path, config):
                if table == "document":
                    key = hashlib.sha256("\x1f".join(str(row.get(k) or "") for k in (
                        "sha256", "title", "outlet", "url", "published_date")).encode("utf-8", "surrogatepass")).digest()
                    table, row = deduplicated(table, row, b"r" + key[:16],
                                              "same text, title, outlet, URL and date")
                elif row.get("row_id") is None:
                    identity[rel_path] = (row["sha256"], row["n_bytes"])
                yield table, row
            continue
        if isinstance(error, Refusal):
            row = {"path": rel_path, "sha256": None, "n_bytes": 0, "reason": error.reason, "detail": error.detail}
            if error.duplicate_of is not None:
                linked.append((row, error.duplicate_of))
            yield "rejected", row
            continue
        if error is not None:
            yield "rejected", {"path": rel_path, "sha256": None, "n_bytes": size, "reason": "unreadable", "detail": error}
            continue
        if raw is None:  # over max_bytes: hashed, never loaded
            identity[rel_path] = (sha, size)
            yield "rejected", {"path": rel_path, "sha256": sha, "n_bytes": size, "reason": "too_large",
                               "detail": _too_large_detail(size, config.max_bytes)}
            continue
        entry = manifest.get(rel_path)
        try:
            table, row = classify_file(rel_path, raw, entry, config)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the run
            log.exception("%s: unexpected error while decoding", rel_path)
            table, row = "rejected", {"path": rel_path, "sha256": hashlib.sha256(raw).hexdigest(),
                                      "n_bytes": size, "reason": "undecodable",
                                      "detail": f"decoding failed unexpectedly: {type(err).__name__}: {err}"}
        identity[rel_path] = (row["sha256"], row["n_bytes"])
        yield deduplicated(table, row, b"f" + bytes.fromhex(row["sha256"])[:16], "same bytes")
    # The linked input may come later in path order: its identity is filled in at the end, in
    # the row already yielded (callers keep rejected rows until the end).
    for row, original in linked:
        row["sha256"], row["n_bytes"] = identity.get(original, (None, 0))


def ingest_files(
    files: Iterable[InputEntry],
    manifest: dict[str, ManifestEntry],
    config: IngestConfig,
    total: int | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejected) of `iter_outcomes`, as two frames (for small inputs and tests; the
    stage streams documents to disk with `DocumentWriter`)."""
    documents: list[dict] = []
    rejected: list[dict] = []
    for table, row in iter_outcomes(files, manifest, config, total):
        (documents if table == "document" else rejected).append(row)
    return (
        pl.DataFrame(documents, schema=_schema("documents")),
        pl.DataFrame(rejected, schema=_schema("rejected")),
    )


class DocumentWriter:
    """Writes `documents` to its Parquet file in batches as rows arrive, so that the stage holds
    one batch of text at a time however large the input (a 2 GB collection). Rows are written in
    the order they come (input files in sorted path order, collection rows in file order): the
    same input gives the same bytes. Columns are conformed to the declared schema per batch."""

    def __init__(self, path: Path, batch_chars: int = 16_000_000, batch_rows: int = 10_000):
        self.path = path
        self.batch_chars, self.batch_rows = batch_chars, batch_rows
        self.rows: list[dict] = []
        self.n_chars = 0
        self.n_written = 0
        self.writer = None

    def add(self, row: dict) -> None:
        self.rows.append(row)
        self.n_chars += len(row["text"])
        if self.n_chars >= self.batch_chars or len(self.rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow.parquet as pq

        from pipeline.schemas import TABLES

        table = TABLES["documents"]
        frame = pl.DataFrame(self.rows, schema=table.polars_schema).select(
            [pl.col(c.name).cast(c.dtype) for c in table.columns]).to_arrow()
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, frame.schema, compression="zstd", write_statistics=True)
        if frame.num_rows or self.n_written == 0:
            self.writer.write_table(frame)
        self.n_written += frame.num_rows
        self.rows, self.n_chars = [], 0

    def close(self) -> int:
        if self.rows or self.writer is None:
            self.flush()
        self.writer.close()
        return self.n_written


def manifest_inside_seeds(manifest_path: Path, seeds_dir: Path) -> str | None:
    """None if the manifest may be read; else why not: it stands in the seeds folder but is a
    symbolic link leading outside it (never opened)."""
    try:
        Path(manifest_path).relative_to(seeds_dir)
    except ValueError:
        return None  # configured outside the seeds folder on purpose
    if not Path(manifest_path).is_symlink():
        return None
    target = resolve_link(Path(manifest_path), Path(os.path.realpath(seeds_dir)))
    if target.kind in ("file", "missing"):
        return None
    return f"it is a symbolic link that leads outside the seeds folder or nowhere ({target.kind}: {target.path})"


def ingest_folder(
    seeds_dir: Path, manifest_path: Path | None, config: IngestConfig, root: Path
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejected) for every entry under `seeds_dir`; paths relative to `root`."""
    documents: list[dict] = []
    rejected: list[dict] = []
    for table, row in iter_folder(seeds_dir, manifest_path, config, root):
        (documents if table == "document" else rejected).append(row)
    return pl.DataFrame(documents, schema=_schema("documents")), pl.DataFrame(rejected, schema=_schema("rejected"))


def iter_folder(
    seeds_dir: Path, manifest_path: Path | None, config: IngestConfig, root: Path
) -> Iterator[tuple[str, dict]]:
    """`iter_outcomes` for every entry under `seeds_dir`; paths relative to `root`."""
    manifest: dict[str, ManifestEntry] = {}
    if manifest_path is not None:
        why_not = manifest_inside_seeds(manifest_path, seeds_dir)
        if why_not:
            log.warning("manifest %s not read: %s", manifest_path, why_not)
        else:
            # The manifest names files relative to seeds_dir; tables name them relative to the repo root.
            seeds_rel = Path(os.path.relpath(seeds_dir, root))
            manifest = {display_path((seeds_rel / k).as_posix()): v for k, v in read_manifest(manifest_path).items()}
    paths = list_input_files(seeds_dir, manifest_path)
    rel_paths = {_rel(p, root) for p in paths}
    for rel_path in sorted(set(manifest) - rel_paths):
        log.warning("manifest lists %s, which is not in %s", rel_path, seeds_dir)
    yield from iter_outcomes(read_inputs(paths, seeds_dir, root, config.max_bytes), manifest, config, total=len(paths))


def _schema(name: str) -> dict:
    from pipeline.schemas import TABLES

    return TABLES[name].polars_schema


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    params = load_params("ingest")
    config = IngestConfig.from_params(params)
    seeds_dir = ROOT / params["seeds_dir"]
    if not seeds_dir.is_dir():
        log.warning("seeds_dir %s does not exist: no input files", seeds_dir)
    manifest_path = ROOT / params["manifest"] if params.get("manifest") else None
    from pipeline.common import table_path

    writer = DocumentWriter(table_path("documents"))
    rejected_rows: list[dict] = []
    for table, row in iter_folder(seeds_dir, manifest_path, config, ROOT):
        if table == "document":
            writer.add(row)
        else:
            rejected_rows.append(row)
    n_documents = writer.close()
    rejected = pl.DataFrame(rejected_rows, schema=_schema("rejected"))
    write_table("rejected", rejected)
    log.info("ingest: %d documents accepted, %d files or rows rejected", n_documents, rejected.height)
    for row in rejected.head(200).iter_rows(named=True):
        log.info("rejected %s (%s): %s", row["path"], row["reason"], row["detail"])


if __name__ == "__main__":
    main()
