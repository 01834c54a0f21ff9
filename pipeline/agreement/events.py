"""Events first: which real-world event each document, and each of its sentences, reports.

1. **The article's main event** (`document_frames`): its kind, from the event words of its
   title and lead (an open news lexicon: calls, meetings, funerals, Masses, ceremonies,
   demonstrations, strikes, earthquakes, accidents, attacks, trials, votes, matches, speeches…;
   an article with none is of kind `other` and is identified by the rest alone); its date, from
   the day dates the text gives *for that event* (a date the text marks as another event — "dopo
   quella del 12 febbraio", "l'ultima volta… il 18 agosto", a date after publication for a past
   event — is never the event's date, and the publication date is never used as the event's
   date); the persons (certain links only), places and organisations of the lead; and the
   distinctive words of the lead.
2. **Clustering** (`cluster_documents`): frames of one kind and one date are one event when
   their persons and places fit (two strikes on one day in two cities are two events; a region
   and one of its provinces, "nelle Marche" and "nel Maceratese", are one place at two grains:
   `nlp.places`) and
   something ties them: a person or place in common, or lead words `same_day_similarity` alike
   (two votes of one day on two bills stay two); a place alone, with no person in common, ties
   them only when their words are `same_place_similarity` alike on average with the event's reports
   (two demonstrations in one city on one Saturday stay two), and an event so tied whose reports
   fall into two groups of words (average linkage, `same_place_split`) is cut in two. Reports of
   one day naming the event by two kinds that are parts of each other (a strike and its march, a
   call and the talks) are one event when they name the same persons or places
   (`_join_parts_of_one_event`). A group of reports dating an event up to
   `date_conflict_days` off joins it when it is no larger and alike in names and
   words (`min_misdate_similarity`): a misdating, later a date conflict. An undated frame joins
   a dated event only with positive evidence: it shares a person or place with it, its
   publication date lies within `undated_window_days` after it, its lead words are at least
   `min_content_similarity` alike (`min_identified_similarity` when a sure publication date
   leaves it that one event and the day it names, its rank in a series or a figure its reports
   state identifies it: a strong join), and no other event of that kind is nearly as alike
   (`min_similarity_margin`; `min_figure_margin` when figures it states with that event and
   with no other, or two or more with it and at most half as many with any other, tell them apart). It must identify that event: a wire copy of one of its reports, the
   day it names, or figures its reports state too (one, with a sure publication date; without
   one, two, or one no other candidate states among at most `few_events` events of its persons; or
   its rank in a series: "il secondo sciopero", "lo sciopero bis" identify the second of its
   candidates by date, and an event ranked so, or a repeat, "la nuova scossa", is never the first;
   the day it says its event repeats, "e il 13 novembre si replica", identifies the event right
   before that day's);
   else it must be the one event of its kind left, and then, without a sure publication date,
   the one event of its kind naming its persons in the whole corpus (a weekday or a guessed day
   that leaves one of several standing is no identification: the article's own event may be one
   no dated report tells the corpus about). What it says of time rules events out: the day it
   names (with the weekday it names, if any), and the full dates it gives other occasions ("il
   prossimo concerto è in programma il 13 ottobre 2021"), which lie within
   `reference_window_days` of its own event; a day it gives both its own event and another of
   its kind ("un altro attacco aveva colpito il 4 febbraio") dates nothing. Joining goes in rounds (`join_rounds`): an article
   joined in one round adds its words and figures to its event, which may then identify an
   article that abstained before. Two undated frames of one kind published the same day
   that share persons and words are one event (and figures: one, when both publication dates are
   sure, else two; or the day they name, or a wire copy). Anything else is an event known to its article
   only (`identified_by` = `article`): its facts are listed, never compared. So an undated
   event never matches "any" dated one, and the cost follows the sizes of the (kind, date)
   groups, never the corpus squared.
3. **Sentences** (`assign_sentences`): each sentence belongs to its article's main event unless
   it refers explicitly to another one: an event word with "precedente", "scorsa", "prossima"
   beside it, "quella del …", "in precedenza", "la prossima settimana", an event word of another
   kind, or a day date other than the event's. Such a sentence belongs to the one known event of
   that kind it names by its day ("la telefonata del 2 febbraio") or, telling of a past occasion,
   by its month ("a marzo la telefonata era durata…"; not a month that is only the term of a
   comparison, "meno di quella di marzo"); else to no event, except a
   statement by a speaker linked with certainty, which belongs to that speaker's *statement
   event* (one speaker's remarks reported by articles published within `undated_window_days` of
   each other, naming places that fit): what Hegseth said at a NATO meeting is one event
   whichever call the article is about.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import polars as pl

from pipeline.common import stable_id
from pipeline.nlp.italian import MONTHS, WEEKDAYS
from pipeline.nlp.places import canonical_place, cities_differ, places_meet
from pipeline.nlp.text import one_slip_apart, slips_read

# --- the event lexicon --------------------------------------------------------------------------
# (regex of the word forms, kind). General Italian news vocabulary, matched on lower-cased text.
EVENT_WORDS: tuple[tuple[str, str], ...] = (
    (r"videochiamat[ae]|videoconferenz[ae]|telefonat[ae]|chiamat[ae](?! a\b)", "call"),
    (r"colloqui(?:o)? telefonic[oi]|conversazion[ei] telefonic[ae]|telefonicamente|(?:al|per) telefono|ha telefonato", "call"),
    (r"colloqui[o]?|conversazion[ei]|interlocuzion[ei]", "talks"),
    (r"incontr[oi](?! di calcio)|incontrat[aeio]|vertic[ei]|summit|riunion[ei]|bilateral[ei]|visita di stato|faccia a faccia", "meeting"),
    (r"funeral[ei]|esequie|camera ardente|(?:messa|funzione|rito|corteo|cerimonia) funebre|(?:ultimo|estremo) (?:saluto|addio)", "funeral"),
    (r"mess[ae](?! (?:in (?:sicurezza|onda|scena|atto|moto|campo|discussione|luce|evidenza|dubbio|opera|pratica|vendita|"
     r"mora|liquidazione|stato|funzione|piega|risalto|guardia|rete|commercio|cassa|servizio|produzione)|a (?:punto|"
     r"disposizione|terra|fuoco|dimora|segno|nudo|regime|sistema|confronto|rischio|bando)|al (?:bando|sicuro|corrente)|"
     r"insieme)\b)|omelia|celebrazion[ei] eucaristic[ae]|rosario", "mass"),
    (r"cerimoni[ae]|commemorazion[ei]|inaugurazion[ei]|insediament[oi]|giurament[oi]|beatificazion[ei]|canonizzazion[ei]", "ceremony"),
    (r"manifestazion[ei]|corte[oi]|fiaccolat[ae]|sit-in|protest[ae]|presidi(?:o)?(?= (?:di|davanti|sotto|in)\b)", "demonstration"),
    (r"scioper[oi]|scioperat[oaie]|scioperano|incrocia(?:to|no|re|ndo) le braccia|astensione dal lavoro", "strike"),
    (r"terremot[oi]|sism[ai]|scoss[ae](?! di assestamento)", "earthquake"),
    (r"repliche|scoss[ae] di assestamento", "earthquake"),  # aftershocks: earthquakes after the one reported
    (r"incident[ei]|schiant[oi]|croll[oi]|deragliament[oi]|naufragi(?:o)?|esplosion[ei]|incendi(?:o)?|alluvion[ei]", "accident"),
    (r"attacc(?:o|hi)|bombardament[oi]|raid|attentat[oi]|offensiv[ae]|strag[ei]|incursion[ei]|dron[ei](?= (?:su|contro|sopra|hanno colpito|ha colpito)\b)", "attack"),
    (r"process[oi](?! (?:di|del|della) pace)|udienz[ae]|sentenz[ae]", "trial"),
    (r"elezion[ei]|votazion[ei]|referendum|ballottaggi(?:o)?|scrutini(?:o)?|conclave|primarie|voto(?= (?:sul|sulla|sullo|finale|di fiducia|in aula)\b)|(?<=ha )votato|(?<=hanno )votato", "vote"),
    (r"partit[ae](?= (?:di|tra|contro|del|della)\b)|derby", "match"),
    (r"discors[oi]|comizi(?:o)?|conferenza stampa", "speech"),
    (r"intervist[ae]", "interview"),
    (r"concert[oi]|festival|(?<=si è )esibit[oa](?! in un)|(?<=si sono )esibit[ie](?! in un)", "concert"),  # not "si è esibito in una difesa"
)
EVENT_KIND_LABELS = {
    "call": "telefonata", "talks": "colloqui", "meeting": "incontro", "funeral": "funerali",
    "mass": "messa", "ceremony": "cerimonia", "demonstration": "manifestazione", "strike": "sciopero",
    "earthquake": "terremoto", "accident": "incidente", "attack": "attacco", "trial": "processo",
    "vote": "voto", "match": "partita", "speech": "discorso", "interview": "intervista",
    "concert": "concerto", "statement": "dichiarazioni", "other": "evento",
}
EVENT_KINDS = tuple(EVENT_KIND_LABELS)
GENERIC_KIND = "talks"  # "colloquio", "conversazione": a call when the article names a phone, else talks
TALKS_CAN_BE = ("call", "meeting")
UNKNOWN_KIND = "other"
STATEMENT_KIND = "statement"
_EVENT_GROUPS = [f"(?P<k{i}>{rx})" for i, (rx, _) in enumerate(EVENT_WORDS)]
EVENT_RE = re.compile(r"\b(?:" + "|".join(_EVENT_GROUPS) + r")\b")
_KIND_OF_GROUP = {f"k{i}": kind for i, (_, kind) in enumerate(EVENT_WORDS)}
PHONE_RE = re.compile(r"\btelefon|\bcornetta\b")

# An event word with one of these beside it (three words either side) names another event.
OTHER_MODIFIER_RE = re.compile(
    r"\b(?:precedent[ei]|scors[ao]|passat[ao]|prossim[ao]|successiv[ao]|futur[ao]|ultim[ao] volta|"
    r"l['’]altr[ao]|un['’]altr[ao]|altr[ei])\b"
    r"|\b(?:a|dopo) (?:\w+ )?(?:giorni|settimane|mesi|anni) (?:da|dal|dai|dalla|dalle|dallo|dall['’]|dagli)(?= _)"
    # "tre settimane fa il terremoto": an occasion weeks before the one reported
    r"|\b(?:giorn[oi]|settiman[ae]|mes[ei]|ann[oi]) fa\b"
    r"|\b(?:giorni|settimane|mesi|anni) (?:dopo|prima) (?:(?:il|lo|la|i|gli|le|l['’])\s?)?(?= _)"
    # the term of a comparison: "meno gente rispetto allo sciopero di ottobre", "a differenza del vertice"
    r"|\b(?:rispetto|in confronto|paragonat[aoie]) a(?:l|llo|lla|i|gli|lle|ll['’])?\s?(?= _)"
    r"|\ba differenza d(?:el|ello|ella|ei|egli|elle|ell['’])\s?(?= _)"
)
# "martedì scorso", "lo scorso sabato": a day of last week, the time of the event reported ("si sono
# parlati al telefono martedì scorso"), not a cue of another occasion as "la scorsa telefonata" is.
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
LAST_WEEKDAY_RE = re.compile(rf"\b(?:(?:{_WEEKDAY_NAMES}) scors[ao]|scors[ao] (?:{_WEEKDAY_NAMES}))\b")
# In the event word's clause: a pluperfect ("la telefonata era durata", "ai funerali avevano
# partecipato"): an occasion before the one reported.
PLUPERFECT_RE = re.compile(
    r"\b(?:aveva|avevano|era|erano|erano stat[ie]|era stat[ao])\s+(?:\w+\s+)?"
    r"(?:\w{2,}(?:at|ut|it|ss|st)[aoie]|(?:s?volt|fatt|dett|vist|pres|mess|giunt|scritt|chies|spint|rott|mort|nat|"
    r"success|scess|pers|vint|spent|accolt|raccolt|tolt|scelt|apert|offert|sort)[aoie])\b")
# Event words that name other events of the kind, after the one reported: aftershocks ("oltre 30
# repliche, la più forte di magnitudo 3.2": not the main shock's magnitude).
AFTER_EVENTS_RE = re.compile(r"repliche|scoss[ae] di assestamento")
# Just before an event word: it is denied, not reported ("senza attacchi", "nessun incontro").
DENIED_BEFORE_RE = re.compile(r"\b(?:senza|nessun[ao]?|niente|alcun[ao]?)\s+(?:\w+\s+)?$")
# Future tense anywhere in the sentence: something yet to happen ("visiterà", "si terranno").
FUTURE_TENSE_RE = re.compile(r"\b\w{3,}(?:erà|irà|arà|eranno|iranno|aranno|eremo|iremo|aremo)\b")
# Anywhere in a sentence: an explicit reference to another occasion.
OTHER_PAST_RE = re.compile(
    r"\b(?:in precedenza|precedentemente|nei giorni scorsi|nelle settimane scorse|la settimana scorsa|"
    r"il mese scorso|l['’]anno scorso|lo scorso (?:mese|anno)|già in passato|(?:giorn[oi]|settiman[ae]|mes[ei]|ann[oi]) fa|"
    r"quell[ao] (?:del|dello|della|dell['’]|di)\b|dopo quell[ao]|rispetto a quell[ao]|l['’]ultima volta)"
)
OTHER_FUTURE_RE = re.compile(
    r"\b(?:la prossima settimana|il prossimo mese|nei prossimi giorni|nelle prossime settimane|domani|si replica|"
    r"si terrà|si terranno|si svolgerà|in programma|è previst[ao] per|sono previst[ie] per|dovrebbe tenersi|"
    r"(?:annunciat|convocat|fissat|indett|proclamat)[oaie] per)\b"
)
# Before a day date, within its sentence: the date is another occasion's, not the event's.
OTHER_DATE_CUE_RE = re.compile(
    r"\b(?:quell[aoie] d(?:i|el|ello|ella|ell['’]|ei|egli|elle)|precedent[ei]|ultim[aoie]|dopo|rispetto|già|dal|dall['’]|fino|"
    r"prima (?:del|dell['’]|della|di))\b[^.;:]{0,40}$"
)
# After a day date: the occasion is a repeat to come ("E il 13 novembre si replica").
REPEAT_RE = re.compile(r"\b(?:si replica|si ripete|si torna in piazza|replicherà|il bis)\b")
OTHER_DATE_AFTER_RE = re.compile(r"[^.;:]{0,25}?" + REPEAT_RE.pattern)
# Planned: a future cue next to the main event word.
FUTURE_CUE_RE = re.compile(
    r"\b(?:previst[aoie]|prossim[aoie]|atteso|attesa|attesi|attese|in programma|domani|imminente|"
    r"sarà|saranno|si terrà|si svolgerà)\b"
)
# A month named as the term of a comparison: "meno di quella di marzo", "rispetto a marzo".
COMPARED_MONTH_RE = re.compile(
    r"\b(?:quell[aoie] d(?:i|el|ello|ella|ell['’]|ei|egli|elle)|rispetto a(?:l|lla|ll['’])?|a differenza d(?:i|el|ella))\s*"
    r"(?:\w+\s+){0,2}?(" + "|".join(MONTHS) + r")\b")
# Right before an event word: its rank in a series ("la seconda scossa", "il terzo sciopero") or a
# repeat of unknown rank ("la nuova scossa", "l'ennesimo sciopero"); right after it: "bis".
SERIES_RANKS = {"second": 2, "terz": 3, "quart": 4, "quint": 5}
SERIES_BEFORE_RE = re.compile(r"\b(second[oa]|terz[oa]|quart[oa]|quint[oa]|nuov[oa]|ennesim[oa])\s+$")
SERIES_AFTER_RE = re.compile(r"\s+bis\b")
MONTH_NAME_RE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b")
# a misdating joins an event at least as large: a few reports against many, or one against one (at
# 7,600 synthetic files, "at most half as large" left 57 of 178 misdated events apart; allowing
# equal sizes: recall 0.517 -> 0.533, false cross-event conflicts 24 -> 17)
MISDATED_SHARE = 1
# Tunables of the clustering rules are EventParams fields (params.yaml `aggregate.events`):
# same_day_similarity, same_place_similarity, same_place_split, min_split_group,
# reference_window_days, min_shared_figures, min_shared_figures_unanchored, few_events,
# strong_bonus, weekday_bonus. What stays here bounds the cost or names a format.
MEMBERS_COMPARED = 12  # an event's first reports compared with a candidate (same_place_similarity)
MAX_SPLIT_DOCS = 60  # events of up to this many reports are searched for two groups of words (same_place_split)
FIGURE_PREFIX = "#"  # content terms that are figures ("#count:175"), as build writes them
MAX_FIGURE_SETS = 200  # sets of figures listed per article to find those it shares (`_undated_candidate_pairs`)
NEAR_WORDS = 3  # words either side of an event word searched for OTHER_MODIFIER_RE / FUTURE_CUE_RE


@dataclass(frozen=True)
class EventParams:
    """params.yaml `aggregate.events`."""

    lead_sentences: int = 4            # title, subtitle and first sentences that say what the article is about
    undated_window_days: int = 7       # an undated report joins an event only if published within this many days after it
    date_conflict_days: int = 3        # a smaller group of reports dating an event this many days or less from a larger one ...
    min_misdate_similarity: float = 0.5  # ... joins it (a date conflict) when their lead words are this alike
    min_content_similarity: float = 0.15  # lead-word cosine an undated report needs with the event it joins
    min_similarity_margin: float = 0.1   # ... and its lead over the next best event of that kind
    min_identified_similarity: float = 0.05  # ... the cosine needed when its time leaves that event alone and identifies it
    strong_content_margin: float = 0.25  # a lead this large (or a wire copy, or the day named) makes the join strong
    min_undated_pair_similarity: float = 0.5  # two articles with no dated event: cosine making them one event
    min_figure_margin: float = 0.05      # ... the lead needed when its figures alone tell the candidates apart
    join_rounds: int = 3                # rounds of joining undated articles (a join adds words and figures to its event)
    same_day_similarity: float = 0.4     # lead-word cosine tying two reports of one kind and day that name no one in common
    # two reports of one kind, day and place naming no person in common (two marches in one city on one
    # Saturday): their words this alike on average over the event's first reports
    same_place_similarity: float = 0.15
    same_place_split: float = 0.22       # an event tied by its place alone is cut where groups of its reports are less alike
    min_split_group: int = 2             # ... groups of at least this many reports each
    reference_window_days: int = 180     # a day or month named without a year refers to an occasion this near the article's event;
    # the full dates an article gives other occasions lie this near its own event (`_time_excludes`)
    min_shared_figures: int = 1          # figures in common identifying an event for an article with a sure publication date
    # without one, among more than few_events candidate events of its persons (or places): this many
    # (one round figure in common is a coincidence among one story's events); with few_events or
    # fewer, one figure that no other candidate states
    min_shared_figures_unanchored: int = 2
    min_shared_figure_share: float = 0.5  # ... and this share of the figures it states (two round figures of five: a coincidence)
    few_events: int = 2
    strong_bonus: float = 0.5            # evidence score of a wire copy of a report, or of the very day named without a year
    weekday_bonus: float = 0.05          # ... of the weekday named ("martedì"): one day in seven


@dataclass(slots=True)  # one per article
class Frame:
    """What one article says about its main event (or one speaker's remarks, for statements)."""

    doc_id: str
    kind: str
    date: dt.date | None
    published: dt.date | None
    persons: frozenset[str]
    places: frozenset[str]
    terms: frozenset[str]
    is_planned: bool = False
    date_at: tuple[int, int] | None = None  # (sentence id, offset) of the date it was given
    # evidence for an article that gives no date of its own (`content` joining):
    content: frozenset[str] = frozenset()   # terms of the sentences about its event, and the figures they state
    day_month: tuple[int, int] | None = None  # a day named without a year, nothing anchoring the year
    day_month_at: tuple[int, int] | None = None  # (sentence id, offset) where it is named
    weekday: int | None = None               # a weekday named for the event ("martedì"), Monday = 0
    months: frozenset[int] = frozenset()     # months named for the event without a day ("a marzo")
    other_days: frozenset[tuple[int, int]] = frozenset()  # (month, day) the text marks as another occasion's
    other_months: frozenset[int] = frozenset()  # months the text marks as another occasion's ("quella di marzo")
    # full dates, their year stated, the text gives to other occasions ("il prossimo concerto è in
    # programma il 13 ottobre 2021"): the occasions one article names are near its own event
    other_dates: frozenset[dt.date] = frozenset()
    published_is_weak: bool = False          # the publication date was read from the text, not a manifest
    # the day and month of a publication date whose year was guessed from the corpus: the year says
    # nothing, but the time of year the text gives still rules out events far from it in every year
    # (unless it is a day the text gives to another occasion: `_time_excludes`)
    published_day_month: tuple[int, int] | None = None
    # its event's place in a series of its kind: 2 for "il secondo sciopero", "sciopero bis", 3 for
    # "la terza telefonata"; 0 for a repeat of unknown rank ("la nuova scossa"); None: not said
    series_rank: int | None = None
    subject: frozenset[str] = frozenset()    # what its event is about, where its kind says (SUBJECT_RULES)
    # (month, day) the text gives the next occasion of its kind ("e il 13 novembre si replica",
    # "il prossimo sciopero è in programma il 13 novembre"): its own event comes before that one
    next_days: frozenset[tuple[int, int]] = frozenset()


@dataclass
class Cluster:
    kind: str
    date: dt.date | None
    identified_by: str  # date | content | article | speaker
    docs: list[str] = field(default_factory=list)
    persons: Counter = field(default_factory=Counter)
    places: set[str] = field(default_factory=set)
    terms: Counter = field(default_factory=Counter)
    planned_votes: int = 0
    founder: str = ""
    speaker: str | None = None
    joined_by_words: set[str] = field(default_factory=set)  # documents matched by their words, not their date
    weakly_joined: set[str] = field(default_factory=set)  # ... of those, the ones matched by weaker evidence
    content: Counter = field(default_factory=Counter)
    member_words: list = field(default_factory=list)  # what each of its first MEMBERS_COMPARED reports says
    subject: set[str] = field(default_factory=set)  # the subjects its reports name (SUBJECT_RULES)

    @property
    def event_id(self) -> str:
        if self.speaker:
            return stable_id("statement", self.speaker, self.founder)
        return stable_id("event", self.founder)

    def add(self, f: Frame) -> None:
        if not self.docs:
            self.founder = f.doc_id
        self.docs.append(f.doc_id)
        self.persons.update(f.persons)
        self.places |= f.places
        self.subject |= f.subject
        self.terms.update(f.terms)
        self.content.update(f.content)
        if len(self.member_words) < MEMBERS_COMPARED:
            self.member_words.append(_words(f))
        self.planned_votes += 1 if f.is_planned else -1

    @property
    def main_persons(self) -> frozenset[str]:
        ranked = sorted(self.persons.items(), key=lambda kv: (-kv[1], kv[0]))
        return frozenset(p for p, _ in ranked[:2])


# Kinds of event whose place tells two events apart (a call's places are its topics).
LOCATED_KINDS = frozenset({"meeting", "funeral", "mass", "ceremony", "demonstration", "strike", "earthquake", "accident",
                           "attack", "trial", "match", "speech", "concert", "other"})


# Kinds that are parts of another kind's event: a funeral has a ceremony, a Mass, a cortege and
# a homily; a strike has marches; a call is talks. Naming them does not point to another event.
PART_OF: dict[str, frozenset[str]] = {
    "funeral": frozenset({"ceremony", "mass", "demonstration", "speech"}),
    "mass": frozenset({"ceremony", "speech"}),
    "ceremony": frozenset({"mass", "speech"}),
    "call": frozenset({"talks"}),
    "talks": frozenset({"call", "meeting"}),
    "meeting": frozenset({"talks", "speech"}),
    "strike": frozenset({"demonstration"}),
    "demonstration": frozenset({"strike", "speech"}),
    "attack": frozenset({"accident"}),
    "earthquake": frozenset({"accident"}),
    "vote": frozenset({"speech"}),
    "trial": frozenset({"speech"}),
}


def is_own_kind(kind: str, main_kind: str) -> bool:
    """Does an event word of `kind` name the article's own event of `main_kind` (or a part of it)?"""
    return kind in (main_kind, GENERIC_KIND) or kind in PART_OF.get(main_kind, ())


def persons_fit(a: frozenset[str], b: frozenset[str]) -> bool:
    """Either unknown, or sharing min(2, |a|, |b|) persons."""
    return not a or not b or len(a & b) >= min(2, len(a), len(b))


def places_fit(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Either unknown, or naming one place (at the same grain, or a region and its province) and
    not two different towns."""
    return not a or not b or (places_meet(a, b) and not cities_differ(a, b))


# --- what an event is about --------------------------------------------------------------------
# Kinds whose events of one place and day are told apart by what they are about: a march for the
# climate and one against rents, the health workers' strike and the logistics one, the vote on a
# housing plan and the vote on a packaging rule. The subject is read right after the event word:
# "manifestazione (nazionale) per la pace", "sciopero (dei lavoratori) della sanità", "voto sul
# piano per la casa"; two reports naming different subjects are two events (a paraphrase, "corteo
# per il clima" and "marcia ambientalista", names none the rule reads, so it vetoes nothing).
_WORD = r"([a-zàèéìòù]{3,})"
_ART = r"(?:il |lo |la |l['’]|i |gli |le )?"
SUBJECT_RULES: dict[str, re.Pattern] = {
    "demonstration": re.compile(r"(?:\s+[a-zàèéìòù]+)?\s+(?:per|contro)\s+" + _ART + _WORD),
    "strike": re.compile(r"(?:\s+generale)?(?:\s+(?:dei|degli|delle|i|gli|le) (?:lavoratori|dipendenti|addetti|lavoratrici))?"
                         r"\s+(?:del|della|dello|dei|degli|delle|nel|nella|nello|nei|negli|nelle)\s+(?:settore |comparto )?"
                         + _ART + _WORD),
    "vote": re.compile(r"(?:\s+finale)?\s+(?:sul|sulla|sullo|sui|sugli|sulle|sull['’])\s*"
                       + _WORD + r"(?:\s+(?:per|sul|sulla|sugli|sulle|di|del|della|dei|delle) " + _ART
                       + r")?\s*([a-zàèéìòù]{3,})?"),
}
# after the verb: "l'aula ha votato la mozione sul trasporto pubblico"
VOTED_SUBJECT_RE = re.compile(r"\s+(?:il |la |lo |l['’])" + _WORD + r"(?:\s+(?:per|sul|sulla|sugli|sulle|di|del|della|dei|delle) "
                              + _ART + r")?\s*([a-zàèéìòù]{3,})?")


def event_subject(text: str, end: int, kind: str) -> str | None:
    """What the event named by the word ending at `end` is about ("sanità" for "sciopero della
    sanità"; "piano casa" for "voto sul piano per la casa"), or None when the text does not say."""
    low = text.lower()
    rule = VOTED_SUBJECT_RE if kind == "vote" and low.endswith("votato", 0, end) else SUBJECT_RULES.get(kind)
    m = rule.match(low, end) if rule else None
    if m is None:
        return None
    return " ".join(g for g in m.groups() if g)


def subjects_fit(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Either says nothing of what its event is about, or they name a subject in common."""
    return not a or not b or subjects_meet(a, b)


def subjects_meet(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Do they name a subject in common, word for word up to one slip of typing per word ("legge
    coonsumo" is "legge consumo")?"""
    return bool(set(a) & set(b)) or any(_same_subject(x, y) for x in a for y in b)


@lru_cache(maxsize=100_000)
def _same_subject(x: str, y: str) -> bool:
    xs, ys = x.split(), y.split()
    return len(xs) == len(ys) and all(u == v or one_slip_apart(u, v) for u, v in zip(xs, ys))


# --- per-sentence reading ------------------------------------------------------------------------

def event_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each event word of a sentence (lower-cased matching)."""
    out = []
    for m in EVENT_RE.finditer(text.lower()):
        out.append((m.start(), m.end(), _KIND_OF_GROUP[m.lastgroup]))
    return out


def _window(text: str, start: int, end: int, n_words: int) -> str:
    before = text[:start].rsplit(None, n_words)[-n_words:]  # the last words only: no split of the whole prefix
    after = text[end:].split(None, n_words)[:n_words]
    return " ".join(before + ["_"] + after).lower()


# A clause boundary: punctuation, but not the point or comma inside a number ("magnitudo 4.6", "1,5").
CLAUSE_MARK_RE = re.compile(r"[;:()«»\"“”]|[.,](?!\d)|(?<!\d)[.,]")


def _clause(text: str, start: int, end: int, marks: list[int] | None = None) -> str:
    """The text between the clause marks around [start, end). `marks`: the offsets of the
    text's clause marks (CLAUSE_MARK_RE), when the caller reads several words of one text."""
    if marks is None:
        marks = [m.start() for m in CLAUSE_MARK_RE.finditer(text)]
    i, j = bisect.bisect_left(marks, start), bisect.bisect_left(marks, end)
    left = marks[i - 1] if i > 0 else -1
    return text[left + 1: marks[j] if j < len(marks) else len(text)]


@dataclass(slots=True)  # one per sentence read: hundreds of thousands
class SentenceReading:
    """What one sentence says about events: its event words (with whether each names another
    occasion or a planned one), whether the sentence points elsewhere, its dates."""

    words: list[tuple[int, int, str, bool, bool]]  # start, end, kind, names_other, is_future
    past_cue: bool
    future_cue: bool
    dates: list[tuple[int, dt.date, bool]]  # start, day, marked as another occasion's
    months: list[dt.date] = field(default_factory=list)  # first days of the months it names without a day
    names_month: bool = False  # it names a month, resolved or not


# The words that mark another occasion, read through one slip of typing ("il proossimo concerto"):
# a slipped cue would make the next event's date the article's own.
OCCASION_CUES = frozenset((
    "prossimo", "prossima", "prossimi", "prossime", "precedente", "precedenti", "scorso", "scorsa", "scorsi",
    "scorse", "successivo", "successiva", "successivi", "successive", "passato", "passata", "previsto", "prevista",
))
_OCCASION_CUE_CANDIDATE_RE = re.compile(r"(?<![a-zàèéìòù])[psP][a-zàèéìòù]{4,10}(?![a-zàèéìòù])")


def read_sentence(text: str, dates: list[tuple[int, dt.date]], months: list[tuple[int, dt.date]] = ()) -> SentenceReading:
    """What a sentence says about events (see SentenceReading). `dates`: its day dates with
    offsets; `months`: its month-precision dates ("a marzo")."""
    low = text.lower()
    # the cues read through slips of typing; offsets stay those of `low` (only searched, never indexed)
    cued = slips_read(low, _OCCASION_CUE_CANDIDATE_RE, OCCASION_CUES)
    words = []
    marks = None
    # (the "scorso" of a day of last week blanked, offsets kept: it is the time of the event reported)
    unmarked = LAST_WEEKDAY_RE.sub(lambda m: re.sub(r"scors[ao]", " " * 6, m.group(0)), low) if "scors" in low else low
    for start, end, kind in event_words(text):
        if DENIED_BEFORE_RE.search(low[max(0, start - 25):start]):
            continue
        near = _window(unmarked, start, end, NEAR_WORDS)
        if cued != low:
            near = slips_read(near, _OCCASION_CUE_CANDIDATE_RE, OCCASION_CUES)
        if marks is None:
            marks = [m.start() for m in CLAUSE_MARK_RE.finditer(low)]
        clause = _clause(low, start, end, marks)
        words.append((start, end, kind, bool(OTHER_MODIFIER_RE.search(near) or PLUPERFECT_RE.search(clause)
                                             or AFTER_EVENTS_RE.fullmatch(low[start:end])),
                      bool(FUTURE_CUE_RE.search(clause if cued == low else
                                                slips_read(clause, _OCCASION_CUE_CANDIDATE_RE, OCCASION_CUES)))))
    def before(at: int) -> str:
        window = low[max(0, at - 60):at]
        return window if cued == low else slips_read(window, _OCCASION_CUE_CANDIDATE_RE, OCCASION_CUES)

    marked = [(at, day, bool(OTHER_DATE_CUE_RE.search(before(at)) or OTHER_DATE_AFTER_RE.match(low, at)))
              for at, day in dates]
    return SentenceReading(words, bool(OTHER_PAST_RE.search(cued) or PLUPERFECT_RE.search(low)),
                           bool(OTHER_FUTURE_RE.search(cued) or FUTURE_TENSE_RE.search(low)), marked,
                           [d for _, d in months], bool(MONTH_NAME_RE.search(low)))


# --- document frames -----------------------------------------------------------------------------

def document_frames(
    sentences: pl.DataFrame,
    readings: dict[int, SentenceReading],
    published: dict[str, dt.date | None],
    persons_of: dict[int, list[tuple[int, str]]],
    places_of: dict[int, list[tuple[int, str]]],
    terms_of_doc: dict[str, frozenset[str]],
    lead_sentences: int,
    phone_docs: set[str] = frozenset(),
    guessed_dates: dict[tuple[int, int], tuple[int, int] | None] | None = None,
    weekday_of: dict[int, int] | None = None,
    month_names: dict[int, list[int]] | None = None,
    weak_published: set[str] = frozenset(),
    lead_of: dict[str, list[int]] | None = None,
    published_day_month: dict[str, tuple[int, int]] | None = None,
) -> dict[str, Frame]:
    """The main-event frame of every document (see the module docstring, step 1).

    `sentences` has sid, doc_id, sent_no (sorted by doc, sent_no); `readings` the sentences
    read by `read_sentence` (those without event words or dates may be missing); `phone_docs`
    the articles that name a phone (their generic talks are a call). `guessed_dates`: (sid,
    offset) of the day dates whose year or day rests on nothing the article states (a
    publication date guessed from the corpus or read from the text), mapped to the (month, day)
    the text names explicitly, or None for a relative one ("ieri", "martedì"): they never date
    the event; an explicit one gives its `day_month`. `weekday_of`: a weekday named with
    nothing to anchor it, per sentence; `month_names`: months named without a day, per
    sentence; `weak_published`: documents whose publication date was read from their text (a
    prior, never a bound on the event's date); `lead_of`: each document's lead sentences, when
    not simply its first ones (headers, bylines and page residue skipped).
    """
    guessed_dates = guessed_dates or {}
    text_of = dict(zip(sentences["sid"].to_list(), sentences["text"].to_list())) if "text" in sentences.columns else {}
    weekday_of, month_names = weekday_of or {}, month_names or {}
    frames = {}
    by_doc = defaultdict(list)
    for sid, doc, sent_no in zip(*(sentences[c].to_list() for c in ("sid", "doc_id", "sent_no"))):
        by_doc[doc].append((sent_no, sid))
    for doc, rows in by_doc.items():
        rows.sort()
        sids = [sid for _, sid in rows]
        lead = (lead_of or {}).get(doc) or sids[:lead_sentences]
        pub = published.get(doc)
        weak = doc in weak_published
        kind, planned = _main_kind(lead, sids, readings)
        if kind == GENERIC_KIND and doc in phone_docs:
            kind = "call"
        sure = {s: _without_dates(readings[s], s, guessed_dates, keep_guessed=False) for s in sids if s in readings}
        date, date_at = _main_date(kind, lead, sids, sure, None if weak else pub, planned)
        day_month, day_month_at = None, None
        if date is None and guessed_dates:
            maybe = {s: _without_dates(readings[s], s, guessed_dates, keep_guessed=True) for s in sure}
            guess, guess_at = _main_date(kind, lead, sids, maybe, None, planned)
            if guess is not None:
                day_month = (guess.month, guess.day)
            day_month_at = guess_at
        # who and where: the persons and places named with the event word in the lead (a byline
        # or a quoted commentator is not a participant), else the persons named with it further on;
        # else the lead's places
        naming = [s for s in lead if readings.get(s) is not None and any(
            is_own_kind(k, kind) and not other for _, _, k, other, _ in readings[s].words)]
        persons = frozenset(p for s in naming for _, p in persons_of.get(s, ()))
        if not persons and kind not in LOCATED_KINDS:
            # a lead naming them by role only ("il presidente americano e il leader del Cremlino"):
            # the persons named with the event word in the rest of the article (for an event of a
            # place, a march or a funeral, those are its speakers and commentators, not who it is)
            persons = frozenset(p for s in sids if s not in lead and readings.get(s) is not None and any(
                is_own_kind(k, kind) and not other for _, _, k, other, _ in readings[s].words)
                for _, p in persons_of.get(s, ()))
        places = frozenset(canonical_place(p) for s in naming for _, p in places_of.get(s, ())) or frozenset(
            canonical_place(p) for s in lead for _, p in places_of.get(s, ()))
        if kind not in LOCATED_KINDS:
            places = frozenset()
        subject = frozenset(
            subj for s in naming for _, end, k, other, _ in readings[s].words
            if k == kind and not other and (subj := event_subject(text_of.get(s, ""), end, kind)))
        # a day the text gives its own event and, in another sentence, explicitly to another occasion
        # ("si è tenuto il 4 febbraio" ... "un altro attacco aveva colpito il 4 febbraio"): the text
        # contradicts itself, so the day dates nothing (the article is told apart by the rest)
        own_day = (date.month, date.day) if date is not None else day_month
        if own_day is not None and own_day in _marked_other_days(sids, readings, sure, guessed_dates, kind):
            date, date_at, day_month, day_month_at = None, None, None, None
        # what the text says of its event's time, and of other occasions' times
        weekdays, months, other_days, other_months, other_dates, next_days = [], set(), set(), set(), set(), set()
        for s in sids:
            r = readings.get(s)
            named_months = month_names.get(s, [])
            if r is None and not named_months and s not in weekday_of:
                continue
            rel = sentence_relation(r, kind, date, planned)
            if rel == "main":
                months.update(named_months)
                if s in weekday_of:
                    weekdays.append(weekday_of[s])
            else:
                other_months.update(named_months)
                # the days it names for that occasion (`_days_told`), less those it gives the article's
                # own event beside another occasion's word
                own_at = _own_event_dates(r, kind, date) if r is not None else frozenset()
                days, told = _days_told(s, r, sure, guessed_dates, own_at)
                other_days |= told
                other_dates.update(days)
                if r is not None and r.future_cue and (any(is_own_kind(k, kind) for _, _, k, _, _ in r.words)
                                                       or REPEAT_RE.search(text_of.get(s) or "")):
                    next_days |= told  # the next occasion of its own kind ("si replica": a repeat of it)
        other_days.discard(day_month)  # the day the text names for its own event is not another's
        frames[doc] = Frame(doc, kind, date, pub, persons, places, terms_of_doc.get(doc, frozenset()), planned, date_at,
                            day_month=day_month, day_month_at=day_month_at, weekday=weekdays[0] if len(set(weekdays)) == 1 else None,
                            months=frozenset(months) if len(months) == 1 else frozenset(),
                            other_days=frozenset(other_days), other_months=frozenset(other_months),
                            other_dates=frozenset(other_dates),
                            published_is_weak=weak,
                            published_day_month=(published_day_month or {}).get(doc) if pub is None else None,
                            series_rank=_series_rank(lead, readings, text_of, kind), subject=subject,
                            next_days=frozenset(next_days - {day_month}))
    return frames


def _marked_other_days(sids: list[int], readings: dict[int, SentenceReading], sure: dict[int, SentenceReading],
                       guessed_dates: dict[tuple[int, int], tuple[int, int] | None], kind: str) -> set[tuple[int, int]]:
    """(month, day) of the days named in sentences that name another occasion of the article's
    own kind ("un altro attacco", "il prossimo corteo", "la precedente telefonata"): not those that
    merely tell of something else that day ("già il 10 marzo, prima del vertice, i ministri avevano…"),
    nor those the sentence gives the article's own event (`_own_event_dates`)."""
    out = set()
    for s in sids:
        r = readings.get(s)
        if r is None or not any(other and is_own_kind(k, kind) for _, _, k, other, _ in r.words):
            continue
        out |= _days_told(s, r, sure, guessed_dates, _own_event_dates(r, kind, None))[1]
    return out


def _days_told(s: int, r: SentenceReading | None, sure: dict[int, SentenceReading],
               guessed_dates: dict[tuple[int, int], tuple[int, int] | None],
               own_at: frozenset[int]) -> tuple[list[dt.date], set[tuple[int, int]]]:
    """The days sentence `s` names, less those at the offsets `own_at`: its sure dates, and the
    (month, day) of those and of the guessed dates it states explicitly (a relative "martedì"
    resolved against a guessed publication day says nothing)."""
    days = [day for at, day, _ in (sure[s].dates if s in sure else ()) if at not in own_at]
    told = {(day.month, day.day) for day in days}
    if r is not None:
        told |= {md for at, _, _ in r.dates if at not in own_at and (md := guessed_dates.get((s, at))) is not None}
    return days, told


def _own_event_dates(r: SentenceReading, kind: str, main_date: dt.date | None) -> frozenset[int]:
    """Offsets of the dates that a sentence naming another occasion as well still gives the
    article's own event: unmarked, in a sentence with no past or future cue, the event word nearest
    them of the article's own kind and naming no other occasion, and no other day than the event's
    known one ("dalla scossa di giovedì scorso l'INGV ha registrato 120 repliche": the day is the
    main shock's, not the aftershocks')."""
    if r.past_cue or r.future_cue or not r.dates or not r.words:
        return frozenset()
    out = set()
    for at, day, marked in r.dates:
        if marked or (main_date is not None and day != main_date):
            continue
        _, _, k, other, _ = min(r.words, key=lambda w: (max(w[0] - at, at - w[1], 0), w[0]))
        if not other and is_own_kind(k, kind):
            out.add(at)
    return frozenset(out)


def _series_rank(lead: list[int], readings: dict[int, SentenceReading], text_of: dict[int, str],
                 kind: str) -> int | None:
    """The rank its lead gives the article's own event in a series of its kind (Frame.series_rank):
    an ordinal or "nuovo" right before its event word, or "bis" right after it."""
    for s in lead:
        r, text = readings.get(s), text_of.get(s)
        if r is None or not text:
            continue
        low = text.lower()
        for start, end, k, other, _ in r.words:
            if other or not is_own_kind(k, kind):
                continue
            before = SERIES_BEFORE_RE.search(low[max(0, start - 20):start])
            if before:
                return SERIES_RANKS.get(before.group(1)[:-1], 0)
            if SERIES_AFTER_RE.match(low, end):
                return 2
    return None


def _without_dates(r: SentenceReading, sid: int, guessed: dict, keep_guessed: bool) -> SentenceReading:
    """The reading with only its sure dates (keep_guessed False) or only its guessed explicit ones."""
    if not guessed or not r.dates:
        return r
    if keep_guessed:
        dates = [d for d in r.dates if guessed.get((sid, d[0]), None) is not None]
    else:
        dates = [d for d in r.dates if (sid, d[0]) not in guessed]
    if len(dates) == len(r.dates):
        return r
    return SentenceReading(r.words, r.past_cue, r.future_cue, dates, r.months, r.names_month)


def _main_kind(lead: list[int], sids: list[int], readings: dict[int, SentenceReading]) -> tuple[str, bool]:
    """The kind of the article's own event: the first event word of the lead not naming another
    occasion (specific kinds over generic talks), else the commonest such kind of the article."""
    def own_words(ids):
        for s in ids:
            r = readings.get(s)
            if r is None:
                continue
            for start, end, kind, other, future in r.words:
                if not other:
                    yield kind, future or r.future_cue
    lead_words = list(own_words(lead))
    specific = [(k, f) for k, f in lead_words if k != GENERIC_KIND]
    if specific:
        return specific[0]
    if lead_words:
        return lead_words[0]
    counts = Counter(k for k, _ in own_words(sids))
    if not counts:
        return UNKNOWN_KIND, False
    return max(sorted(counts), key=lambda k: (k != GENERIC_KIND, counts[k])), False


def _main_date(kind: str, lead: list[int], sids: list[int], readings: dict[int, SentenceReading],
               published: dt.date | None, planned: bool) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The event's day: in a sentence naming the event (not another occasion), the date nearest
    its event word; else the first unmarked date of the lead. Dates marked as another occasion's
    and, for a past event, dates after publication are never the event's."""
    def usable(r: SentenceReading, day: dt.date, marked: bool) -> bool:
        if marked or r.past_cue or (r.future_cue and not planned):
            return False
        if published is None:
            return True
        return day > published if planned else day <= published

    for s in sids:
        r = readings.get(s)
        if r is None or not r.dates:
            continue
        own = [(st, k) for st, _, k, other, _ in r.words if not other and is_own_kind(k, kind)]
        if not own:
            continue
        candidates = [(abs(at - own[0][0]), day, at) for at, day, marked in r.dates if usable(r, day, marked)]
        if candidates:
            _, day, at = min(candidates)
            return day, (s, at)
    for s in lead:
        r = readings.get(s)
        if r is None:
            continue
        if any(other for *_, other, _ in r.words):
            continue
        for at, day, marked in r.dates:
            if usable(r, day, marked):
                return day, (s, at)
    return None, None


# --- clustering ----------------------------------------------------------------------------------

def _words(x: "Frame | Cluster") -> Counter | frozenset:
    """What an article (or an event's articles) says about its event: the terms and figures of
    its sentences about it, else the words of its lead."""
    return x.content or x.terms


class _Idf(dict):
    """term -> idf, remembering the norm of each term set it has weighed: an event's words are
    compared with many articles', and its norm would cost a pass over all of them each time."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        # id -> (the set, its size, its norm); the set is held so that its id is never reused,
        # and its size tells an event's grown word set (words are only ever added) from the old one
        self.norms: dict[int, tuple[object, int, float]] = {}
        self.squared = _Squared({t: v ** 2 for t, v in self.items()})  # the very terms `_cosine` sums

    def norm(self, words: Counter | frozenset) -> float:
        held = self.norms.get(id(words))
        if held is not None and held[1] == len(words):
            return held[2]
        value = math.sqrt(math.fsum(self.get(t, 1.0) ** 2 for t in words))
        self.norms[id(words)] = (words, len(words), value)
        return value


class _Squared(dict):
    """term -> idf squared; 1.0 for a term of no known weight (as `idf.get(t, 1.0) ** 2`)."""

    def __missing__(self, term: str) -> float:
        return 1.0


def _cosine(a: Counter | frozenset, b: Counter | frozenset, idf: dict[str, float]) -> float:
    """IDF-weighted cosine of two sets of terms (a Counter's keys); norms remembered by an `_Idf`."""
    keys_a, keys_b = a.keys() if isinstance(a, Counter) else a, b.keys() if isinstance(b, Counter) else b
    shared = keys_a & keys_b
    if not shared:
        return 0.0
    if isinstance(idf, _Idf):
        na, nb = idf.norm(a), idf.norm(b)
        # the same squares as below, looked up rather than raised
        return math.fsum(map(idf.squared.__getitem__, shared)) / (na * nb) if na and nb else 0.0
    # fsum: exactly rounded, so the same whatever order a set of strings iterates in (it changes
    # with the hash seed of each run; a plain sum could tip a tie and so an event)
    na = math.sqrt(math.fsum(idf.get(t, 1.0) ** 2 for t in keys_a))
    nb = math.sqrt(math.fsum(idf.get(t, 1.0) ** 2 for t in keys_b))
    return math.fsum(idf.get(t, 1.0) ** 2 for t in shared) / (na * nb) if na and nb else 0.0


def cluster_documents(frames: dict[str, Frame], params: EventParams,
                      near: dict[str, set[str]] | None = None) -> tuple[list[Cluster], dict[str, Cluster]]:
    """Events from document frames (module docstring, step 2). `near`: each document's
    near-duplicates (wire copies); kept for the copy rules of steps 2 and 3, which are switched off
    (see there). Returns the clusters and each document's cluster."""
    n = max(len(frames), 1)
    df = Counter(t for f in frames.values() for t in _words(f))
    idf = _Idf({t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()})
    clusters: list[Cluster] = []
    of_doc: dict[str, Cluster] = {}
    order = sorted(frames.values(), key=lambda f: (-len(f.persons), f.doc_id))

    # 1. dated frames: one (kind, date) group at a time
    groups: dict[tuple, list[Cluster]] = defaultdict(list)
    for f in order:
        if f.date is None or f.kind == GENERIC_KIND:
            continue
        fitting = [c for c in groups[(f.kind, f.date)] if _fits(f, c, idf, params)]
        if len(fitting) > 1:
            # several events of this kind that day fit: the persons in common, else the words, decide
            best = max(len(f.persons & set(c.persons)) for c in fitting)
            fitting = [c for c in fitting if len(f.persons & set(c.persons)) == best]
            fitting = _by_words(f, fitting, idf, params)
            if fitting is None:
                continue  # cannot be told apart: left for the article
        c = max(fitting, key=lambda c: len(c.docs), default=None)
        if c is None:
            c = Cluster(f.kind, f.date, "date")
            clusters.append(c)
            groups[(f.kind, f.date)].append(c)
        c.add(f)
        of_doc[f.doc_id] = c
    # dated generic talks join the one call or meeting of their day that fits, else found talks
    for f in order:
        if f.date is None or f.kind != GENERIC_KIND:
            continue
        fitting = [c for k in TALKS_CAN_BE for c in groups[(k, f.date)] if _fits(f, c, idf, params)]
        if len(fitting) > 1:
            fitting = _by_words(f, fitting, idf, params)
            if fitting is None:
                continue
        c = fitting[0] if fitting else None
        if c is None:
            c = Cluster(GENERIC_KIND, f.date, "date")
            clusters.append(c)
            groups[(GENERIC_KIND, f.date)].append(c)
        c.add(f)
        of_doc[f.doc_id] = c

    # 1a. an event tied by its place alone whose reports fall into two groups of different words
    # is two events of that place and day
    split_clusters = []
    for c in clusters:
        parts = _split_by_words(c, frames, idf, params)
        split_clusters.extend(parts)
        if len(parts) > 1:
            for part in parts:
                for d in part.docs:
                    of_doc[d] = part
    clusters = split_clusters

    clusters = _join_parts_of_one_event(clusters, frames, of_doc, idf, params)

    # 1b. one event misdated by some reports: a (kind, date) event joins the one event at least as large
    # of its kind at most date_conflict_days away that its persons, places and words fit
    merged: set[int] = set()
    by_kind_day: dict[tuple, list[Cluster]] = defaultdict(list)  # candidates looked up by day, not scanned
    for c in clusters:
        by_kind_day[(c.kind, c.date)].append(c)
    for small in sorted(clusters, key=lambda c: (len(c.docs), c.date, c.founder)):
        if id(small) in merged:
            continue
        window = range(-params.date_conflict_days, params.date_conflict_days + 1)
        targets = [
            big for k in window for big in by_kind_day.get((small.kind, small.date + dt.timedelta(days=k)), ())
            if big is not small and id(big) not in merged and big.kind == small.kind and big.date is not None
            and len(small.docs) * MISDATED_SHARE <= len(big.docs)
            and abs((big.date - small.date).days) <= params.date_conflict_days
            and persons_fit(frozenset(small.persons), frozenset(big.persons)) and places_fit(small.places, big.places)
            and subjects_fit(small.subject, big.subject)
            # the same persons or places named, not merely none: two votes days apart stay two
            and _misdate_fits(small, big, idf, params.min_misdate_similarity)
        ]
        if len(targets) != 1:
            continue
        big = targets[0]
        for d in small.docs:
            big.add(frames[d])
            big.joined_by_words.add(d)
            of_doc[d] = big
        merged.add(id(small))
    clusters = [c for c in clusters if id(c) not in merged]

    # 2. frames without a date of their own: the one dated event their content identifies
    by_kind: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters:
        by_kind[c.kind].append(c)
    # Wire copies do not join undated articles to events (steps 2 and 3). Until this session a local
    # name shadowed `near` here and they never did; used, at 7,600 synthetic files they raised recall
    # 0.411 -> 0.416 but false confirmed conflicts 27 -> 67 (23 of 523 near-duplicate pairs join
    # different events of one story and pull in undated articles with no date evidence). A copy
    # should count only where nothing the article says of time disagrees: not built yet.
    near = {}
    # candidates: the events of a compatible kind naming one of its persons (or, naming none, one of
    # its places), and those holding a wire copy of it; never a scan of every event of its kind
    by_name: dict[tuple, list[Cluster]] = defaultdict(list)
    # the same lists by the (month, day) of the event's date: an article whose time rules out all
    # but a few days of the year (`_possible_days`) reads only those (a story's events are many)
    by_name_day: dict[tuple, dict[tuple[int, int], list[Cluster]]] = defaultdict(lambda: defaultdict(list))
    listed: set[tuple] = set()
    # what changed under each (kind, name), on a clock of changes: (time, event listed or grown). An
    # article that abstained is weighed again against those events only; the others weigh as before
    clock = 0
    changes: dict[tuple, list[tuple[int, Cluster]]] = defaultdict(list)
    abstained: dict[str, tuple[int, list[tuple]]] = {}  # doc -> (time it abstained, its candidates' evidence)

    def touch(c: Cluster, name: str) -> None:
        nonlocal clock
        clock += 1
        changes[(c.kind, name)].append((clock, c))

    def index(c: Cluster, name: str) -> None:
        if (c.kind, name, id(c)) not in listed:
            listed.add((c.kind, name, id(c)))
            by_name[(c.kind, name)].append(c)
            by_name_day[(c.kind, name)][(c.date.month, c.date.day)].append(c)
            touch(c, name)

    for c in clusters:
        for name in cluster_name_keys(c):
            index(c, name)

    # the events fitting the persons and places of one kind of article: (time, events) by what
    # `_names_fit` and the lists read of an article without wire copies (`_names_key`)
    fitting: dict[tuple, tuple[int, dict[int, Cluster]]] = {}

    def who_and_where(f: Frame) -> dict[int, Cluster]:
        """The events it could be by who and where, whatever it says of the time (`_names_fit`)."""
        if near.get(f.doc_id):
            found: dict[int, Cluster] = {}
            for k in compatible_kinds(f.kind):
                for name in name_keys(f):
                    for c in by_name.get((k, name), ()):
                        found[id(c)] = c
            for d in near.get(f.doc_id, ()):
                c = of_doc.get(d)
                if c is not None and c.kind in compatible_kinds(f.kind):
                    found[id(c)] = c
            return {i: c for i, c in found.items() if _names_fit(f, c, near)}
        key = _names_key(f)
        held = fitting.get(key)
        if held is None:
            events = {}
            for k in compatible_kinds(f.kind):
                for name in name_keys(f):
                    for c in by_name.get((k, name), ()):
                        if id(c) not in events and _names_fit(f, c, near):
                            events[id(c)] = c
        else:
            at, events = held
            for c in changed_since(f, at):  # listed or grown since: fitting or not anew
                if _names_fit(f, c, near):
                    events[id(c)] = c
                else:
                    events.pop(id(c), None)
        fitting[key] = (clock, events)
        return events

    def by_who_and_where(f: Frame) -> list[Cluster]:
        """The events it could be by who and where, by date."""
        return sorted(who_and_where(f).values(), key=_by_date)

    def how_many(f: Frame) -> int:
        return len(who_and_where(f))

    def on_days(f: Frame, days: frozenset[tuple[int, int]]) -> list[Cluster]:
        """Those of them dated on one of `days` (month, day): the only ones whose time
        `_time_excludes` may leave standing, when `days` are `_possible_days(f)`."""
        found: dict[int, Cluster] = {}
        for k in compatible_kinds(f.kind):
            for name in name_keys(f):
                dated = by_name_day.get((k, name))
                if not dated:
                    continue
                if len(dated) <= len(days):
                    lists = [cs for day, cs in dated.items() if day in days]
                else:
                    lists = [dated[day] for day in days if day in dated]
                for cs in lists:
                    for c in cs:
                        found[id(c)] = c
        return [c for c in found.values() if _names_fit(f, c, near)]

    def changed_since(f: Frame, at: int) -> list[Cluster]:
        """The events of its lists listed or grown since time `at`."""
        grown: dict[int, Cluster] = {}
        for k in compatible_kinds(f.kind):
            for name in name_keys(f):
                log = changes.get((k, name))
                if log and log[-1][0] > at:
                    for _, c in log[bisect.bisect_right(log, at, key=lambda e: e[0]):]:
                        grown[id(c)] = c
        return list(grown.values())

    def weighed(f: Frame, candidates: list[Cluster], kth: Cluster | None = None) -> list[tuple]:
        """(score, identified, date, founder, event, figures in common) of each candidate that
        `_content_evidence` does not rule out."""
        out = []
        evidence_of = _evidence_of(f, idf, near, params)
        for c in candidates:
            evidence = evidence_of(c)
            if evidence is not None:
                out.append((evidence[0], evidence[1] or c is kth, c.date, c.founder, c, evidence[2]))
        return out

    def may_identify(f: Frame, candidates: list[Cluster]) -> bool:
        """Could the joining rules below find it identifying one of the candidates (the day it
        names, a wire copy, figures in common, the one candidate), whichever one its words are
        nearest? False only when none could: then its words need not be weighed (figures in
        common are cheap to count, the cosine of words is not)."""
        if f.day_month is not None or near.get(f.doc_id):
            return True  # the day it names, or a wire copy
        says_time = _says_time(f)
        standing = [c for c in candidates if not (says_time and _time_excludes(f, c.date, params))]
        if len(standing) <= 1:
            return bool(standing)
        figures = _figures(f)
        shared = [frozenset(t for t in figures if t in c.content) for c in standing]
        if has_sure_publication(f):
            return any(len(s) >= params.min_shared_figures for s in shared)
        if any(len(s) >= params.min_shared_figures_unanchored and len(s) >= params.min_shared_figure_share * len(figures)
               for s in shared):
            return True
        return (params.min_shared_figures <= 0 or any(len(s) >= params.min_shared_figures for s in shared)) \
            and how_many(f) <= params.few_events

    possible_days = {f.doc_id: _possible_days(f, params) for f in order if f.date is None}
    # in rounds: an article joined in one round adds its words and figures to its event, which may
    # then tell apart an article that abstained in the round before (at most `join_rounds` rounds)
    pending = [f for f in order if f.doc_id not in of_doc and f.date is None and f.kind != UNKNOWN_KIND]
    for _ in range(max(params.join_rounds, 1)):
        left = []
        for f in pending:
            named = None  # counted only when a rule asks (`how_many`)
            if f.series_rank is not None or f.next_days or near.get(f.doc_id):
                named = by_who_and_where(f)
                # "la seconda scossa", "lo sciopero bis": not the first of these events; the k-th of a
                # series is identified as the k-th of them (the earlier ones are other occasions).
                # "e il 13 novembre si replica": the one before the event of that day, never it or a later one
                earlier, kth = (_series_position(f.series_rank, named) if f.series_rank is not None
                                else _before_next(f.next_days, named, params))
                scored = weighed(f, [c for c in named if not any(c is x for x in earlier)], kth)
            elif f.doc_id in abstained and abstained[f.doc_id][1] is not None:
                # weighed before: only the events listed or grown since may weigh otherwise
                at, before = abstained[f.doc_id]
                grown = changed_since(f, at)
                if not grown:
                    left.append(f)
                    continue
                regrown = {id(c) for c in grown}
                scored = [t for t in before if id(t[4]) not in regrown]
                scored += weighed(f, [c for c in grown if _names_fit(f, c, near)])
            else:
                if f.doc_id in abstained and not changed_since(f, abstained[f.doc_id][0]):
                    left.append(f)  # nothing it reads has changed since it abstained
                    continue
                if possible_days[f.doc_id] is not None:
                    # the events its time leaves standing are all it may join (the others' evidence is None)
                    candidates = on_days(f, possible_days[f.doc_id])
                else:
                    candidates = named = list(who_and_where(f).values())
                if not may_identify(f, candidates):
                    left.append(f)  # none of them could it identify, whichever its words are nearest
                    abstained[f.doc_id] = (clock, None)
                    continue
                scored = weighed(f, candidates)
            # by score, then date; then the order of `named` (date, founder)
            scored.sort(key=lambda t: (-t[0], t[2], t[3]))
            best = scored[0] if scored else None
            runner_up = scored[1][0] if len(scored) > 1 else 0.0
            if best is not None and best[1] and not best[5] and any(
                    len(t[5]) >= params.min_shared_figures_unanchored for t in scored[1:]):
                # the day it names (in some year) points to one event, the figures it states to
                # another: the evidence disagrees (the day may be misprinted, or another year's)
                left.append(f)
                continue
            # when its figures tell the events apart (the best one's are stated by no other candidate,
            # which share none of its figures, or it shares two or more with the best one and at most
            # half as many with any other), its words need only lean the same way (measured at 7,600
            # synthetic files: "any fewer" instead of "half as many" joined two events 11 times more)
            by_figures = best is not None and bool(best[5]) and (
                not any(t[5] for t in scored[1:])
                or (len(best[5]) >= 2 and all(2 * len(t[5]) <= len(best[5]) for t in scored[1:])))
            margin = params.min_figure_margin if by_figures else params.min_similarity_margin
            # it joins only an event it identifies (a wire copy of a report, the day it names, figures its
            # reports state too) whose words are clearly nearer than any other's; else it abstains (or,
            # the one event of its kind it could be, its words alike enough). With no sure publication
            # date, "the one it could be" is the one event of its kind naming its persons in the corpus,
            # not the one a weekday or a guessed day left standing among several: the article's own event
            # may be one no dated report tells the corpus about (an undated event matching "any" dated one)
            n_named = (lambda: len(named)) if named is not None else (lambda: how_many(f))
            # identified by its time (a sure publication date leaving one candidate, and the day it
            # names, its rank in a series or a figure its reports state pointing to it), its words
            # need only not be unlike
            told_by_time = best is not None and (best[1] or bool(best[5])) and len(scored) == 1 and has_sure_publication(f)
            least_alike = params.min_identified_similarity if told_by_time else params.min_content_similarity
            if (best is None or best[0] < least_alike or best[0] - runner_up < margin
                    or not (best[1] or _figures_identify(f, best[5], [t[5] for t in scored[1:]], n_named, params)
                            or (len(scored) == 1 and (has_sure_publication(f) or n_named() == 1)))):
                left.append(f)
                if f.series_rank is None and not f.next_days and not near.get(f.doc_id):
                    abstained[f.doc_id] = (clock, scored)
                continue
            c = best[4]
            c.add(f)
            c.joined_by_words.add(f.doc_id)
            if best[0] - runner_up < params.strong_content_margin and not told_by_time:
                c.weakly_joined.add(f.doc_id)  # identified, but another event's words are not far behind
            of_doc[f.doc_id] = c
            abstained.pop(f.doc_id, None)
            for name in f.persons | f.places | subject_names(f.subject):
                index(c, name)
            for name in cluster_name_keys(c):
                touch(c, name)  # its words and figures grew
        if len(left) == len(pending):
            break
        pending = left
    abstained.clear()
    # 3. frames left without a dated event: those whose content identifies one common event
    # (a wire copy, or the same persons or places and much the same words, nothing in their
    # dates telling them apart) are one event known by its content
    # candidates: articles of one kind naming a person (or, naming none, a place) in common, and wire copies
    buckets: dict[tuple, list[str]] = defaultdict(list)
    left_ids = {f.doc_id for f in left}
    for f in left:
        for key in (f.persons or f.places):
            buckets[(f.kind, key)].append(f.doc_id)
    candidate_pairs = {pair for docs in buckets.values() for pair in _undated_candidate_pairs(docs, frames, near, params)}
    candidate_pairs |= {(min(a, b), max(a, b)) for a in left_ids for b in near.get(a, ()) if b in left_ids}
    strengths: dict[tuple[str, str], float | None] = {}  # each pair is weighed once, however often merges ask

    def pair_strength(a_id: str, b_id: str) -> float | None:
        if (a_id, b_id) not in strengths:
            strengths[(a_id, b_id)] = _undated_pair_strength(frames[a_id], frames[b_id], idf, near, params)
        return strengths[(a_id, b_id)]

    pairs = []
    for a_id, b_id in candidate_pairs:
        strength = pair_strength(a_id, b_id)
        if strength is not None:
            pairs.append((-strength, min(a_id, b_id), max(a_id, b_id)))
    pairs.sort()
    member: dict[str, Cluster] = {}
    for _, a_id, b_id in pairs:
        ca, cb = member.get(a_id), member.get(b_id)
        if ca is not None and ca is cb:
            continue
        fa, fb = frames[a_id], frames[b_id]
        docs_a = ca.docs if ca else [a_id]
        docs_b = cb.docs if cb else [b_id]
        # every member must fit every other: no chaining across two events
        if not all(pair_strength(x, y) is not None for x in docs_a for y in docs_b):
            continue
        if ca is None and cb is None:
            c = Cluster(fa.kind, None, "content")
            c.add(fa)
            c.add(fb)
            clusters.append(c)
            member[a_id] = member[b_id] = c
        elif ca is None or cb is None:
            c, f = (ca, fb) if ca is not None else (cb, fa)
            c.add(f)
            member[f.doc_id] = c
        else:
            for d in cb.docs:
                ca.add(frames[d])
                member[d] = ca
            clusters.remove(cb)
    for d, c in member.items():
        c.joined_by_words.add(d)
        c.weakly_joined.add(d)  # no dated report anchors it: its comparisons are to be checked
        of_doc[d] = c
    # 3. everything else is known to its article only
    for f in order:
        if f.doc_id not in of_doc:
            c = Cluster(f.kind, f.date, "article")
            c.add(f)
            clusters.append(c)
            of_doc[f.doc_id] = c
    for c in clusters:
        if c.identified_by == "content" and len(c.docs) == 1:
            c.identified_by = "article"
    return clusters, of_doc


@lru_cache(maxsize=None)
def compatible_kinds(kind: str) -> tuple[str, ...]:
    """Kinds of a dated event an article of `kind` may report: its own; generic talks and a call
    or a meeting either way; and two kinds that are parts of each other (a strike and its march)."""
    out = [kind]
    if kind == GENERIC_KIND:
        out += list(TALKS_CAN_BE)
    elif kind in TALKS_CAN_BE:
        out.append(GENERIC_KIND)
    out += [k for k in PART_OF.get(kind, ()) if kind in PART_OF.get(k, ()) and k not in out]
    return tuple(out)


def day_in_year_of(day_month: tuple[int, int], near: dt.date) -> dt.date | None:
    """The date of a day named without a year, in the year that puts it nearest `near`."""
    best = None
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            d = dt.date(year, *day_month)
        except ValueError:
            continue
        if best is None or abs((d - near).days) < abs((best - near).days):
            best = d
    return best


def _time_excludes(f: Frame, day: dt.date, params: "EventParams") -> bool:
    """Does what the article says of its event's time rule out an event of that day?"""
    if f.day_month is not None and f.day_month != (day.month, day.day):
        stated = day_in_year_of(f.day_month, day)
        if stated is None or abs((stated - day).days) > params.date_conflict_days:
            return True
    if f.weekday is not None and f.weekday != day.weekday() and f.day_month in (None, (day.month, day.day)):
        # with that very day named too: "venerdì scorso" and "il 15 febbraio" on a Wednesday cannot
        # both be that event's (the day may be another occasion's the text did not mark as such)
        return True
    if f.months and day.month not in f.months:
        return True
    if (day.month, day.day) in f.other_days or (day.month in f.other_months and day.month not in f.months):
        return True
    if f.other_dates and any(abs((day - other).days) > params.reference_window_days for other in f.other_dates):
        return True  # a concert of 2023 is not the one whose article announces the next for October 2021
    window = params.undated_window_days
    # a publication date read from the text that the text itself gives to another occasion ("alla
    # manifestazione del 2 aprile 2023 avevano partecipato…") is that occasion's day: no evidence
    read_from_other = f.published_is_weak and f.published is not None and (
        f.published in f.other_dates or (f.published.month, f.published.day) in f.other_days)
    if f.published is not None and not read_from_other:
        days = (f.published - day).days
        if f.published_is_weak:
            return abs(days) > window
        return not (-window <= days <= 0) if f.is_planned else not (0 <= days <= window)
    if f.published_day_month is not None and f.published_day_month not in f.other_days:
        # a day the text itself gives to another occasion ("dopo i funerali dell'11 aprile", "il 13
        # novembre si replica") is the latest date it names, not its publication: no evidence
        stated = day_in_year_of(f.published_day_month, day)
        return stated is None or abs((stated - day).days) > window
    return False


def has_sure_publication(f: Frame) -> bool:
    """A publication date from a manifest, the page or a text date no other occasion claims: a
    bound on when its event took place. One read from a text that gives that day to another
    occasion (`published_is_weak`) may be that occasion's day, the very event to tell apart."""
    return f.published is not None and not f.published_is_weak


SUBJECT_NAME = "subject:"  # a subject used as a name in the candidate lists ("subject:bilancio previsione")


def subject_names(subjects) -> frozenset[str]:
    """Subjects as names of the candidate lists ("subject:bilancio previsione")."""
    return frozenset(SUBJECT_NAME + x for x in subjects)


def name_keys(f: Frame) -> frozenset[str]:
    """What an article without a date of its own is looked up by among dated events: the persons
    it names; naming none, its places; naming neither, its subject (the bill of a vote)."""
    return f.persons or f.places or subject_names(f.subject)


def cluster_name_keys(c: Cluster) -> set[str]:
    """Every name `name_keys` may look a dated event up by."""
    return set(c.persons) | c.places | subject_names(c.subject)


NAMES_KEY_FIELDS = ("kind", "persons", "places", "subject")


def _names_key(f: Frame) -> tuple:
    """All that `_names_fit` and the candidate lists (by kind, persons or places) read of an
    article without wire copies: articles with one key fit the same events (`cluster_documents`
    keeps them by it). A rule reading more of the article must add it to NAMES_KEY_FIELDS."""
    return tuple(getattr(f, name) for name in NAMES_KEY_FIELDS)


def _names_fit(f: Frame, c: Cluster, near: dict[str, set[str]]) -> bool:
    """Could an article without a date of its own report the dated event `c`, by who and where?
    It names the same persons (or, naming none, the same places; naming neither, the same subject:
    the bill of a vote), or is a wire copy of one of its reports, and names no other subject. (What
    it reads of the article: `_names_key`.)"""
    if c.date is None or c.kind == STATEMENT_KIND or not subjects_fit(f.subject, c.subject):
        return False
    copies = near.get(f.doc_id)
    if copies and not copies.isdisjoint(c.docs):
        return True
    if f.persons:
        # persons_fit(f.persons, c's persons) with one person in common, without a set of c's persons
        shared = sum(1 for p in f.persons if p in c.persons)
        if not shared or shared < min(2, len(f.persons), len(c.persons)):
            return False
    elif f.places:
        if not places_meet(f.places, c.places):
            return False
    elif not (f.subject and subjects_meet(f.subject, c.subject)):
        return False  # naming no one and nowhere, only the same subject may tie it (a vote on one bill)
    return places_fit(f.places, c.places)


def _content_evidence(f: Frame, c: Cluster, idf: dict[str, float], near: dict[str, set[str]],
                      params: "EventParams") -> tuple[float, bool, frozenset[str]] | None:
    """How strongly an article without a date of its own, naming the persons and places of the
    dated event `c` (`_names_fit`), identifies it (None when it cannot be that event): (score,
    is_copy_or_day, figures in common). Nothing the article says of its event's time may rule the
    event out. The score is the IDF-weighted cosine of their words and figures, plus `strong_bonus`
    for a wire copy or for the very day named without a year when the words are at least
    `min_content_similarity` alike, plus `weekday_bonus` for the weekday named."""
    return _evidence_of(f, idf, near, params)(c)


def _evidence_of(f: Frame, idf: dict[str, float], near: dict[str, set[str]],
                 params: "EventParams") -> Callable[[Cluster], tuple[float, bool, frozenset[str]] | None]:
    """`_content_evidence` of the article for any event, what it reads of the article read once."""
    copies = near.get(f.doc_id)
    words = _words(f)
    figures = _figures(f)
    says_time = _says_time(f)

    def evidence(c: Cluster) -> tuple[float, bool, frozenset[str]] | None:
        if says_time and _time_excludes(f, c.date, params):
            return None
        copy = bool(copies) and not copies.isdisjoint(c.docs)
        score = _cosine(_words(c), words, idf)
        named_day = f.day_month == (c.date.month, c.date.day)
        if copy or (named_day and score >= params.min_content_similarity):
            # (the day named adds to words alike, never stands in for them: the same day of another
            # year, or another event of that day)
            score += params.strong_bonus
        elif f.weekday is not None and f.weekday == c.date.weekday():
            score += params.weekday_bonus
        # identified, not merely alike: a wire copy, the day named, or figures its reports state too
        # (the opening words of one story's events are the same; their figures are not)
        shared_figures = frozenset(t for t in figures if t in c.content)
        return score, named_day or copy, shared_figures

    return evidence


def _says_time(f: Frame) -> bool:
    """Does the article say anything `_time_excludes` reads? (Else it rules out no day.)"""
    return bool(f.day_month is not None or f.weekday is not None or f.months or f.other_days or f.other_months
                or f.other_dates or f.published is not None or f.published_day_month is not None)


@lru_cache(maxsize=1 << 18)
def _figure_terms(content: frozenset[str]) -> tuple[str, ...]:
    return tuple(t for t in content if t.startswith(FIGURE_PREFIX))


def _figures(f: Frame) -> tuple[str, ...]:
    """The figures an article states about its event ("#count:175")."""
    return _figure_terms(f.content) if f.content else ()


def _by_date(c: Cluster) -> tuple[dt.date, str]:
    return c.date or dt.date.min, c.founder


@lru_cache(maxsize=None)
def _days_around(day_month: tuple[int, int], days: int) -> frozenset[tuple[int, int]] | None:
    """(month, day) of every date at most `days` from that day and month in any year (None: any)."""
    if days > 60:
        return None
    out = set()
    for year in range(1999, 2005):  # leap years and their neighbours: every run of days around a day
        try:
            at = dt.date(year, *day_month)
        except ValueError:
            continue
        for k in range(-days, days + 1):
            d = at + dt.timedelta(days=k)
            out.add((d.month, d.day))
    return frozenset(out)


def _possible_days(f: Frame, params: "EventParams") -> frozenset[tuple[int, int]] | None:
    """(month, day) of every date `_time_excludes` may leave standing for the article (a superset:
    None when what it says of time leaves every day of the year). Read off its tests: the day it
    names (within `date_conflict_days`), the months it names, its publication date (within
    `undated_window_days` either way, whether planned, weak or sure) or the day and month of one
    whose year was guessed (within `undated_window_days`, unless a day the text gives another occasion)."""
    days: frozenset[tuple[int, int]] | None = None

    def within(more: frozenset[tuple[int, int]] | None) -> None:
        nonlocal days
        if more is not None:
            days = more if days is None else days & more

    if f.day_month is not None:
        within(_days_around(f.day_month, params.date_conflict_days))
    if f.months:
        within(frozenset((m, d) for m in f.months for d in range(1, 32)))
    window = params.undated_window_days
    # (a publication date read from the text that the text also gives another occasion is read as
    # no bound here: the day of that occasion, not of its publication, whatever `_time_excludes` does)
    claimed = f.published_is_weak and f.published is not None and (
        f.published in f.other_dates or (f.published.month, f.published.day) in f.other_days)
    if f.published is not None and not claimed:
        if window <= 60:
            within(frozenset(((f.published + dt.timedelta(days=k)).month, (f.published + dt.timedelta(days=k)).day)
                             for k in range(-window, window + 1)))
    elif f.published is None and f.published_day_month is not None and f.published_day_month not in f.other_days:
        within(_days_around(f.published_day_month, window))
    return days


def _series_position(rank: int | None, named: list[Cluster]) -> tuple[list[Cluster], Cluster | None]:
    """For an article placing its event in a series (Frame.series_rank) among the dated events
    `named` (sorted by date) it could be: the ones it cannot be (earlier in the series) and the one
    its ordinal identifies (None for a repeat of unknown rank, or when there are too few)."""
    if rank is None or len(named) < 2:
        return [], None
    if rank == 0:
        return named[:1], None
    return named[:rank - 1], named[rank - 1] if len(named) >= rank else None


def _before_next(next_days: frozenset[tuple[int, int]], named: list[Cluster],
                 params: "EventParams") -> tuple[list[Cluster], Cluster | None]:
    """For an article naming the day its event repeats ("e il 13 novembre si replica") among the
    dated events `named` (sorted by date) it could be: the ones it cannot be (the event of that day
    and the later ones) and the one it identifies, the event right before it (within
    `reference_window_days`); none when that day is no one event's or none comes before it."""
    at = [i for i, c in enumerate(named) if (c.date.month, c.date.day) in next_days]
    if len(at) != 1:
        return [], None
    i = at[0]
    before = named[i - 1] if i >= 1 else None
    if before is not None and (named[i].date - before.date).days > params.reference_window_days:
        before = None
    return named[i:], before


def _figures_identify(f: Frame, shared: frozenset[str], others: list[frozenset[str]],
                      n_candidates: "int | Callable[[], int]", params: "EventParams") -> bool:
    """Do the figures an article has in common with an event tell it apart? `shared`: those it
    states with the event; `others`: those it states with each other candidate event; `n_candidates`:
    the events of its kind naming its persons (or places), whatever their time (or a function
    counting them, called only when the rule needs the count: counting reads a whole story). With a sure
    publication date, `min_shared_figures`; without, `min_shared_figures_unanchored` that are at
    least `min_shared_figure_share` of the figures it states, or, among `few_events` or fewer
    candidates, one figure no other candidate states."""
    if has_sure_publication(f):
        return len(shared) >= params.min_shared_figures
    stated = len(_figures(f))
    if len(shared) >= params.min_shared_figures_unanchored and len(shared) >= params.min_shared_figure_share * stated:
        return True
    stated_elsewhere = frozenset().union(*others)
    if len(shared - stated_elsewhere) < params.min_shared_figures:
        return False
    return (n_candidates() if callable(n_candidates) else n_candidates) <= params.few_events


def _undated_candidate_pairs(docs: list[str], frames: dict[str, Frame], near: dict[str, set[str]],
                             params: "EventParams") -> set[tuple[str, str]]:
    """The pairs (a, b), a before b in `docs`, that `_undated_pair_strength` may find one event:
    a wire copy, or the same day named, or the figures in common it asks (`min_shared_figures`
    when both publication dates are sure, else `min_shared_figures_unanchored`): pairs sharing
    one of their sets of that many figures. The other pairs of a story's articles are never weighed."""
    both_sure, otherwise = params.min_shared_figures, params.min_shared_figures_unanchored
    if min(both_sure, otherwise) < 1:
        return {(a, b) for i, a in enumerate(docs) for b in docs[i + 1:]}
    sharing: dict[tuple, list[str]] = defaultdict(list)
    many: set[str] = set()  # so many figures that their sets are not listed: paired with all
    for d in docs:
        f = frames[d]
        if f.day_month:
            sharing[("day", f.day_month)].append(d)
        figures = sorted(_figures(f))
        sizes = [("any", otherwise)] + ([("sure", both_sure)] if has_sure_publication(f) else [])
        if sum(math.comb(len(figures), k) for _, k in sizes) > MAX_FIGURE_SETS:
            many.add(d)
            continue
        for among, k in sizes:
            for held in itertools.combinations(figures, k):
                sharing[(among, held)].append(d)
    out = {(a, b) for ds in sharing.values() for i, a in enumerate(ds) for b in ds[i + 1:]}
    if many or near:
        position = {d: i for i, d in enumerate(docs)}
        out |= {(min(a, b, key=position.get), max(a, b, key=position.get)) for a in many for b in docs if b != a}
        out |= {(a, b) for a in docs for b in near.get(a, ()) if position.get(b, -1) > position[a]}
    return out


def _undated_pair_strength(f: Frame, g: Frame, idf: dict[str, float], near: dict[str, set[str]],
                           params: "EventParams") -> float | None:
    """How surely two articles without a dated event report one event (None: not surely enough).
    A wire copy of each other; or the same persons (or places), much the same words and
    figures, and nothing in what they say of its time telling them apart."""
    if g.kind not in compatible_kinds(f.kind) or not subjects_fit(f.subject, g.subject):
        return None
    if f.day_month and g.day_month and f.day_month != g.day_month:
        return None
    if f.weekday is not None and g.weekday is not None and f.weekday != g.weekday:
        return None
    if f.months and g.months and not (f.months & g.months):
        return None
    if (f.day_month and f.day_month in g.other_days) or (g.day_month and g.day_month in f.other_days):
        return None
    if f.months & g.other_months or g.months & f.other_months:
        return None
    if f.published and g.published and abs((f.published - g.published).days) > params.undated_window_days:
        return None
    if g.doc_id in near.get(f.doc_id, ()):
        return 1.0 + _cosine(_words(f), _words(g), idf)
    # identified, not merely alike: the same day named, or figures in common
    same_day = bool(f.day_month) and f.day_month == g.day_month
    shared_figures = sum(1 for t in _figures(f) if t in g.content)
    # with no sure publication date on both sides, one figure in common is a coincidence among the
    # events of one story (as for an article joining a dated event)
    anchored = has_sure_publication(f) and has_sure_publication(g)
    needed = params.min_shared_figures if anchored else params.min_shared_figures_unanchored
    if not anchored:
        # ... and, as for joining a dated event, most of the figures each states
        stated = max(len(_figures(f)), len(_figures(g)))
        needed = max(needed, math.ceil(params.min_shared_figure_share * stated))
    if not (same_day or shared_figures >= needed):
        return None
    if not persons_fit(f.persons, g.persons) or not places_fit(f.places, g.places):
        return None
    if not (f.persons & g.persons or (not f.persons and not g.persons and places_meet(f.places, g.places))):
        return None
    similarity = _cosine(_words(f), _words(g), idf)  # last: the dearest test
    bonus = params.strong_bonus if f.day_month and f.day_month == g.day_month else 0.0
    return similarity + bonus if similarity + bonus >= params.min_undated_pair_similarity else None


def _misdate_fits(small: Cluster, big: Cluster, idf: dict[str, float], min_similarity: float) -> bool:
    """Reports dating one event a few days apart: alike in words and naming the same persons or
    places; with no names in common, only when their words are nearly the same (two votes of one
    assembly days apart share names and most words, but not the bill's). Naming the same subject
    (the cause, the bill) is no evidence here: two marches for peace in one city days apart are two
    (measured: at 100,000 synthetic files, accepting half the likeness for it raised false
    cross-event conflicts by a third for 0.01 of recall)."""
    similarity = _cosine(_words(big), _words(small), idf)
    if set(small.persons) & set(big.persons) or places_meet(small.places, big.places):
        return similarity >= min_similarity
    return similarity >= (1 + min_similarity) / 2


def _by_words(f: Frame, fitting: list[Cluster], idf: dict[str, float], params: EventParams) -> list[Cluster] | None:
    """The one cluster whose lead words are clearly nearest the frame's, or None."""
    if len(fitting) == 1:
        return fitting
    scored = sorted(((_cosine(_words(c), _words(f), idf), i) for i, c in enumerate(fitting)), reverse=True)
    if scored[0][0] >= params.min_content_similarity and scored[0][0] - scored[1][0] >= params.min_similarity_margin:
        return [fitting[scored[0][1]]]
    return None


def _fits(f: Frame, c: Cluster, idf: dict[str, float], params: "EventParams") -> bool:
    """May a dated frame join an event of its kind and date? Its persons and places must not
    contradict the event's, and something positive must tie them: a person or place in common,
    or, when neither names any (two votes of one day), lead words this alike."""
    if not persons_fit(f.persons, frozenset(c.persons)) or not places_fit(f.places, c.places):
        return False
    if not subjects_fit(f.subject, c.subject):
        return False
    same_person = bool(f.persons & set(c.persons))
    shared = same_person or places_meet(f.places, c.places)
    if not shared and f.subject and c.subject and not f.places and not c.places:
        # naming no one and no place (two votes of one day): the same bill ties them
        return True
    if f.kind == UNKNOWN_KIND:
        # no event word: the date alone says little; shared names and words must say the rest
        return shared and _cosine(_words(c), _words(f), idf) >= 0.2
    if shared and not same_person and _mean_similarity(f, c, idf) < params.same_place_similarity:
        return False  # the same place that day, but not the same words: maybe another event there
    return shared or _cosine(_words(c), _words(f), idf) >= params.same_day_similarity


def _split_by_words(c: Cluster, frames: dict[str, Frame], idf: dict[str, float],
                    params: "EventParams | None" = None) -> list[Cluster]:
    """An event of one kind and day tied by its place alone (no person named by most of its
    reports), cut by average linkage of its reports' words where two groups are less than
    `same_place_split` alike on average: two events of that place and day when two groups of two
    reports or more stand apart (a lone report unlike the rest is an outlier, not an event: it
    stays with the group its words are nearest). Returns [c] when nothing stands apart."""
    n = len(c.docs)
    params = params or EventParams()
    min_group = params.min_split_group
    if n < 2 * min_group or n > MAX_SPLIT_DOCS or c.kind not in LOCATED_KINDS:
        return [c]
    if any(2 * k > n for k in c.persons.values()):
        return [c]
    words = [_words(frames[d]) for d in c.docs]
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim[i][j] = sim[j][i] = _cosine(words[i], words[j], idf)
    groups = [[i] for i in range(n)]

    def link(a: list[int], b: list[int]) -> float:
        return sum(sim[i][j] for i in a for j in b) / (len(a) * len(b))

    while len(groups) > 1:
        best, x, y = max((link(a, b), x, y) for x, a in enumerate(groups) for y, b in enumerate(groups) if x < y)
        if best < params.same_place_split:
            break
        groups[x] = groups[x] + groups.pop(y)
    big = [g for g in groups if len(g) >= min_group]
    if len(big) < 2:
        return [c]
    for g in groups:
        if len(g) < min_group:
            max(big, key=lambda b: (link(g, b), -min(b))).extend(g)
    parts = []
    for g in sorted(big, key=min):
        part = Cluster(c.kind, c.date, c.identified_by)
        for i in sorted(g):
            part.add(frames[c.docs[i]])
        parts.append(part)
    return parts


def _join_parts_of_one_event(clusters: list[Cluster], frames: dict[str, Frame], of_doc: dict[str, Cluster],
                             idf: dict[str, float], params: EventParams) -> list[Cluster]:
    """Step 1c: reports of one day that name an event by two kinds that are parts of each other
    ("hanno incrociato le braccia" and "il corteo" of one strike, "la telefonata" and "il colloquio")
    are one event: the smaller joins the one larger event of a compatible kind that day naming
    the same persons or places (with the same place only, words alike on average as in `_fits`)."""
    by_day: dict[dt.date, list[Cluster]] = defaultdict(list)
    for c in clusters:
        if c.date is not None:
            by_day[c.date].append(c)
    merged: set[int] = set()
    for small in sorted(clusters, key=lambda c: (len(c.docs), c.date or dt.date.min, c.founder)):
        if small.date is None or id(small) in merged or small.kind == GENERIC_KIND:
            continue
        kinds = set(compatible_kinds(small.kind)) - {small.kind, GENERIC_KIND}
        targets = []
        for big in by_day[small.date]:
            if big is small or id(big) in merged or big.kind not in kinds or len(big.docs) < len(small.docs):
                continue
            persons, big_persons = frozenset(small.persons), frozenset(big.persons)
            if not persons_fit(persons, big_persons) or not places_fit(small.places, big.places) \
                    or not subjects_fit(small.subject, big.subject):
                continue
            if persons & big_persons:
                targets.append(big)
            elif places_meet(small.places, big.places) and all(
                    _mean_similarity(frames[d], big, idf) >= params.same_place_similarity for d in small.docs):
                targets.append(big)
        if len(targets) != 1:
            continue
        big = targets[0]
        for d in small.docs:
            big.add(frames[d])
            of_doc[d] = big
        merged.add(id(small))
    return [c for c in clusters if id(c) not in merged]


def _mean_similarity(f: Frame, c: Cluster, idf: dict[str, float]) -> float:
    """The mean cosine of an article's words with those of each of the event's first reports."""
    words = _words(f)
    return sum(_cosine(m, words, idf) for m in c.member_words) / len(c.member_words) if c.member_words else 0.0


# --- sentences -----------------------------------------------------------------------------------

def sentence_relation(r: SentenceReading | None, main_kind: str, main_date: dt.date | None, planned: bool) -> str:
    """`main` when the sentence is about its article's event, `other` when it refers explicitly
    to another occasion (module docstring, step 3)."""
    if r is None:
        return "main"
    own = False
    for _, _, kind, other, _ in r.words:
        if other:
            return "other"
        if is_own_kind(kind, main_kind):
            own = True
        else:
            return "other"
    for _, day, marked in r.dates:
        if marked or (main_date is not None and day != main_date):
            return "other"
    if main_date is not None and any((m.year, m.month) != (main_date.year, main_date.month) for m in r.months):
        return "other"
    if (r.past_cue and not own) or (r.future_cue and not planned):
        return "other"
    if r.past_cue and (r.dates or r.months or r.names_month):
        return "other"  # "si erano già sentiti a marzo": the time of an earlier occasion
    return "main"


class ReferenceIndex:
    """The dated events, to find the one a sentence about another occasion names by its day or
    month: "la telefonata del 2 febbraio era durata 40 minuti", "a marzo la telefonata era durata
    due ore" state a value of that call when the corpus knows exactly one such call (same kind,
    persons and places fitting the article's; for a day or month named without a year, one near
    the article's own dated event)."""

    def __init__(self, clusters: list[Cluster], window_days: int = 180) -> None:
        self.window_days = window_days
        self.by_day: dict[tuple[int, int], list[Cluster]] = defaultdict(list)
        self.by_month: dict[int, list[Cluster]] = defaultdict(list)
        for c in clusters:
            if c.date is not None and c.kind not in (STATEMENT_KIND, UNKNOWN_KIND):
                self.by_day[(c.date.month, c.date.day)].append(c)
                self.by_month[c.date.month].append(c)

    def find(self, r: SentenceReading, sid: int, f: Frame, own: Cluster,
             guessed: dict[tuple[int, int], tuple[int, int] | None], months: list[int] = (),
             text: str = "") -> Cluster | None:
        """The one known event the sentence refers to, or None. `months`: the months it names
        without a day ("a marzo"), used when it names no day and tells of a past occasion (a
        pluperfect or a past cue), the month not being only the term of a comparison ("è durata
        quaranta minuti, meno di quella di marzo": the sentence's value is its own event's)."""
        kinds = {k for _, _, k, _, _ in r.words} or {f.kind}
        if GENERIC_KIND in kinds:
            kinds |= {f.kind} if f.kind in TALKS_CAN_BE else set(TALKS_CAN_BE)
        found: dict[int, Cluster] = {}

        def consider(c: Cluster, exact_day: dt.date | None, exact_month: dt.date | None) -> None:
            if c is own or c.kind not in kinds:
                return
            if exact_day is not None and c.date != exact_day:
                return
            if exact_month is not None and (c.date.year, c.date.month) != (exact_month.year, exact_month.month):
                return
            if exact_day is None and exact_month is None and (
                    own.date is None or abs((c.date - own.date).days) > self.window_days):
                return  # named without a year: only an occasion of the same season as the article's dated event
            if persons_fit(f.persons, c.main_persons) and places_fit(f.places, c.places) and (
                    f.persons & set(c.persons) or places_meet(f.places, c.places)):
                found[id(c)] = c

        for at, day, _ in r.dates:
            exact = (sid, at) not in guessed
            if not exact and guessed[(sid, at)] is None:
                continue  # a relative day resolved against a guessed anchor: names nothing
            for c in self.by_day.get((day.month, day.day), ()):
                consider(c, day if exact else None, None)
        if not r.dates and r.past_cue:
            resolved = {d.month: d for d in r.months}
            compared = {MONTHS[m.group(1)] for m in COMPARED_MONTH_RE.finditer(text.lower())}
            for month in sorted((set(months) | set(resolved)) - compared):
                for c in self.by_month.get(month, ()):
                    consider(c, None, resolved.get(month))
        return next(iter(found.values())) if len(found) == 1 else None


def statement_clusters(statements: list[tuple[str, int, str, frozenset[str]]], published: dict[str, dt.date | None],
                       window: int) -> dict[int, Cluster]:
    """Statement events: (doc_id, sid, speaker, places) of sentences that refer to another occasion
    and report what a speaker linked with certainty said. One speaker's remarks reported by
    articles published within `window` days of each other (or undated), naming places that fit,
    are one event; a speaker with two such candidate events abstains. Returns sid -> cluster."""
    by_speaker: dict[str, list[Cluster]] = defaultdict(list)
    out: dict[int, Cluster] = {}
    own: dict[tuple[str, str], Cluster] = {}
    for doc, sid, speaker, places in sorted(statements, key=lambda t: (t[2], t[0], t[1])):
        if (doc, speaker) in own:
            c = own[(doc, speaker)]
            c.places |= places
            out[sid] = c
            continue
        pub = published.get(doc)
        fitting = []
        for c in by_speaker[speaker]:
            if not places_fit(places, c.places):
                continue
            pubs = [published.get(d) for d in c.docs]
            if pub is not None and any(p is not None and abs((p - pub).days) > window for p in pubs):
                continue
            fitting.append(c)
        if len(fitting) > 1:
            continue
        c = fitting[0] if fitting else None
        if c is None:
            c = Cluster(STATEMENT_KIND, None, "speaker", speaker=speaker)
            by_speaker[speaker].append(c)
        c.add(Frame(doc, STATEMENT_KIND, None, pub, frozenset({speaker}), places, frozenset()))
        own[(doc, speaker)] = c
        out[sid] = c
    return out


def _italian_date(d: dt.date) -> str:
    month = {v: k for k, v in MONTHS.items()}[d.month]
    return f"{d.day} {month} {d.year}"


def event_label(c: Cluster, names: dict[str, str]) -> str:
    who = " – ".join(sorted(names.get(p, p) for p in c.main_persons))
    label = EVENT_KIND_LABELS.get(c.kind, c.kind) + (f" {who}" if who else "")
    label += f", {_italian_date(c.date)}" if c.date else ", data non nota"
    if c.kind != STATEMENT_KIND and c.planned_votes > 0:
        label += " (prevista)"
    if c.identified_by == "article":
        label += " (solo in questo articolo)"
    return label
