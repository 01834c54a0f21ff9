"""Stage `ingest`: read every input file once, decode it, and accept or reject it.

Outputs (grain in `pipeline.schemas`):
- `documents`: one row per accepted input file (decoded text, NFC, `\\n` line ends, no BOM).
- `rejected`: one row per input file that was not accepted, with a reason and a sentence saying why.

Every file under `seeds_dir` (except hidden files and the manifest) ends in exactly one of the two
tables; one bad file never stops the run. The logic lives in pure functions on bytes and strings
(`decode_bytes`, `detect_format`, `detect_language`, `classify_file`); `main` only lists files,
reads them and writes the two tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from pipeline.common import ROOT, load_params, progress, write_table

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

    Call it on bytes that carry no UTF-16/32 BOM (those legitimately contain NUL bytes).
    """
    for magic, name in BINARY_MAGIC:
        if raw.startswith(magic):
            return f"starts with the signature of a {name} file"
    sample = raw[:65536]
    if b"\x00" in sample:
        if _utf16_without_bom(sample) is not None:
            return None
        return f"contains NUL bytes (first at byte {sample.index(0)}), which text files never do"
    n_controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and n_controls / len(sample) > max_control_ratio:
        return (f"{n_controls / len(sample):.0%} of its first {len(sample)} bytes are control characters "
                f"(limit {max_control_ratio:.0%})")
    return None


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


def decode_bytes(raw: bytes, max_control_ratio: float = 0.05) -> tuple[str, str]:
    """Decode raw file bytes to normalized text; returns (text, encoding label).

    Order: a BOM decides (UTF-32/UTF-16/UTF-8-sig); otherwise binary content is refused; then
    strict UTF-8 (most files), BOM-less UTF-16, and finally single-byte code pages. Mojibake is
    repaired afterwards and recorded in the label ("utf-8+mojibake-repaired").
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
    if text is None:
        why = sniff_binary(raw, max_control_ratio)
        utf16 = _utf16_without_bom(raw[:65536]) if b"\x00" in raw[:65536] else None
        if why is not None:
            raise BinaryContent(why)
        if utf16 is not None:
            try:
                text, encoding = raw.decode(utf16), utf16
            except UnicodeDecodeError as err:
                raise DecodeError(f"looks like {utf16} without a byte order mark but does not decode: {err.reason}") from err
        else:
            try:
                text, encoding = raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = _decode_single_byte(raw)
    text, repaired = repair_mojibake(text)
    if repaired:
        encoding += "+mojibake-repaired"
    return normalize_text(text), encoding


# --- format ------------------------------------------------------------------------------------

_HTML_DOC = re.compile(r"\A\s*(<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.I)
_HTML_TAG = re.compile(r"</?(p|div|span|a|br|h[1-6]|article|section|img|ul|ol|li|figure|table|body|head|script)\b[^>]*>", re.I)
_MD_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)[^\n]+?(?<=\S)\1")
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

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|it|org|net)/\S*", re.I)
_MARKUP = re.compile(r"<[^>]+>|!?\[|\]\([^)]*\)|[*_#>`|]")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_SCRIPT = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.I | re.S)


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    """A py3langid identifier restricted to `languages` (all of its languages if empty), built once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def language_sample(text: str, limit: int = 2_000) -> str:
    """The prose of `text` for language identification: no URLs, no markup, at most `limit` chars."""
    text = _SCRIPT.sub(" ", text[: limit * 2])
    return _MARKUP.sub(" ", _URL.sub(" ", text))[:limit]


def detect_language(
    text: str,
    accepted: tuple[str, ...],
    candidates: tuple[str, ...],
    min_letters: int,
    fallback: str | None = None,
) -> tuple[str, bool]:
    """(ISO 639-1 code, is_reliable) for `text`.

    py3langid is restricted to `candidates` (major languages), which keeps it from answering with a
    regional variety (vec, lij) or a rare language for Italian full of foreign names. Statistical
    identification fails on short strings, so when the prose has fewer than `min_letters` letters
    the answer is flagged unreliable and is `fallback` (the manifest's language) when given, else
    the most likely of the `accepted` languages: a short text is never rejected on a guess.
    """
    sample = language_sample(text)
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

    Duplicates are decided by the caller, which sees all files (`ingest_files`).
    """
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
    if not text.strip():
        return reject("empty", f"the file has only whitespace ({_size(n_bytes)})")
    fallback = manifest.language if manifest else None
    lang, reliable = detect_language(
        text, config.languages, config.langid_candidates, config.lang_min_letters, fallback
    )
    if lang not in config.languages:
        accepted = ", ".join(config.languages)
        said = "is detected as" if reliable else "is too short to identify and the manifest says it is"
        return reject("unsupported_language", f"the text {said} '{lang}', not an accepted language ({accepted})")
    if manifest and manifest.language and reliable and manifest.language != lang:
        log.warning("%s: the manifest says '%s' but the text reads as '%s'; using '%s'",
                    rel_path, manifest.language, lang, lang)
    return "document", {
        "doc_id": sha[:16],
        "path": rel_path,
        "sha256": sha,
        "n_bytes": n_bytes,
        "encoding": encoding,
        "text": text,
        "format": detect_format(text),
        "lang": lang,
        "outlet": manifest.outlet if manifest else None,
        "url": manifest.url if manifest else None,
        "published_date": manifest.published_date if manifest else None,
    }


def list_input_files(seeds_dir: Path, manifest_path: Path | None) -> list[Path]:
    """Every regular file under `seeds_dir`, recursively, in sorted order; hidden files and
    folders (.gitkeep, .DS_Store) and the manifest itself are skipped."""
    manifest_resolved = manifest_path.resolve() if manifest_path else None
    files = []
    for dirpath, dirnames, filenames in os.walk(seeds_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = Path(dirpath) / name
            if name.startswith(".") or (manifest_resolved and path.resolve() == manifest_resolved):
                continue
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(seeds_dir).as_posix())


def read_file(path: Path, max_bytes: int) -> tuple[bytes | None, int, str | None, str | None]:
    """(bytes, size, sha256-if-not-read, error). Files over `max_bytes` are hashed in chunks
    instead of being loaded whole; unreadable files give bytes None and an error sentence."""
    try:
        size = path.stat().st_size
    except OSError as err:
        return None, 0, None, f"cannot read the file: {err.strerror or err}"
    try:
        if size > max_bytes:
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            return None, size, digest.hexdigest(), None
        return path.read_bytes(), size, None, None
    except OSError as err:
        return None, size, None, f"cannot read the file: {err.strerror or err}"


def ingest_files(
    files: Iterable[tuple[str, bytes | None, int, str | None, str | None]],
    manifest: dict[str, ManifestEntry],
    config: IngestConfig,
    total: int | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, rejected) for files given as (repo-relative path, bytes or None, size,
    sha256 when bytes were not loaded, read error or None), in sorted path order. `files` may be
    a generator, so that only one file's bytes are held at a time.

    `manifest` keys are paths relative to the seeds folder; `path` here is relative to the repo
    root, so the lookup uses the path's suffix. Exact duplicates of an accepted file are rejected
    as `duplicate`, naming the first file in sorted order, which is kept.
    """
    documents: list[dict] = []
    rejected: list[dict] = []
    first_by_sha: dict[str, str] = {}
    for rel_path, raw, size, sha, error in progress(files, desc="ingest", total=total):
        if error is not None:
            rejected.append({"path": rel_path, "sha256": None, "n_bytes": size, "reason": "unreadable", "detail": error})
            continue
        if raw is None:  # over max_bytes: hashed, never loaded
            rejected.append({"path": rel_path, "sha256": sha, "n_bytes": size, "reason": "too_large",
                             "detail": _too_large_detail(size, config.max_bytes)})
            continue
        entry = manifest.get(rel_path)
        try:
            table, row = classify_file(rel_path, raw, entry, config)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the run
            log.exception("%s: unexpected error while decoding", rel_path)
            table, row = "rejected", {"path": rel_path, "sha256": hashlib.sha256(raw).hexdigest(),
                                      "n_bytes": size, "reason": "undecodable",
                                      "detail": f"decoding failed unexpectedly: {type(err).__name__}: {err}"}
        if table == "document":
            original = first_by_sha.get(row["sha256"])
            if original is not None:
                rejected.append({"path": rel_path, "sha256": row["sha256"], "n_bytes": size, "reason": "duplicate",
                                 "detail": f"same bytes as {original}, which is kept"})
                continue
            first_by_sha[row["sha256"]] = rel_path
            documents.append(row)
        else:
            rejected.append(row)
    return (
        pl.DataFrame(documents, schema=_schema("documents")),
        pl.DataFrame(rejected, schema=_schema("rejected")),
    )


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
    manifest_by_seed_path = read_manifest(manifest_path) if manifest_path else {}
    # The manifest names files relative to seeds_dir; tables name them relative to the repo root.
    seeds_rel = Path(os.path.relpath(seeds_dir, ROOT)).as_posix()
    manifest = {(Path(seeds_rel) / k).as_posix(): v for k, v in manifest_by_seed_path.items()}

    paths = {Path(os.path.relpath(p, ROOT)).as_posix(): p for p in list_input_files(seeds_dir, manifest_path)}
    for rel_path in sorted(set(manifest) - set(paths)):
        log.warning("manifest lists %s, which is not in %s", rel_path, seeds_rel)
    files = ((rel_path, *read_file(path, config.max_bytes)) for rel_path, path in paths.items())

    documents, rejected = ingest_files(files, manifest, config, total=len(paths))
    write_table("documents", documents)
    write_table("rejected", rejected)
    log.info("ingest: %d documents accepted, %d files rejected", documents.height, rejected.height)
    for row in rejected.iter_rows(named=True):
        log.info("rejected %s (%s): %s", row["path"], row["reason"], row["detail"])


if __name__ == "__main__":
    main()
