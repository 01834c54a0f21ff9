"""In-article anomalies: weekday mismatches, incompatible quantities, truncated endings."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.nlp.anomalies import find_anomalies
from pipeline.nlp.intervals import intervals_disjoint
from pipeline.nlp.quantities import extract_quantities
from pipeline.nlp.times import extract_time_expressions
from pipeline.schemas import TABLES


def article(doc_id: str, paragraphs: list[str], published: dt.date | None = dt.date(2025, 3, 6)):
    """Blocks (one paragraph each), sentences (one per paragraph) and the NLP tables."""
    blocks = pl.DataFrame({
        "doc_id": [doc_id] * len(paragraphs),
        "block_no": list(range(len(paragraphs))),
        "kind": ["paragraph"] * len(paragraphs),
        "text": paragraphs,
    })
    sentences = pl.DataFrame({
        "sent_id": [f"{doc_id}:{i}:0" for i in range(len(paragraphs))],
        "doc_id": [doc_id] * len(paragraphs),
        "block_no": list(range(len(paragraphs))),
        "sent_no": list(range(len(paragraphs))),
        "text": paragraphs,
    })
    published_df = pl.DataFrame({"doc_id": [doc_id], "published_date": [published]}, schema={"doc_id": pl.Utf8, "published_date": pl.Date})
    times = extract_time_expressions(sentences, published_df)
    quantities = extract_quantities(sentences)
    return find_anomalies(sentences, times, quantities, blocks)


def kinds(anomalies: pl.DataFrame) -> list[str]:
    return anomalies["kind"].to_list()


def test_table_schema():
    found = article("d", ["Tutto regolare."])
    assert found.columns == TABLES["anomalies"].column_names
    assert found.is_empty()


def test_weekday_mismatch_is_reported_with_a_readable_detail():
    found = article("d", ["Il vertice si è tenuto venerdì 8 febbraio 2025.", "Poi tutti a casa."])
    assert kinds(found) == ["weekday_mismatch"]
    row = found.row(0, named=True)
    assert row["sent_id"] == "d:0:0"
    assert "Friday" in row["detail"] and "Saturday" in row["detail"] and "8 February 2025" in row["detail"]


def test_consistent_weekday_is_not_reported():
    assert article("d", ["Il vertice si è tenuto sabato 8 febbraio 2025."]).is_empty()


def test_incompatible_durations_of_the_same_thing():
    found = article("d", [
        "La telefonata tra i due presidenti è durata almeno due ore.",
        "Secondo il Cremlino la telefonata è durata 40 minuti.",
    ])
    assert kinds(found) == ["inconsistent_quantity"]
    row = found.row(0, named=True)
    assert row["sent_id"] == "d:1:0"
    assert "almeno due ore" in row["detail"] and "40 minuti" in row["detail"]


def test_compatible_or_unrelated_quantities_are_not_reported():
    # overlapping intervals: "almeno due ore" and "quasi tre ore"
    assert article("d", [
        "La telefonata è durata almeno due ore.",
        "In tutto la telefonata è durata quasi tre ore.",
    ]).is_empty()
    # different things measured: a call and a meeting share no context word
    assert article("d", [
        "La telefonata con Macron è durata 40 minuti.",
        "Il vertice di Bruxelles si è protratto per oltre tre ore.",
    ]).is_empty()
    # same context, different counted nouns
    assert article("d", [
        "Durante lo scambio sono stati liberati 175 prigionieri.",
        "Durante lo scambio sono stati restituiti 20 corpi.",
    ]).is_empty()
    # same noun, but the words around it tell two different things apart
    assert article("d", [
        "I voti favorevoli sono stati 15.",
        "I voti contrari sono stati 25.",
    ]).is_empty()
    # sharing only function words or auxiliaries is no shared context
    assert article("d", [
        "Nella prima fase della trattativa sono stati liberati 30 ostaggi.",
        "Nella seconda fase della guerra sono stati uccisi 300 ostaggi.",
    ]).is_empty()
    # 'about' values are compared with a tolerance
    assert article("d", [
        "La telefonata è durata circa un'ora e mezza.",
        "Secondo Mosca la telefonata è durata circa 95 minuti.",
    ]).is_empty()


def test_incompatible_counts_of_the_same_noun():
    found = article("d", [
        "Nello scambio di ieri sono stati liberati 175 prigionieri ucraini.",
        "Lo scambio di ieri ha riportato a casa 150 prigionieri ucraini.",
    ])
    assert kinds(found) == ["inconsistent_quantity"]
    assert "'prigionieri'" in found["detail"][0]


def test_truncated_ending():
    found = article("d", ["Il governo ha approvato il decreto.", "Il testo passa ora al vaglio della"])
    assert kinds(found) == ["truncated_ending"]
    row = found.row(0, named=True)
    assert row["sent_id"] == "d:1:0"
    assert "'della'" in row["detail"]
    assert kinds(article("d", ["Primo paragrafo.", "Una frase senza punto finale"])) == ["truncated_ending"]


def test_complete_endings_are_not_truncated():
    for last in ("Fine del discorso.", "Davvero?", "«Andremo avanti»", "(in aggiornamento)", "Lo ha detto lui…"):
        assert article("d", ["Primo paragrafo.", last]).is_empty(), last


def test_only_the_last_paragraph_counts():
    assert article("d", ["Un titolo senza punto", "Il testo finisce bene."]).is_empty()


def test_intervals_disjoint():
    assert intervals_disjoint((120, None), (None, 40))
    assert not intervals_disjoint((120, None), (192, 240))
    assert not intervals_disjoint((None, 60), (None, 30))
    assert intervals_disjoint((10, 10), (11, 11))


# --- inconsistent quantities: one row per contradicting quantity, in time linear in the article ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.nlp.anomalies import _context_stems, inconsistent_quantities  # noqa: E402
from pipeline.nlp.intervals import widen  # noqa: E402


def test_each_contradicting_quantity_names_the_first_earlier_statement():
    found = article("d", [
        "La telefonata tra i due presidenti è durata almeno due ore.",
        "Secondo il Cremlino la telefonata è durata 40 minuti.",
        "Per Washington la telefonata è durata 30 minuti.",
    ])
    assert kinds(found) == ["inconsistent_quantity", "inconsistent_quantity"]
    assert found["sent_id"].to_list() == ["d:1:0", "d:2:0"]
    # both later figures contradict the first one; 40 and 30 minutes also disagree, but a third
    # row would make an article that repeats a figure n ways give n²/2 rows
    assert all("in sentence d:0:0" in detail and "almeno due ore" in detail for detail in found["detail"])


def test_a_long_article_gives_at_most_one_row_per_quantity():
    # 2,000 sentences about the same call, alternating two incompatible durations
    paragraphs = [f"La telefonata con il premier è durata {'20 minuti' if i % 2 else 'tre ore'}." for i in range(2000)]
    found = article("d", paragraphs)
    rows = found.filter(pl.col("kind") == "inconsistent_quantity")
    # one row per later sentence (1,999), not one per contradicting pair (1,000,000): each
    # '20 minuti' names the first 'tre ore' (sentence 0), each later 'tre ore' the first '20 minuti'
    assert rows["sent_id"].to_list() == [f"d:{i}:0" for i in range(1, 2000)]
    named = [d.split(" in sentence ")[1].split(" and as ")[0] for d in rows["detail"]]
    assert named == ["d:0:0" if i % 2 else "d:1:0" for i in range(1, 2000)]


_WORDS = ["telefonata", "vertice", "riunione", "sciopero", "presidente", "durata", "il", "con"]
_QUALIFIERS = ["exact", "about", "more_than", "less_than", "almost", "range"]


@st.composite
def _article_quantities(draw):
    n = draw(st.integers(2, 12))
    sent_rows, qty_rows = [], []
    for i in range(n):
        before = " ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=4)))
        after = " ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=4)))
        text = f"{before} 40 minuti {after}".strip()
        start = text.index("40 minuti")
        sent_id = f"d:{i}:0"
        sent_rows.append((sent_id, "d", i, text))
        for _ in range(draw(st.integers(1, 2))):  # two quantities in one sentence are never compared
            low = draw(st.one_of(st.none(), st.integers(0, 300).map(float)))
            high = draw(st.one_of(st.none(), st.integers(0, 300).map(float)))
            if low is not None and high is not None and low > high:
                low, high = high, low
            qty_rows.append(("d", sent_id, "40 minuti", start, start + 9, "duration", "minute", None,
                             low, high, draw(st.sampled_from(_QUALIFIERS))))
    sentences = pl.DataFrame(sent_rows, schema=["sent_id", "doc_id", "sent_no", "text"], orient="row")
    quantities = pl.DataFrame(qty_rows, schema={
        "doc_id": pl.Utf8, "sent_id": pl.Utf8, "surface": pl.Utf8, "start": pl.Int64, "end": pl.Int64,
        "kind": pl.Utf8, "unit": pl.Utf8, "noun": pl.Utf8, "low": pl.Float64, "high": pl.Float64,
        "qualifier": pl.Utf8}, orient="row").unique(["sent_id", "low", "high", "qualifier"], maintain_order=True)
    return sentences, quantities.with_row_index("n").with_columns((pl.col("start") + pl.col("n")).alias("start")).drop("n")


@settings(max_examples=150, deadline=None)
@given(_article_quantities())
def test_first_contradicted_statement_matches_a_pairwise_search(frames):
    sentences, quantities = frames
    texts = dict(zip(sentences["sent_id"], sentences["text"]))
    order = {sid: i for i, sid in enumerate(sentences["sent_id"])}
    items = sorted(quantities.iter_rows(named=True), key=lambda r: (order[r["sent_id"]], r["start"]))
    context = [_context_stems(texts[r["sent_id"]], min(r["start"], len(texts[r["sent_id"]])),
                              min(r["end"], len(texts[r["sent_id"]])), None) for r in items]

    def disjoint(a, b):
        (al, ah), (bl, bh) = widen(a["low"], a["high"], a["qualifier"]), widen(b["low"], b["high"], b["qualifier"])
        return (ah is not None and bl is not None and ah < bl) or (bh is not None and al is not None and bh < al)

    expected = []
    for j, b in enumerate(items):  # the slow, obviously right search: every earlier quantity in turn
        first = next((i for i in range(j) if items[i]["sent_id"] != b["sent_id"]
                      and context[i] & context[j] and disjoint(items[i], b)), None)
        if first is not None:
            expected.append((b["sent_id"], items[first]["sent_id"]))
    rows = inconsistent_quantities(sentences, quantities)
    found = [(sid, detail.split(" in sentence ")[1].split(" and as ")[0]) for _, sid, _, detail in rows]
    assert sorted(found) == sorted(expected)
