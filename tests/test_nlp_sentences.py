"""Sentence splitting and text normalization on Italian sentences written for these tests."""

import polars as pl
import pytest

from pipeline.nlp.sentences import normalize_text, sentences_of, split_sentences, split_spans


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ne ha parlato il sig. Bianchi. Poi è uscito.", ["Ne ha parlato il sig. Bianchi.", "Poi è uscito."]),
        ("Lo ha confermato il dott. Neri. Nessuno ha replicato.", ["Lo ha confermato il dott. Neri.", "Nessuno ha replicato."]),
        ("Interviene il prof. Sala, poi l'on. Riva e il sen. Costa. Fine.", ["Interviene il prof. Sala, poi l'on. Riva e il sen. Costa.", "Fine."]),
        ("Si applica l'art. 5 della legge n. 12 a pag. 3. Lo dice il testo.", ["Si applica l'art. 5 della legge n. 12 a pag. 3.", "Lo dice il testo."]),
        ("Ha incontrato J. D. Vance a Roma. Poi è ripartito.", ["Ha incontrato J. D. Vance a Roma.", "Poi è ripartito."]),
        ("La Alfa S.p.A. ha chiuso in rosso. Gli U.S.A. tacciono.", ["La Alfa S.p.A. ha chiuso in rosso.", "Gli U.S.A. tacciono."]),
        ("Erano 1.000 persone alle 10.30, il 3,5% in più. Poi pioggia.", ["Erano 1.000 persone alle 10.30, il 3,5% in più.", "Poi pioggia."]),
        ("Aspettava... Poi niente.", ["Aspettava...", "Poi niente."]),
        ("Aspettava… e poi niente.", ["Aspettava… e poi niente."]),
        ("Davvero? Sì! Certo.", ["Davvero?", "Sì!", "Certo."]),
        ("Non è finita? no, continua.", ["Non è finita? no, continua."]),
    ],
)
def test_split_handles_abbreviations_initials_numbers_and_ellipsis(text, expected):
    assert sentences_of(text) == expected


def test_opening_quote_goes_with_the_next_sentence_and_closing_quote_with_its_own():
    text = "Il sindaco ha parlato. «Ora basta. Abbiamo aspettato troppo.» Poi se n'è andato."
    assert sentences_of(text) == [
        "Il sindaco ha parlato.",
        "«Ora basta.",
        "Abbiamo aspettato troppo.»",
        "Poi se n'è andato.",
    ]
    text = "Ha detto: “Non firmeremo.” La trattativa è chiusa."
    assert sentences_of(text) == ['Ha detto: "Non firmeremo."', "La trattativa è chiusa."]


def test_quote_followed_by_lowercase_cue_stays_in_one_sentence():
    assert sentences_of("«Siamo pronti.» ha detto il capitano. Si gioca domani.") == [
        "«Siamo pronti.» ha detto il capitano.",
        "Si gioca domani.",
    ]


def test_stray_closing_mark_stays_with_the_previous_sentence():
    assert sentences_of("E lo faremo il prima possibile. “") == ['E lo faremo il prima possibile. "']


def test_titles_without_stop_and_line_breaks():
    assert sentences_of("Crolla il ponte sul fiume\nTre feriti gravi.") == ["Crolla il ponte sul fiume", "Tre feriti gravi."]
    # a soft wrap (next line in lower case) does not end the sentence
    assert sentences_of("Il governo ha approvato\nil decreto.") == ["Il governo ha approvato\nil decreto."]


def test_normalization_is_length_preserving_and_offsets_index_the_block():
    text = "L’assessore ha detto: “Basta”.\u00a0E poi «altro»… Fine."
    normalized = normalize_text(text)
    assert len(normalized) == len(text)
    assert "’" not in normalized and "“" not in normalized and "\u00a0" not in normalized
    assert "«" in normalized  # guillemets are kept
    for start, end in split_spans(text):
        assert normalize_text(text[start:end]) == normalized[start:end]
        assert not text[start].isspace() and not text[end - 1].isspace()


def test_split_sentences_table_ids_numbering_and_block_kinds():
    blocks = pl.DataFrame(
        {
            "doc_id": ["a", "a", "a", "a", "b"],
            "block_no": [0, 1, 2, 3, 0],
            "kind": ["title", "image", "paragraph", "byline", "paragraph"],
            "text": ["Titolo del pezzo", "Foto: Ansa", "Prima frase. Seconda frase.", "di Mario Rossi", "Unica."],
        }
    )
    s = split_sentences(blocks)
    assert s["sent_id"].to_list() == ["a:0:0", "a:2:0", "a:2:1", "b:0:0"]
    assert s["sent_no"].to_list() == [0, 1, 2, 0]
    assert s.filter(pl.col("sent_id") == "a:2:1").row(0, named=True)["start"] == len("Prima frase. ")
    texts = dict(zip(blocks["block_no"].to_list()[:3], blocks["text"].to_list()[:3]))
    for row in s.filter(pl.col("doc_id") == "a").iter_rows(named=True):
        assert normalize_text(texts[row["block_no"]][row["start"] : row["end"]]) == row["text"]


def test_empty_and_whitespace_blocks_give_no_sentences():
    blocks = pl.DataFrame({"doc_id": ["a", "a"], "block_no": [0, 1], "kind": ["paragraph", "paragraph"], "text": ["", "  \n "]})
    assert split_sentences(blocks).height == 0


# --- long blocks (the splitter must give the same sentences however long the block) ----------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bench.long_articles import long_article  # noqa: E402
from pipeline.nlp.sentences import MAX_SENTENCE_CHARS  # noqa: E402

# Paragraphs written for these tests: abbreviations, initials, numbers, quotes, ellipses, stops in a row.
_PARAGRAPHS = [
    "Ne ha parlato il sig. Bianchi. Poi è uscito.",
    "Ha incontrato J. D. Vance a Roma alle 10.30. La Alfa S.p.A. tace.",
    "Il sindaco ha parlato. «Ora basta. Abbiamo aspettato troppo.» Poi se n'è andato.",
    "Si applica l'art. 5 della legge n. 12 a pag. 3. Erano 1.000 persone, il 3,5% in più.",
    "Aspettava... Poi niente. Davvero? Sì! Certo.",
    "Non è finita? no, continua… e poi basta!!! Fine.",
]


def _joined(paragraphs: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The paragraphs run together as one block, and where each one starts and ends in it."""
    text, bounds = "", []
    for p in paragraphs:
        if text:
            text += " "
        bounds.append((len(text), len(text) + len(p)))
        text += p
    return text, bounds


def test_one_long_block_splits_like_its_paragraphs_one_by_one():
    # 3,000 paragraphs in one block: each paragraph ends with a stop and the next starts with a
    # capital, so the long block must give exactly the sentences of each paragraph split alone.
    paragraphs = [_PARAGRAPHS[i % len(_PARAGRAPHS)] for i in range(3000)]
    text, bounds = _joined(paragraphs)
    expected = [(start + s, start + e) for p, (start, _) in zip(paragraphs, bounds) for s, e in split_spans(p)]
    assert split_spans(text) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PARAGRAPHS), min_size=1, max_size=40))
def test_joining_paragraphs_never_changes_their_sentences(paragraphs):
    text, bounds = _joined(paragraphs)
    expected = [(start + s, start + e) for p, (start, _) in zip(paragraphs, bounds) for s, e in split_spans(p)]
    assert split_spans(text) == expected


def test_generated_long_article_one_paragraph_or_many_gives_the_same_sentences():
    # The benchmark's 2 MB article, smaller: its one-paragraph text split as one block gives the
    # same sentences as the same sentences split paragraph by paragraph.
    single = long_article("single-paragraph", 200_000).split("\n\n", 1)[1].strip()
    whole = sentences_of(single)
    assert len(whole) > 1500
    rebuilt = [s for sentence in whole for s in sentences_of(sentence)]
    assert rebuilt == whole  # each sentence on its own is one sentence
    assert " ".join(whole) == normalize_text(single)  # nothing lost, nothing added between sentences


def test_a_long_run_without_stops_is_cut_into_bounded_pieces_at_clause_marks():
    clause = "e poi la riunione con il sindaco è durata due ore, senza accordo tra le parti"
    text = " ".join([clause] * 600)  # about 47,000 characters and no sentence stop
    spans = split_spans(text)
    assert len(spans) >= len(text) // MAX_SENTENCE_CHARS
    assert all(0 < end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert all(text[end - 1] == "," for _, end in spans[:-1])  # cut after a clause mark
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert not text[end:start].strip()  # only the space between pieces is left out
    # a short sentence is never cut
    assert split_spans(clause + ".") == [(0, len(clause) + 1)]


def test_a_long_run_without_spaces_is_cut_hard():
    text = "x" * (3 * MAX_SENTENCE_CHARS + 5)
    spans = split_spans(text)
    assert [end - start for start, end in spans] == [MAX_SENTENCE_CHARS] * 3 + [5]


def test_a_run_of_stops_without_a_space_after_is_no_boundary():
    dots = "." * (MAX_SENTENCE_CHARS - 20)
    assert sentences_of(f"Attesa{dots}fine. Poi altro.") == [f"Attesa{dots}fine.", "Poi altro."]
