"""Unit tests of the agreement building blocks: polarity, event words, intervals, blocking, MinHash."""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest

from pipeline.agreement.claims import (
    ClaimParams,
    SentenceFeatures,
    candidate_pairs,
    cluster_claims,
    events_compatible,
)
from pipeline.agreement.conflicts import Quantity, interval, intervals_overlap
from pipeline.agreement.events import Event, find_mentions_in_sentence
from pipeline.agreement.scores import near_duplicate_documents, source_agreement
from pipeline.nlp.text import content_lemmas, matching_terms, polarity, shorten, stem, tokenize


# --- polarity ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, base, sign", [
    ("L'adesione è irrealistica.", "realistico", -1),
    ("L'adesione non è realistica.", "realistico", -1),
    ("L'adesione non è risultata realistica.", "realistico", -1),
    ("L'adesione non era irrealistica.", "realistico", 1),  # double negative
    ("Il Cremlino ha confermato la notizia.", "confermare", 1),
    ("Il Cremlino non ha confermato la notizia.", "confermare", -1),
    ("Il Cremlino ha smentito la notizia.", "confermare", -1),
    ("Il Cremlino non ha smentito la notizia.", "confermare", 1),
    ("Il piano è realistico, ma non è facile.", "realistico", 1),  # the comma closes the negation
])
def test_polarity_folds_negation_and_antonyms(text, base, sign):
    assert polarity(text)[base] == sign


@pytest.mark.parametrize("text, base, sign", [
    # a quotation mark opening before the predicate keeps it inside the negation's scope
    ('Il piano di pace non è risultato "realistico" agli analisti.', "realistico", -1),
    ("La trattativa non sarà «facile», avverte il ministro.", "facile", -1),
    ("Il ministro non ha giudicato “utile” l'incontro di ieri.", "utile", -1),
    ('Il sindaco ha definito "realistico" il progetto.', "realistico", 1),
    ("Il rinvio «non è accettabile» per i sindacati.", "accettabile", -1),
    # double negatives still cancel across the quote
    ("Per la Commissione il traguardo non è «irrealizzabile».", "realizzabile", 1),
    ('Il governo non ritiene "impossibile" un accordo entro marzo.', "possibile", 1),
    ("Secondo i tecnici la riforma non è «irrealistica».", "realistico", 1),
])
def test_negation_reaches_a_quoted_predicate(text, base, sign):
    assert polarity(text)[base] == sign


def test_a_closing_quotation_mark_ends_the_negation():
    # the negation lives inside the quotation; what the sentence says after it is affirmed
    signs = polarity("«Non lo accetteremo», ha detto il ministro, confermando la linea del governo.")
    assert signs["accettare"] == -1 and signs["confermare"] == 1
    signs = polarity('Il premier ha risposto "no" e ha confermato la data del voto.')
    assert signs["confermare"] == 1


def test_neither_confirm_nor_deny_is_not_a_stance():
    assert "confermare" not in polarity("Peskov ha detto di non potere né confermare né smentire la notizia.")


def test_a_negated_noun_is_not_a_polarity():
    assert "decisione" not in polarity("Nessuna decisione è stata presa.")


def test_content_lemmas_fold_inflection_and_keep_names():
    a = content_lemmas(tokenize("Trump ha definito i colloqui lunghi ed estremamente produttivi."))
    b = content_lemmas(tokenize("Una telefonata lunga e altamente produttiva, dice Trump."))
    assert {"lungo", "produttivo", "trump"} <= a & b
    assert "nato" in content_lemmas(tokenize("L'ingresso dell'Ucraina nella NATO è irrealistico."))
    assert "non" not in content_lemmas(tokenize("Non è stato confermato nulla dal governo."))


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("uno due tre quattro cinque", 12) == "uno due tre…"
    assert shorten("breve", 12) == "breve"


# --- event words -------------------------------------------------------------------------------

def _mentions(text, dates=(), persons=(), published=None, later=False):
    return find_mentions_in_sentence("d", "d:0:0", text, list(dates), list(persons), published, 6, later)


def test_call_found_from_noun_adjective_or_phrase():
    for text in (
        "Macron e Scholz hanno avuto una lunga telefonata.",
        "Il colloquio telefonico tra i due ministri è durato un'ora.",
        "Il premier ha parlato per telefono con il cancelliere.",
        "Il presidente ha trascorso un'ora al telefono con il collega.",
    ):
        assert [m.event_type for m in _mentions(text)] == ["call"], text


def test_phone_interview_is_an_interview_not_a_call():
    assert [m.event_type for m in _mentions("Ha rilasciato un'intervista telefonica al quotidiano.")] == ["interview"]


def test_no_event_word_no_mention():
    assert _mentions("Il governo ha approvato la legge di bilancio.") == []


def test_future_cue_or_later_date_makes_a_planned_event():
    pub = dt.date(2025, 3, 1)
    assert _mentions("È previsto un nuovo incontro tra i due leader.", published=pub)[0].is_planned
    assert _mentions("Un incontro tra i due leader si terrà a Roma.", published=pub)[0].is_planned
    past = _mentions("L'incontro del 12 febbraio tra i due leader.", dates=[(12, dt.date(2025, 2, 12))], published=pub)
    assert not past[0].is_planned and past[0].event_date == dt.date(2025, 2, 12)
    assert _mentions("Un incontro è fissato la prossima settimana.", published=pub, later=True)[0].is_planned


def test_persons_next_to_the_event_word_are_its_participants():
    text = "La telefonata tra Macron e Scholz, ha riferito Rossi, è durata un'ora."
    persons = [(text.index("Macron"), "macron"), (text.index("Scholz"), "scholz"), (text.index("Rossi"), "rossi")]
    m = _mentions(text, persons=persons)[0]
    assert m.near_participants == {"macron", "scholz"}
    assert m.participants == {"macron", "scholz", "rossi"}


# --- event compatibility -----------------------------------------------------------------------

_founders = itertools.count()


def _event(etype="call", date=None, planned=False, persons=("a", "b"), ref=None, doc=None):
    founder = (f"{doc or 'd'}:{next(_founders)}:0", etype)  # each event its own founding mention
    e = Event(etype, date, planned, frozenset(persons), doc, reference_date=ref, founder=founder)
    e.person_counts.update(persons)
    return e


def test_event_compatibility_rules():
    feb12, aug18 = dt.date(2025, 2, 12), dt.date(2025, 8, 18)
    call12 = _event(date=feb12)
    assert events_compatible(call12, call12) == "same"
    assert events_compatible(call12, None) == "compatible"
    feb14 = dt.date(2025, 2, 14)
    assert events_compatible(call12, _event(date=feb14)) == "different_date"  # misdated, or a second call
    assert events_compatible(call12, _event(date=aug18)) == "no"  # months apart: another call
    assert events_compatible(call12, _event(date=feb14), date_conflict_days=1) == "no"
    assert events_compatible(call12, _event(date=aug18, persons=("c", "d"))) == "no"
    assert events_compatible(call12, _event("meeting", date=feb12)) == "no"
    assert events_compatible(call12, _event(planned=True, doc="x")) == "no"
    assert events_compatible(call12, _event("talks", doc="x")) == "compatible"
    # an undated report published a week after the call may be about it, one published months later not
    assert events_compatible(call12, _event(doc="x", ref=dt.date(2025, 2, 13))) == "compatible"
    assert events_compatible(call12, _event(doc="x", ref=dt.date(2025, 6, 1))) == "no"
    assert events_compatible(call12, _event(doc="x", ref=dt.date(2025, 2, 1))) == "no"



def test_an_inherited_event_counts_only_by_date_and_participants():
    # a sentence naming no event inherits its article's event: the kind of happening no longer
    # separates it (the article on a call also reports words said at a meeting), dates and
    # persons still do
    feb12 = dt.date(2025, 2, 12)
    call12 = _event(date=feb12)
    meeting = _event("meeting", doc="x", ref=feb12)
    assert events_compatible(call12, meeting) == "no"
    assert events_compatible(call12, meeting, both_named=False) == "compatible"
    assert events_compatible(call12, _event("meeting", date=feb12), both_named=False) == "compatible"
    assert events_compatible(call12, _event("vote", date=dt.date(2023, 5, 2)), both_named=False) == "no"
    assert events_compatible(call12, _event(date=feb12, persons=("c", "d")), both_named=False) == "no"
    assert events_compatible(call12, _event(planned=True, doc="x", ref=feb12), both_named=False) == "compatible"


# --- intervals ---------------------------------------------------------------------------------

def _q(low, high, qualifier):
    return Quantity(("duration", "minute", None), low, high, qualifier, "x")


@pytest.mark.parametrize("a, b, overlap", [
    (_q(60, None, "more_than"), _q(90, 90, "about"), True),  # "più di un'ora" vs "circa un'ora e mezza"
    (_q(175, 175, "exact"), _q(150, 150, "exact"), False),
    (_q(90, 90, "about"), _q(100, 100, "exact"), True),  # within ±15%
    (_q(90, 90, "about"), _q(180, 180, "exact"), False),
    (_q(180, 240, "range"), _q(200, 200, "exact"), True),
    (_q(None, 30, "less_than"), _q(60, None, "more_than"), False),
])
def test_interval_overlap_with_tolerance(a, b, overlap):
    assert intervals_overlap(interval(a, 0.15), interval(b, 0.15)) is overlap


# --- blocking and clustering -------------------------------------------------------------------

def _feature(i, doc, lemmas, entities=()):
    return SentenceFeatures(f"{doc}:0:{i}", doc, doc, " ".join(lemmas), frozenset(lemmas), frozenset(entities),
                            frozenset(), None, None)


def test_blocking_pairs_only_different_documents_sharing_enough_rare_keys():
    common = ["governo"]  # in every sentence: its posting list is over the cap
    feats = [
        _feature(0, "d1", common + ["sanzione", "banca", "europeo"]),
        _feature(1, "d2", common + ["sanzione", "banca", "europeo", "nuovo"]),
        _feature(2, "d1", common + ["sanzione", "banca", "europeo"]),  # same document as 0
        _feature(3, "d3", common + ["calcio", "partita", "stadio"]),
        _feature(4, "d4", common + ["calcio", "sanzione"]),  # shares too few keys with anyone
    ]
    pairs = candidate_pairs(feats, max_posting=3, min_shared_keys=2)
    assert set(zip(pairs["a"], pairs["b"])) == {(0, 1), (1, 2)}


def test_clustering_does_not_chain_through_a_bridge():
    feats = [_feature(i, f"d{i}", ["x"]) for i in range(3)]
    # 0-1 and 1-2 are similar, 0-2 not at all: a bridge sentence must not fuse 0 and 2
    edges = {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.0}
    claims = cluster_claims(feats, edges, ClaimParams(similarity_threshold=0.5, min_average_similarity=0.5))
    groups = sorted(sorted(c.members) for c in claims)
    assert [0, 1, 2] not in groups
    assert [0, 1] in groups


# --- near duplicates and agreement -------------------------------------------------------------

def test_minhash_finds_wire_copy_and_only_it():
    wire = " ".join(f"parola{i}" for i in range(200))
    docs = {
        "a": wire,
        "b": "Titolo diverso della testata. " + wire,
        "c": " ".join(f"altro{i}" for i in range(200)),
    }
    dups = near_duplicate_documents(docs)
    assert dups.select("doc_id_a", "doc_id_b").rows() == [("a", "b")]
    assert dups["shingle_jaccard"][0] > 0.9


def test_source_agreement_counts_add_up_and_include_silent_pairs():
    evidence = pl.DataFrame({
        "claim_id": ["c1", "c1", "c2", "c2", "c3"],
        "doc_id": ["d1", "d2", "d1", "d2", "d1"],
        "source_id": ["s1", "s2", "s1", "s2", "s1"],
    })
    conflicts = pl.DataFrame({"claim_id": ["c2"], "doc_id_a": ["d1"], "doc_id_b": ["d2"]})
    dups = pl.DataFrame(schema={"doc_id_a": pl.Utf8, "doc_id_b": pl.Utf8})
    rows = {(r["source_a"], r["source_b"]): r for r in
            source_agreement(["s1", "s2", "s3"], evidence, conflicts, dups).iter_rows(named=True)}
    assert set(rows) == {("s1", "s2"), ("s1", "s3"), ("s2", "s3")}
    r = rows[("s1", "s2")]
    assert (r["n_shared_claims"], r["n_agreeing"], r["n_conflicting"], r["n_only_a"], r["n_only_b"]) == (2, 1, 1, 1, 0)
    assert r["agreement_rate"] == 0.5 and r["coverage_jaccard"] == pytest.approx(2 / 3)
    assert rows[("s2", "s3")]["agreement_rate"] is None


# --- matching terms (paraphrase normalisation) ---------------------------------------------------

def _terms(text):
    return matching_terms(tokenize(text))


def test_intensifiers_inflection_and_event_synonyms_meet():
    a = _terms("Il ministro ha avuto una lunga e altamente produttiva telefonata con il collega francese.")
    b = _terms("I colloqui del ministro col collega francese sono stati lunghi ed estremamente produttivi.")
    assert {stem("lungo"), stem("produttivo"), stem("telefonata"), stem("ministro"), stem("collega")} <= a & b
    assert not {"altamente", "estremamente"} & (a | b)


def test_a_verb_and_its_nominalisation_meet():
    assert _terms("I sindaci hanno visitato il cantiere.") & _terms("La visita dei sindaci al cantiere.") >= {stem("visita")}
    assert stem("liberazione") == stem("liberare")
    assert stem("negoziato") == stem("negoziare")


def test_synonyms_are_read_by_surface_when_the_lemma_is_wrong():
    # simplemma lemmatizes "subito" as "subire"; the surface still finds its synonym group
    assert _terms("Il governo ha agito subito.") & _terms("Il governo ha agito immediatamente.")


def test_names_are_kept_whole_even_after_an_elision():
    terms = _terms("Le truppe sono entrate nell'Ucraina orientale e poi in Ucraina.")
    assert "ucraina" in terms and stem("ucraina") not in terms


def test_unrelated_words_keep_different_terms():
    # a short stem must not fold unrelated words together, and groups stay narrow
    assert stem("fine") == "fine" and stem("pace") == "pace"
    assert not _terms("Il ministro ha parlato ai giornalisti.") & _terms("Il ministro ha discusso la riforma.") - {stem("ministro")}
    assert not _terms("Scoppia la guerra dei prezzi.") & _terms("Firmato un accordo sui prezzi.") - {stem("prezzo")}


def test_matching_terms_leave_polarity_alone():
    # synonyms and stems are for matching; polarity still reads the lemmas and antonyms
    assert polarity("L'accordo è stato respinto.")["accettare"] == -1
    assert _terms("L'accordo è stato respinto.") == _terms("L'accordo è stato accettato.")


def test_every_event_type_the_lexicon_can_produce_is_declared_in_the_schema():
    from pipeline.agreement.events import EVENT_NOUNS, GENERIC_TYPE, TALKS_CAN_BE, TYPE_LABELS
    from pipeline.schemas import EVENT_TYPES

    produced = set(EVENT_NOUNS.values()) | {GENERIC_TYPE, *TALKS_CAN_BE}
    assert produced <= set(EVENT_TYPES), sorted(produced - set(EVENT_TYPES))
    assert set(TYPE_LABELS) == set(EVENT_TYPES)


def test_candidate_pairs_are_the_same_whatever_the_join_is_sliced_into(monkeypatch):
    import pipeline.agreement.claims as claims_module
    from pipeline.agreement.claims import SentenceFeatures, candidate_pairs

    def feature(i: int, doc: str, terms: set[str]) -> SentenceFeatures:
        return SentenceFeatures(sent_id=f"{doc}:0:{i}", doc_id=doc, source_id=doc, text="", terms=frozenset(terms),
                                entities=frozenset(), slots=frozenset(), event=None)

    vocabulary = ["gas", "accordo", "prezzo", "tetto", "ministro", "europa", "vertice", "bruxelles"]
    features = [feature(i, f"doc{i % 5}", {vocabulary[(i + k) % 8] for k in range(4)}) for i in range(40)]
    whole = candidate_pairs(features, max_posting=100, min_shared_keys=3)
    monkeypatch.setattr(claims_module, "PAIR_ROWS_PER_SLICE", 50)
    sliced = candidate_pairs(features, max_posting=100, min_shared_keys=3)
    assert whole.height > 0
    assert sliced.equals(whole)
