"""Which event an article reports, at scale: the clustering rules that keep two events of one kind
apart (pipeline/agreement/events.py `cluster_documents`), each on Italian sentences written for
these tests, with a control that the rule does not over-reach.

`Corpus` (tests/helpers.py) builds the normalized tables from the sentences; dates, weekdays and
quantities are given, entities are found by name.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tests.helpers import Corpus

FEB12 = dt.date(2025, 2, 12)   # a Wednesday
MAR18 = dt.date(2025, 3, 18)   # a Tuesday
AUG18 = dt.date(2025, 8, 18)   # a Monday
CALLS = ((FEB12, "novanta minuti", 90), (MAR18, "due ore e mezza", 150), (AUG18, "quaranta minuti", 40))


def minutes(surface: str, value: float) -> tuple:
    return (surface, "duration", "minute", None, value, value, "exact")


def event_of_doc(out: dict[str, pl.DataFrame], sent_id: str) -> tuple[str | None, str | None]:
    """(event_id, identified_by) of the event a sentence's facts belong to."""
    facts = out["facts"].filter(pl.col("sent_id") == sent_id)
    if facts.height == 0:
        return None, None
    eid = facts["event_id"][0]
    row = out["events"].filter(pl.col("event_id") == eid)
    return eid, row["identified_by"][0] if row.height else None


def dated_calls(c: Corpus, calls=CALLS) -> dict[dt.date, str]:
    """Two dated reports of each call between Trump and Putin; returns date -> a duration sentence."""
    out = {}
    for i, (day, surface, value) in enumerate(calls):
        for j in range(2):
            doc = f"c{i}{j}"
            c.doc(doc, f"fonte-{i}{j}", day + dt.timedelta(days=j))
            c.sent(doc, "Trump e Putin hanno avuto una telefonata il giorno indicato.",
                   dates=[("il giorno indicato", day)])
            out[day] = c.sent(doc, f"La telefonata è durata {surface}, riferiscono fonti diplomatiche.",
                              quantities=[minutes(surface, value)])
    return out


def weekday(c: Corpus, sent_id: str, surface: str, name: str) -> None:
    """A weekday named with no date to anchor it ("martedì")."""
    text = next(s["text"] for s in c.sentences if s["sent_id"] == sent_id)
    at = text.index(surface)
    c.times.append({"doc_id": sent_id.split(":")[0], "sent_id": sent_id, "surface": surface, "start": at,
                    "end": at + len(surface), "value_date": None, "granularity": "day", "is_relative": True,
                    "stated_weekday": name})


# --- an article with no sure date joins a dated event only when it tells it apart -----------------

def test_a_weekday_that_leaves_one_of_several_calls_standing_does_not_identify_it():
    # three calls between the same leaders; an article without any date says only "martedì" (the
    # March call's weekday): its own call may be one no dated report tells the corpus about
    c = Corpus()
    dated_calls(c)
    c.doc("u", "fonte-u", None)
    opening = c.sent("u", "Martedì Trump e Putin hanno avuto una telefonata.")
    weekday(c, opening, "Martedì", "martedì")
    own = c.sent("u", "La telefonata è durata tre ore, riferiscono fonti diplomatiche.",
                 quantities=[minutes("tre ore", 180)])
    out = c.run()
    _, identified_by = event_of_doc(out, own)
    assert identified_by == "article"  # listed, never compared
    assert all(own not in p for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


def test_the_one_call_its_persons_have_in_the_corpus_is_its_own():
    # control: with a single call of theirs in the corpus, the same undated article joins it
    c = Corpus()
    dated_calls(c, calls=CALLS[1:2])
    c.doc("u", "fonte-u", None)
    opening = c.sent("u", "Martedì Trump e Putin hanno avuto una telefonata.")
    weekday(c, opening, "Martedì", "martedì")
    own = c.sent("u", "La telefonata è durata tre ore, riferiscono fonti diplomatiche.",
                 quantities=[minutes("tre ore", 180)])
    out = c.run()
    eid, identified_by = event_of_doc(out, own)
    assert identified_by == "date" and out["events"].filter(pl.col("event_id") == eid)["event_date"][0] == MAR18


def test_one_figure_in_common_does_not_pick_one_of_many_calls_for_an_undated_article():
    # "due ore e mezza" is the March call's figure, but with three calls of the same leaders and no
    # date, one round figure in common is a coincidence: the article abstains
    c = Corpus()
    dated_calls(c)
    c.doc("u", "fonte-u", None)
    c.sent("u", "Trump e Putin hanno avuto una telefonata.")
    own = c.sent("u", "La telefonata è durata due ore e mezza, riferiscono fonti diplomatiche.",
                 quantities=[minutes("due ore e mezza", 150)])
    out = c.run()
    eid, identified_by = event_of_doc(out, own)
    assert identified_by == "article"
    assert all(own not in p for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


def test_one_figure_in_common_identifies_the_call_when_the_publication_date_is_sure():
    # control: the same article published the day after the March call joins it by that figure
    c = Corpus()
    dated_calls(c)
    c.doc("u", "fonte-u", MAR18 + dt.timedelta(days=1))
    c.sent("u", "Trump e Putin hanno avuto una telefonata.")
    own = c.sent("u", "La telefonata è durata due ore e mezza, riferiscono fonti diplomatiche.",
                 quantities=[minutes("due ore e mezza", 150)])
    out = c.run()
    eid, identified_by = event_of_doc(out, own)
    assert identified_by == "date" and out["events"].filter(pl.col("event_id") == eid)["event_date"][0] == MAR18
