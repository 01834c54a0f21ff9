"""Events: the real-world happenings (a phone call, a meeting, an attack) the corpus reports.

An *event mention* is a word of a general event lexicon ("telefonata", "vertice", "attacco",
"colloquio telefonico", "al telefono" …) with the sentence's evidence about it: the resolved day
date nearest to the word, whether it is planned (a future cue near the word, or a date after
publication), the persons the sentence names and those named in the word's own clause. Mentions
become events by

1. dated mentions: the same (type, date, planned) across the corpus, split by participants when
   the persons named do not fit (Trump–Putin vs Trump–Zelensky on the same day) and by places
   when the places named share none (a strike in Milano and one in Napoli on the same day);
2. generic talk words ("colloquio", "conversazione") join a call, else a meeting, of the same
   date, else they form a "talks" event;
3. before that, an article that states exactly one day date and dates no event itself lends that
   date to its undated past mentions; the undated mentions left join the one event of their own
   article that fits (most persons in common, then the specific type, then a dated one), else
   form an event local to the article (its date unknown; `reference_date` is the article's
   publication date, which claims use to rule out matches);
4. sentences without an event word attach to their article's main event when one event holds at
   least `main_event_share` of the article's mentions and more than any other, else to none.

A planned call and a past call are different events; so are calls on different dates. An
event's participants are the two persons its mentions name most (persons in the event word's
clause count double). Every event is founded by exactly one mention (the first, in a fixed
order, that fits no existing event) and every mention founds at most one event, so event_id
hashes the founding mention (its sentence and event type): unique by construction, also for two
undated events of one article that name nobody, and for generic talks later found to be a call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from pipeline.agreement.frames import columns
from pipeline.agreement.text import CLAUSE_BREAK_RE, Token, tokenize
from pipeline.common import progress, stable_id
from pipeline.nlp.italian import MONTHS

# Head nouns (lemma or surface) -> event type. A general news lexicon, not the seeds' words.
EVENT_NOUNS: dict[str, str] = {
    "telefonata": "call", "chiamata": "call", "chiamate": "call", "videochiamata": "call",
    "videoconferenza": "call",
    "incontro": "meeting", "vertice": "meeting", "summit": "meeting", "riunione": "meeting",
    "visita": "meeting", "bilaterale": "meeting",
    "intervista": "interview",
    "attacco": "attack", "bombardamento": "attack", "raid": "attack", "attentato": "attack",
    "offensiva": "attack", "strage": "attack", "esplosione": "attack", "incursione": "attack",
    "discorso": "speech", "comizio": "speech", "conferenza": "speech",
    "elezione": "vote", "referendum": "vote", "ballottaggio": "vote",
    "voto": "vote", "votazione": "vote", "votare": "vote", "scrutinio": "vote",
    "sciopero": "strike", "scioperare": "strike",
    "colloquio": "talks", "conversazione": "talks",
}
# Words that make generic talks a phone call ("colloquio telefonico", "parlato al telefono").
PHONE_WORDS = frozenset({"telefonico", "telefonica", "telefonicamente", "telefono", "telefonare", "cornetta"})
# Phone words that report a call on their own: "ha telefonato a", "parlato telefonicamente",
# "un'ora al telefono", "sentito per telefono" (a preposition before "telefono").
STANDALONE_CALL_WORDS = frozenset({"telefonicamente", "telefonare"})
PHONE_PREPOSITIONS = frozenset({"al", "per"})
# Event types that generic talks ("colloquio", "conversazione") can be, in order of preference.
TALKS_CAN_BE = ("call", "meeting")
GENERIC_TYPE = "talks"
TYPE_LABELS = {
    "call": "telefonata", "meeting": "incontro", "interview": "intervista", "attack": "attacco",
    "speech": "discorso", "vote": "voto", "strike": "sciopero", "talks": "colloqui",
}
# Future cues near the event word: a planned event. Lemmas, plus future-tense endings below.
FUTURE_LEMMAS = frozenset({
    "previsto", "prevedere", "prossimo", "futuro", "imminente", "programmare", "programmato",
    "programma", "domani", "atteso", "attendere", "annunciato", "dovrebbe",
})
FUTURE_ENDINGS = ("rà", "ranno", "remo", "rò")
# Characters around an event word, within its clause, where a named person is taken as a participant.
NEAR_BEFORE, NEAR_AFTER = 40, 80
# Cheap prefilter: most sentences name no event; only those matching a stem are tokenized.
_STEMS = sorted({w[:-1] for w in (*EVENT_NOUNS, *PHONE_WORDS)})
EVENT_WORD_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, _STEMS)) + ")", re.IGNORECASE)


@dataclass
class Mention:
    doc_id: str
    sent_id: str
    event_type: str
    event_date: dt.date | None
    is_planned: bool
    participants: frozenset[str]
    published: dt.date | None = None  # publication date of the mentioning document
    cue_start: int = 0  # offset of the event word in the sentence
    near_participants: frozenset[str] = frozenset()  # persons named right around the event word
    places: frozenset[str] = frozenset()  # places the sentence names

    @property
    def is_generic(self) -> bool:
        return self.event_type == GENERIC_TYPE


@dataclass
class Event:
    event_type: str
    event_date: dt.date | None
    is_planned: bool
    participants: frozenset[str]  # persons of the mention that founded the event (for matching)
    local_doc: str | None = None  # set for an undated event known only to one document
    reference_date: dt.date | None = None  # publication date of local_doc, if known
    founder: tuple[str, str] = ("", "")  # (sent_id, event type) of the mention that founded it
    places: frozenset[str] = frozenset()  # places of the first of its mentions that names any
    sent_ids: set[str] = field(default_factory=set)
    doc_ids: set[str] = field(default_factory=set)
    person_counts: Counter = field(default_factory=Counter)  # persons over all its mentions

    @property
    def main_participants(self) -> tuple[str, ...]:
        """The (at most) two persons its mentions name most: who the event is between."""
        ranked = sorted(self.person_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(sorted(p for p, _ in ranked[:2]))

    @cached_property
    def event_id(self) -> str:
        """Hash of the founding mention: no two events share one (see the module docstring)."""
        return stable_id("event", *self.founder)


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause (between punctuation marks) holding text[start:end]."""
    before = [m.end() for m in CLAUSE_BREAK_RE.finditer(text, 0, start)]
    after = CLAUSE_BREAK_RE.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def _is_future_word(tok: Token) -> bool:
    return tok.lemma in FUTURE_LEMMAS or tok.text in FUTURE_LEMMAS or (
        len(tok.text) > 4 and tok.text.endswith(FUTURE_ENDINGS)
    )


def find_mentions_in_sentence(
    doc_id: str,
    sent_id: str,
    text: str,
    dates: list[tuple[int, dt.date]],
    persons: list[tuple[int, str]],
    published: dt.date | None,
    future_window: int,
    later_than_published: bool = False,
    places: list[tuple[int, str]] = (),
) -> list[Mention]:
    """Event mentions of one sentence: one per event type named in it.

    `dates` are the sentence's resolved day dates and `persons` the persons it names, each with
    its character offset; each mention takes the date nearest to its event word, and the persons
    named just around the word ("la telefonata tra Trump e Putin") count double as participants. `later_than_published`: the sentence has a time
    expression of any precision after the publication date.
    """
    if not EVENT_WORD_RE.search(text):
        return []
    tokens = tokenize(text)
    has_phone = any(t.lemma in PHONE_WORDS or t.text in PHONE_WORDS for t in tokens)
    found: dict[str, int] = {}  # type -> index of its first word
    for i, tok in enumerate(tokens):
        etype = EVENT_NOUNS.get(tok.text) or EVENT_NOUNS.get(tok.lemma)
        if etype == GENERIC_TYPE and has_phone:
            etype = "call"
        if etype is None and (
            tok.lemma in STANDALONE_CALL_WORDS
            or (tok.text == "telefono" and i > 0 and tokens[i - 1].text in PHONE_PREPOSITIONS)
        ):
            etype = "call"
        if etype is not None and etype not in found:
            found[etype] = i
    if "call" in found and "interview" in found:
        # "intervista telefonica": the phone word qualifies the interview, not a call.
        if not any(EVENT_NOUNS.get(t.text) == "call" or EVENT_NOUNS.get(t.lemma) == "call" for t in tokens):
            del found["call"]
    everyone = frozenset(p for _, p in persons)
    mentions = []
    for etype, i in found.items():
        cue = tokens[i]
        date = min(dates, key=lambda d: (abs(d[0] - cue.start), d[1]))[1] if dates else None
        planned = any(_is_future_word(t) for t in tokens[max(0, i - future_window): i + future_window + 1])
        adjacent_future = any(_is_future_word(t) for t in tokens[max(0, i - 2): i + 3])
        if adjacent_future and (date is None or published is None or date <= published):
            planned, date = True, None  # "il previsto incontro": a past date nearby is another event's
        elif date is not None and published is not None:
            planned = date > published  # a stated date outranks looser tense cues
        elif later_than_published:
            planned = True  # "la prossima settimana", "a marzo": a coarser date still in the future
        clause_start, clause_end = _clause_around(text, cue.start, cue.end)
        near = frozenset(
            p for at, p in persons
            if max(clause_start, cue.start - NEAR_BEFORE) <= at <= min(clause_end, cue.end + NEAR_AFTER)
        )
        mentions.append(Mention(doc_id, sent_id, etype, date, planned, everyone, published, cue.start, near,
                                frozenset(p for _, p in places)))
    return mentions


def participants_fit(a: frozenset[str], b: frozenset[str]) -> bool:
    """Compatible person sets: either unknown, or sharing min(2, |a|, |b|) persons."""
    if not a or not b:
        return True
    return len(a & b) >= min(2, len(a), len(b))


def places_fit(a: frozenset[str], b: frozenset[str]) -> bool:
    """Compatible place sets: either unknown, or sharing one (two strikes on one day, one in
    Milano and one in Napoli, are two events)."""
    return not a or not b or bool(a & b)


def _best_fit(m: Mention, candidates: list[Event]) -> Event | None:
    fitting = [e for e in candidates
               if participants_fit(m.participants, e.participants) and places_fit(m.places, e.places)]
    if not fitting:
        return None
    position = {id(e): i for i, e in enumerate(candidates)}  # not candidates.index(e): quadratic
    return max(fitting, key=lambda e: (len(m.participants & e.participants), len(e.sent_ids), -position[id(e)]))


def _attach(event: Event, m: Mention) -> None:
    event.sent_ids.add(m.sent_id)
    event.doc_ids.add(m.doc_id)
    if not event.places:
        event.places = m.places
    if not event.person_counts or m.participants & set(event.person_counts):
        # a mention attached leniently (no person in common) does not redefine who takes part
        event.person_counts.update(m.participants)
        event.person_counts.update(m.near_participants)


def _fits_in_article(m: Mention, e: Event) -> bool:
    """Lenient fit for an undated mention and an event of its own article: persons named beside
    the event (a lone spokesperson) do not make another event, unless two or more are named and
    none of them takes part in it."""
    return len(m.participants) < 2 or not e.person_counts or bool(m.participants & set(e.person_counts))


def _pick_in_article(m: Mention, fitting: list[Event]) -> Event | None:
    """The one event of the article an undated mention belongs to, or None if ambiguous."""
    if len(fitting) == 1:
        return fitting[0]

    def overlap(e: Event) -> int:
        return len(m.participants & e.person_counts.keys()) if m.participants else 0

    def type_rank(e: Event) -> int:
        return TALKS_CAN_BE.index(e.event_type) if m.is_generic and e.event_type in TALKS_CAN_BE else 0

    # each best score computed once per step, not once per event (that was quadratic)
    for score in (lambda e: -overlap(e), type_rank):
        scores = [score(e) for e in fitting]
        best = min(scores, default=0)
        fitting = [e for e, s in zip(fitting, scores) if s == best]
        if len(fitting) == 1:
            return fitting[0]
    fitting = [e for e in fitting if e.event_date is not None] or fitting
    return fitting[0] if len(fitting) == 1 else None


def resolve_events(mentions: list[Mention]) -> tuple[list[Event], dict[tuple[str, str], Event]]:
    """Events from mentions (steps 1–3 of the module docstring).

    Returns the events and, for every (sent_id, type) mention, the event it belongs to.
    """
    order = sorted(mentions, key=lambda m: (-len(m.participants), m.event_type, m.doc_id, m.sent_id))
    events: list[Event] = []
    by_key: dict[tuple, list[Event]] = defaultdict(list)
    assigned: dict[tuple[str, str], Event] = {}

    def new_event(m: Mention, etype: str, local_doc: str | None = None) -> Event:
        e = Event(etype, m.event_date, m.is_planned, m.participants, local_doc,
                  reference_date=m.published if local_doc else None, founder=(m.sent_id, m.event_type),
                  places=m.places)
        events.append(e)
        by_key[(etype, m.event_date, m.is_planned)].append(e)
        return e

    # 1. dated, specific mentions
    for m in order:
        if m.event_date is None or m.is_generic:
            continue
        e = _best_fit(m, by_key[(m.event_type, m.event_date, m.is_planned)]) or new_event(m, m.event_type)
        _attach(e, m)
        assigned[(m.sent_id, m.event_type)] = e
    # 2. dated generic talks join any specific event of that date, else form a talks event
    for m in order:
        if m.event_date is None or not m.is_generic:
            continue
        e = None
        for etype in TALKS_CAN_BE:
            e = _best_fit(m, by_key[(etype, m.event_date, m.is_planned)])
            if e is not None:
                break
        e = e or new_event(m, GENERIC_TYPE)
        _attach(e, m)
        assigned[(m.sent_id, m.event_type)] = e
    # 3. undated mentions: specific ones first, so generic words can join what they found
    articles: dict[str, _ArticleEvents] = defaultdict(_ArticleEvents)
    homes: dict[int, list[_ArticleEvents]] = defaultdict(list)  # id(event) -> the articles indexing it
    for e in events:
        for d in sorted(e.doc_ids):
            articles[d].add(e)
            homes[id(e)].append(articles[d])
    for generic in (False, True):
        for m in order:
            if m.event_date is not None or m.is_generic != generic:
                continue
            article = articles[m.doc_id]
            e = article.pick(m)
            if e is None:
                e = new_event(m, m.event_type, local_doc=m.doc_id)
                _attach(e, m)
                article.add(e)
                homes[id(e)].append(article)
            else:
                old_kind, was_unnamed = (e.is_planned, e.event_type), not e.person_counts
                new_persons = [p for p in m.participants | m.near_participants if p not in e.person_counts]
                if e.event_type == GENERIC_TYPE and not generic:
                    e.event_type = m.event_type  # "colloquio" of a date, now known to be a call
                _attach(e, m)
                added = [p for p in new_persons if p in e.person_counts]
                for a in homes[id(e)]:
                    a.update(e, old_kind, added, was_unnamed)
            assigned[(m.sent_id, m.event_type)] = e
    return events, assigned


class _ArticleEvents:
    """One article's events for step 3 of resolve_events, indexed by (is_planned, type), by date
    and by person, so that picking the event of an undated mention costs in proportion to the
    events that share a person with it, not to all the events of the article (scanning them all
    for every mention was quadratic in a long article). `pick` gives what `_pick_in_article`
    gives on the article's events of the mention's kinds that `_fits_in_article`."""

    def __init__(self) -> None:
        self.events: dict[tuple, dict[int, Event]] = defaultdict(dict)  # kind -> events
        self.dated: dict[tuple, dict[int, Event]] = defaultdict(dict)
        self.unnamed: dict[tuple, dict[int, Event]] = defaultdict(dict)  # events naming no person
        self.unnamed_dated: dict[tuple, dict[int, Event]] = defaultdict(dict)
        self.by_person: dict[tuple, dict[int, Event]] = defaultdict(dict)  # (*kind, person) -> events

    def _pools(self, e: Event, unnamed: bool):
        pools = [self.events, self.dated] if e.event_date is not None else [self.events]
        if unnamed:
            pools += [self.unnamed, self.unnamed_dated] if e.event_date is not None else [self.unnamed]
        return pools

    def add(self, e: Event) -> None:
        kind = (e.is_planned, e.event_type)
        for pool in self._pools(e, not e.person_counts):
            pool[kind][id(e)] = e
        for p in e.person_counts:
            self.by_person[(*kind, p)][id(e)] = e

    def update(self, e: Event, old_kind: tuple, added: list[str], was_unnamed: bool) -> None:
        """Re-index `e` after a mention was attached: its type and persons may have changed."""
        kind = (e.is_planned, e.event_type)
        if kind != old_kind:
            for pool in self._pools(e, was_unnamed):
                pool[old_kind].pop(id(e), None)
            for p in e.person_counts:
                if p not in added:
                    self.by_person[(*old_kind, p)].pop(id(e), None)
            self.add(e)
            return
        if was_unnamed and e.person_counts:
            self.unnamed[kind].pop(id(e), None)
            self.unnamed_dated[kind].pop(id(e), None)
        for p in added:
            self.by_person[(*kind, p)][id(e)] = e

    def pick(self, m: Mention) -> Event | None:
        types = {m.event_type}
        if m.is_generic:
            types.update(TALKS_CAN_BE)
        if m.event_type in TALKS_CAN_BE:
            types.add(GENERIC_TYPE)
        kinds = [(m.is_planned, t) for t in sorted(types)]
        sharing: dict[int, Event] = {}
        for kind in kinds:
            for p in m.participants:
                sharing.update(self.by_person.get((*kind, p), {}))
        if sharing:
            # the events naming one of its persons fit and have the most persons in common
            return _pick_in_article(m, list(sharing.values()))
        # No event names one of its persons: all fitting events tie on persons (none in common).
        # With two or more persons only the events naming nobody fit.
        events, dated = (self.events, self.dated) if len(m.participants) < 2 else (self.unnamed, self.unnamed_dated)
        ranked = [k for k in kinds if events.get(k)]
        if m.is_generic and ranked:
            rank = {k: TALKS_CAN_BE.index(k[1]) if k[1] in TALKS_CAN_BE else 0 for k in ranked}
            ranked = [k for k in ranked if rank[k] == min(rank.values())]
        pool = [dated[k] for k in ranked if dated.get(k)] or [events[k] for k in ranked]
        if sum(map(len, pool)) != 1:
            return None
        return next(iter(next(p for p in pool if p).values()))


def lend_sole_doc_date(mentions: list[Mention], doc_dates: dict[str, set[dt.date]]) -> list[Mention]:
    """Undated past mentions of a document that states exactly one day date take that date,
    unless the document already dates some event itself."""
    dated_docs = {m.doc_id for m in mentions if m.event_date is not None}
    out = []
    for m in mentions:
        dates = doc_dates.get(m.doc_id, set())
        if m.event_date is None and not m.is_planned and m.doc_id not in dated_docs and len(dates) == 1:
            m = dataclasses.replace(m, event_date=next(iter(dates)))
        out.append(m)
    return out


def _italian_date(d: dt.date) -> str:
    month = {v: k for k, v in MONTHS.items()}[d.month]
    return f"{d.day} {month} {d.year}"


def event_label(e: Event, names: dict[str, str]) -> str:
    who = " – ".join(sorted(names.get(p, p) for p in e.main_participants))
    parts = [TYPE_LABELS.get(e.event_type, e.event_type)]
    if who:
        parts.append(who)
    label = " ".join(parts)
    label += f", {_italian_date(e.event_date)}" if e.event_date else ", data non nota"
    if e.is_planned:
        label += " (prevista)"
    return label


EVENT_SENTENCE_SCHEMA = {"sent_id": pl.Utf8, "doc_id": pl.Utf8, "event_id": pl.Utf8, "is_mention": pl.Boolean}


def find_events(
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    entities: pl.DataFrame,
    time_expressions: pl.DataFrame,
    articles: pl.DataFrame,
    future_window: int = 6,
    main_event_share: float = 0.5,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Event]]:
    """Events and the sentence -> event assignment.

    Returns (events rows, sentence_events with one row per sentence attached to an event,
    event objects by id). Grain of events: one row per event; sentence_events: one row per
    attached sentence (is_mention: the sentence names the event itself).
    """
    persons_of = _named_by_sentence(mentions, entities, "person")
    places_of = _named_by_sentence(mentions, entities, "place")
    dates_of, doc_dates = _dates_by_sentence(time_expressions, articles)
    published = dict(zip(*columns(articles, "doc_id", "published_date")))
    future_sents = set(
        time_expressions.join(articles.select("doc_id", "published_date"), on="doc_id", how="inner")
        .filter(pl.col("value_date") > pl.col("published_date"))["sent_id"].to_list()
    )
    raw: list[Mention] = []
    rows = zip(*columns(sentences, "sent_id", "doc_id", "text"))
    for sent_id, doc_id, text in progress(rows, "events: sentences", total=sentences.height):
        raw.extend(find_mentions_in_sentence(
            doc_id, sent_id, text or "", dates_of.get(sent_id, []), persons_of.get(sent_id, []),
            published.get(doc_id), future_window, later_than_published=sent_id in future_sents,
            places=places_of.get(sent_id, []),
        ))
    raw = lend_sole_doc_date(raw, doc_dates)
    events, assigned = resolve_events(raw)
    by_id = {e.event_id: e for e in events}

    # one event per mentioning sentence: a specific one over generic talks, then the one named first
    rank = {}
    for m in raw:
        e = assigned[(m.sent_id, m.event_type)]
        key = (e.event_type == GENERIC_TYPE, m.cue_start, e.event_id)
        if m.sent_id not in rank or key < rank[m.sent_id][0]:
            rank[m.sent_id] = (key, e, m.doc_id)
    rows = [(sid, doc, e.event_id, True) for sid, (_, e, doc) in rank.items()]

    # 4. other sentences join their document's main event when it is unambiguous
    per_doc: dict[str, Counter] = defaultdict(Counter)
    for sid, (_, e, doc) in rank.items():
        per_doc[doc][e.event_id] += 1
    main_event = {}
    for doc, counts in per_doc.items():
        (top, n_top), *rest = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n_top >= main_event_share * sum(counts.values()) and (not rest or rest[0][1] < n_top):
            main_event[doc] = top
    for sent_id, doc_id in zip(*columns(sentences, "sent_id", "doc_id")):
        if sent_id not in rank and doc_id in main_event:
            rows.append((sent_id, doc_id, main_event[doc_id], False))
    sentence_events = pl.DataFrame(rows, schema=EVENT_SENTENCE_SCHEMA, orient="row")

    names = dict(zip(*columns(entities, "entity_id", "name"))) if entities.height else {}
    event_rows = [
        {
            "event_id": e.event_id, "event_date": e.event_date, "label": event_label(e, names),
            "n_docs": len(e.doc_ids), "event_type": e.event_type, "is_planned": e.is_planned,
        }
        for e in events
    ]
    events_df = pl.DataFrame(event_rows, schema={
        "event_id": pl.Utf8, "event_date": pl.Date, "label": pl.Utf8, "n_docs": pl.Int64,
        "event_type": pl.Utf8, "is_planned": pl.Boolean,
    })
    return events_df, sentence_events, by_id


def _named_by_sentence(mentions: pl.DataFrame, entities: pl.DataFrame, entity_type: str) -> dict[str, list[tuple[int, str]]]:
    """Entities of one type (persons, places) each sentence names, with the offset of each mention."""
    if mentions.height == 0:
        return {}
    persons = (
        mentions.join(entities.select("entity_id", "type"), on="entity_id", how="left")
        .filter(pl.col("type") == entity_type)
        .sort("sent_id", "start", "entity_id")
    )
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for sid, start, eid in zip(*columns(persons, "sent_id", "start", "entity_id")):
        out[sid].append((start, eid))
    return out


def _dates_by_sentence(
    time_expressions: pl.DataFrame, articles: pl.DataFrame
) -> tuple[dict[str, list[tuple[int, dt.date]]], dict[str, set[dt.date]]]:
    """Day-precision dates per sentence (with offsets) and the distinct past day dates per document."""
    days = time_expressions.filter((pl.col("granularity") == "day") & pl.col("value_date").is_not_null())
    by_sent: dict[str, list[tuple[int, dt.date]]] = defaultdict(list)
    by_doc: dict[str, set[dt.date]] = defaultdict(set)
    published = dict(zip(*columns(articles, "doc_id", "published_date")))
    for doc_id, sent_id, start, value in zip(*columns(days, "doc_id", "sent_id", "start", "value_date")):
        by_sent[sent_id].append((start, value))
        pub = published.get(doc_id)
        if pub is None or value <= pub:
            by_doc[doc_id].add(value)
    return by_sent, by_doc
