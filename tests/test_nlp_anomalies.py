"""In-article anomalies: weekday mismatches, incompatible quantities, truncated endings."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.nlp.anomalies import find_anomalies, intervals_disjoint
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
