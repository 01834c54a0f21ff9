"""Property-based tests of the text extractors (Hypothesis).

For arbitrary text (see `tests.helpers.news_text`) every extractor returns without raising, and
every row it returns meets the contract declared in `pipeline.schemas`, checked by the one
generic checker `tests.helpers.contract_violations`. Examples are bounded so that the whole file
runs in seconds.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from pipeline.nlp.anomalies import find_anomalies
from pipeline.nlp.entities import default_lexicon, link_mentions
from pipeline.nlp.quantities import extract_quantities, find_quantities
from pipeline.nlp.quotes import extract_quotes
from pipeline.nlp.sentences import SENTENCE_BLOCK_KINDS, normalize_text, split_sentences
from pipeline.nlp.times import extract_time_expressions, find_time_expressions
from pipeline.normalize import normalize
from pipeline.schemas import BLOCK_KINDS, GRANULARITIES, QUALIFIERS, QUANTITY_KINDS, TABLES
from tests.helpers import assert_meets_contract, bounded, dates, news_dates, news_text

BOUNDED = bounded(60)

block_kinds = st.sampled_from(BLOCK_KINDS)
# One or two documents of one to three blocks each.
documents = st.lists(st.lists(st.tuples(block_kinds, news_text()), min_size=1, max_size=3), min_size=1, max_size=2)


def blocks_frame(docs: list[list[tuple[str, str]]]) -> pl.DataFrame:
    rows = [
        {"doc_id": f"d{i:02d}", "block_no": n, "kind": kind, "text": text, "raw": text}
        for i, blocks in enumerate(docs) for n, (kind, text) in enumerate(blocks)
    ]
    return pl.DataFrame(rows, schema=TABLES["blocks"].polars_schema)


def sentences_of_texts(texts: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    blocks = blocks_frame([[("paragraph", t)] for t in texts])
    return blocks, split_sentences(blocks)


@BOUNDED
@given(documents)
def test_sentences_meet_the_contract(docs):
    blocks = blocks_frame(docs)
    sentences = split_sentences(blocks)
    assert_meets_contract("sentences", sentences, {"blocks": blocks})
    block_text = {(d, b): t for d, b, t in blocks.select("doc_id", "block_no", "text").iter_rows()}
    for sent in sentences.iter_rows(named=True):
        assert sent["text"] == normalize_text(block_text[(sent["doc_id"], sent["block_no"])][sent["start"]:sent["end"]])
        assert sent["text"].strip() == sent["text"] and sent["text"]
    kept = blocks.filter(pl.col("kind").is_in(list(SENTENCE_BLOCK_KINDS)))
    assert set(sentences["doc_id"]) <= set(kept["doc_id"])
    for doc_id, group in sentences.group_by("doc_id"):
        assert sorted(group["sent_no"]) == list(range(group.height)), doc_id


@BOUNDED
@given(st.lists(news_text(), min_size=1, max_size=3))
def test_mentions_and_entities_meet_the_contract(texts):
    _, sentences = sentences_of_texts(texts)
    mentions, entities = link_mentions(sentences, default_lexicon())
    context = {"sentences": sentences, "entities": entities}
    assert_meets_contract("mentions", mentions, context)
    assert_meets_contract("entities", entities)
    assert set(mentions["entity_id"]) == set(entities["entity_id"])
    assert all(entities["entity_id"].str.len_chars() > 0)


@BOUNDED
@given(st.lists(news_text(), min_size=1, max_size=3), st.integers(0, 4), st.integers(0, 3))
def test_quotes_meet_the_contract(texts, min_words, carry):
    _, sentences = sentences_of_texts(texts)
    mentions, entities = link_mentions(sentences, default_lexicon())
    quotes = extract_quotes(sentences, mentions, entities, min_words=min_words, carry_sentences=carry)
    assert_meets_contract("quotes", quotes, {"sentences": sentences, "entities": entities})
    assert all(q.strip() for q in quotes["text"])


@BOUNDED
@given(st.lists(news_text(), min_size=1, max_size=3), st.one_of(st.none(), dates), st.one_of(st.none(), st.integers(1, 9999)))
def test_time_expressions_meet_the_contract(texts, published, corpus_year):
    _, sentences = sentences_of_texts(texts)
    pub = pl.DataFrame({"doc_id": sentences["doc_id"].unique().sort(), "published_date": published},
                       schema={"doc_id": pl.Utf8, "published_date": pl.Date})
    times = extract_time_expressions(sentences, pub, corpus_year)
    assert_meets_contract("time_expressions", times, {"sentences": sentences})


@BOUNDED
@given(news_text(), st.one_of(st.none(), dates))
def test_find_time_expressions_on_raw_text(text, published):
    found = find_time_expressions(text, published)
    for t in found:
        assert 0 <= t.start < t.end <= len(text) and text[t.start:t.end] == t.surface
        assert t.granularity in GRANULARITIES
        assert t.value_date is None or isinstance(t.value_date, dt.date)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


@BOUNDED
@given(st.lists(news_text(), min_size=1, max_size=3))
def test_quantities_meet_the_contract(texts):
    _, sentences = sentences_of_texts(texts)
    quantities = extract_quantities(sentences)
    assert_meets_contract("quantities", quantities, {"sentences": sentences})


@bounded(150)
@given(news_text())
def test_find_quantities_on_raw_text_never_gives_an_unordered_interval(text):
    found = find_quantities(text)
    for q in found:
        assert 0 <= q.start < q.end <= len(text) and text[q.start:q.end] == q.surface
        assert q.kind in QUANTITY_KINDS and q.qualifier in QUALIFIERS
        assert q.low is None or q.high is None or q.low <= q.high, q
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


@BOUNDED
@given(documents, st.one_of(st.none(), news_dates))
def test_anomalies_meet_the_contract(docs, published):
    blocks = blocks_frame(docs)
    sentences = split_sentences(blocks)
    pub = pl.DataFrame({"doc_id": blocks["doc_id"].unique().sort(), "published_date": published},
                       schema={"doc_id": pl.Utf8, "published_date": pl.Date})
    times = extract_time_expressions(sentences, pub)
    quantities = extract_quantities(sentences)
    anomalies = find_anomalies(sentences, times, quantities, blocks)
    assert_meets_contract("anomalies", anomalies, {"sentences": sentences})
    assert set(anomalies["doc_id"]) <= set(blocks["doc_id"])


@bounded(40)
@given(documents, st.one_of(st.none(), news_dates))
def test_normalize_writes_seven_tables_that_meet_the_contract(docs, published):
    blocks = blocks_frame(docs)
    articles = pl.DataFrame({"doc_id": blocks["doc_id"].unique().sort(), "published_date": published},
                            schema={"doc_id": pl.Utf8, "published_date": pl.Date})
    tables = normalize(blocks, articles)
    context = {**tables, "blocks": blocks}
    for name, frame in tables.items():
        assert_meets_contract(name, frame, context)
