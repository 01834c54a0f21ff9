"""Bytes -> text: byte-order marks, binary sniffing, encoding detection (UTF-8/16/32, Western code
pages), mojibake repair, control characters, NFC (`decode_bytes`); and letter-spaced text
collapsed to words (`collapse_letter_spacing`).
"""

from __future__ import annotations

import re
import unicodedata

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


def decode_single_byte(raw: bytes) -> tuple[str, str]:
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


# The trace every UTF-8 text leaves when it is decoded as a single-byte code page: a lead byte read
# as a letter, followed by as many continuation bytes as that lead announces, each read as latin-1
# (0x80-0xBF) or as cp1252 punctuation: one after Â-ß ("Ã©" for "é", "Â»" for "»"), two after à-ï
# ("â€™" for "’"), three after ð-ô. Counting them keeps correct Italian out: in "città»",
# "perché»", "così’" or "Però…" a lowercase accented letter (a three-byte lead) is followed by one
# punctuation mark only. The one altered form kept: "Ã" then a space, "à" (C3 A0) whose no-break
# space became a plain one ("la cittÃ  di"). Text without the trace has no mojibake ftfy could
# undo, and skipping ftfy there saves most of its cost (about 3 ns a character for this search,
# about 300 for ftfy's own judgment).
_CONTINUATION = ("[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013"
                 "\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_MOJIBAKE_TRACE = re.compile(
    # the lead is matched first and the lookbehinds pick its length: as fast as one character class
    f"[\u00c2-\u00f4](?:(?<=[\u00c2-\u00df]){_CONTINUATION}|(?<=[\u00e0-\u00ef]){_CONTINUATION}{{2}}"
    f"|(?<=[\u00f0-\u00f4]){_CONTINUATION}{{3}}|(?<=\u00c3) )"
)


def has_mojibake(text: str) -> bool:
    """Does `text` hold UTF-8 once decoded as cp1252/latin-1 ("perchÃ©", "lâ€™uomo", "cittÃ  di")?

    The trace above finds the byte sequences; ftfy's own badness judgment confirms them, because a
    capital accented letter before a closing mark ("«PERCHÉ»", "COSÌ”") has the trace's shape and is
    correct Italian.
    """
    if not _MOJIBAKE_TRACE.search(text):
        return False
    from ftfy.badness import is_bad

    return is_bad(text)


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 text that was once decoded as cp1252/latin-1 ("perchÃ©" -> "perché")."""
    if not has_mojibake(text):
        return text, False
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def canonical_document_text(text: str) -> str:
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
            text, encoding = decode_single_byte(clean)
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
    return canonical_document_text(text), encoding


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
