"""Near-duplicate shingles made from the token table (build._document_shingles) are the shingles of
each document's text (scores.shingles): the stage tokenizes every sentence once and must find the
same near-duplicates as reading the texts again would. Texts are Italian sentences we wrote, with
the characters on which polars' and Python's regex or lower case may disagree ("m²", a combining
accent, Greek capitals) in some of them."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.agreement.build import _document_shingles, _document_texts
from pipeline.agreement.scores import shingles, shingles_of_documents, word_hash
from pipeline.nlp.text import TOKEN_RE, token_table, token_table_unsure_chars

DOCS = {
    "d1": ["Il corteo è partito alle 10 da piazza della Repubblica.",
           "Secondo la Questura erano 20mila; per gli organizzatori \"oltre 50mila\".",
           "L'assemblea dell'Ateneo ha votato: 121 favorevoli, 3 contrari."],
    "d2": ["Sono stati evacuati 340 abitanti.", "Nessuno è rimasto ferito, ha detto il sindaco all'AGI."],
    "d3": ["Piove."],  # fewer words than a shingle: one shingle of all of them
    "d4": ["...", ""],  # no words: no shingles
    "d5": ["La piazza misura 12.000 m² e può contenere 40mila persone.", "Il piano è ΣΟΦΙΑ, dice l'ΑΓΕΝΖΙΑ."],
    "d6": ["Il caffe\u0301 della stazione è chiuso da lunedì.", "Così hanno deciso i gestori, «per lavori»."],
}


def frames(docs: dict[str, list[str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = [(doc, n, text) for doc in sorted(docs) for n, text in enumerate(docs[doc])]
    sentences = pl.DataFrame(rows, schema={"doc_id": pl.Utf8, "sent_no": pl.Int64, "text": pl.Utf8}, orient="row") \
        .with_row_index("sid")
    return sentences, token_table(sentences["text"], sentences["sid"])


def expected(docs: dict[str, list[str]], sentences: pl.DataFrame, size: int) -> dict[str, np.ndarray]:
    return {doc: shingles(text, size) for doc, text in _document_texts(sentences).items()}


def assert_same(docs: dict[str, list[str]], size: int = 5) -> None:
    sentences, tokens = frames(docs)
    ids, sets = _document_shingles(sentences, tokens, size)
    want = expected(docs, sentences, size)
    assert ids == sorted(want)
    for doc, got in zip(ids, sets):
        assert got.dtype == want[doc].dtype and np.array_equal(got, want[doc]), doc


def test_shingles_from_the_token_table_are_the_shingles_of_the_text():
    for size in (1, 2, 5, 8):
        assert_same(DOCS, size)


def test_short_and_wordless_documents():
    sentences, tokens = frames(DOCS)
    ids, sets = _document_shingles(sentences, tokens, 5)
    got = dict(zip(ids, sets))
    assert got["d3"].size == 1 and got["d4"].size == 0


def test_the_unsure_characters_are_the_ones_the_engines_read_differently():
    # positive control: without falling back to the text, "m²", a combining accent and Greek
    # capitals would give other words, so other shingles
    unsure = token_table_unsure_chars()
    texts = pl.Series([" ".join(DOCS[d]) for d in ("d1", "d2", "d5", "d6")])
    assert texts.str.contains(unsure).to_list() == [False, False, True, True]
    for doc in ("d5", "d6"):
        text = " ".join(DOCS[doc])
        tokens = token_table(pl.Series([text]))
        words = tokens.filter(~pl.col("is_break"))["word"].cast(pl.Utf8).to_list()
        assert words != [w.lower() for w in TOKEN_RE.findall(text)]
        fast = shingles_of_documents(np.zeros(len(words), dtype=np.int64),
                                     np.array([word_hash(w) for w in words], dtype=np.uint64), 1, 5)[0]
        assert not np.array_equal(fast, shingles(text, 5))


ALPHABET = st.sampled_from(list("abcdeèéiìoòuù AEIOU  ..,;:'’\"«»()-0123456789") + ["m²", "e\u0301", "Σ", "ß", "İ", "\n"])
SENTENCE = st.lists(ALPHABET, max_size=40).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.lists(SENTENCE, min_size=1, max_size=4),
                       min_size=1), st.integers(1, 6))
def test_any_text_gives_the_same_shingles(docs, size):
    assert_same(docs, size)
