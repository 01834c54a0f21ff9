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


def people(surface: str, value: float) -> tuple:
    return (surface, "count", "item", "persone", value, value, "exact")


def event_of_doc(out: dict[str, pl.DataFrame], sent_id: str) -> tuple[str | None, str | None]:
    """(event_id, identified_by) of the event a sentence's facts belong to."""
    facts = out["facts"].filter(pl.col("sent_id") == sent_id)
    if facts.height == 0 or facts["event_id"][0] is None:
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


def worded_frame(doc: str, kind: str, day: dt.date | None, persons=(), places=(), words=(), **kw):
    """The frame of a report whose words (and figures, "#count:175") are both its lead terms and
    what it says about its event; `day` is its event's date and its publication date."""
    from pipeline.agreement import events as ev

    words = frozenset(words)
    return ev.Frame(doc, kind, day, day, frozenset(persons), frozenset(places), words, content=words, **kw)


def call_frames(undated_figures: set[str]) -> dict:
    """Two dated reports of each of three calls between the same leaders (the March one speaking
    of prisoners), and an undated report "u" speaking of prisoners with the figures given."""
    persons = frozenset({"donald-trump", "vladimir-putin"})
    words = {"telefonata", "leader", "colloquio", "cremlino"}
    figures = {FEB12: {"#duration:90.0", "#count:2.0"}, MAR18: {"#duration:120.0", "#count:25000.0"},
               AUG18: {"#duration:40.0", "#count:2.0"}}
    frames = {}
    for day, figs in figures.items():
        extra = {"prigionieri", "scambio"} if day == MAR18 else {"energia"}
        for j in range(2):
            frames[f"{day}-{j}"] = worded_frame(f"{day}-{j}", "call", day, persons, words=words | extra | figs)
    frames["u"] = worded_frame("u", "call", None, persons, words=words | {"prigionieri", "scambio"} | undated_figures)
    return frames


def test_two_round_figures_in_common_among_the_five_it_states_do_not_identify_a_call():
    # no date, three calls of the same leaders: "due ore" and "25mila" in common with the March call,
    # but three more figures no report of it states (a report of a call the corpus has no dated
    # report of): the article abstains
    from pipeline.agreement import events as ev

    frames = call_frames({"#duration:120.0", "#count:25000.0", "#count:43000.0", "#count:6000.0", "#count:28000.0"})
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"].identified_by == "article"


def test_two_figures_in_common_among_the_three_it_states_identify_a_call():
    # control: two of its three figures are the March call's, and its words lean to that call
    from pipeline.agreement import events as ev

    frames = call_frames({"#duration:120.0", "#count:25000.0", "#count:43000.0"})
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"].date == MAR18


def test_twice_as_many_figures_in_common_with_one_call_tell_it_apart_as_figures_no_other_states_do():
    # with the words' own margin out of reach, only figures telling the calls apart join the article:
    # "due ore" and "25mila" are the March call's, "2" is also February's and August's
    from pipeline.agreement import events as ev

    params = ev.EventParams(min_similarity_margin=0.9, min_figure_margin=0.0)
    frames = call_frames({"#duration:120.0", "#count:25000.0", "#count:2.0"})
    clusters, of_doc = ev.cluster_documents(frames, params)
    assert of_doc["u"].date == MAR18
    # control: one figure in common with March and one with February: the figures tell nothing apart
    frames = call_frames({"#duration:120.0", "#count:2.0", "#count:77.0"})
    clusters, of_doc = ev.cluster_documents(frames, params)
    assert of_doc["u"].identified_by == "article"


def test_the_second_strike_told_by_its_publication_and_rank_joins_it_whatever_its_words():
    # "Sciopero bis, la Questura: 15mila a Roma", published on the day of the second of two Rome
    # strikes: its time leaves that strike alone and its rank names it; its few words are little
    # like the strike's reports, but enough for an article its time identifies
    from pipeline.agreement import events as ev

    first, second = dt.date(2026, 10, 16), dt.date(2026, 11, 13)
    words = {"sciopero", "generale", "cortei", "sindacati", "piazza", "adesione", "lavoratori"}
    frames = {d: worded_frame(d, "strike", day, places={"roma"}, words=words | {tag})
              for d, day, tag in (("a1", first, "ottobre"), ("a2", first, "ottobre"),
                                  ("b1", second, "novembre"), ("b2", second, "novembre"))}
    few = frozenset({"sciopero", "adesione", "questura", "manifestanti", "governo", "ministro", "tavolo", "romano"})
    frames["u"] = ev.Frame("u", "strike", None, second, frozenset(), frozenset({"roma"}), few, content=few,
                           series_rank=2)
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["b1"] and "u" not in of_doc["u"].weakly_joined
    # without a publication date, its rank alone does not tell it: the second strike may be one no
    # report dates (it abstains)
    frames["u"] = ev.Frame("u", "strike", None, None, frozenset(), frozenset({"roma"}), few, content=few, series_rank=2)
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"].identified_by == "article"


def test_a_report_whose_publication_leaves_one_quake_and_shares_its_figure_joins_it_whatever_its_words():
    # "Scossa all'alba tra Fiastra e Visso", published the day of the first of two quakes there weeks
    # apart: its time leaves that quake alone and it states the quake's magnitude; its words (a live
    # report: hours, roads, firefighters) are little like the quake's reports, but enough for an
    # article its time and a figure identify
    from pipeline.agreement import events as ev

    first, second = dt.date(2026, 1, 14), dt.date(2026, 2, 5)
    words = {"scossa", "terremoto", "magnitudo", "ingv", "epicentro", "sfollati", "scuole", "verifiche"}
    frames = {d: worded_frame(d, "earthquake", day, places={"macerata"}, words=words | {tag, fig})
              for d, day, tag, fig in (("a1", first, "gennaio", "#other:4.4"), ("a2", first, "palestre", "#other:4.4"),
                                       ("b1", second, "febbraio", "#other:3.8"), ("b2", second, "alberghi", "#other:3.8"))}
    few = frozenset({"scossa", "alba", "strade", "vigili", "fuoco", "crepe", "campanile", "paura", "#other:4.4"})
    frames["u"] = ev.Frame("u", "earthquake", None, first, frozenset(), frozenset({"macerata"}), few, content=few)
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["a1"]
    # control: the same words without the figure do not identify it (it abstains)
    frames["u"] = ev.Frame("u", "earthquake", None, first, frozenset(), frozenset({"macerata"}), few - {"#other:4.4"},
                           content=few - {"#other:4.4"})
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"].identified_by == "article"


def test_a_day_named_without_a_year_against_figures_of_another_call_abstains():
    # "la telefonata del 18 marzo": a call of 18 March two years before; but the two figures the
    # article states are those of the call of 20 March this year (misdated by two days in the
    # article, or another year's day): the evidence disagrees, the article abstains
    from pipeline.agreement import events as ev

    persons = frozenset({"donald-trump", "vladimir-putin"})
    words = frozenset({"telefonata", "leader", "colloquio", "cremlino"})
    old, other = dt.date(2024, 3, 18), dt.date(2026, 3, 20)
    frames = {}
    for day, figs in ((old, {"#duration:90.0"}), (other, {"#duration:150.0", "#count:175.0", "tregua", "energia", "sanzioni"})):
        for j in range(2):
            frames[f"{day}-{j}"] = worded_frame(f"{day}-{j}", "call", day, persons, words=words | figs)

    def undated(figs):
        return worded_frame("u", "call", None, persons, words=words | figs, day_month=(3, 18))

    clusters, of_doc = ev.cluster_documents({**frames, "u": undated({"#duration:150.0", "#count:175.0"})}, ev.EventParams())
    assert of_doc["u"].identified_by == "article"
    # control: stating no figure, the day it names identifies the call of that day
    clusters, of_doc = ev.cluster_documents({**frames, "u": undated(set())}, ev.EventParams())
    assert of_doc["u"].date == old


def test_two_undated_articles_sharing_two_of_the_five_figures_each_states_stay_apart():
    # no dated report of their call, no date: two round figures in common of five is a coincidence
    # among the calls of the same leaders; two of three (the rest their words alike) is one call
    from pipeline.agreement import events as ev

    persons = frozenset({"donald-trump", "vladimir-putin"})
    words = {"telefonata", "leader", "colloquio", "cremlino", "tregua", "energia"}

    def pair(extra_a, extra_b):
        shared = {"#duration:120.0", "#count:25000.0"}
        return {d: worded_frame(d, "call", None, persons, words=words | shared | extra)
                for d, extra in (("a", extra_a), ("b", extra_b))}

    clusters, of_doc = ev.cluster_documents(pair({"#count:43000.0", "#count:6000.0", "#count:28000.0"},
                                                 {"#count:41000.0", "#count:7000.0", "#count:29000.0"}), ev.EventParams())
    assert of_doc["a"] is not of_doc["b"]
    clusters, of_doc = ev.cluster_documents(pair({"#count:43000.0"}, {"#count:41000.0"}), ev.EventParams())
    assert of_doc["a"] is of_doc["b"]


# --- a place alone does not make two reports of one day one event --------------------------------

AUG3 = dt.date(2025, 8, 3)


def same_day_in_napoli(third_opening: str, third_figure: str) -> tuple[Corpus, str, str]:
    """Two reports of a march for public health in Napoli on 3 August, and a third report of a
    demonstration in Napoli that day; returns (corpus, a health-march figure, the third's figure)."""
    c = Corpus()
    for doc, value in (("s1", 20000), ("s2", 20000)):
        c.doc(doc, f"fonte-{doc}", AUG3)
        c.sent(doc, "La manifestazione per la sanità pubblica ha attraversato oggi il centro di Napoli.",
               dates=[("oggi", AUG3)])
        c.sent(doc, "Medici e infermieri hanno chiesto nuove assunzioni negli ospedali della città.")
        health = c.sent(doc, "Al corteo per la sanità hanno partecipato 20mila persone.",
                        quantities=[people("20mila persone", value)])
    c.doc("p1", "fonte-p1", AUG3)
    c.sent("p1", third_opening, dates=[("oggi", AUG3)])
    third = c.sent("p1", third_figure, quantities=[people("5mila persone", 5000)])
    return c, health, third


def test_two_demonstrations_in_one_city_on_one_day_with_nothing_else_in_common_stay_apart():
    c, health, pensions = same_day_in_napoli(
        "La protesta di pensionati e sindacati contro la riforma delle pensioni ha riempito oggi una piazza di Napoli.",
        "Contro il taglio degli assegni hanno sfilato 5mila persone.")
    out = c.run()
    assert out["facts"].filter(pl.col("sent_id") == pensions)["event_id"][0] != \
        out["facts"].filter(pl.col("sent_id") == health)["event_id"][0]
    assert out["conflicts"].height == 0


def test_a_third_report_of_the_same_march_in_that_city_joins_it():
    # control: the third report speaks of the same march in other words; its figure is compared
    c, health, third = same_day_in_napoli(
        "A Napoli la manifestazione di oggi per la sanità pubblica ha chiesto più medici negli ospedali.",
        "Secondo la Questura al corteo c'erano 5mila persone.")
    out = c.run()
    assert out["facts"].filter(pl.col("sent_id") == third)["event_id"][0] == \
        out["facts"].filter(pl.col("sent_id") == health)["event_id"][0]
    assert any(third in p for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


# --- two articles with no dated event of theirs: one round figure in common is no identification ---

def undated_pair(published: dt.date | None) -> tuple[Corpus, str, str]:
    """Two articles on a Trump–Putin call that give no date for it, in much the same words (not a
    wire copy), sharing the call's duration and stating different prisoner counts; returns their
    count sentences."""
    c = Corpus()
    texts = {
        "a": ("Trump e Putin hanno avuto una telefonata sullo scambio di prigionieri.",
              "La telefonata è durata quaranta minuti, secondo le due delegazioni.",
              "Nello scambio saranno liberati 150 prigionieri, hanno spiegato i negoziatori."),
        "b": ("Sullo scambio di prigionieri una telefonata tra Putin e Trump.",
              "Secondo le delegazioni, quaranta minuti è durata la telefonata.",
              "I negoziatori hanno spiegato che nello scambio saranno liberati 175 prigionieri."),
    }
    counts = []
    for doc, (opening, duration, count_text) in texts.items():
        n = 150 if doc == "a" else 175
        c.doc(doc, f"fonte-{doc}", published)
        c.sent(doc, opening)
        c.sent(doc, duration, quantities=[minutes("quaranta minuti", 40)])
        counts.append(c.sent(doc, count_text,
                             quantities=[(f"{n} prigionieri", "count", "item", "prigionieri", n, n, "exact")]))
    return c, counts[0], counts[1]


def test_two_undated_articles_sharing_one_round_figure_are_not_made_one_event():
    # neither says when: forty minutes is a common length for any call of the same two leaders
    c, a, b = undated_pair(None)
    out = c.run()
    assert event_of_doc(out, a)[1] == event_of_doc(out, b)[1] == "article"
    assert out["conflicts"].height == 0


def test_two_articles_published_the_same_day_sharing_a_figure_are_one_event():
    # control: published the same day, the same words and figure make them one call, compared
    c, a, b = undated_pair(MAR18)
    out = c.run()
    assert event_of_doc(out, a)[0] == event_of_doc(out, b)[0] is not None
    assert any({a, b} == set(p) for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


# --- reports tied by their place alone that fall into two groups of words are two events ----------

MARCH_REPORTS = {
    "s1": ("La manifestazione per la sanità pubblica ha attraversato oggi il centro di Napoli.",
           "Medici e infermieri chiedono nuove assunzioni negli ospedali.",
           "Al corteo hanno partecipato 20mila persone, riferisce la Questura.", 20000),
    "s2": ("A Napoli oggi in migliaia alla manifestazione per la sanità pubblica.",
           "In piazza medici e infermieri: servono assunzioni negli ospedali.",
           "Secondo la Questura al corteo erano 20mila persone.", 20000),
    "p1": ("Il corteo dei pensionati contro la riforma delle pensioni ha sfilato oggi a Napoli.",
           "I sindacati chiedono di ritirare il taglio degli assegni.",
           "Hanno sfilato 5mila persone, riferisce la Questura.", 5000),
    "p2": ("Sono scesi oggi i pensionati in corteo a Napoli contro la riforma delle pensioni.",
           "Sindacati compatti: no al taglio degli assegni.",
           "Secondo la Questura in strada erano 5mila persone.", 5000),
}


def napoli_reports(reports: dict) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """Reports of 3 August in Napoli naming no person; returns the tables and each one's figure sentence."""
    c = Corpus()
    figures = {}
    for doc, (opening, middle, figure, value) in reports.items():
        c.doc(doc, f"fonte-{doc}", AUG3)
        c.sent(doc, opening, dates=[("oggi", AUG3)])
        c.sent(doc, middle)
        figures[doc] = c.sent(doc, figure, quantities=[people(f"{value // 1000}mila persone", value)])
    return c.run(), figures


def test_two_marches_of_one_city_and_day_whose_reports_fall_into_two_groups_are_two_events():
    # each pensions report is alike enough with the health reports to join them one by one, but the
    # two groups are far apart in their words: two events, and 20mila never meets 5mila
    out, fig = napoli_reports(MARCH_REPORTS)
    event = {doc: out["facts"].filter(pl.col("sent_id") == s)["event_id"][0] for doc, s in fig.items()}
    assert event["s1"] == event["s2"] != event["p1"] == event["p2"]
    assert out["conflicts"].height == 0


def test_reports_of_one_march_in_different_words_stay_one_event():
    # control: four reports of the health march, two of them worded apart, one stating another figure
    reports = dict(MARCH_REPORTS)
    reports["p1"] = ("Corteo per la sanità pubblica oggi a Napoli: in strada anche i sindacati.",
                     "Chiedono di assumere medici e di riaprire i reparti chiusi.",
                     "Hanno sfilato 5mila persone, riferisce la Questura.", 5000)
    reports["p2"] = ("Sono scesi oggi in corteo a Napoli medici e infermieri per la sanità pubblica.",
                     "Sindacati compatti: più assunzioni negli ospedali.",
                     "Secondo la Questura in strada erano 20mila persone.", 20000)
    out, fig = napoli_reports(reports)
    assert out["facts"].filter(pl.col("sent_id").is_in(list(fig.values())))["event_id"].n_unique() == 1
    assert any(fig["p1"] in p for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


# --- the day an undated article names adds to its words, never stands in for them ----------------

def named_day_article(second: str, quantities=()) -> tuple[dict[str, pl.DataFrame], str]:
    """Three dated calls; an article with no date names "18 marzo" (no year) and then `second`."""
    c = Corpus()
    dated_calls(c)
    c.doc("u", "fonte-u", None)
    c.sent("u", "Trump e Putin hanno avuto una telefonata il 18 marzo.", dates=[("18 marzo", MAR18)])
    own = c.sent("u", second, quantities=list(quantities))
    return c.run(), own


def test_a_day_named_without_a_year_and_nothing_else_alike_does_not_join_that_days_call():
    # the same day of another year, or another call of the two: nothing in its words is the March call's
    out, own = named_day_article("Sul tavolo i dazi sull'acciaio e i porti del Mar Nero, per 180 minuti.",
                                 [minutes("180 minuti", 180)])
    assert event_of_doc(out, own)[1] == "article"
    assert all(own not in p for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


def test_a_day_named_without_a_year_joins_the_call_its_words_report():
    # control: the same day named, in the words of the March call's reports
    out, own = named_day_article("La telefonata è durata tre ore, riferiscono fonti diplomatiche.",
                                 [minutes("tre ore", 180)])
    eid, identified_by = event_of_doc(out, own)
    assert identified_by == "date" and out["events"].filter(pl.col("event_id") == eid)["event_date"][0] == MAR18


def test_a_cut_event_is_each_of_its_reports_event():
    # the events returned and each report's event agree after a cut
    import math
    from collections import Counter

    from pipeline.agreement import events as ev

    def frame(doc, words):
        return ev.Frame(doc, "demonstration", AUG3, AUG3, frozenset(), frozenset({"napoli"}), frozenset(words),
                        content=frozenset(words))

    # alike enough to be joined one by one (a place, a cortege, a square in common), not as groups
    common = {"corteo", "napoli", "piazza"}
    health = {"sanità", "pubblica", "medici", "infermieri", "ospedali"} | common
    pensions = {"pensioni", "riforma", "assegni", "taglio", "sindacati"} | common
    frames = {d: frame(d, w) for d, w in (("s1", health), ("s2", health | {"reparti"}),
                                          ("p1", pensions), ("p2", pensions | {"inps"}))}
    n = len(frames)
    df = Counter(t for f in frames.values() for t in f.content)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    merged = ev.Cluster("demonstration", AUG3, "date")
    for f in frames.values():
        merged.add(f)
    parts = ev._split_by_words(merged, frames, idf)
    assert sorted(sorted(p.docs) for p in parts) == [["p1", "p2"], ["s1", "s2"]]
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert all(of_doc[d] in clusters and d in of_doc[d].docs for d in frames)


# --- a sentence about an earlier occasion belongs to that occasion's event, by the month it names ---

def month(c: Corpus, sent_id: str, surface: str, first_day: dt.date) -> None:
    """A month named without a day ("a marzo"), resolved to its first day."""
    text = next(s["text"] for s in c.sentences if s["sent_id"] == sent_id)
    at = text.index(surface)
    c.times.append({"doc_id": sent_id.split(":")[0], "sent_id": sent_id, "surface": surface, "start": at,
                    "end": at + len(surface), "value_date": first_day, "granularity": "month",
                    "is_relative": False, "stated_weekday": None})


def august_report_looking_back(looking_back: str, value: float, surface: str) -> tuple[dict, dict, str]:
    """The three dated calls, and a report of the August call with a sentence naming March; returns
    (output, date -> a dated duration sentence, the sentence naming March)."""
    c = Corpus()
    dated = dated_calls(c)
    c.doc("r", "fonte-r", AUG18 + dt.timedelta(days=1))
    c.sent("r", "Trump e Putin hanno avuto una telefonata il giorno indicato.", dates=[("il giorno indicato", AUG18)])
    back = c.sent("r", looking_back, quantities=[minutes(surface, value)])
    month(c, back, "marzo", dt.date(2025, 3, 1))
    return c.run(), dated, back


def test_a_sentence_naming_the_month_of_an_earlier_call_belongs_to_that_call():
    # "A marzo la telefonata era durata…": a value of the March call, which the corpus knows
    out, dated, back = august_report_looking_back(
        "A marzo la telefonata tra Trump e Putin era durata due ore e mezza.", 150, "due ore e mezza")
    assert event_of_doc(out, back)[0] == event_of_doc(out, dated[MAR18])[0]


def test_a_month_that_is_only_the_term_of_a_comparison_does_not_move_the_sentence():
    # control: "meno di quella di marzo" compares; the forty minutes are not the March call's
    out, dated, back = august_report_looking_back(
        "La telefonata è durata quaranta minuti, meno della metà di quella di marzo.", 40, "quaranta minuti")
    assert event_of_doc(out, back)[0] != event_of_doc(out, dated[MAR18])[0]
    assert all(back not in p for p in out["conflicts"].select("sent_id_a", "sent_id_b").rows())


# --- an article joined to an event adds its figures: another may then tell that event apart -------

OCT16, NOV13 = dt.date(2025, 10, 16), dt.date(2025, 11, 13)


def trains(n: int) -> tuple:
    return (f"{n} treni", "count", "item", "treni", n, n, "exact")


def two_strikes_in_milano() -> tuple[Corpus, str, str]:
    """Two dated strikes of the Milan metro weeks apart, each with two reports; an undated report
    sharing two figures with the October strike, and another undated one sharing with the dated
    reports only its words and with the first undated one the trains cancelled. Returns (corpus,
    a dated October sentence, the second undated report's trains sentence)."""
    c = Corpus()
    for doc, day, crowd, share in (("d1", OCT16, 30000, 60), ("d2", OCT16, 30000, 60),
                                   ("n1", NOV13, 20000, 45), ("n2", NOV13, 20000, 45)):
        c.doc(doc, f"fonte-{doc}", day)
        if day == OCT16:
            c.sent(doc, "Lo sciopero della metropolitana contro i turni notturni ha fermato oggi Milano.",
                   dates=[("oggi", day)])
        else:
            c.sent(doc, "Lo sciopero dei tranvieri per il rinnovo del contratto ha bloccato oggi Milano.",
                   dates=[("oggi", day)])
        dated = c.sent(doc, f"Al corteo hanno partecipato {crowd // 1000}mila persone.",
                       quantities=[people(f"{crowd // 1000}mila persone", crowd)])
        c.sent(doc, f"L'adesione è stata del {share}%.",
               quantities=[(f"{share}%", "percent", "percent", None, share, share, "exact")])
        if doc == "d1":
            october = dated
    c.doc("b0", "fonte-b0", None)
    c.sent("b0", "Sciopero della metropolitana a Milano contro i turni notturni.")
    c.sent("b0", "Al corteo c'erano 30mila persone.", quantities=[people("30mila persone", 30000)])
    c.sent("b0", "L'adesione è arrivata al 60%.", quantities=[("60%", "percent", "percent", None, 60, 60, "exact")])
    c.sent("b0", "Soppressi 120 treni in tutta la rete.", quantities=[trains(120)])
    c.doc("a0", "fonte-a0", None)
    # (naming no subject the rule reads: "della metropolitana" alone would tell the strikes apart)
    c.sent("a0", "A Milano lo sciopero contro i turni notturni di metro e tram.")
    later = c.sent("a0", "Sono stati soppressi 120 treni.", quantities=[trains(120)])
    return c, october, later


def test_an_article_joined_by_its_figures_lets_another_tell_its_event_apart():
    c, october, later = two_strikes_in_milano()
    out = c.run()
    assert event_of_doc(out, later)[0] == event_of_doc(out, october)[0]


def test_in_one_round_the_article_sharing_figures_only_with_another_undated_one_abstains():
    # control: with one round of joining, its one figure is stated by no dated report
    from pipeline.agreement.build import AggregateParams
    from pipeline.agreement.events import EventParams

    c, october, later = two_strikes_in_milano()
    out = c.run(AggregateParams(events=EventParams(join_rounds=1)))
    assert event_of_doc(out, later)[0] != event_of_doc(out, october)[0]


def test_an_undated_report_naming_what_the_strike_is_about_joins_that_strike():
    # the metro strike and the tram drivers' strike of Milano: "lo sciopero della metropolitana"
    # leaves one of them
    c, october, _ = two_strikes_in_milano()
    c.doc("m0", "fonte-m0", None)
    c.sent("m0", "Lo sciopero della metropolitana contro i turni notturni ha fermato Milano.")
    own = c.sent("m0", "Al presidio davanti all'azienda c'erano 25mila persone.", quantities=[people("25mila persone", 25000)])
    from pipeline.agreement.build import AggregateParams
    from pipeline.agreement.events import EventParams

    out = c.run(AggregateParams(events=EventParams(join_rounds=1)))
    assert event_of_doc(out, own)[0] == event_of_doc(out, october)[0]


# --- "il secondo sciopero": the article's event is not the first of its series --------------------

def second_strike_report(opening: str) -> tuple[dict, str, str]:
    """The two dated Milan strikes (two_strikes_in_milano's), and an undated report opening with
    `opening` and stating a count no dated report states; returns (output, a dated November
    sentence, the report's count sentence)."""
    c = Corpus()
    november = None
    for doc, day in (("d1", OCT16), ("d2", OCT16), ("n1", NOV13), ("n2", NOV13)):
        c.doc(doc, f"fonte-{doc}", day)
        if day == OCT16:
            c.sent(doc, "Lo sciopero della metropolitana contro i turni notturni ha fermato oggi Milano.",
                   dates=[("oggi", day)])
        else:
            c.sent(doc, "Lo sciopero della metropolitana per il rinnovo del contratto ha bloccato oggi Milano.",
                   dates=[("oggi", day)])
        said = c.sent(doc, "Al corteo hanno partecipato 3mila persone.", quantities=[people("3mila persone", 3000)])
        if doc == "n1":
            november = said
    c.doc("u", "fonte-u", None)
    c.sent("u", opening)
    own = c.sent("u", "Sono stati soppressi 120 treni.", quantities=[trains(120)])
    return c.run(), november, own


def test_the_second_strike_of_a_series_is_the_second_the_corpus_knows():
    out, november, own = second_strike_report(
        "Il secondo sciopero della metropolitana per il rinnovo del contratto ha bloccato Milano.")
    assert event_of_doc(out, own)[0] == event_of_doc(out, november)[0]


def test_a_strike_with_no_rank_among_two_of_the_corpus_abstains():
    # control: the same report without "secondo" cannot tell the two strikes apart
    out, november, own = second_strike_report(
        "Lo sciopero della metropolitana per il rinnovo del contratto ha bloccato Milano.")
    assert event_of_doc(out, own)[1] == "article"


# --- reading a sentence: the clause of an event word, and "tre settimane fa" ---------------------

def test_an_event_word_weeks_ago_or_in_a_pluperfect_clause_past_a_decimal_names_another_occasion():
    from pipeline.agreement.events import read_sentence, sentence_relation

    day = dt.date(2026, 2, 12)
    for text in ("Tre settimane fa il terremoto aveva provocato tre feriti.",
                 "Il terremoto di magnitudo 4.6 aveva provocato tre feriti e 200 sfollati."):
        assert sentence_relation(read_sentence(text, []), "earthquake", day, False) == "other", text
    # control: the event reported, with a decimal figure, in the present perfect
    control = "Il terremoto di magnitudo 4.1 ha provocato tre feriti."
    assert sentence_relation(read_sentence(control, []), "earthquake", day, False) == "main"


# --- persons of an article's event: beyond a lead that names them by their roles -------------------

def roles_only_report(later: str) -> tuple[dict, str, str]:
    """The one dated March call of Trump and Putin; a report published the day after whose lead
    names the leaders by their roles, `later` in its fifth sentence; returns (output, a dated
    March sentence, the report's duration sentence)."""
    c = Corpus()
    dated = dated_calls(c, calls=CALLS[1:2])
    c.doc("u", "fonte-u", MAR18 + dt.timedelta(days=1))
    c.sent("u", "Il presidente americano e il leader del Cremlino hanno avuto una telefonata sulla tregua.")
    c.sent("u", "La tregua riguarda le centrali elettriche.")
    c.sent("u", "Saranno scambiati prigionieri nelle prossime settimane.")
    c.sent("u", "La Casa Bianca ha parlato di progressi concreti.")
    c.sent("u", later)
    own = c.sent("u", "La telefonata è durata due ore e mezza, riferiscono fonti diplomatiche.",
                 quantities=[minutes("due ore e mezza", 150)])
    return c.run(), dated[MAR18], own


def test_the_persons_named_with_the_event_word_after_the_lead_are_its_persons():
    out, march, own = roles_only_report("Nella telefonata Trump ha chiesto a Putin una tregua più lunga.")
    assert event_of_doc(out, own)[0] == event_of_doc(out, march)[0]


def test_a_report_naming_no_one_anywhere_is_not_tied_to_the_call_of_those_persons():
    # control: the same report naming no one stays its article's event
    out, march, own = roles_only_report("Nella telefonata si è parlato anche di energia.")
    assert event_of_doc(out, own)[0] != event_of_doc(out, march)[0]


# --- figures that tell two events apart: the words need only lean the same way ----------------------

def strikes_and_a_report_leaning_by_its_figure() -> tuple[Corpus, str, str]:
    """Two dated Milan metro strikes in the same words but for their demands and figures (120 trains
    cancelled in October); an undated report whose words are only a little nearer October's
    (it names the November demand too) and which states October's figure, stated by no November
    report. Returns (corpus, a dated October figure sentence, the report's figure sentence)."""
    c = Corpus()
    october = None
    for doc, day in (("d1", OCT16), ("d2", OCT16), ("n1", NOV13), ("n2", NOV13)):
        c.doc(doc, f"fonte-{doc}", day)
        c.sent(doc, "Lo sciopero della metropolitana ha fermato oggi Milano con cortei e presidi.", dates=[("oggi", day)])
        if day == OCT16:
            c.sent(doc, "I sindacati chiedono nuove assunzioni nelle stazioni.")
            said = c.sent(doc, "Sono stati soppressi 120 treni.", quantities=[trains(120)])
            october = october or said
        else:
            c.sent(doc, "I sindacati chiedono il rinnovo del contratto nazionale.")
            c.sent(doc, "Al corteo hanno partecipato 3mila persone.", quantities=[people("3mila persone", 3000)])
    c.doc("u", "fonte-u", None)
    c.sent("u", "Sciopero della metropolitana a Milano, cortei e presidi in città. Chiesto il rinnovo del contratto.")
    own = c.sent("u", "Soppressi 120 treni in tutta la rete.", quantities=[trains(120)])
    return c, october, own


def test_a_figure_only_one_event_states_lets_words_that_merely_lean_to_it_join():
    c, october, own = strikes_and_a_report_leaning_by_its_figure()
    out = c.run()
    assert event_of_doc(out, own)[0] == event_of_doc(out, october)[0]


def test_without_the_figure_margin_the_same_words_do_not_lean_enough():
    # control: requiring the words' own margin (min_similarity_margin) the report abstains
    from pipeline.agreement.build import AggregateParams
    from pipeline.agreement.events import EventParams

    c, october, own = strikes_and_a_report_leaning_by_its_figure()
    out = c.run(AggregateParams(events=EventParams(min_figure_margin=0.1)))
    assert event_of_doc(out, own)[1] == "article"


def test_a_month_ago_names_another_occasion():
    from pipeline.agreement.events import read_sentence

    assert read_sentence("Un mese fa, secondo gli organizzatori, in piazza erano 100mila.", []).past_cue
    assert not read_sentence("Secondo gli organizzatori, in piazza erano 100mila.", []).past_cue  # control


# --- one place at two grains: a region and its province ----------------------------------------------

JAN22 = dt.date(2026, 1, 22)


def quake_frames(places_a: set[str], places_b: set[str]):
    words = {"scossa", "magnitudo", "sfollati", "feriti", "#other:4.6"}
    return {d: worded_frame(d, "earthquake", JAN22, places=p, words=words) for d, p in (("a", places_a), ("b", places_b))}


def test_reports_in_the_marche_and_in_the_maceratese_on_one_day_are_one_earthquake():
    # "Scossa nelle Marche" and "nel Maceratese la terra continua a tremare": the area of Macerata,
    # a province of the Marche
    from pipeline.agreement import events as ev
    from pipeline.nlp.places import canonical_place

    assert canonical_place("maceratese") == "macerata" and canonical_place("veronese") == "verona"
    clusters, of_doc = ev.cluster_documents(quake_frames({"marche"}, {canonical_place("maceratese")}), ev.EventParams())
    assert of_doc["a"] is of_doc["b"]


def test_two_provinces_of_one_region_are_not_one_place():
    # control: a quake near Macerata and one near Ancona on one day (both in the Marche) stay two,
    # and an adjective that names no province stays what it is
    from pipeline.agreement import events as ev
    from pipeline.nlp.places import canonical_place

    assert canonical_place("milanese") == "milano" and canonical_place("francese") == "francese"
    clusters, of_doc = ev.cluster_documents(quake_frames({"macerata"}, {"ancona"}), ev.EventParams())
    assert of_doc["a"] is not of_doc["b"]


def test_a_square_of_the_same_name_in_two_towns_is_not_one_place():
    # "in piazza San Teodoro a Milano" and "in piazza San Teodoro a Firenze": many towns have a
    # square of that name; the towns tell the two marches of one day apart
    from pipeline.agreement import events as ev

    clusters, of_doc = ev.cluster_documents(quake_frames({"milano", "san-teodoro"}, {"firenze", "san-teodoro"}),
                                            ev.EventParams())
    assert of_doc["a"] is not of_doc["b"]
    # control: the square and its town named by one report, the square alone by the other
    clusters, of_doc = ev.cluster_documents(quake_frames({"milano", "san-teodoro"}, {"san-teodoro"}), ev.EventParams())
    assert of_doc["a"] is of_doc["b"]


def day_frames(specs) -> dict:
    """Frames of reports dated JAN22: (doc, kind, persons, places)."""
    words = frozenset({"lavoratori", "logistica", "piazza", "sindacati", "adesione"})
    return {d: worded_frame(d, kind, JAN22, persons, places, words) for d, kind, persons, places in specs}


def test_a_strike_and_the_march_of_its_workers_reported_the_same_day_are_one_event():
    # two reports call it a strike ("hanno incrociato le braccia"), one the march of the strikers
    from pipeline.agreement import events as ev

    frames = day_frames([("s1", "strike", (), ("bari",)), ("s2", "strike", (), ("bari",)),
                         ("m1", "demonstration", (), ("bari",))])
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["m1"] is of_doc["s1"] is of_doc["s2"] and of_doc["m1"].kind == "strike"


def test_a_march_in_another_town_that_day_is_not_part_of_the_strike():
    # control: the same day, a march in Lecce is another event; and a funeral is no part of a strike
    from pipeline.agreement import events as ev

    frames = day_frames([("s1", "strike", (), ("bari",)), ("s2", "strike", (), ("bari",)),
                         ("m1", "demonstration", (), ("lecce",)), ("f1", "funeral", (), ("bari",))])
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["m1"] is not of_doc["s1"] and of_doc["f1"] is not of_doc["s1"]


def test_a_publication_date_read_from_a_day_the_text_gives_another_occasion_bounds_nothing():
    # no dateline; the only full date in the text is the earlier march's ("alla manifestazione del
    # 2 aprile 2023 avevano partecipato…"), which the parser read as the publication date: it must
    # not rule out the march of 29 April the article reports ("si è svolta il 29 aprile")
    from pipeline.agreement import events as ev

    apr2, apr29 = dt.date(2023, 4, 2), dt.date(2023, 4, 29)
    f = ev.Frame("u", "demonstration", None, apr2, frozenset(), frozenset({"milano"}), frozenset(),
                 published_is_weak=True, day_month=(4, 29), other_days=frozenset({(4, 2)}),
                 other_dates=frozenset({apr2}))
    assert not ev._time_excludes(f, apr29, ev.EventParams())
    # control: read from the text but given to no other occasion, it still bounds the event
    g = ev.Frame("v", "demonstration", None, apr2, frozenset(), frozenset({"milano"}), frozenset(),
                 published_is_weak=True, day_month=(4, 29))
    assert ev._time_excludes(g, apr29, ev.EventParams())


def test_two_marches_in_one_city_on_one_day_about_different_things_are_two_events():
    # reports that name the city only: what each march is about tells them apart
    from pipeline.agreement import events as ev

    words = frozenset({"corteo", "piazza", "manifestanti", "striscioni", "centro"})
    specs = [("p1", "pace"), ("p2", "pace"), ("a1", "caro"), ("a2", "caro"), ("x", None)]
    frames = {d: worded_frame(d, "demonstration", JAN22, places={"napoli"}, words=words,
                              subject=frozenset({s}) if s else frozenset()) for d, s in specs}
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["p1"] is of_doc["p2"] and of_doc["a1"] is of_doc["a2"] and of_doc["p1"] is not of_doc["a1"]
    # control: one march, one report naming what it is about and one not
    clusters, of_doc = ev.cluster_documents({d: frames[d] for d in ("p1", "x")}, ev.EventParams())
    assert of_doc["p1"] is of_doc["x"]


def test_an_undated_vote_naming_no_one_and_nowhere_is_identified_by_its_bill():
    # a council's votes are reported by the bill alone: an undated report of the budget vote, its
    # figures stated by the dated budget reports, joins that vote, never the transport motion's
    from pipeline.agreement import events as ev

    words = {"aula", "consiglio", "votazione", "approvato", "seduta"}
    budget, motion = frozenset({"bilancio previsione"}), frozenset({"mozione trasporto"})
    frames = {
        "b1": worded_frame("b1", "vote", JAN22, words=words | {"#count:31.0", "#count:12.0"}, subject=budget),
        "b2": worded_frame("b2", "vote", JAN22, words=words | {"#count:31.0", "#count:12.0"}, subject=budget),
        "m1": worded_frame("m1", "vote", JAN22 + dt.timedelta(days=20), words=words | {"#count:18.0"}, subject=motion),
        "u": worded_frame("u", "vote", None, words=words | {"#count:31.0", "#count:12.0"}, subject=budget),
        # the same report naming no subject: nothing ties it to either vote
        "x": worded_frame("x", "vote", None, words=words | {"#count:31.0", "#count:12.0"}),
    }
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is of_doc["b1"] and of_doc["u"].identified_by == "date"
    assert of_doc["x"].identified_by == "article"
    # naming the motion instead, the budget vote's figures do not make it the budget vote
    frames["u"] = worded_frame("u", "vote", None, words=words | {"#count:31.0", "#count:12.0"}, subject=motion)
    clusters, of_doc = ev.cluster_documents(frames, ev.EventParams())
    assert of_doc["u"] is not of_doc["b1"]


def test_aftershocks_are_other_earthquakes_than_the_one_reported():
    from pipeline.agreement.events import read_sentence, sentence_relation

    aftershocks = "Nelle prime ore sono state registrate oltre 30 repliche, la più forte di magnitudo 3.2."
    assert sentence_relation(read_sentence(aftershocks, []), "earthquake", JAN22, False) == "other"
    main = "Una scossa di magnitudo 4.6 è stata registrata all'alba nell'entroterra."  # control
    assert sentence_relation(read_sentence(main, []), "earthquake", JAN22, False) == "main"


# --- what the text says of other occasions' times bounds its own event's -------------------------

def conflicting_sent_ids(out: dict[str, pl.DataFrame], sent_id: str) -> set[str]:
    """The sentences a sentence is reported to conflict with (confirmed or to check)."""
    rows = out["conflicts"].select("sent_id_a", "sent_id_b").rows()
    return {b if a == sent_id else a for a, b in rows if sent_id in (a, b)}


def day_also_given_to_an_earlier_call(earlier: str | None) -> tuple[dict, dict, str]:
    """The three dated calls; a report published the day after the March call whose opening dates
    its call "12 febbraio 2025", then `earlier` (a sentence about another occasion naming that day,
    or nothing), and the March call's duration; returns (output, date -> a dated duration
    sentence, the report's duration sentence)."""
    c = Corpus()
    dated = dated_calls(c)
    c.doc("u", "fonte-u", MAR18 + dt.timedelta(days=1))
    c.sent("u", "Trump e Putin hanno avuto una telefonata il 12 febbraio 2025.",
           dates=[("12 febbraio 2025", FEB12)])
    if earlier:
        c.sent("u", earlier, dates=[("12 febbraio 2025", FEB12)])
    own = c.sent("u", "La telefonata è durata due ore e mezza, riferiscono fonti diplomatiche.",
                 quantities=[minutes("due ore e mezza", 150)])
    return c.run(), dated, own


def test_a_day_the_text_also_gives_to_an_earlier_call_does_not_date_its_own_call():
    # "il 12 febbraio 2025" opens the report, but a later sentence gives that very day to a previous
    # call: the text contradicts itself, the day dates nothing, and its 150 minutes are never set
    # against the February call's 90
    out, dated, own = day_also_given_to_an_earlier_call(
        "Una precedente telefonata tra i due si era svolta il 12 febbraio 2025.")
    assert dated[FEB12] not in conflicting_sent_ids(out, own)
    eid, _ = event_of_doc(out, own)
    assert eid != event_of_doc(out, dated[FEB12])[0]


def test_a_day_no_other_sentence_gives_to_another_occasion_dates_the_call():
    # control: the same report without the sentence about the earlier call is the February call's
    out, dated, own = day_also_given_to_an_earlier_call(None)
    assert event_of_doc(out, own)[0] == event_of_doc(out, dated[FEB12])[0]
    assert dated[FEB12] in conflicting_sent_ids(out, own)


def named_day_with_weekday(name: str) -> tuple[dict, str]:
    """The three dated calls; an article with no date names "18 marzo" (no year, a Tuesday in the
    March call's year), the weekday `name` for its call, and the March call's words."""
    c = Corpus()
    dated_calls(c)
    c.doc("u", "fonte-u", None)
    c.sent("u", "Trump e Putin hanno avuto una telefonata il 18 marzo.", dates=[("18 marzo", MAR18)])
    said = c.sent("u", f"{name.capitalize()} i due leader hanno parlato a lungo della tregua.")
    weekday(c, said, name.capitalize(), name)
    own = c.sent("u", "La telefonata è durata tre ore, riferiscono fonti diplomatiche.",
                 quantities=[minutes("tre ore", 180)])
    return c.run(), own


def test_a_day_named_with_a_weekday_it_does_not_fall_on_does_not_identify_that_days_call():
    # "il 18 marzo" and "giovedì": the 18 March call was on a Tuesday, so one of the two is another
    # occasion's the text did not mark; the article abstains
    out, own = named_day_with_weekday("giovedì")
    assert event_of_doc(out, own)[1] == "article"
    assert not conflicting_sent_ids(out, own)


def test_a_day_named_with_its_own_weekday_joins_that_days_call():
    # control: "il 18 marzo" and "martedì", the day it fell on
    out, own = named_day_with_weekday("martedì")
    eid, identified_by = event_of_doc(out, own)
    assert identified_by == "date" and out["events"].filter(pl.col("event_id") == eid)["event_date"][0] == MAR18


def named_day_with_next_call(next_call: str, next_day: dt.date) -> tuple[dict, str]:
    """The three dated calls of 2025; an article with no date names "18 marzo" (no year) in the
    March call's words and announces the next call for `next_call` (a full date)."""
    c = Corpus()
    dated_calls(c)
    c.doc("u", "fonte-u", None)
    c.sent("u", "Trump e Putin hanno avuto una telefonata il 18 marzo.", dates=[("18 marzo", MAR18)])
    c.sent("u", f"La prossima telefonata tra i due è prevista per il {next_call}.", dates=[(next_call, next_day)])
    own = c.sent("u", "La telefonata è durata tre ore, riferiscono fonti diplomatiche.",
                 quantities=[minutes("tre ore", 180)])
    return c.run(), own


def test_an_article_announcing_the_next_call_for_two_years_earlier_is_not_this_years_call():
    # the next call "il 10 aprile 2023": its own 18 March is the one of 2023, not the dated call of 2025
    out, own = named_day_with_next_call("10 aprile 2023", dt.date(2023, 4, 10))
    assert event_of_doc(out, own)[1] == "article"
    assert not conflicting_sent_ids(out, own)


def test_an_article_announcing_the_next_call_weeks_later_joins_the_call_it_names():
    # control: the next call "il 10 aprile 2025", weeks after the dated 18 March call
    out, own = named_day_with_next_call("10 aprile 2025", dt.date(2025, 4, 10))
    eid, identified_by = event_of_doc(out, own)
    assert identified_by == "date" and out["events"].filter(pl.col("event_id") == eid)["event_date"][0] == MAR18


# --- the shortcuts of the clustering's candidate search (properties) --------------------------------
# `cluster_documents` reads an undated article's candidate events by the days its time leaves
# standing (`_possible_days`) and weighs only the pairs of undated articles that share a day or a
# figure (`_undated_candidate_pairs`): each must keep every candidate its rule would accept.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.agreement import events as ev  # noqa: E402

_days = st.dates(dt.date(2019, 1, 1), dt.date(2027, 12, 31))
_day_month = _days.map(lambda d: (d.month, d.day))


# the dates of one example lie around one day (and often on it): the windows and coincidences the
# rules read (a day named that is the publication day, another occasion's day that is the event's)
_AROUND = dt.date(2024, 2, 26)  # near the end of a leap February
_OFFSETS = (-400, -366, -365, -181, -180, -30, -11, -8, -7, -4, -3, -1, 0, 1, 3, 4, 7, 8, 20, 180, 181, 365, 366)
_near_days = st.sampled_from(_OFFSETS).map(lambda k: _AROUND + dt.timedelta(days=k))
_near_day_month = _near_days.map(lambda d: (d.month, d.day))


@st.composite
def _time_frame(draw) -> ev.Frame:
    published = draw(st.none() | _near_days)
    return ev.Frame(
        "u", "call", None, published, frozenset(), frozenset(), frozenset(),
        is_planned=draw(st.booleans()),
        day_month=draw(st.none() | _near_day_month),
        weekday=draw(st.none() | st.integers(0, 6)),
        months=frozenset(draw(st.sets(st.integers(1, 12), max_size=1))),
        other_days=frozenset(draw(st.sets(_near_day_month, max_size=2))),
        other_months=frozenset(draw(st.sets(st.integers(1, 12), max_size=2))),
        other_dates=frozenset(draw(st.sets(_near_days, max_size=2))),
        published_is_weak=published is not None and draw(st.booleans()),
        published_day_month=draw(st.none() | _near_day_month) if published is None else None,
    )


@settings(max_examples=200, deadline=None)
@given(f=_time_frame(), day=_near_days | _days, window=st.integers(0, 30), conflict=st.integers(0, 10))
def test_the_days_an_undated_article_reads_hold_every_day_its_time_leaves_standing(f, day, window, conflict):
    params = ev.EventParams(undated_window_days=window, date_conflict_days=conflict)
    days = ev._possible_days(f, params)
    if not ev._time_excludes(f, day, params):
        assert days is None or (day.month, day.day) in days


def test_the_days_an_undated_article_reads_leave_out_a_day_its_publication_rules_out():
    # published 20 February 2025 from a manifest: a call of 10 February is ruled out, and is not read
    f = ev.Frame("u", "call", None, dt.date(2025, 2, 20), frozenset(), frozenset(), frozenset())
    days = ev._possible_days(f, ev.EventParams())
    assert ev._time_excludes(f, dt.date(2025, 2, 10), ev.EventParams()) and (2, 10) not in days
    assert (2, 14) in days and (2, 20) in days


_persons = st.sets(st.sampled_from(["giorgia-meloni", "donald-trump", "vladimir-putin"]), max_size=2)
_figures = st.sets(st.sampled_from(["#count:2.0", "#duration:90.0", "#count:300.0", "#count:40.0", "#duration:30.0"]),
                   max_size=4)


@st.composite
def _undated_articles(draw) -> tuple[list[str], dict[str, ev.Frame], dict[str, set[str]]]:
    n = draw(st.integers(2, 7))
    frames = {}
    for i in range(n):
        content = frozenset({"telefonata", "leader"} | draw(st.sets(st.sampled_from(["energia", "ucraina", "dazi"])))
                            | draw(_figures))
        published = draw(st.none() | st.dates(dt.date(2025, 3, 1), dt.date(2025, 3, 12)))
        frames[f"d{i}"] = ev.Frame(
            f"d{i}", "call", None, published, frozenset(draw(_persons)), frozenset(), content, content=content,
            day_month=draw(st.none() | st.sampled_from([(3, 4), (3, 5)])),
            published_is_weak=published is not None and draw(st.booleans()))
    docs = draw(st.permutations(sorted(frames)))
    near = {d: set(draw(st.sets(st.sampled_from(docs), max_size=1))) - {d} for d in docs}
    return docs, frames, near


@settings(max_examples=150, deadline=None)
@given(articles=_undated_articles(), figures=st.integers(1, 2), unanchored=st.integers(1, 3),
       listed=st.sampled_from([ev.MAX_FIGURE_SETS, 3]))
def test_the_pairs_of_undated_articles_weighed_hold_every_pair_found_one_event(articles, figures, unanchored, listed):
    docs, frames, near = articles
    params = ev.EventParams(min_shared_figures=figures, min_shared_figures_unanchored=unanchored)
    idf = ev._Idf()
    kept, ev.MAX_FIGURE_SETS = ev.MAX_FIGURE_SETS, listed  # 3: articles with many figures paired with all
    try:
        weighed = ev._undated_candidate_pairs(docs, frames, near, params)
    finally:
        ev.MAX_FIGURE_SETS = kept
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if ev._undated_pair_strength(frames[a], frames[b], idf, near, params) is not None:
                assert (a, b) in weighed


@settings(max_examples=200, deadline=None)
@given(f=_time_frame(), day=_near_days | _days)
def test_an_article_that_says_nothing_of_time_rules_out_no_day(f, day):
    if not ev._says_time(f):
        assert not ev._time_excludes(f, day, ev.EventParams())


def test_an_article_naming_only_another_occasions_month_says_something_of_time():
    f = ev.Frame("u", "call", None, None, frozenset(), frozenset(), frozenset(), other_months=frozenset({3}))
    assert ev._says_time(f) and ev._time_excludes(f, dt.date(2025, 3, 4), ev.EventParams())


class _Reading:
    """A frame that records which of its fields are read."""

    def __init__(self, frame: ev.Frame) -> None:
        self._frame, self.read = frame, set()

    def __getattr__(self, name: str):
        self.read.add(name)
        return getattr(self._frame, name)


def test_the_fit_of_an_articles_names_reads_only_its_names_key():
    # `cluster_documents` keeps the events fitting one `_names_key`: `_names_fit` must read nothing else
    meloni, roma, milano = "giorgia-meloni", "roma", "milano"
    articles = [ev.Frame("u", "meeting", None, FEB12, frozenset({meloni}), frozenset({roma}), frozenset()),
                ev.Frame("v", "meeting", None, None, frozenset(), frozenset({milano}), frozenset())]
    events = []
    for places in ({roma}, {milano}, set()):
        c = ev.Cluster("meeting", FEB12, "date")
        c.add(ev.Frame("d", "meeting", FEB12, FEB12, frozenset({meloni}), frozenset(places), frozenset()))
        events.append(c)
    read = set()
    for f in articles:
        reading = _Reading(f)
        for c in events:
            ev._names_fit(reading, c, {})
        read |= reading.read
    assert read <= set(ev.NAMES_KEY_FIELDS) | {"doc_id"}
    assert ev._names_fit(articles[0], events[0], {}) and not ev._names_fit(articles[0], events[1], {})
