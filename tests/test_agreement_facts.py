"""Unit tests of the rules that decide which values are compared: the dating of an article's event
(events: Frame dating, _time_excludes, read_sentence), and what a fact measures (facts). Each
rule has a positive case and a control that must not change. Every sentence here was written
for these tests."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipeline.agreement import events as ev

MASS = dt.date(2026, 5, 2)
FUNERAL = dt.date(2026, 4, 11)


def _frame(doc, kind="mass", date=None, published=None, content=(), **kw):
    return ev.Frame(doc, kind, date, published, frozenset({"rossi"}), frozenset(), frozenset(),
                    content=frozenset(content), **kw)


def _funeral_and_mass():
    return {
        "f1": _frame("f1", "funeral", FUNERAL, FUNERAL, {"bara", "feretro", "#count:250000.0"}),
        "f2": _frame("f2", "funeral", FUNERAL, FUNERAL + dt.timedelta(days=1), {"bara", "corteo", "#count:250000.0"}),
        "m1": _frame("m1", "mass", MASS, MASS, {"messa", "trigesimo", "#count:15000.0"}),
        "m2": _frame("m2", "mass", MASS, MASS, {"messa", "duomo", "#count:15000.0"}),
    }


# --- a publication day guessed from the corpus --------------------------------------------------

def test_a_guessed_publication_day_the_text_gives_to_another_occasion_rules_nothing_out():
    # "Tre settimane dopo i funerali dell'11 aprile, la messa…": the latest day the text names is the
    # funeral's, read as the publication day; it says nothing of when the Mass article was written
    frames = _funeral_and_mass()
    frames["u"] = _frame("u", content={"messa", "trigesimo", "#count:15000.0"}, published_day_month=(4, 11),
                         other_days=frozenset({(4, 11)}))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["m1"]


def test_a_guessed_publication_day_of_the_text_itself_still_rules_out_events_far_from_it():
    # control: the same day, not given to another occasion ("ROMA, 11 APR –"): the May Mass is ruled out
    frames = _funeral_and_mass()
    frames["u"] = _frame("u", content={"messa", "trigesimo", "#count:15000.0"}, published_day_month=(4, 11))
    _, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is not of_doc["m1"]


def _frames_of(sentences_with_dates, published=None, guessed=None, kind_doc="d"):
    rows = list(range(len(sentences_with_dates)))
    sentences = pl.DataFrame({"sid": rows, "doc_id": [kind_doc] * len(rows), "sent_no": rows})
    readings = {i: ev.read_sentence(text, dates) for i, (text, dates) in enumerate(sentences_with_dates)}
    return ev.document_frames(sentences, readings, {kind_doc: published}, {}, {}, {}, lead_sentences=4,
                              guessed_dates=guessed or {})[kind_doc]


def test_a_pronoun_quello_before_a_date_does_not_mark_it_as_another_occasion():
    text = "Il presidente francese e quello tedesco si sono visti giovedì 5 marzo a Parigi."
    at = text.index("giovedì")
    assert not ev.read_sentence(text, [(at, dt.date(2026, 3, 5))]).dates[0][2]
    # control: "quella del 5 marzo" is another occasion's day
    text = "Il vertice, il primo dopo quello del 5 marzo, è durato tre ore."
    assert ev.read_sentence(text, [(text.index("5 marzo"), dt.date(2026, 3, 5))]).dates[0][2]


def test_a_relative_day_resolved_against_a_guessed_publication_is_no_other_occasion():
    # "lunedì" resolved against a publication day guessed from the corpus rests on nothing: even in a
    # sentence about another occasion it marks no day as that occasion's
    title = "Vertice Rossi-Bianchi a Bruxelles"
    other = "La riunione precedente si era tenuta lunedì."
    d = dt.date(2026, 3, 9)
    f = _frames_of([(title, []), (other, [(other.index("lunedì"), d)])], guessed={(1, other.index("lunedì")): None})
    assert (3, 9) not in f.other_days
    # control: an explicit day in that sentence is another occasion's
    other = "La riunione precedente si era tenuta il 9 marzo."
    f = _frames_of([(title, []), (other, [(other.index("9 marzo"), d)])])
    assert (3, 9) in f.other_days


def test_the_day_named_for_the_article_s_own_event_is_never_another_occasion_s():
    title = "Vertice Rossi-Bianchi, tre ore di colloquio"
    own = "Il vertice di martedì 10 marzo è durato tre ore."
    other = "Già il 10 marzo, prima del vertice, i ministri avevano preparato il testo."
    d = dt.date(2026, 3, 10)
    f = _frames_of([(title, []), (own, [(own.index("10 marzo"), d)]), (other, [(other.index("10 marzo"), d)])],
                   guessed={(1, own.index("10 marzo")): (3, 10), (2, other.index("10 marzo")): (3, 10)})
    assert f.day_month == (3, 10) and (3, 10) not in f.other_days


# --- modality ------------------------------------------------------------------------------------

def test_a_figure_for_tomorrow_is_a_forecast():
    from pipeline.agreement.facts import modality_of
    text = "Sciopero dei trasporti, domani il Paese si ferma: presìdi in 60 città"
    at = text.index("60 città")
    assert modality_of(text[max(0, at - 60):at].lower(), text[at + 8:].lower(), True) == "forecast"
    # control: the same figure told after the day is an outcome
    text = "Sciopero dei trasporti, ieri il Paese si è fermato: presìdi in 60 città"
    at = text.index("60 città")
    assert modality_of(text[max(0, at - 60):at].lower(), text[at + 8:].lower(), True) == "outcome"
