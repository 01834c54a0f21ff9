"""Unit tests of stage `ingest` on bytes written here (not the seeds)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.common import load_params
from pipeline.intake.classify import IngestConfig, classify_file
from pipeline.intake.decode import (BinaryContent, DecodeError, canonical_document_text, collapse_letter_spacing,
                                    decode_bytes, has_mojibake)
from pipeline.intake.detect import detect_format, detect_language, visible_text
from pipeline.intake.inputs import list_input_files, read_file
from pipeline.intake.manifest import ManifestEntry, parse_manifest, read_manifest
from pipeline.intake.outcomes import ingest_files, ingest_folder

ITALIAN = (
    "Il Consiglio dei ministri ha approvato ieri sera la manovra economica. «Così non si può andare "
    "avanti», ha detto il ministro dell’Economia – e perché la città sarà più sicura nei prossimi mesi, "
    "secondo il sindaco, servirà un’altra legge. L’opposizione ha annunciato battaglia in Parlamento: "
    "il voto finale è atteso per la prossima settimana, dopo una lunga discussione in commissione."
)
ENGLISH = (
    "The cabinet approved the budget last night after a long debate. The opposition announced it would "
    "fight the measure in parliament, and the final vote is expected next week, after the committee has "
    "finished its work on the amendments that were filed by several parties over the last few days."
)

CONFIG = IngestConfig(
    max_bytes=10_000,
    languages=("it",),
    langid_candidates=("it", "en", "fr", "de", "es", "pt"),
    lang_min_letters=200,
    max_control_ratio=0.05,
)

# The project's own language settings (the candidates that drift a letter-spaced text to Catalan).
PARAMS_CONFIG = IngestConfig.from_params(load_params("ingest"))
LARGE_CONFIG = replace(CONFIG, max_bytes=1_000_000, langid_candidates=PARAMS_CONFIG.langid_candidates)


# --- decoding ----------------------------------------------------------------------------------


def test_strict_utf8_is_preferred():
    text, encoding = decode_bytes(ITALIAN.encode("utf-8"))
    assert (text, encoding) == (ITALIAN, "utf-8")


def test_utf8_bom_and_crlf_are_removed():
    raw = b"\xef\xbb\xbf" + "Titolo\r\n\r\nPrima riga.\r\nSeconda riga.\rTerza.".encode("utf-8")
    text, encoding = decode_bytes(raw)
    assert encoding == "utf-8-sig"
    assert text == "Titolo\n\nPrima riga.\nSeconda riga.\nTerza."
    assert "\ufeff" not in text and "\r" not in text


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom(codec, bom):
    text, encoding = decode_bytes(bom + ITALIAN.encode(codec))
    assert text == ITALIAN
    assert encoding == "utf-16"


def test_utf16_without_bom_is_recognised_by_its_nul_pattern():
    text, encoding = decode_bytes(ITALIAN.encode("utf-16-le"))
    assert (text, encoding) == (ITALIAN, "utf-16-le")


def test_cp1252_is_chosen_for_italian_typography():
    # ’ “ ” – € live in 0x80-0x9F in cp1252, where latin-1 has invisible control characters.
    raw = "Perché l’euro – dice – vale “più” di 100 €.".encode("cp1252")
    text, encoding = decode_bytes(raw)
    assert encoding == "cp1252"
    assert text == "Perché l’euro – dice – vale “più” di 100 €."


def test_latin1_only_accents_decode_identically():
    raw = "Città, perché è già così".encode("latin-1")
    text, _ = decode_bytes(raw)
    assert text == "Città, perché è già così"


def test_non_latin_code_page_falls_back_to_charset_normalizer():
    raw = "Президент России заявил сегодня, что переговоры продолжатся на следующей неделе.".encode("cp1251")
    text, encoding = decode_bytes(raw)
    assert text.startswith("Президент России")
    assert encoding == "cp1251"


def test_mojibake_is_repaired_and_recorded():
    mojibake = "Il governo è caduto perché la città è più divisa".encode("utf-8").decode("cp1252")
    assert "perchÃ©" in mojibake
    text, encoding = decode_bytes(mojibake.encode("utf-8"))
    assert text == "Il governo è caduto perché la città è più divisa"
    assert encoding == "utf-8+mojibake-repaired"


# Correct Italian typography: accented letters right before closing guillemets, quotes, dashes and
# ellipses, and capitals before a guillemet (the shape of a two-byte UTF-8 sequence read as cp1252).
CORRECT_TYPOGRAPHY = [
    "«Non lo so, perché»", "«È la nostra città»", "Lo ha detto lui: «Basta così’", "Però… vedremo",
    "«Il sindaco? È lì”», disse.", "la libertà – disse – e l’età", "«È così»", "«PERCHÉ»",
    "«BASTA COSÌ», urlava la piazza", "Caffè™ e «più»", "SÃO PAULO",
]


@pytest.mark.parametrize("text", CORRECT_TYPOGRAPHY)
def test_correct_italian_next_to_punctuation_is_not_mojibake(text):
    assert not has_mojibake(text)
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


@pytest.mark.parametrize(
    ("correct", "mojibake"),
    [("è stato", "Ã¨ stato"), ("la città è", "la cittÃ\u00a0 Ã¨"), ("perché", "perchÃ©"),
     ("l’uomo", "lâ€™uomo"), ("«Però»", "Â«PerÃ²Â»"),
     # the no-break space of "à" (C3 A0) turned into a plain space by an HTML extractor
     ("la città di Roma e la libertà di stampa", "la cittÃ  di Roma e la libertÃ  di stampa")],
)
def test_double_encoded_sequences_are_mojibake(correct, mojibake):
    assert has_mojibake(mojibake)
    assert decode_bytes(mojibake.encode("utf-8")) == (correct, "utf-8+mojibake-repaired")


def test_text_is_nfc():
    decomposed = "perche\u0301 citta\u0300"
    assert canonical_document_text(decomposed) == "perché città"
    text, _ = decode_bytes(decomposed.encode("utf-8"))
    assert text == "perché città"


@pytest.mark.parametrize(
    "raw,fragment",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 some pdf", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"testo\x00con\x00nul\x00dentro e altro", "control bytes"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + b"abc", "control bytes"),
    ],
)
def test_binary_content_is_refused_with_a_reason(raw, fragment):
    with pytest.raises(BinaryContent, match=fragment):
        decode_bytes(raw)


def test_undecodable_bytes_are_refused():
    # High bytes only, many in runs and several undefined in cp1252: no encoding reads this as text.
    raw = bytes(range(0x80, 0x100)) * 4
    with pytest.raises(DecodeError):
        decode_bytes(raw)


# --- format ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("<!DOCTYPE html><html><body><p>Ciao</p></body></html>", "html"),
        ("<div><p>Uno</p><p>Due</p><p>Tre</p></div>", "html"),
        ("Il testo cita [un articolo](https://example.it/a) del giornale.", "markdown"),
        ("![Foto](https://example.it/a.jpg)\nDidascalia.", "markdown"),
        ("# Titolo\n\nTesto del pezzo.", "markdown"),
        ("Il ministro ha detto **parole forti** ieri.", "markdown"),
        ("Un testo semplice. Con un [commento] tra parentesi e 3 * 4 = 12.", "text"),
        ("Il prezzo è < 5 euro e > 2 euro.", "text"),
    ],
)
def test_detect_format(text, expected):
    assert detect_format(text) == expected


# --- language ----------------------------------------------------------------------------------


def test_language_of_long_texts():
    assert detect_language(ITALIAN, ("it",), CONFIG.langid_candidates, 200) == ("it", True)
    assert detect_language(ENGLISH, ("it",), CONFIG.langid_candidates, 200) == ("en", True)


def test_language_ignores_urls_and_markup():
    text = ITALIAN + " " + " ".join(f"[link](https://example.com/the-news/{i})" for i in range(30))
    assert detect_language(text, ("it",), CONFIG.langid_candidates, 200)[0] == "it"


def test_short_text_is_unreliable_and_uses_the_manifest_language():
    assert detect_language("Breaking news today", ("it",), CONFIG.langid_candidates, 200, fallback="en") == ("en", False)


def test_short_text_without_manifest_gets_an_accepted_language():
    lang, reliable = detect_language("Breaking news today", ("it",), CONFIG.langid_candidates, 200)
    assert (lang, reliable) == ("it", False)


def test_norwegian_code_must_be_quoted_in_params():
    with pytest.raises(ValueError, match="quote"):
        IngestConfig.from_params({"max_bytes": 10, "languages": ["it"], "langid_candidates": ["it", False]})


# --- classify_file -----------------------------------------------------------------------------


def _classify(raw: bytes, manifest: ManifestEntry | None = None):
    return classify_file("seeds/x.txt", raw, manifest, CONFIG)


def test_accepted_document_row():
    raw = ITALIAN.encode("utf-8")
    table, row = _classify(raw, ManifestEntry(outlet="Il Post", url="https://x.it/a", published_date=dt.date(2025, 2, 12)))
    sha = hashlib.sha256(raw).hexdigest()
    assert table == "document"
    assert row["doc_id"] == sha[:16] and row["sha256"] == sha
    assert row["n_bytes"] == len(raw)
    assert (row["encoding"], row["format"], row["lang"]) == ("utf-8", "text", "it")
    assert (row["outlet"], row["url"], row["published_date"]) == ("Il Post", "https://x.it/a", dt.date(2025, 2, 12))


@pytest.mark.parametrize(
    "raw,reason,words",
    [
        (b"", "empty", "0 bytes"),
        (b"  \n\t\r\n ", "empty", "whitespace"),
        (b"\xef\xbb\xbf\r\n", "empty", "whitespace"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary", "ELF"),
        (bytes(range(0x80, 0x100)) * 4, "undecodable", "UTF-8"),
        (b"\xff\xfe\x00\xd8", "undecodable", "byte order mark"),
        (ENGLISH.encode(), "unsupported_language", "'en'"),
        (b"x" * 10_001, "too_large", "10,001 bytes"),
    ],
)
def test_rejections_name_their_reason(raw, reason, words):
    table, row = _classify(raw)
    assert table == "rejected"
    assert row["reason"] == reason
    assert words in row["detail"]
    assert row["sha256"] == hashlib.sha256(raw).hexdigest()
    assert row["n_bytes"] == len(raw)


def test_too_large_detail_says_size_and_limit():
    _, row = _classify(b"a" * 250_000)
    assert "0.2 MB (250,000 bytes)" in row["detail"] and "10,000 bytes" in row["detail"]


def test_unsupported_language_detail_lists_accepted_languages():
    _, row = _classify(ENGLISH.encode())
    assert "'en'" in row["detail"] and "(it)" in row["detail"]


def test_short_text_is_accepted_unless_the_manifest_says_otherwise():
    assert _classify("Breve nota.".encode())[0] == "document"
    table, row = _classify(b"Short note.", ManifestEntry(language="en"))
    assert (table, row["reason"]) == ("rejected", "unsupported_language")


# --- ingest_files: duplicates, unreadable, every file exactly once -------------------------------


def test_duplicates_keep_the_first_in_path_order_and_every_file_lands_once():
    it_raw = ITALIAN.encode()
    files = [
        ("seeds/a.txt", it_raw, len(it_raw), None, None),
        ("seeds/b.txt", b"", 0, None, None),
        ("seeds/c.txt", it_raw, len(it_raw), None, None),
        ("seeds/d.txt", None, 0, None, "cannot read the file: Permission denied"),
        ("seeds/e.txt", None, 99_999, "ab" * 32, None),
    ]
    documents, rejected = ingest_files(files, {}, CONFIG)
    assert documents["path"].to_list() == ["seeds/a.txt"]
    reasons = dict(zip(rejected["path"], rejected["reason"]))
    assert reasons == {"seeds/b.txt": "empty", "seeds/c.txt": "duplicate", "seeds/d.txt": "unreadable",
                       "seeds/e.txt": "too_large"}
    dup = rejected.filter(rejected["path"] == "seeds/c.txt").row(0, named=True)
    assert "seeds/a.txt" in dup["detail"]
    unreadable = rejected.filter(rejected["path"] == "seeds/d.txt").row(0, named=True)
    assert unreadable["sha256"] is None
    assert sorted([*documents["path"], *rejected["path"]]) == [f[0] for f in files]


def test_manifest_is_looked_up_by_repo_relative_path():
    raw = ITALIAN.encode()
    documents, _ = ingest_files([("seeds/sub/a.txt", raw, len(raw), None, None)],
                                {"seeds/sub/a.txt": ManifestEntry(outlet="Avvenire")}, CONFIG)
    assert documents["outlet"].to_list() == ["Avvenire"]


# --- files on disk -----------------------------------------------------------------------------


def test_list_input_files_is_recursive_sorted_and_skips_hidden_and_manifest(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["b/2.txt", "a.txt", "sources.csv", ".gitkeep", ".hidden/x.txt", "b/1.md"]:
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in list_input_files(tmp_path, tmp_path / "sources.csv")]
    assert found == ["a.txt", "b/1.md", "b/2.txt"]


def test_read_file_never_follows_a_link(tmp_path: Path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    files = list_input_files(tmp_path, None)
    assert [p.name for p in files] == ["dangling.txt"]
    raw, size, sha, error = read_file(files[0], 1000)
    assert raw is None and sha is None and "cannot read" in error


def test_read_file_reports_a_missing_file_as_unreadable(tmp_path: Path):
    raw, size, sha, error = read_file(tmp_path / "gone.txt", 1000)
    assert raw is None and sha is None and "cannot read" in error


def test_read_file_hashes_oversize_files_without_returning_them(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 5000)
    raw, size, sha, error = read_file(path, 1000)
    assert raw is None and size == 5000 and sha == hashlib.sha256(b"a" * 5000).hexdigest() and error is None


# --- manifest ----------------------------------------------------------------------------------


def test_manifest_fields_may_be_empty_and_dates_are_parsed():
    entries, warnings = parse_manifest(
        "path,outlet,url,published_date,language\n"
        "a.txt,Il Post,https://x.it/2025/02/12/a,2025-02-12,it\n"
        "./b.txt,,,,\n"
        "c.txt,Rai News,,12/02/2025,\n"
        "d.txt,,,domani,\n"
        "a.txt,Altro,,,\n"
    )
    assert entries["a.txt"] == ManifestEntry("Il Post", "https://x.it/2025/02/12/a", dt.date(2025, 2, 12), "it")
    assert entries["b.txt"] == ManifestEntry()
    assert entries["c.txt"].published_date == dt.date(2025, 2, 12)
    assert entries["d.txt"].published_date is None
    assert any("domani" in w for w in warnings)
    assert any("listed again" in w for w in warnings)


def test_manifest_without_path_column_is_ignored_with_a_warning():
    entries, warnings = parse_manifest("file;outlet\na.txt;Il Post\n")
    assert entries == {} and "no 'path' column" in warnings[0]


def test_missing_or_broken_manifest_warns_and_does_not_crash(tmp_path: Path, caplog):
    assert read_manifest(tmp_path / "nope.csv") == {}
    assert "not found" in caplog.text
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xff\xfe\x00garbage\x00")
    assert read_manifest(broken) == {}
    assert "unreadable" in caplog.text or "no 'path' column" in caplog.text


# --- stray control characters ------------------------------------------------------------------


def test_a_few_nul_and_control_bytes_are_removed_and_noted():
    raw = ITALIAN.encode()
    raw = raw[:40] + b"\x00" + raw[40:120] + b"\x1b\x00" + raw[120:] + b"\x00\x00"
    text, encoding = decode_bytes(raw)
    assert encoding == "utf-8+controls-removed"
    assert text == ITALIAN
    table, row = _classify(raw)
    assert (table, row["encoding"], row["lang"]) == ("document", "utf-8+controls-removed", "it")


def test_stray_controls_do_not_spoil_a_code_page_guess():
    raw = "Perché l’euro – dice – vale “più” di 100 €.\x00".encode("cp1252") + b"\x07"
    text, encoding = decode_bytes(raw)
    assert (text, encoding) == ("Perché l’euro – dice – vale “più” di 100 €.", "cp1252+controls-removed")


def test_controls_inside_bom_marked_utf16_are_removed():
    text, encoding = decode_bytes(b"\xff\xfe" + ("Titolo\x00\n" + ITALIAN).encode("utf-16-le"))
    assert (text, encoding) == ("Titolo\n" + ITALIAN, "utf-16+controls-removed")


def test_utf32_without_bom_is_recognised():
    text, encoding = decode_bytes(ITALIAN.encode("utf-32-le"))
    assert (text, encoding) == (ITALIAN, "utf-32-le")


def test_text_made_mostly_of_controls_stays_binary():
    # 1 control byte in 10: far more than "a few" strays (limit 5%).
    raw = b"".join(bytes([0]) + ITALIAN.encode()[i:i + 9] for i in range(0, 270, 9))
    table, row = _classify(raw)
    assert (table, row["reason"]) == ("rejected", "binary")
    assert "control bytes" in row["detail"] and "max_control_ratio" in row["detail"]


def test_random_bytes_are_never_accepted():
    import random

    rng = random.Random(7)
    for _ in range(20):
        raw = bytes(rng.randrange(256) for _ in range(3000))
        table, row = _classify(raw)
        assert table == "rejected" and row["reason"] in ("binary", "undecodable"), row


# --- language on visible text ------------------------------------------------------------------


def _base64_blob(n_bytes: int) -> str:
    import base64
    import random

    rng = random.Random(11)
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(n_bytes))).decode()


def test_markdown_with_an_inline_data_image_is_italian():
    text = f"# Il voto in aula\n\n![Il Parlamento](data:image/png;base64,{_base64_blob(30_000)})\n\n{ITALIAN}\n"
    table, row = classify_file("seeds/x.md", text.encode(), None, LARGE_CONFIG)
    assert (table, row.get("lang"), row.get("format")) == ("document", "it", "markdown")


def test_html_with_large_inline_scripts_and_styles_is_italian():
    script = "<script>" + "window.dataLayer.push({event: 'view', user: 'anonymous', items: []});\n" * 300 + "</script>"
    style = "<style>" + ".header .menu li a { color: #333; font-weight: bold; }\n" * 300 + "</style>"
    page = (f"<!DOCTYPE html><html><head><title>Notizie</title>{style}{script}</head><body>"
            f"<!-- Tracking and advertising code follows, please do not remove -->{script}"
            f"<h1>La manovra in aula</h1><p>{ITALIAN}</p>{script}</body></html>")
    table, row = classify_file("seeds/x.html", page.encode(), None, LARGE_CONFIG)
    assert (table, row.get("lang"), row.get("format")) == ("document", "it", "html")


def test_visible_text_drops_markup_urls_data_uris_and_base64():
    text = (
        "<p>Il <b>sindaco</b> ha parlato.</p><script>var x = 'nascosto';</script><!-- commento -->"
        " Vedi [il documento](https://example.it/doc.pdf) e www.example.com/pagina."
        f" <img src=\"data:image/jpeg;base64,{_base64_blob(300)}\"> Fine &amp; basta.\n"
        f"{_base64_blob(200)}\n**Grassetto** e _corsivo_."
    )
    words = visible_text(text).split()
    assert words == ["Il", "sindaco", "ha", "parlato.", "Vedi", "il", "documento", "e", "Fine", "&", "basta.",
                     "Grassetto", "e", "corsivo", "."]


def test_an_unclosed_script_hides_the_rest_as_in_a_browser():
    assert visible_text("<p>Prima</p><script>var a = 1; <p>Dopo</p>").split() == ["Prima"]


@pytest.mark.parametrize(
    "content",
    [
        "<html><body><div><img src='foto.jpg'></div><br></body></html>",
        "![](https://example.it/foto.jpg)\n\n---\n\n* * *\n",
        "https://example.it/articolo/123\nwww.example.com/altro\n",
        "\n".join(_base64_blob(3000)[i:i + 76] for i in range(0, 4000, 76)),
        "<style>body { color: red; }</style><script>alert(1)</script>",
    ],
)
def test_files_without_visible_text_are_empty(content):
    table, row = _classify(content.encode())
    assert (table, row["reason"]) == ("rejected", "empty")
    assert "no visible text" in row["detail"]


# --- letter spacing ----------------------------------------------------------------------------

WIRE = (
    "La Casa Bianca ha annunciato ieri sera un nuovo incontro tra i due presidenti, previsto per la "
    "prossima settimana a Ginevra. Secondo fonti diplomatiche, al centro del colloquio ci saranno il "
    "cessate il fuoco, lo scambio di prigionieri e gli aiuti umanitari. L’ultimo vertice risale a tre "
    "mesi fa e si era concluso senza un accordo."
)


def letter_spaced(text: str, word_gap: str = "  ") -> str:
    return "\n".join(word_gap.join(" ".join(word) for word in line.split(" ")) for line in text.split("\n"))


@pytest.mark.parametrize("word_gap", ["  ", "   ", "\u00a0", " \u00a0 "])
def test_letter_spaced_text_is_collapsed(word_gap):
    spaced = letter_spaced(WIRE, word_gap)
    assert spaced.startswith("L a" + word_gap + "C a s a" + word_gap + "B i a n c a")
    assert collapse_letter_spacing(spaced) == (WIRE, True)


def test_only_letter_spaced_lines_are_collapsed():
    text = "Vertice a Ginevra, le reazioni\n\n" + letter_spaced(WIRE) + "\n\n" + letter_spaced("UCRAINA")
    collapsed, changed = collapse_letter_spacing(text)
    assert changed and collapsed == "Vertice a Ginevra, le reazioni\n\n" + WIRE + "\n\nUCRAINA"


@pytest.mark.parametrize(
    "text",
    [
        WIRE,
        "a b c d e f g h i l m n o p q r s t u v z",  # a list of letters, single spaces
        "a  b  c  d  e  f  g  h  i  l  m  n  o  p  q  r  s  t  u  v  z",  # ... or double spaces
        "Opzioni:\n" + "\n".join(f"{c} ) risposta {c}" for c in "abcdefghilmnopqrstuvz"),
        "J. R. R. Tolkien e C. S. Lewis erano amici. " * 10,
        "Le ipotesi A e B sono state scartate, resta la C: lo ha detto il ministro. " * 10,
        "Il codice è A B C D E F G H, poi si prosegue con il testo normale dell'articolo che "
        "racconta la giornata di ieri in Parlamento, dove il voto è stato rinviato. " * 3,
    ],
)
def test_text_that_is_not_letter_spaced_is_left_alone(text):
    assert collapse_letter_spacing(text) == (text, False)


def test_letter_spaced_file_is_accepted_as_italian_and_noted(monkeypatch):
    config = replace(CONFIG, langid_candidates=PARAMS_CONFIG.langid_candidates)
    raw = (letter_spaced(WIRE + "\n\n" + ITALIAN) + "\n").encode()
    table, row = classify_file("seeds/x.txt", raw, None, config)
    assert table == "document"
    assert (row["encoding"], row["lang"]) == ("utf-8+letter-spacing-collapsed", "it")
    assert row["text"] == WIRE + "\n\n" + ITALIAN + "\n"
    # Read as it is, the spaced text is not identified as Italian.
    monkeypatch.setattr("pipeline.intake.classify.collapse_letter_spacing", lambda text: (text, False))
    table, row = classify_file("seeds/x.txt", raw, None, config)
    assert (table, row["reason"]) == ("rejected", "unsupported_language")


def test_letter_spaced_copy_is_a_near_duplicate_of_its_normal_text():
    from pipeline.agreement.scores import near_duplicate_documents

    normal = f"Vertice a Ginevra\n\n{WIRE}\n\n{ITALIAN}\n"
    spaced = f"Vertice a Ginevra\n\n{letter_spaced(WIRE)}\n\n{letter_spaced(ITALIAN)}\n"
    rows = {}
    for name, content in (("normal", normal), ("spaced", spaced)):
        table, row = classify_file(f"seeds/{name}.txt", content.encode(), None, CONFIG)
        assert table == "document"
        rows[name] = row
    assert rows["spaced"]["doc_id"] != rows["normal"]["doc_id"]
    texts = {row["doc_id"]: row["text"] for row in rows.values()}
    pairs = near_duplicate_documents(texts)
    assert pairs.height == 1 and pairs["shingle_jaccard"][0] >= 0.9
    # Without the collapse the two would share no shingle at all.
    raw_texts = {rows["normal"]["doc_id"]: normal, rows["spaced"]["doc_id"]: spaced}
    assert near_duplicate_documents(raw_texts).height == 0


# --- a folder of adversarial entries: links, loops, pipes, odd bytes -----------------------------

ITALIAN_2 = (
    "I commercianti del centro si sono detti preoccupati per le possibili ripercussioni sulle vendite. "
    "Secondo l’associazione di categoria, la chiusura al traffico di alcune strade potrebbe ridurre gli "
    "accessi nei negozi, almeno nei primi mesi. Il sindaco ha promesso un tavolo di confronto già dalla "
    "prossima settimana, mentre l’opposizione chiede di sospendere il piano fino all’estate."
)


def _adversarial_folder(root: Path) -> dict[str, tuple[str, str | None]]:
    """Build root/seeds (and root/outside, which must never be read) and return, for every entry
    ingest must account for, (table, reason) it must end in."""
    import base64
    import random

    seeds, outside = root / "seeds", root / "outside"
    for folder in (seeds / "sub", seeds / ".private", seeds / "deep" / "er", outside):
        folder.mkdir(parents=True)
    (outside / "secret.txt").write_text("Testo riservato fuori da seeds. " + ITALIAN)
    (outside / "back_to_seeds").symlink_to(seeds / "a.txt")
    (seeds / ".private" / "nascosto.txt").write_text(ITALIAN_2 + " Nascosto.")
    (seeds / ".hidden.txt").write_text(ITALIAN_2 + " Ancora nascosto.")
    (seeds / "sources.csv").write_text("path,outlet,url,published_date,language\na.txt,Gazzetta,,2025-02-12,it\n")
    rng = random.Random(3)
    expected: dict[str, tuple[str, str | None]] = {}

    def file(name: str, content: bytes, table: str, reason: str | None = None) -> None:
        (seeds / name).write_bytes(content)
        expected[f"seeds/{name}"] = (table, reason)

    def link(name: str, target: str | Path, table: str, reason: str | None) -> None:
        (seeds / name).symlink_to(target)
        expected[f"seeds/{name}"] = (table, reason)

    file("a.txt", ITALIAN.encode(), "documents")
    file("sub/b.txt", ITALIAN_2.encode(), "documents")
    file("deep/er/c.md", f"# Titolo\n\n{ITALIAN_2}\n\nFine del pezzo.".encode(), "documents")
    file("copy_of_a.txt", ITALIAN.encode(), "rejected", "duplicate")
    file("empty.txt", b"", "rejected", "empty")
    file("blank.txt", b" \t\r\n\n" + "\u00a0\u2003\n".encode(), "rejected", "empty")
    file("bom_only.txt", b"\xef\xbb\xbf\r\n", "rejected", "empty")
    file("bom_mixed_ends.txt", b"\xef\xbb\xbfTitolo\r\n\r\n" + ITALIAN.encode() + b"\rAltro.\n\r\n" + ITALIAN_2.encode(),
         "documents")
    file("nul.txt", ITALIAN.encode()[:50] + b"\x00" + ITALIAN.encode()[50:] + b"\x00\x00\x1b", "documents")
    file("binary.dat", bytes(rng.randrange(256) for _ in range(5000)), "rejected", "binary")
    file("png.txt", b"\x89PNG\r\n\x1a\n" + ITALIAN.encode(), "rejected", "binary")
    file("utf16.txt", ITALIAN.encode("utf-16-le"), "documents")
    file("data_uri.md", f"![Foto](data:image/png;base64,{base64.b64encode(rng.randbytes(6000)).decode()})\n\n"
                        f"{ITALIAN}\n".encode(), "documents")
    file("huge_base64.txt", "\n".join(base64.b64encode(rng.randbytes(6000)).decode()[i:i + 76]
                                      for i in range(0, 8000, 76)).encode(), "rejected", "empty")
    file("markup_only.html", b"<html><head><script>var a=1;</script></head><body><div><img src=x.png></div></body></html>",
         "rejected", "empty")
    file("spaced.txt", letter_spaced(ITALIAN + "\n\n" + ITALIAN_2).encode(), "documents")
    file("english.txt", ENGLISH.encode(), "rejected", "unsupported_language")
    file("too_big.txt", ("Titolo\n\n" + ITALIAN * 80).encode(), "rejected", "too_large")
    os.mkfifo(seeds / "pipe")
    expected["seeds/pipe"] = ("rejected", "unreadable")
    name = os.fsencode(seeds) + b"/nome_\xff.txt"  # a file name that is not UTF-8
    with open(name, "wb") as fh:
        fh.write((ITALIAN_2 + " Nome strano.").encode())
    expected["seeds/nome_\\xff.txt"] = ("documents", None)

    link("link_to_a.txt", "a.txt", "rejected", "duplicate")
    link("abs_link_to_b.txt", seeds / "sub" / "b.txt", "rejected", "duplicate")
    link("back_in.txt", "../seeds/a.txt", "rejected", "duplicate")
    link("out_rel.txt", "../outside/secret.txt", "rejected", "outside_seeds")
    link("out_abs.txt", outside / "secret.txt", "rejected", "outside_seeds")
    link("out_system", "/etc/passwd", "rejected", "outside_seeds")
    link("chain_1", "chain_2", "rejected", "outside_seeds")
    link("chain_2", "sub/../../outside/secret.txt", "rejected", "outside_seeds")
    link("through_outside", "../outside/back_to_seeds", "rejected", "outside_seeds")
    link("dir_link", "sub", "rejected", "duplicate")
    link("dir_self", ".", "rejected", "duplicate")
    link("dir_up", "..", "rejected", "outside_seeds")
    link("dir_out", "../outside", "rejected", "outside_seeds")
    link("dir_root", "/", "rejected", "outside_seeds")
    link("dir_hidden", ".private", "rejected", "unreadable")
    link("loop_1", "loop_2", "rejected", "unreadable")
    link("loop_2", "loop_1", "rejected", "unreadable")
    link("self_loop", "self_loop", "rejected", "unreadable")
    link("growing_loop", "growing_loop/x", "rejected", "unreadable")
    link("broken.txt", "missing.txt", "rejected", "unreadable")
    link("broken_deep.txt", "a.txt/inside", "rejected", "unreadable")
    link("pipe_link", "pipe", "rejected", "unreadable")
    link("hidden_file_link.txt", ".hidden.txt", "documents", None)
    link("sub/up_to_a.txt", "../a.txt", "rejected", "duplicate")
    return expected


@pytest.fixture
def file_access_log(monkeypatch) -> list[str]:
    """Every path ingest opens, stats, lists or reads a link of, as an absolute path."""
    import builtins
    import io

    touched: list[str] = []

    def spy(function):
        def wrapper(path, *args, **kwargs):
            if isinstance(path, (str, bytes, os.PathLike)):
                touched.append(os.path.abspath(os.fsdecode(path)))
            return function(path, *args, **kwargs)
        return wrapper

    for name in ("open", "stat", "lstat", "scandir", "readlink", "listdir"):
        monkeypatch.setattr(os, name, spy(getattr(os, name)))
    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    monkeypatch.setattr(io, "open", spy(io.open))
    return touched


def test_every_entry_of_an_adversarial_folder_lands_once_and_nothing_outside_is_read(tmp_path, file_access_log):
    expected = _adversarial_folder(tmp_path)
    file_access_log.clear()
    config = replace(CONFIG, max_bytes=20_000, lang_min_letters=100)
    documents, rejected = ingest_folder(tmp_path / "seeds", tmp_path / "seeds" / "sources.csv", config, tmp_path)

    # Exactly one row per entry, in exactly one table, with the reason foreseen.
    assert documents["path"].n_unique() == documents.height and rejected["path"].n_unique() == rejected.height
    outcome = {p: ("documents", None) for p in documents["path"]}
    assert not set(outcome) & set(rejected["path"])
    outcome |= {p: ("rejected", r) for p, r in zip(rejected["path"], rejected["reason"])}
    assert outcome == expected

    # Nothing outside seeds/ was opened, stat'ed or listed (the folders above it are passed through).
    seeds_real = os.path.realpath(tmp_path / "seeds")
    strays = [p for p in file_access_log
              if not (p == seeds_real or p.startswith(seeds_real + "/") or seeds_real.startswith(p.rstrip("/") + "/"))]
    assert strays == []
    assert file_access_log  # the spy did see the reads

    by_path = {row["path"]: row for row in rejected.iter_rows(named=True)}
    docs = {row["path"]: row for row in documents.iter_rows(named=True)}
    assert "/etc/passwd" in by_path["seeds/out_system"]["detail"] and "not opened" in by_path["seeds/out_system"]["detail"]
    assert "outside/secret.txt" in by_path["seeds/chain_1"]["detail"]
    assert "chain_2" in by_path["seeds/chain_1"]["detail"]
    assert "seeds/a.txt" in by_path["seeds/link_to_a.txt"]["detail"]
    assert by_path["seeds/link_to_a.txt"]["sha256"] == docs["seeds/a.txt"]["sha256"]
    assert by_path["seeds/link_to_a.txt"]["n_bytes"] == docs["seeds/a.txt"]["n_bytes"]
    assert "seeds/sub/b.txt" in by_path["seeds/abs_link_to_b.txt"]["detail"]
    assert "folder seeds/sub/" in by_path["seeds/dir_link"]["detail"]
    assert "loop" in by_path["seeds/loop_1"]["detail"] and "loop" in by_path["seeds/growing_loop"]["detail"]
    assert "broken" in by_path["seeds/broken.txt"]["detail"] and "seeds/missing.txt" in by_path["seeds/broken.txt"]["detail"]
    assert "named pipe" in by_path["seeds/pipe"]["detail"] and "named pipe" in by_path["seeds/pipe_link"]["detail"]
    assert "hidden folder" in by_path["seeds/dir_hidden"]["detail"]
    assert "same bytes as seeds/a.txt" in by_path["seeds/copy_of_a.txt"]["detail"]
    for row in rejected.filter(pl.col("reason") == "outside_seeds").iter_rows(named=True):
        assert row["sha256"] is None and row["n_bytes"] == 0 and "outside seeds/" in row["detail"]

    assert docs["seeds/a.txt"]["outlet"] == "Gazzetta"
    assert docs["seeds/nul.txt"]["encoding"] == "utf-8+controls-removed" and "\x00" not in docs["seeds/nul.txt"]["text"]
    assert docs["seeds/spaced.txt"]["encoding"] == "utf-8+letter-spacing-collapsed"
    assert docs["seeds/spaced.txt"]["text"] == ITALIAN + "\n\n" + ITALIAN_2
    assert docs["seeds/bom_mixed_ends.txt"]["text"] == f"Titolo\n\n{ITALIAN}\nAltro.\n\n{ITALIAN_2}"
    assert docs["seeds/utf16.txt"]["encoding"] == "utf-16-le"
    assert docs["seeds/hidden_file_link.txt"]["text"].endswith("Ancora nascosto.")
    assert (docs["seeds/data_uri.md"]["lang"], docs["seeds/data_uri.md"]["format"]) == ("it", "markdown")


def test_listing_does_not_follow_links_into_folders(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "sub" / "a.txt").write_text("x")
    (seeds / "again").symlink_to("sub")
    (seeds / "loop").symlink_to(".")
    found = [p.relative_to(seeds).as_posix() for p in list_input_files(seeds, None)]
    assert found == ["again", "loop", "sub/a.txt"]


def test_a_manifest_that_links_outside_seeds_is_not_read(tmp_path, caplog):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (tmp_path / "elsewhere.csv").write_text("path,outlet\na.txt,Segreto\n")
    (seeds / "sources.csv").symlink_to("../elsewhere.csv")
    (seeds / "a.txt").write_text(ITALIAN)
    documents, rejected = ingest_folder(seeds, seeds / "sources.csv", CONFIG, tmp_path)
    assert documents["outlet"].to_list() == [None]
    assert "not read" in caplog.text
    assert rejected.height == 0  # the manifest is no input, wherever it points


def test_seeds_folder_may_itself_be_a_link(tmp_path):
    real = tmp_path / "articoli"
    real.mkdir()
    (real / "a.txt").write_text(ITALIAN)
    (real / "b.txt").symlink_to("a.txt")
    (tmp_path / "seeds").symlink_to("articoli")
    (real / "c").symlink_to("missing.txt")
    documents, rejected = ingest_folder(tmp_path / "seeds", None, CONFIG, tmp_path)
    assert documents["path"].to_list() == ["seeds/a.txt"]
    assert dict(zip(rejected["path"], rejected["reason"])) == {"seeds/b.txt": "duplicate", "seeds/c": "unreadable"}
    assert "seeds/missing.txt does not exist" in rejected["detail"][1]


# --- properties: any bytes give exactly one row, and never an exception --------------------------

_FRAGMENTS = st.sampled_from([
    "Il sindaco ha detto", " che ", "la città", "è", "perché", "«", "»", "’", "–", "\u00a0", "  ", " ", "\n",
    "\r\n", "\r", "\t", "\x00", "\x1b[31m", "\x7f", "\x85", "\ufeff", "<p>", "</p>", "<script>", "<!--", "-->",
    "![x](data:image/png;base64,iVBORw0KGgo=)", "[link](https://example.it/a)", "**", "# ", "&amp;", "&#",
    "L a  C a s a", "A B C", "J. R. R.", "Ã©", "â€™", "https://", "www.", "data:", "=" * 3, "A" * 70,
])
_TEXTS = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=40).map("".join)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"])


@st.composite
def _file_bytes(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=2000))
    text, encoding = draw(_TEXTS), draw(_ENCODINGS)
    return text.encode(encoding, errors="replace")


def _row_is_valid(table: str, row: dict) -> bool:
    from pipeline.schemas import REJECT_REASONS, TABLES

    columns = [c.name for c in TABLES["documents" if table == "document" else "rejected"].columns]
    if list(row) != columns:
        return False
    if table == "rejected":
        return row["reason"] in REJECT_REASONS and bool(row["detail"])
    text = row["text"]
    return (bool(text.strip()) and "\r" not in text and "\ufeff" not in text
            and not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", text)
            and unicodedata.is_normalized("NFC", text) and row["format"] in ("text", "markdown", "html"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_file_bytes())
def test_any_bytes_give_exactly_one_valid_row(raw):
    table, row = classify_file("seeds/x.txt", raw, None, CONFIG)
    assert table in ("document", "rejected")
    assert _row_is_valid(table, row)
    assert row["path"] == "seeds/x.txt" and row["n_bytes"] == len(raw)
    row["text" if table == "document" else "detail"].encode("utf-8")  # storable in Parquet


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contents=st.lists(_file_bytes(), min_size=1, max_size=6))
def test_any_set_of_files_is_accounted_for_exactly_once(contents):
    files = [(f"seeds/{i:02d}.txt", raw, len(raw), None, None) for i, raw in enumerate(contents)]
    documents, rejected = ingest_files(files, {}, CONFIG)
    paths = [*documents["path"], *rejected["path"]]
    assert sorted(paths) == [f[0] for f in files]
    duplicates = rejected.filter(pl.col("reason") == "duplicate")
    assert set(duplicates["sha256"]) <= set(documents["sha256"])


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(_TEXTS, _TEXTS.map(letter_spaced)))
def test_collapsing_letter_spacing_only_ever_removes_spaces(text):
    collapsed, changed = collapse_letter_spacing(text)
    assert "".join(collapsed.split()) == "".join(text.split())
    assert collapsed.count("\n") == text.count("\n")
    assert changed or collapsed == text


def test_a_relative_link_out_of_seeds_is_named_the_same_wherever_the_repository_lies(tmp_path):
    # a clone elsewhere must write the same rejected row (same dvc.lock hash): a target reached by
    # relative links is named relative to the repository root; an absolute link keeps its path
    details = []
    for place in ("here", "there/deeper"):
        root = tmp_path / place / "repo"
        (root / "seeds").mkdir(parents=True)
        (root / "seeds" / "up.txt").symlink_to("../../elsewhere/secret.txt")
        (root / "seeds" / "abs.txt").symlink_to("/etc/passwd")
        _, rejected = ingest_folder(root / "seeds", None, CONFIG, root)
        details.append(dict(zip(rejected["path"], rejected["detail"])))
    assert details[0] == details[1]
    assert "a symbolic link to ../elsewhere/secret.txt, outside seeds/" in details[0]["seeds/up.txt"]
    assert "/etc/passwd" in details[0]["seeds/abs.txt"]
