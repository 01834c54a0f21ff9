"""Synthetic Italian news corpus with known truth, for benchmarks and end-to-end checks.

`python -m pipeline.synthetic --n 1000 --out DIR --seed 0` writes N input files into DIR (a folder
usable as `seeds/`, with a `sources.csv` manifest) and the truth into a separate folder
(`--truth`, by default `DIR/../truth`), so that the pipeline never sees the answers.

The corpus is built from templates and sentence pools written for this module, never from the
seed texts. A set of synthetic events (phone calls, meetings, drone attacks, parliamentary
votes, strikes) each carries facts in slots: a date, durations, counts, percentages, a yes/no
outcome, a quotation and its speaker, a topic. Every article reports a subset of its event's
slots, one sentence per slot, in the wording its outlet prefers (each outlet has its own
template choices, number style, date style, apostrophes and quotation marks). A share of the
articles misreport one fact (a changed number, an inserted negation, another date, the quote
given to the other speaker): those sentences conflict with the correctly reported ones.

Claim identity is `<event_id>:<slot>`: all body sentences about the same slot of the same event
state the same claim, whatever their wording. Two sentences of a claim conflict when what they
state cannot both hold: disjoint quantity intervals, different dates, opposite polarity or
different speakers. The truth records each sentence as it is written in its file (after
decoding and markup removal), so `(path, sentence text)` maps pipeline sentences to claims.

Messy inputs are mixed in on purpose: cp1252 and BOM encodings, HTML pages with scripts,
Markdown, empty and binary files, exact duplicates, English articles, and wire copies (the same
agency text published by two outlets). `files.parquet` in the truth states what ingest should
do with each file.

Truth tables (grain):
- `files.parquet`: one row per generated file (kind, expected status and reject reason).
- `events.parquet`: one row per synthetic event.
- `claims.parquet`: one row per (event, slot) claim, with its true value.
- `sentences.parquet`: one row per sentence of an accepted file (section, title, subtitle,
  byline, body, background, boilerplate), with its claim for body sentences and the value it
  states. Only body sentences state a claim.
- `conflicts.parquet`: one row per unordered pair of body sentences, in different files, that
  state the same claim incompatibly.
- `summary.json`: parameters and counts.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import json
import os
import random
import re
import shutil
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.schemas import WEEKDAYS

if TYPE_CHECKING:
    import polars as pl

# --- Italian surface forms ---------------------------------------------------------------------

MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)
_UNITS = (
    "zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci",
    "undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto",
    "diciannove",
)
_TENS = ("", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta")


def number_words(n: int) -> str:
    """Italian cardinal in words, 0 ≤ n < 1,000,000: 21 → 'ventuno', 183 → 'centottantatré'."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"number_words supports 0..999999, got {n}")
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        word = _TENS[tens]
        if unit in (1, 8):  # venti + uno -> ventuno, venti + otto -> ventotto
            word = word[:-1]
        return word + ("" if unit == 0 else "tré" if unit == 3 else _UNITS[unit])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        word = "cento" if hundreds == 1 else _UNITS[hundreds] + "cento"
        if rest == 0:
            return word
        rest_word = number_words(rest)
        if rest_word.startswith("ott"):  # cento + otto -> centotto, cento + ottanta -> centottanta
            word = word[:-1]
        return word + rest_word
    thousands, rest = divmod(n, 1000)
    word = "mille" if thousands == 1 else number_words(thousands) + "mila"
    return word + ("" if rest == 0 else number_words(rest))


def format_int(n: int) -> str:
    """Italian digit grouping: 12500 → '12.500' (four-digit numbers too: '1.200')."""
    return f"{n:,}".replace(",", ".")


def _starts_with_vowel_sound(n: int) -> bool:
    """Numbers read with an initial vowel take the elided article: l'8, l'11, l'80%."""
    return number_words(n).startswith(("ott", "un"))  # otto, ottanta, uno, undici


def day_phrase(d: date) -> str:
    """'4 marzo', '1° marzo'."""
    day = "1°" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]}"


def date_surface(d: date, published: date, style: str) -> str:
    """The date `d` as an article published on `published` would write it, in a given style.

    Styles: 'article' ('il 4 marzo', "l'8 marzo"), 'weekday' ('martedì 4 marzo'), 'year'
    ('il 4 marzo 2025'), 'relative' ('oggi', 'ieri', 'lunedì scorso'; falls back to 'weekday'
    when the distance does not allow it). Adverbial position: usable after a verb or, with a
    capital, at the start of a sentence.
    """
    if style == "relative":
        days = (published - d).days
        if days == 0:
            return "oggi"
        if days == 1:
            return "ieri"
        if 2 <= days <= 6:
            weekday = WEEKDAYS[d.weekday()]
            return f"{weekday} {'scorsa' if weekday == 'domenica' else 'scorso'}"
        style = "weekday"
    if style == "weekday":
        return f"{WEEKDAYS[d.weekday()]} {day_phrase(d)}"
    article = "l'" if d.day in (8, 11) else "il "
    text = f"{article}{day_phrase(d)}"
    return f"{text} {d.year}" if style == "year" else text


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- quantities as words, with the interval they state ------------------------------------------

ABOUT_TOLERANCE = 0.15  # "circa X" is read as [X·0.85, X·1.15] when deciding truth conflicts


@dataclass(frozen=True)
class QuantitySurface:
    """A quantity as written, with the interval it states (high None = open above)."""

    fields: dict  # template placeholders: q, qn, il_pct, del_pct
    low: float
    high: float | None
    qualifier: str  # exact | about | more_than


def _hours_phrase(minutes: int) -> str | None:
    """'mezz'ora', "un'ora e mezza", 'due ore', 'tre quarti d'ora'; None if no idiomatic form."""
    if minutes == 30:
        return "mezz'ora"
    if minutes == 45:
        return "tre quarti d'ora"
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return None
    head = "un'ora" if hours == 1 else f"{number_words(hours)} ore"
    if rest == 0:
        return head
    if rest == 30:
        return f"{head} e mezza"
    if rest == 15:
        return f"{head} e un quarto"
    return f"{head} e {rest} minuti"


def _minutes_exact(minutes: int, words: bool) -> str:
    hours = _hours_phrase(minutes)
    if hours and (words or minutes >= 120):
        return hours
    if words and minutes <= 100:
        return f"{number_words(minutes)} minuti"
    return f"{minutes} minuti"


_MINUTE_FLOORS = (30, 60, 90, 120, 180, 240, 360, 480, 600, 720, 1440)
_COUNT_FLOORS = (10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000)


def _floor_below(value: float, floors: tuple[int, ...]) -> int | None:
    """The largest round number strictly below `value` and not far below it (≥ 60 %)."""
    candidates = [f for f in floors if 0.6 * value <= f < value]
    return max(candidates) if candidates else None


def _count_exact(n: int, words: bool) -> str:
    if words and (n <= 20 or (n <= 100 and n % 10 == 0)):
        return number_words(n)
    if n >= 2000 and n % 1000 == 0:
        return f"{number_words(n // 1000)}mila" if words and n <= 20000 else f"{n // 1000}mila"
    return format_int(n)


def _round_two_digits(n: int) -> int:
    magnitude = 10 ** max(len(str(n)) - 2, 0)
    return round(n / magnitude) * magnitude


def _pct_article(n: int, preposition: bool) -> str:
    elided = _starts_with_vowel_sound(n)
    if preposition:
        return "dell'" if elided else "del "
    return "l'" if elided else "il "


def quantity_surface(kind: str, value: int, noun: str, form: str, words: bool) -> QuantitySurface:
    """Render `value` of a quantity kind ('minutes' | 'count' | 'percent') in a form.

    Forms: 'exact', 'about' ('circa …', rounded), 'more_than' ('oltre …' a round number below
    the value). A form that does not fit the value (no round floor, too small to round) falls
    back to 'exact'. The stated interval always contains `value`.
    """
    if kind == "minutes":
        if form == "more_than" and (floor := _floor_below(value, _MINUTE_FLOORS)):
            text = ("oltre " if value % 2 else "più di ") + _minutes_exact(floor, True)
            return QuantitySurface({"q": text, "qn": text}, float(floor), None, "more_than")
        if form == "about":
            text = "circa " + _minutes_exact(value, words)
            return QuantitySurface({"q": text, "qn": text}, value * (1 - ABOUT_TOLERANCE),
                                   value * (1 + ABOUT_TOLERANCE), "about")
        text = _minutes_exact(value, words)
        return QuantitySurface({"q": text, "qn": text}, float(value), float(value), "exact")
    if kind == "count":
        if form == "more_than" and (floor := _floor_below(value, _COUNT_FLOORS)):
            number = ("oltre " if value % 2 else "più di ") + _count_exact(floor, words)
            return QuantitySurface({"q": f"{number} {noun}", "qn": number}, float(floor), None, "more_than")
        if form == "about" and value >= 20:
            rounded = _round_two_digits(value)
            number = "circa " + _count_exact(rounded, False)
            return QuantitySurface({"q": f"{number} {noun}", "qn": number}, rounded * (1 - ABOUT_TOLERANCE),
                                   rounded * (1 + ABOUT_TOLERANCE), "about")
        number = _count_exact(value, words)
        return QuantitySurface({"q": f"{number} {noun}", "qn": number}, float(value), float(value), "exact")
    if kind == "percent":
        sign = " per cento" if words else "%"
        if form == "more_than" and (floor := _floor_below(value, (10, 20, 30, 40, 50, 60, 70, 80, 90))):
            il_pct = f"oltre {_pct_article(floor, False)}{floor}{sign}"
            return QuantitySurface({"il_pct": il_pct, "del_pct": f"di {il_pct}"}, float(floor), None, "more_than")
        if form == "about":
            il_pct = f"circa {_pct_article(value, False)}{value}{sign}"
            return QuantitySurface({"il_pct": il_pct, "del_pct": f"di {il_pct}"}, value * (1 - ABOUT_TOLERANCE),
                                   value * (1 + ABOUT_TOLERANCE), "about")
        fields = {"il_pct": f"{_pct_article(value, False)}{value}{sign}",
                  "del_pct": f"{_pct_article(value, True)}{value}{sign}"}
        return QuantitySurface(fields, float(value), float(value), "exact")
    raise ValueError(f"unknown quantity kind {kind!r}")


def intervals_disjoint(low_a: float, high_a: float | None, low_b: float, high_b: float | None) -> bool:
    """True when the two stated intervals cannot both hold (None = open above)."""
    above_a = high_a is not None and high_a < low_b
    above_b = high_b is not None and high_b < low_a
    return above_a or above_b


# --- the world: people, places, outlets ---------------------------------------------------------

@dataclass(frozen=True)
class Person:
    name: str
    surname: str
    full: str  # role and name, as the subject of a sentence: "il cancelliere tedesco Klaus Reinhardt"


def _person(name: str, role: str) -> Person:
    return Person(name, name.split()[-1], f"{role} {name}")


LEADERS = tuple(_person(n, r) for n, r in (
    ("Klaus Reinhardt", "il cancelliere tedesco"),
    ("Arnaud Delacroix", "il presidente francese"),
    ("Javier Montoya", "il premier spagnolo"),
    ("Piotr Nowicki", "il presidente polacco"),
    ("Ingrid Halvorsen", "la premier norvegese"),
    ("Mark Holloway", "il segretario di Stato americano"),
    ("Dmitrij Orlov", "il ministro degli Esteri russo"),
    ("Olena Kravets", "la vicepremier ucraina"),
    ("Mehmet Aydin", "il ministro della Difesa turco"),
    ("Hiroshi Tanaka", "il primo ministro giapponese"),
    ("Amara Diallo", "la presidente senegalese"),
    ("Rafael Quintero", "il presidente argentino"),
    ("Lorenzo Bellandi", "il presidente del Consiglio"),
    ("Chiara Marchetti", "la ministra degli Esteri"),
    ("Sofia Lindqvist", "la premier svedese"),
    ("Tomas Brandt", "il presidente austriaco"),
    ("Eleni Papadaki", "la premier greca"),
    ("Jan Visser", "il primo ministro olandese"),
    ("Carlos Duarte", "il presidente brasiliano"),
    ("Fatima Benali", "la premier tunisina"),
))
_IT_FIRST = (("Giulia", "f"), ("Marco", "m"), ("Francesca", "f"), ("Paolo", "m"), ("Elena", "f"),
             ("Stefano", "m"), ("Laura", "f"), ("Davide", "m"), ("Sara", "f"), ("Luca", "m"))
_IT_LAST = ("Ferri", "Santini", "Galli", "Moretti", "Rinaldi", "Testa", "Barbieri", "Fontana", "Caruso", "Leone")
_EAST_FIRST = (("Oleksandr", "m"), ("Iryna", "f"), ("Taras", "m"), ("Natalia", "f"), ("Bohdan", "m"), ("Svitlana", "f"))
_EAST_LAST = ("Melnyk", "Bondar", "Tkachenko", "Hrytsenko", "Savchuk", "Koval")

MEETING_CITIES = (("Roma", "a Roma"), ("Bruxelles", "a Bruxelles"), ("Ginevra", "a Ginevra"),
                  ("Varsavia", "a Varsavia"), ("Vienna", "a Vienna"), ("Berlino", "a Berlino"),
                  ("Parigi", "a Parigi"), ("Madrid", "a Madrid"), ("Helsinki", "a Helsinki"),
                  ("Lisbona", "a Lisbona"), ("Atene", "ad Atene"), ("Praga", "a Praga"),
                  ("Istanbul", "a Istanbul"), ("Oslo", "a Oslo"))
STRIKE_CITIES = (("Milano", "a Milano"), ("Torino", "a Torino"), ("Napoli", "a Napoli"),
                 ("Bologna", "a Bologna"), ("Firenze", "a Firenze"), ("Genova", "a Genova"),
                 ("Bari", "a Bari"), ("Palermo", "a Palermo"), ("Ancona", "ad Ancona"),
                 ("Verona", "a Verona"), ("Cagliari", "a Cagliari"), ("Trieste", "a Trieste"))
# Fictional towns: the attacks are invented, so they happen nowhere real.
TOWNS = tuple(f"{a} {b}" for a in ("Nova", "Stara", "Velyka", "Mala", "Verkhnia")
              for b in ("Dibrova", "Hirka", "Lypova", "Ozerna", "Kamianka", "Rivnopil"))
TARGETS = ("un deposito di carburante", "un impianto elettrico", "uno scalo ferroviario",
           "un magazzino di attrezzature", "un porto fluviale", "un ponte stradale")
TOPICS = (("la sicurezza energetica", "della sicurezza energetica"),
          ("i dazi sull'acciaio", "dei dazi sull'acciaio"),
          ("la cooperazione sui migranti", "della cooperazione sui migranti"),
          ("la ricostruzione dei porti", "della ricostruzione dei porti"),
          ("il commercio di grano", "del commercio di grano"),
          ("la transizione energetica", "della transizione energetica"),
          ("lo scambio di prigionieri", "dello scambio di prigionieri"),
          ("il controllo degli armamenti", "del controllo degli armamenti"),
          ("la crisi alimentare", "della crisi alimentare"),
          ("gli investimenti nelle infrastrutture", "degli investimenti nelle infrastrutture"))
ASSEMBLIES = (("la Camera dei deputati", 400), ("il Senato", 200), ("il Parlamento europeo", 720),
              ("il consiglio regionale della Toscana", 41), ("il consiglio regionale del Veneto", 51),
              ("il consiglio comunale di Bologna", 48), ("il consiglio comunale di Torino", 40))
BILLS = (("la riforma della legge elettorale", "sulla riforma della legge elettorale"),
         ("il decreto sulle concessioni balneari", "sul decreto sulle concessioni balneari"),
         ("il piano per la casa", "sul piano per la casa"),
         ("la legge sul consumo di suolo", "sulla legge sul consumo di suolo"),
         ("il bilancio di previsione", "sul bilancio di previsione"),
         ("la mozione sul trasporto pubblico", "sulla mozione sul trasporto pubblico"),
         ("il regolamento sugli imballaggi", "sul regolamento sugli imballaggi"))
SECTORS = ("dei trasporti", "della scuola", "della sanità", "del settore metalmeccanico", "del commercio",
           "della logistica")

# Quotations are a head and a tail; many heads name the event's place, sector or bill, so that
# different events rarely share a quotation word for word (as in real news).
QUOTE_HEADS = {
    "call": ("Abbiamo fatto passi avanti concreti", "È stata una conversazione lunga e franca",
             "Il dialogo resta aperto", "Abbiamo discusso a lungo {topic_di}",
             "Resta prioritario il tema {topic_di}", "Abbiamo parlato con grande sincerità",
             "Il canale diplomatico non si chiude", "Ho spiegato la nostra posizione a proposito {topic_di}",
             "È stato un confronto serio", "Ci sentiremo di nuovo molto presto"),
    "meeting": ("Oggi {at_city} abbiamo aperto una pagina nuova", "Le nostre posizioni sono più vicine",
                "Abbiamo lavorato bene insieme", "C'è ancora molta strada da fare",
                "L'incontro di {city} è stato utile e concreto", "Abbiamo preso impegni precisi a proposito {topic_di}",
                "Parlando {topic_di} serve più coraggio", "Il clima {at_city} è stato eccellente",
                "Abbiamo discusso apertamente", "Torneremo a vederci presto"),
    "attack": ("Nessuno a {town} sarà lasciato solo", "Ricostruiremo {town} in fretta",
               "La città ha reagito con grande dignità", "È stata una notte terribile per {town}",
               "I soccorsi sono arrivati in pochi minuti", "Chiediamo più difese per {town}",
               "Siamo vicini alle famiglie colpite", "Non ci faremo intimidire",
               "Colpire {target} è stato un gesto vile", "La priorità ora è riportare la corrente"),
    "vote": ("È una giornata importante per il Paese", "Questo testo è un errore grave",
             "Abbiamo ascoltato tutte le parti", "Continueremo a batterci in aula",
             "Il lavoro della commissione è stato prezioso", "Il voto {bill_su} chiude una lunga attesa",
             "Sul merito {bill_su} non abbiamo cambiato idea", "Si è persa un'occasione",
             "È una scelta di responsabilità", "Sul testo serviva più tempo"),
    "strike": ("I lavoratori {sector} chiedono solo rispetto", "La protesta è stata pacifica e compatta",
               "Il governo deve riaprire il tavolo", "Siamo pronti a trattare da domani",
               "Non si può più aspettare", "{city} oggi ha dato un segnale chiaro",
               "Il contratto {sector} è fermo da troppo tempo", "Rispettiamo il diritto di sciopero",
               "I disagi vanno ridotti al minimo", "Le piazze {at_city} erano piene"),
}
QUOTE_TAILS = ("", " e andremo avanti così", ", ma serve ancora lavoro", ", lo dico con chiarezza",
               " nell'interesse dei cittadini", " e lo ripeteremo ovunque")


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    style: int  # offsets template choices, so each outlet words the same fact its own way
    words_share: float  # how often numbers are written in words
    relative_share: float  # how often dates are relative ("ieri")
    typographic: bool  # ’ instead of '
    curly_quotes: bool  # “ ” instead of « »
    one_line_paragraphs: bool  # paragraphs on single lines instead of blank-line separated
    footer: str | None
    journalists: tuple[str, ...]


_OUTLET_NAMES = (
    ("La Voce del Mattino", "vocedelmattino.example"),
    ("Il Giornale di Levante", "giornaledilevante.example"),
    ("Cronache Tirreniche", "cronachetirreniche.example"),
    ("Il Notiziario Padano", "notiziariopadano.example"),
    ("L'Osservatore Civico", "osservatorecivico.example"),
    ("Il Faro Adriatico", "faroadriatico.example"),
    ("Prima Pagina Lombarda", "primapaginalombarda.example"),
    ("La Tribuna Appenninica", "tribunaappenninica.example"),
    ("Il Dispaccio", "ildispaccio.example"),
    ("Mondo Oggi", "mondooggi.example"),
    ("La Gazzetta delle Isole", "gazzettadelleisole.example"),
    ("Il Corriere Collinare", "corrierecollinare.example"),
)
_FOOTERS = ("© Riproduzione riservata", "Tutti i diritti riservati", None, "Riproduzione vietata")
OUTLETS = tuple(
    Outlet(
        name=name, domain=domain, style=i,
        words_share=0.6 if i % 3 == 0 else 0.15,
        relative_share=0.6 if i % 2 else 0.2,
        typographic=i % 2 == 1,
        curly_quotes=i % 4 == 3,
        one_line_paragraphs=i % 3 == 1,
        footer=_FOOTERS[i % 4],
        journalists=tuple(f"{_IT_FIRST[(i + k) % 10][0]} {_IT_LAST[(3 * i + 7 * k) % 10]}" for k in range(2)),
    )
    for i, (name, domain) in enumerate(_OUTLET_NAMES)
)
WIRE_AGENCY = "Agenzia Meridiana"

# --- event kinds and their slots ---------------------------------------------------------------

# Each slot: (value kind, templates). Value kinds: date | quantity | polarity | attribution | text.
# Polarity templates are (affirmative, negated) pairs. Placeholders: {A} {A_name} {A_sur}, {B…},
# {S…} (the speaker of a quote), {date}, {q} (number and noun), {qn} (number only), {il_pct},
# {del_pct}, {topic}, {topic_di}, {quote}, {quote_lc}, {after}, and the event's own fields.
QUOTE_TEMPLATES = (
    "«{quote}», ha dichiarato {S} {after}.",
    "{S} ha commentato così: «{quote}».",
    "«{quote}», ha scritto {S_sur} sui social.",
    "Secondo {S_name}, «{quote_lc}».",
)


@dataclass(frozen=True)
class Slot:
    name: str
    value_kind: str
    templates: tuple
    quantity: tuple[str, str] | None = None  # (quantity kind, noun) for quantity slots


@dataclass(frozen=True)
class EventKind:
    name: str
    slots: tuple[Slot, ...]  # the first slot (the date) leads every article
    titles: tuple[str, ...]
    sections: tuple[str, ...]
    after: str  # where a quote was said, for QUOTE_TEMPLATES


EVENT_KINDS: dict[str, EventKind] = {k.name: k for k in (
    EventKind("call", (
        Slot("date", "date", (
            "{A} e {B} hanno avuto un colloquio telefonico {date}.",
            "{date}, {A_name} ha sentito al telefono {B_name}.",
            "La telefonata tra {A_sur} e {B_sur} si è svolta {date}.",
            "{A} ha telefonato a {B_name} {date}, secondo quanto riferito da fonti diplomatiche.",
            "Si sono parlati al telefono {date} {A_name} e {B_name}.",
        )),
        Slot("duration", "quantity", (
            "La conversazione è durata {q}.",
            "I due sono rimasti al telefono per {q}.",
            "Il colloquio, durato {q}, si è svolto in un clima definito cordiale.",
            "Secondo fonti vicine a {A_sur}, la chiamata si è protratta per {q}.",
        ), ("minutes", "")),
        Slot("topic", "text", (
            "Si è parlato anche {topic_di}.",
            "{A_sur} e {B_sur} hanno discusso soprattutto {topic_di}.",
            "La conversazione si è concentrata sul tema {topic_di}.",
            "Il dossier principale della telefonata riguardava {topic}.",
        )),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
        Slot("meet_again", "polarity", (
            ("I due leader hanno concordato di rivedersi presto di persona.",
             "I due leader non hanno concordato di rivedersi presto di persona."),
            ("È stato fissato un incontro di persona nelle prossime settimane.",
             "Non è stato fissato alcun incontro di persona nelle prossime settimane."),
            ("{A_sur} e {B_sur} hanno deciso di vedersi a breve.",
             "{A_sur} e {B_sur} non hanno deciso di vedersi a breve."),
            ("Dalla telefonata è emerso l'impegno a un vertice in presenza.",
             "Dalla telefonata non è emerso alcun impegno a un vertice in presenza."),
        )),
        Slot("confirmed", "polarity", (
            ("Lo staff di {B_sur} ha confermato la telefonata.",
             "Lo staff di {B_sur} non ha confermato la telefonata."),
            ("La conversazione è stata confermata anche da {B_name}.",
             "La conversazione non è stata confermata da {B_name}."),
            ("Il portavoce di {B_sur} ha confermato che il colloquio c'è stato.",
             "Il portavoce di {B_sur} non ha confermato che il colloquio c'è stato."),
        )),
    ), titles=("Telefonata tra {A_sur} e {B_sur}", "{A_sur} e {B_sur} al telefono",
               "Colloquio telefonico tra {A_sur} e {B_sur}", "{A_sur} chiama {B_sur}"),
        sections=("Esteri", "Mondo", "Politica estera"), after="dopo la telefonata"),
    EventKind("meeting", (
        Slot("date", "date", (
            "{A} ha incontrato {B_name} {at_city} {date}.",
            "L'incontro tra {A_sur} e {B_sur} si è tenuto {at_city} {date}.",
            "{date}, {at_city}, si sono incontrati {A_name} e {B_name}.",
            "Il vertice bilaterale tra {A_name} e {B_name} si è svolto {date} {at_city}.",
        )),
        Slot("duration", "quantity", (
            "Il faccia a faccia è durato {q}.",
            "I colloqui sono andati avanti per {q}.",
            "L'incontro, durato {q}, si è chiuso senza domande dei giornalisti.",
            "Secondo lo staff di {A_sur}, i due sono rimasti a colloquio per {q}.",
        ), ("minutes", "")),
        Slot("agreements", "quantity", (
            "Al termine dell'incontro sono stati firmati {q}.",
            "{A_sur} e {B_sur} hanno sottoscritto {q} di cooperazione.",
            "Il bilancio del vertice è di {q} firmati.",
            "Le delegazioni hanno siglato {q} in diversi settori.",
        ), ("count", "accordi")),
        Slot("topic", "text", (
            "Al centro dell'agenda c'era il tema {topic_di}.",
            "I due hanno parlato a lungo {topic_di}.",
            "Sul tavolo c'era anche il dossier {topic_di}.",
            "Il confronto ha riguardato soprattutto {topic}.",
        )),
        Slot("joint_statement", "polarity", (
            ("Al termine è stata diffusa una dichiarazione congiunta.",
             "Al termine non è stata diffusa alcuna dichiarazione congiunta."),
            ("I due governi hanno firmato una dichiarazione comune.",
             "I due governi non hanno firmato alcuna dichiarazione comune."),
            ("{A_sur} e {B_sur} hanno presentato un comunicato congiunto.",
             "{A_sur} e {B_sur} non hanno presentato un comunicato congiunto."),
            ("L'incontro si è concluso con un documento comune.",
             "L'incontro non si è concluso con un documento comune."),
        )),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
    ), titles=("{A_sur} incontra {B_sur} {at_city}", "Vertice {at_city} tra {A_sur} e {B_sur}",
               "Faccia a faccia tra {A_sur} e {B_sur}"),
        sections=("Esteri", "Politica", "Mondo"), after="al termine dell'incontro"),
    EventKind("attack", (
        Slot("date", "date", (
            "Un attacco con droni ha colpito {target} vicino a {town} {date}.",
            "{date}, alcuni droni hanno colpito {target} alla periferia di {town}.",
            "L'attacco contro {target} nei pressi di {town} è avvenuto {date}.",
            "È stato colpito {date} {target} vicino a {town}.",
        )),
        Slot("drones", "quantity", (
            "Nell'attacco sono stati impiegati {q}.",
            "Le autorità locali hanno contato {q} nel corso della notte.",
            "Contro l'obiettivo sono stati lanciati {q}.",
            "L'offensiva ha coinvolto {q}, secondo il comando regionale.",
        ), ("count", "droni")),
        Slot("injured", "quantity", (
            "Il bilancio provvisorio è di {q}.",
            "L'attacco ha causato {q}, secondo la protezione civile.",
            "Le autorità hanno riferito di {q} tra i residenti.",
            "Nei dintorni si contano {q}.",
        ), ("count", "feriti")),
        Slot("blackout", "quantity", (
            "L'erogazione di energia elettrica è stata interrotta per {q}.",
            "La zona è rimasta senza corrente per {q}.",
            "Il blackout seguito all'attacco è durato {q}.",
            "Migliaia di famiglie sono rimaste al buio per {q}.",
        ), ("minutes", "")),
        Slot("claimed", "polarity", (
            ("L'attacco è stato rivendicato nelle ore successive.",
             "L'attacco non è stato rivendicato nelle ore successive."),
            ("Un gruppo armato ha rivendicato l'azione.", "Nessun gruppo armato ha rivendicato l'azione."),
            ("In serata è arrivata una rivendicazione.", "In serata non è arrivata alcuna rivendicazione."),
            ("L'azione è stata rivendicata sui canali online.",
             "L'azione non è stata rivendicata sui canali online."),
        )),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
    ), titles=("Droni su {town}", "Attacco con droni vicino a {town}", "{town}, colpito {target}"),
        sections=("Esteri", "Cronaca internazionale"), after="in conferenza stampa"),
    EventKind("vote", (
        Slot("date", "date", (
            "{assembly} ha votato {bill} {date}.",
            "Il voto {bill_su} si è svolto {date}.",
            "È arrivato {date} il voto finale {bill_su}.",
            "{date}, l'aula ha votato {bill}.",
        )),
        Slot("approved", "polarity", (
            ("Il provvedimento è stato approvato.", "Il provvedimento non è stato approvato."),
            ("{assembly} ha approvato il testo.", "{assembly} non ha approvato il testo."),
            ("Il testo ha ottenuto la maggioranza necessaria.",
             "Il testo non ha ottenuto la maggioranza necessaria."),
            ("L'aula ha dato il via libera al provvedimento.",
             "L'aula non ha dato il via libera al provvedimento."),
        )),
        Slot("votes_for", "quantity", (
            "I voti favorevoli sono stati {qn}.",
            "Il testo ha raccolto {q}.",
            "A favore si sono espressi in {qn}.",
            "Si sono contati {q}.",
        ), ("count", "voti favorevoli")),
        Slot("votes_against", "quantity", (
            "I voti contrari sono stati {qn}.",
            "Contro il testo hanno votato in {qn}.",
            "Si sono registrati {q}.",
            "L'opposizione ha messo insieme {q}.",
        ), ("count", "voti contrari")),
        Slot("abstentions", "quantity", (
            "Gli astenuti sono stati {qn}.",
            "Si sono astenuti in {qn}.",
            "Al momento del voto si sono contati {q}.",
        ), ("count", "astenuti")),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
    ), titles=("{assembly}, il voto {bill_su}", "Voto {bill_su}", "{bill}, si decide in aula"),
        sections=("Politica", "Politica interna"), after="in aula"),
    EventKind("strike", (
        Slot("date", "date", (
            "Lo sciopero {sector} si è svolto {date} {at_city}.",
            "{date}, {at_city}, hanno incrociato le braccia i lavoratori {sector}.",
            "È andato in scena {date} {at_city} lo sciopero {sector}.",
            "I lavoratori {sector} hanno scioperato {date} {at_city}.",
        )),
        Slot("duration", "quantity", (
            "La protesta è durata {q}.",
            "Lo stop è andato avanti per {q}.",
            "L'astensione dal lavoro si è protratta per {q}.",
        ), ("minutes", "")),
        Slot("participants", "quantity", (
            "Al corteo hanno partecipato {q}.",
            "In piazza sono scese {q}, secondo gli organizzatori.",
            "I partecipanti alla manifestazione sono stati {qn}.",
            "Il corteo ha riunito {q} nel centro della città.",
        ), ("count", "persone")),
        Slot("adherence", "quantity", (
            "L'adesione è stata {del_pct}.",
            "Ha aderito allo sciopero {il_pct} dei lavoratori.",
            "I sindacati parlano di un'adesione {del_pct}.",
            "Secondo le stime, si è fermato {il_pct} del personale.",
        ), ("percent", "")),
        Slot("minimum_service", "polarity", (
            ("Sono stati garantiti i servizi minimi.", "Non sono stati garantiti i servizi minimi."),
            ("Le fasce di garanzia sono state rispettate.", "Le fasce di garanzia non sono state rispettate."),
            ("Il servizio minimo è stato assicurato per tutta la giornata.",
             "Il servizio minimo non è stato assicurato per tutta la giornata."),
        )),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
    ), titles=("Sciopero {sector} {at_city}", "{city}, giornata di sciopero {sector}",
               "Stop {sector} {at_city}"),
        sections=("Cronaca", "Economia", "Lavoro"), after="parlando con i giornalisti"),
)}
# Context sentences: they state no fact of the event (truth role 'background', no claim).
BACKGROUND = {
    "call": ("I contatti tra le due capitali si erano intensificati nelle ultime settimane.",
             "Negli ultimi mesi i rapporti tra i due governi hanno attraversato una fase delicata.",
             "Gli analisti seguono con attenzione ogni segnale di disgelo.",
             "La diplomazia dei due Paesi lavora da tempo a un'agenda comune.",
             "Le cancellerie europee attendono ora i prossimi sviluppi."),
    "meeting": ("Il vertice era stato preparato da settimane di contatti tra le diplomazie.",
                "Le delegazioni erano arrivate in città già dalla sera precedente.",
                "Le misure di sicurezza nel centro cittadino sono state rafforzate per l'occasione.",
                "Gli osservatori considerano l'incontro un banco di prova per le relazioni bilaterali.",
                "Davanti alla sede dei colloqui si sono radunati molti giornalisti."),
    "attack": ("La regione è stata colpita più volte negli ultimi mesi.",
               "Le squadre di soccorso hanno lavorato per tutta la notte.",
               "Le scuole della zona resteranno chiuse in via precauzionale.",
               "Sul posto sono intervenuti i vigili del fuoco e la polizia.",
               "Gli abitanti sono stati invitati a restare nei rifugi."),
    "vote": ("Il dibattito in aula è stato lungo e a tratti acceso.",
             "Il testo era stato modificato più volte in commissione.",
             "Le opposizioni avevano presentato numerosi emendamenti.",
             "Il voto era atteso da settimane."),
    "strike": ("Lo sciopero era stato proclamato dai sindacati con largo anticipo.",
               "I disagi maggiori si sono registrati nelle ore di punta.",
               "Nel centro cittadino il traffico è rimasto a lungo bloccato.",
               "La vertenza sul rinnovo del contratto va avanti da mesi."),
}
SUBTITLES = ("Le reazioni e i prossimi passi", "Cosa sappiamo finora", "Il punto della situazione",
             "Tutti i dettagli")


# --- events --------------------------------------------------------------------------------------

@dataclass
class Event:
    """One synthetic real-world event: its kind, date, participants and the facts of its slots."""

    event_id: str
    kind: str
    event_date: date
    fields: dict  # placeholders shared by every sentence about the event
    speakers: tuple[Person, Person]  # quote speaker as reported, and the one a misreport names
    label: str
    truth: dict = field(default_factory=dict)  # slot -> true value
    variant: dict = field(default_factory=dict)  # slot -> misreported value (only some slots)


def _person_fields(prefix: str, p: Person) -> dict:
    return {prefix: p.full, f"{prefix}_name": p.name, f"{prefix}_sur": p.surname}


def _local_person(rng: random.Random, role_m: str, role_f: str, east: bool) -> Person:
    first, gender = rng.choice(_EAST_FIRST if east else _IT_FIRST)
    last = rng.choice(_EAST_LAST if east else _IT_LAST)
    name = f"{first} {last}"
    return Person(name, last, f"{role_m if gender == 'm' else role_f} {name}")


def _variant_quantity(rng: random.Random, kind: str, value: int, limit: int | None) -> int:
    """A misreported value far enough from `value` that no honest wording can cover both."""
    for _ in range(50):
        if kind == "percent":
            other = value + rng.choice((-1, 1)) * rng.randint(20, 30)
            other = min(max(other, 5), 99)
        else:
            factor = rng.uniform(0.4, 0.6) if rng.random() < 0.5 else rng.uniform(1.7, 2.4)
            other = max(1, round(value * factor))
            if kind == "minutes":
                other = max(5, 5 * round(other / 5))
        if limit is not None:
            other = min(other, limit)
        if other != value and not (value * (1 - ABOUT_TOLERANCE) <= other <= value * (1 + ABOUT_TOLERANCE)):
            return other
    raise RuntimeError(f"no variant found for {kind} {value}")  # unreachable for the ranges used


def make_event(rng: random.Random, index: int, kind: str, event_date: date, variant_share: float) -> Event:
    """Draw the participants and true facts of one event, and which facts get misreported."""
    truth: dict = {"date": event_date}
    quantity_limits: dict[str, int] = {}
    if kind in ("call", "meeting"):
        a, b = rng.sample(LEADERS, 2)
        fields = {**_person_fields("A", a), **_person_fields("B", b)}
        topic, topic_di = rng.choice(TOPICS)
        fields.update(topic=topic, topic_di=topic_di)
        truth["topic"] = topic
        speakers = (a, b)
        truth["duration"] = rng.choice((20, 30, 40, 45, 50, 60, 75, 90, 100, 120, 150) if kind == "call"
                                       else (60, 75, 90, 120, 150, 180, 240))
        if kind == "call":
            truth["meet_again"] = rng.random() < 0.5
            truth["confirmed"] = rng.random() < 0.6
            label = f"Telefonata {a.surname}–{b.surname}"
        else:
            city, at_city = rng.choice(MEETING_CITIES)
            fields.update(city=city, at_city=at_city)
            truth["agreements"] = rng.randint(2, 14)
            truth["joint_statement"] = rng.random() < 0.5
            label = f"Incontro {a.surname}–{b.surname} {at_city}"
    elif kind == "attack":
        town, target = rng.choice(TOWNS), rng.choice(TARGETS)
        fields = {"town": town, "target": target}
        speakers = (_local_person(rng, f"il sindaco di {town}", f"la sindaca di {town}", True),
                    _local_person(rng, "il governatore della regione", "la governatrice della regione", True))
        truth.update(drones=rng.randint(6, 80), injured=rng.randint(2, 40),
                     blackout=rng.choice((60, 90, 120, 180, 240, 360, 480, 720)), claimed=rng.random() < 0.4)
        label = f"Attacco con droni vicino a {town}"
    elif kind == "vote":
        assembly, size = rng.choice(ASSEMBLIES)
        bill, bill_su = rng.choice(BILLS)
        fields = {"assembly": assembly, "bill": bill, "bill_su": bill_su}
        speakers = (_local_person(rng, "il relatore", "la relatrice", False),
                    _local_person(rng, "il capogruppo dell'opposizione", "la capogruppo dell'opposizione", False))
        present = rng.randint(int(size * 0.7), size)
        abstentions = rng.randint(2, max(3, size // 15))
        votes_for = rng.randint(int(present * 0.3), int(present * 0.7))
        votes_against = max(2, present - abstentions - votes_for)
        approved = votes_for > votes_against
        truth.update(approved=approved, votes_for=votes_for, votes_against=votes_against, abstentions=abstentions)
        quantity_limits = {"votes_for": size, "votes_against": size, "abstentions": size}
        label = f"Voto {bill_su}"
    elif kind == "strike":
        city, at_city = rng.choice(STRIKE_CITIES)
        sector = rng.choice(SECTORS)
        fields = {"city": city, "at_city": at_city, "sector": sector}
        speakers = (_local_person(rng, "il segretario generale del sindacato", "la segretaria generale del sindacato", False),
                    _local_person(rng, "il ministro del Lavoro", "la ministra del Lavoro", False))
        truth.update(duration=rng.choice((240, 480, 720, 1440)),
                     participants=rng.choice((800, 1500, 2500, 4000, 6000, 12000, 20000, 35000, 60000))
                     + rng.randint(0, 40) * 10,
                     adherence=rng.randint(30, 90), minimum_service=rng.random() < 0.6)
        label = f"Sciopero {sector} {at_city}"
    else:
        raise ValueError(kind)
    quote = capitalize_first(rng.choice(QUOTE_HEADS[kind]).format_map(fields) + rng.choice(QUOTE_TAILS))
    fields.update(quote=quote, quote_lc=quote[:1].lower() + quote[1:], after=EVENT_KINDS[kind].after)
    truth["quote"] = speakers[0].name
    event = Event(f"ev{index:05d}", kind, event_date, fields, speakers, label, truth)
    for slot in EVENT_KINDS[kind].slots:
        if slot.value_kind == "text" or rng.random() >= variant_share:
            continue
        value = truth[slot.name]
        if slot.value_kind == "date":
            event.variant[slot.name] = value - timedelta(days=rng.randint(1, 3))
        elif slot.value_kind == "polarity":
            event.variant[slot.name] = not value
        elif slot.value_kind == "attribution":
            event.variant[slot.name] = speakers[1].name
        elif slot.value_kind == "quantity":
            event.variant[slot.name] = _variant_quantity(rng, slot.quantity[0], value,
                                                         quantity_limits.get(slot.name))
    return event


# --- articles ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TruthSentence:
    """One sentence as written in a file, with the claim and value it states (body only)."""

    text: str
    role: str  # section | title | subtitle | byline | body | background | boilerplate
    slot: str | None = None
    value_kind: str | None = None
    value: str | None = None
    low: float | None = None
    high: float | None = None
    is_variant: bool = False


@dataclass
class Article:
    """An article before encoding: header lines, paragraphs of body sentences, footer."""

    event: Event
    outlet: Outlet
    published: date
    section: str | None
    title: TruthSentence
    subtitle: TruthSentence | None
    byline: TruthSentence | None
    paragraphs: list[list[TruthSentence]]
    footer: TruthSentence | None

    def sentences(self) -> list[TruthSentence]:
        head = [self.title, self.subtitle, self.byline]
        if self.section:
            head.insert(0, TruthSentence(self.section, "section"))
        body = [s for p in self.paragraphs for s in p]
        return [s for s in head if s] + body + ([self.footer] if self.footer else [])


def _typeset(text: str, outlet: Outlet) -> str:
    if outlet.typographic:
        text = text.replace("'", "’")
    if outlet.curly_quotes:
        text = text.replace("«", "“").replace("»", "”")
    return text


def _choose_template(rng: random.Random, outlet: Outlet, slot: Slot, preference: float = 0.75):
    """Outlets mostly stick to their own wording of a slot, sometimes vary."""
    templates = slot.templates
    if rng.random() < preference:
        return templates[(outlet.style + zlib.crc32(slot.name.encode())) % len(templates)]
    return rng.choice(templates)


def render_slot(rng: random.Random, event: Event, slot: Slot, outlet: Outlet, published: date,
                is_variant: bool) -> TruthSentence:
    """One body sentence stating the slot's fact (or its misreported variant) in the outlet's words."""
    value = event.variant[slot.name] if is_variant else event.truth[slot.name]
    template = _choose_template(rng, outlet, slot)
    fields = dict(event.fields)
    low = high = None
    if slot.value_kind == "date":
        style = "relative" if rng.random() < outlet.relative_share else rng.choice(("article", "weekday", "year"))
        fields["date"] = date_surface(value, published, style)
        stated = value.isoformat()
    elif slot.value_kind == "quantity":
        kind, noun = slot.quantity
        form = "exact" if is_variant else rng.choice(("exact", "exact", "about", "more_than"))
        surface = quantity_surface(kind, value, noun, form, rng.random() < outlet.words_share)
        fields.update(surface.fields)
        low, high = surface.low, surface.high
        stated = f"{low:g}..{'' if high is None else f'{high:g}'}"
    elif slot.value_kind == "polarity":
        template = template[0] if value else template[1]
        stated = "affirmed" if value else "negated"
    elif slot.value_kind == "attribution":
        speaker = next(p for p in event.speakers if p.name == value)
        fields.update(_person_fields("S", speaker))
        stated = value
    else:
        stated = value
    text = _typeset(capitalize_first(template.format_map(fields)), outlet)
    return TruthSentence(text, "body", slot.name, slot.value_kind, stated, low, high, is_variant)


def compose_article(rng: random.Random, event: Event, outlet: Outlet, published: date,
                    variant_use: float, slot_share: float) -> Article:
    """An article on `event` by `outlet`: the date slot first, then a random subset of the others."""
    kind = EVENT_KINDS[event.kind]
    others = [s for s in kind.slots[1:] if rng.random() < slot_share]
    if len(others) < 2:
        others = rng.sample(kind.slots[1:], 2)
    rng.shuffle(others)
    body = [
        render_slot(rng, event, slot, outlet, published,
                    slot.name in event.variant and rng.random() < variant_use)
        for slot in (kind.slots[0], *others)
    ]
    paragraphs: list[list[TruthSentence]] = []
    i = 0
    while i < len(body):
        size = rng.choice((1, 2, 2, 3))
        paragraphs.append(body[i:i + size])
        i += size
    background = [TruthSentence(_typeset(t, outlet), "background")
                  for t in rng.sample(BACKGROUND[event.kind], rng.randint(1, 2))]
    paragraphs.insert(rng.randint(1, len(paragraphs)), background)
    title = TruthSentence(_typeset(capitalize_first(rng.choice(kind.titles).format_map(event.fields)), outlet), "title")
    subtitle = TruthSentence(rng.choice(SUBTITLES), "subtitle") if rng.random() < 0.4 else None
    byline = TruthSentence(f"di {rng.choice(outlet.journalists)}", "byline") if rng.random() < 0.6 else None
    footer = TruthSentence(outlet.footer, "boilerplate") if outlet.footer else None
    section = rng.choice(kind.sections) if rng.random() < 0.5 else None
    return Article(event, outlet, published, section, title, subtitle, byline, paragraphs, footer)


def wire_copy(source: Article, outlet: Outlet) -> Article:
    """The same agency text under another outlet: identical title and body, the agency credited."""
    credit = TruthSentence(f"Fonte: {WIRE_AGENCY} per {outlet.name}", "boilerplate")
    return Article(source.event, outlet, source.published, source.section, source.title, source.subtitle,
                   TruthSentence(WIRE_AGENCY, "byline"), source.paragraphs, credit)


def article_text(article: Article, fmt: str) -> str:
    """The article as a file body: plain text, Markdown or an HTML page with scripts and navigation."""
    paragraphs = [" ".join(s.text for s in p) for p in article.paragraphs]
    subtitle = article.subtitle.text if article.subtitle else None
    byline = article.byline.text if article.byline else None
    footer = article.footer.text if article.footer else None
    if fmt == "text":
        head = [x for x in (article.section, article.title.text, subtitle) if x]
        sep = "\n" if article.outlet.one_line_paragraphs else "\n\n"
        parts = ["\n".join(head)] + ([byline] if byline else []) + [sep.join(paragraphs)]
        return "\n\n".join(parts) + (f"\n\n{footer}\n" if footer else "\n")
    if fmt == "markdown":
        lines = ([article.section, ""] if article.section else []) + [f"# {article.title.text}", ""]
        if subtitle:
            lines += [f"*{subtitle}*", ""]
        if byline:
            lines += [f"**{byline}**", ""]
        for p in paragraphs:
            lines += [p, ""]
        if footer:
            lines += ["---", "", footer, ""]
        return "\n".join(lines)
    if fmt == "html":
        esc = lambda s: html.escape(s, quote=False)  # noqa: E731
        body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
        sub = f'<p class="subtitle">{esc(subtitle)}</p>\n' if subtitle else ""
        by = f'<p class="byline">{esc(byline)}</p>\n' if byline else ""
        foot = f"<footer><p>{esc(footer)}</p></footer>\n" if footer else ""
        section = f'<p class="section">{esc(article.section)}</p>\n' if article.section else ""
        return (
            '<!DOCTYPE html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(article.title.text)} - {esc(article.outlet.name)}</title>\n"
            "<script>window.dataLayer = window.dataLayer || []; "
            "var banner = \"Abbonati ora: il primo mese costa solo un euro.\";</script>\n"
            "<style>body { font-family: serif; }</style>\n</head>\n<body>\n"
            f'<nav><a href="/">Home</a> | <a href="/{esc((article.section or "news").lower())}">'
            f"{esc(article.section or 'Notizie')}</a></nav>\n"
            f"<article>\n{section}<h1>{esc(article.title.text)}</h1>\n{sub}{by}{body}\n</article>\n"
            "<script>trackPageview(\"articolo\"); console.log(\"Iscriviti alla newsletter.\");</script>\n"
            f"{foot}</body>\n</html>\n"
        )
    raise ValueError(fmt)


ENGLISH_TEMPLATES = (
    "{A} and {B} met on {date} to discuss trade and security.",
    "Officials said the talks lasted about {n} minutes and ended without a joint statement.",
    "Both governments described the conversation as frank and constructive.",
    "Further meetings are expected in the coming weeks, according to people familiar with the matter.",
    "Neither side released details of the agreements under discussion.",
)


def english_article(rng: random.Random, event_date: date) -> str:
    a, b = rng.sample(LEADERS, 2)
    fields = {"A": a.name, "B": b.name, "date": event_date.strftime("%B %d"), "n": rng.randint(30, 120)}
    title = f"{a.surname} and {b.surname} hold talks"
    return title + "\n\n" + " ".join(t.format_map(fields) for t in ENGLISH_TEMPLATES) + "\n"


# --- the corpus ----------------------------------------------------------------------------------

MESSY_KINDS = ("cp1252", "bom", "html", "markdown", "empty", "binary", "duplicate", "english")


@dataclass(frozen=True)
class CorpusConfig:
    n_files: int = 1000
    seed: int = 0
    docs_per_event: float = 8.0  # mean articles per event
    start: date = date(2019, 1, 1)
    days: int = 2700  # events fall in [start, start + days)
    slot_share: float = 0.6  # chance that an article reports each non-date slot
    variant_share: float = 0.35  # chance that a slot of an event is misreported somewhere
    variant_use: float = 0.2  # chance that an article reporting such a slot misreports it
    wire_share: float = 0.05  # articles that are an agency text republished by another outlet
    messy: dict = field(default_factory=lambda: {
        "cp1252": 0.015, "bom": 0.005, "html": 0.015, "markdown": 0.02,
        "empty": 0.003, "binary": 0.003, "duplicate": 0.01, "english": 0.005,
    })


@dataclass
class GeneratedFile:
    """One input file with its manifest row and truth."""

    path: str  # relative to the corpus folder
    data: bytes
    kind: str  # article | wire_copy | cp1252 | bom | html | markdown | empty | binary | duplicate | english
    fmt: str | None
    encoding: str | None
    outlet: str | None
    url: str | None
    published: date | None
    language: str | None
    event_id: str | None
    expected_reason: str | None  # None: ingest should accept it
    duplicate_of: str | None = None
    sentences: list[TruthSentence] = field(default_factory=list)


def _url(outlet: Outlet, article: Article, number: int) -> str:
    section = (article.section or "notizie").lower().replace(" ", "-")
    p = article.published
    slug = "-".join(re.findall(r"\w+", article.title.text.lower()))[:60].strip("-")
    return f"https://{outlet.domain}/{section}/{p.year}/{p.month:02d}/{p.day:02d}/{slug}-{number}"


def build_events(cfg: CorpusConfig, rng: random.Random) -> list[Event]:
    n_events = max(1, round(cfg.n_files / cfg.docs_per_event))
    seen: set[tuple] = set()
    events: list[Event] = []
    kinds = tuple(EVENT_KINDS)
    while len(events) < n_events:
        kind = rng.choice(kinds)
        event_date = cfg.start + timedelta(days=rng.randrange(cfg.days))
        event = make_event(rng, len(events), kind, event_date, cfg.variant_share)
        key = (kind, event_date, tuple(sorted(v for k, v in event.fields.items() if k in ("A", "B", "town", "assembly", "city"))))
        if key in seen:  # two identical events on one day would be one event
            continue
        seen.add(key)
        events.append(event)
    return events


def iter_corpus(cfg: CorpusConfig) -> Iterator[GeneratedFile]:
    """Generate the corpus file by file (deterministic for a given config)."""
    rng = random.Random(cfg.seed)
    events = build_events(cfg, rng)
    weights = [rng.lognormvariate(0.0, 0.8) for _ in events]
    cum_weights = []
    total = 0.0
    for w in weights:
        total += w
        cum_weights.append(total)
    by_event: dict[str, list[Article]] = {}  # latest original (non-wire) articles per event
    wire_outlets: dict[int, set[str]] = {}  # id of a source article -> outlets that republished it
    seen_bytes: set[bytes] = set()  # accepted files must differ, or ingest would call them duplicates
    recent_accepted: list[GeneratedFile] = []
    kinds = ["wire_copy", *cfg.messy]
    shares = [cfg.wire_share, *cfg.messy.values()]
    cum_shares = [sum(shares[: i + 1]) for i in range(len(shares))]
    width = max(6, len(str(cfg.n_files - 1)))
    for number in range(cfg.n_files):
        stem = f"{number // 1000:03d}/{number:0{width}d}"
        draw = rng.random()
        kind = next((k for k, c in zip(kinds, cum_shares) if draw < c), "article")
        if kind == "empty":
            yield GeneratedFile(f"{stem}.txt", b"", kind, None, None, None, None, None, None, None, "empty")
            continue
        if kind == "binary":
            data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(200, 2000))
            yield GeneratedFile(f"{stem}.png", data, kind, None, None, None, None, None, None, None, "binary")
            continue
        if kind == "duplicate" and not recent_accepted:
            kind = "article"  # nothing to duplicate yet
        if kind == "duplicate":
            original = rng.choice(recent_accepted)
            name = Path(original.path).name.split("_", 1)[1]  # same outlet slug and extension
            yield GeneratedFile(f"{stem}_{name}", original.data, kind, original.fmt, original.encoding,
                                original.outlet, original.url, original.published, original.language,
                                original.event_id, "duplicate", duplicate_of=original.path)
            continue
        event = events[rng.choices(range(len(events)), cum_weights=cum_weights)[0]]
        if kind == "english":
            data = english_article(rng, event.event_date).encode("utf-8")
            yield GeneratedFile(f"{stem}_worldledger.txt", data, kind, "text", "utf-8", "World Ledger",
                                f"https://worldledger.example/news/{number}", event.event_date, "en", None,
                                "unsupported_language")
            continue
        earlier = by_event.get(event.event_id, [])
        source = rng.choice(earlier) if kind == "wire_copy" and earlier else None
        used = wire_outlets.setdefault(id(source), {source.outlet.name}) if source else set()
        free_outlets = [o for o in OUTLETS if o.name not in used]
        if source and free_outlets:
            outlet = rng.choice(free_outlets)
            used.add(outlet.name)
            article = wire_copy(source, outlet)
        else:
            kind = "article" if kind == "wire_copy" else kind
            outlet = rng.choice(OUTLETS)
            published = event.event_date + timedelta(days=rng.choice((0, 0, 1, 1, 1, 2, 3)))
            article = compose_article(rng, event, outlet, published, cfg.variant_use, cfg.slot_share)
            recent = by_event.setdefault(event.event_id, [])
            recent.append(article)
            if len(recent) > 8:  # wire sources come from the event's latest articles; bounds memory
                recent.pop(0)
        fmt = {"html": "html", "markdown": "markdown"}.get(kind, "text")
        text = article_text(article, fmt)
        encoding = "utf-8"
        if kind == "cp1252":
            try:
                data = text.encode("cp1252")
                encoding = "cp1252"
            except UnicodeEncodeError:  # a character cp1252 lacks: keep the file, in UTF-8
                data = text.encode("utf-8")
        elif kind == "bom":
            data = text.encode("utf-8-sig")
            encoding = "utf-8-sig"
        else:
            data = text.encode("utf-8")
        fingerprint = hashlib.blake2b(data, digest_size=16).digest()
        while fingerprint in seen_bytes:  # an independent article identical to another: vary it
            data += b"\n"
            fingerprint = hashlib.blake2b(data, digest_size=16).digest()
        seen_bytes.add(fingerprint)
        suffix = {"html": "html", "markdown": "md"}.get(fmt, "txt")
        generated = GeneratedFile(
            f"{stem}_{outlet.domain.split('.')[0]}.{suffix}", data, kind, fmt, encoding, outlet.name,
            _url(outlet, article, number), article.published, "it", event.event_id, None,
            sentences=article.sentences(),
        )
        recent_accepted.append(generated)
        if len(recent_accepted) > 200:
            recent_accepted.pop(0)
        yield generated


def truth_conflicts(sentences: "pl.DataFrame", files_accepted: list[str]) -> "pl.DataFrame":
    """Pairs of body sentences, in different accepted files, stating the same claim incompatibly.

    `sentences` is the truth sentence table (polars). Only claims with a misreported sentence
    can conflict, so the self-join stays small.
    """
    import polars as pl

    accepted = pl.DataFrame({"path": files_accepted}, schema={"path": pl.Utf8})
    body = sentences.filter(pl.col("role") == "body").join(accepted, on="path", how="semi")
    disputed = body.filter(pl.col("is_variant")).select("claim_id").unique()
    cols = ["claim_id", "value_kind", "path", "sentence", "value", "low", "high"]
    side = body.join(disputed, on="claim_id").select(cols)
    pairs = side.join(side, on="claim_id", suffix="_b").filter(
        (pl.col("path") < pl.col("path_b"))
    )
    open_high = float("inf")
    high_a = pl.col("high").fill_null(open_high)
    high_b = pl.col("high_b").fill_null(open_high)
    is_conflict = (
        pl.when(pl.col("value_kind") == "quantity")
        .then((high_a < pl.col("low_b")) | (high_b < pl.col("low")))
        .otherwise(pl.col("value") != pl.col("value_b"))
    )
    kind = pl.col("value_kind").replace_strict(
        {"quantity": "quantity", "date": "date", "polarity": "polarity", "attribution": "attribution"},
        default=None,
    )
    return pairs.filter(is_conflict).select(
        "claim_id",
        kind.alias("kind"),
        pl.col("path").alias("path_a"), pl.col("sentence").alias("sentence_a"), pl.col("value").alias("value_a"),
        pl.col("path_b"), pl.col("sentence_b"), pl.col("value_b"),
    ).sort("claim_id", "path_a", "sentence_a", "path_b", "sentence_b")


def write_corpus(cfg: CorpusConfig, out: Path, truth_dir: Path, show_progress: bool = True) -> dict:
    """Write the corpus into `out` (with sources.csv) and its truth into `truth_dir`; return the summary."""
    import polars as pl

    from pipeline.common import progress

    for folder in (out, truth_dir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["path", "outlet", "url", "published_date", "language"])
    files_cols: dict[str, list] = {k: [] for k in (
        "path", "kind", "format", "encoding", "outlet", "published_date", "event_id",
        "expected_status", "expected_reason", "duplicate_of", "n_bytes")}
    sent_cols: dict[str, list] = {k: [] for k in (
        "path", "sent_no", "sentence", "role", "event_id", "claim_id", "slot", "value_kind", "value",
        "low", "high", "is_variant")}
    made_dirs: set[str] = set()
    out_dir = str(out)
    files = iter_corpus(cfg)
    if show_progress:
        files = progress(files, "synthetic", total=cfg.n_files)
    for f in files:
        shard = f.path.split("/")[0]
        if shard not in made_dirs:
            os.mkdir(os.path.join(out_dir, shard))
            made_dirs.add(shard)
        with open(os.path.join(out_dir, f.path), "wb") as fh:
            fh.write(f.data)
        writer.writerow([f.path, f.outlet or "", f.url or "", f.published.isoformat() if f.published else "",
                         f.language or ""])
        for key, value in (("path", f.path), ("kind", f.kind), ("format", f.fmt), ("encoding", f.encoding),
                           ("outlet", f.outlet), ("published_date", f.published), ("event_id", f.event_id),
                           ("expected_status", "rejected" if f.expected_reason else "accepted"),
                           ("expected_reason", f.expected_reason), ("duplicate_of", f.duplicate_of),
                           ("n_bytes", len(f.data))):
            files_cols[key].append(value)
        for sent_no, s in enumerate(f.sentences):
            sent_cols["path"].append(f.path)
            sent_cols["sent_no"].append(sent_no)
            sent_cols["sentence"].append(s.text)
            sent_cols["role"].append(s.role)
            sent_cols["event_id"].append(f.event_id)
            sent_cols["claim_id"].append(f"{f.event_id}:{s.slot}" if s.slot else None)
            sent_cols["slot"].append(s.slot)
            sent_cols["value_kind"].append(s.value_kind)
            sent_cols["value"].append(s.value)
            sent_cols["low"].append(s.low)
            sent_cols["high"].append(s.high)
            sent_cols["is_variant"].append(s.is_variant)
    (out / "sources.csv").write_text(manifest.getvalue(), encoding="utf-8")

    files_df = pl.DataFrame(files_cols, schema_overrides={"published_date": pl.Date, "n_bytes": pl.Int64})
    sentences_df = pl.DataFrame(sent_cols, schema_overrides={
        "low": pl.Float64, "high": pl.Float64, "value": pl.Utf8, "claim_id": pl.Utf8, "slot": pl.Utf8,
        "value_kind": pl.Utf8, "event_id": pl.Utf8})
    accepted = files_df.filter(pl.col("expected_status") == "accepted")["path"].to_list()
    conflicts_df = truth_conflicts(sentences_df, accepted)

    # Events and claims are rebuilt from the same seed: the generator is deterministic.
    events = build_events(cfg, random.Random(cfg.seed))
    reported = files_df.filter(pl.col("expected_status") == "accepted").group_by("event_id").len()
    n_docs = dict(zip(reported["event_id"], reported["len"]))
    events_df = pl.DataFrame({
        "event_id": [e.event_id for e in events],
        "kind": [e.kind for e in events],
        "event_date": [e.event_date for e in events],
        "label": [e.label for e in events],
        "n_docs": [n_docs.get(e.event_id, 0) for e in events],
    }, schema_overrides={"n_docs": pl.Int64})
    claim_rows = [
        (f"{e.event_id}:{s.name}", e.event_id, s.name, s.value_kind, _value_text(e.truth[s.name]),
         _value_text(e.variant[s.name]) if s.name in e.variant else None)
        for e in events for s in EVENT_KINDS[e.kind].slots
    ]
    claims_df = pl.DataFrame(claim_rows, orient="row", schema={
        "claim_id": pl.Utf8, "event_id": pl.Utf8, "slot": pl.Utf8, "value_kind": pl.Utf8,
        "true_value": pl.Utf8, "misreported_value": pl.Utf8})

    files_df.write_parquet(truth_dir / "files.parquet")
    sentences_df.write_parquet(truth_dir / "sentences.parquet")
    conflicts_df.write_parquet(truth_dir / "conflicts.parquet")
    events_df.write_parquet(truth_dir / "events.parquet")
    claims_df.write_parquet(truth_dir / "claims.parquet")
    summary = {
        "seed": cfg.seed,
        "n_files": cfg.n_files,
        "n_events": len(events),
        "files_by_kind": dict(sorted(files_df.group_by("kind").len().iter_rows())),
        "n_accepted_expected": int(len(accepted)),
        "n_body_sentences": int(sentences_df.filter(pl.col("role") == "body").height),
        "n_misreported_sentences": int(sentences_df["is_variant"].sum()),
        "n_conflict_pairs": int(conflicts_df.height),
        "conflict_pairs_by_kind": dict(sorted(conflicts_df.group_by("kind").len().iter_rows())),
        "about_tolerance": ABOUT_TOLERANCE,
    }
    (truth_dir / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return summary


def _value_text(value) -> str:
    if isinstance(value, bool):
        return "affirmed" if value else "negated"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of input files to write")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder (usable as seeds/)")
    parser.add_argument("--truth", type=Path, default=None, help="truth folder (default: OUT/../truth)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--docs-per-event", type=float, default=CorpusConfig.docs_per_event)
    parser.add_argument("--no-messy", action="store_true", help="only clean Italian articles")
    args = parser.parse_args(argv)
    truth = args.truth or args.out.resolve().parent / "truth"
    if truth.resolve() == args.out.resolve() or args.out.resolve() in truth.resolve().parents:
        parser.error("the truth folder must be outside the corpus folder")
    cfg = CorpusConfig(n_files=args.n, seed=args.seed, docs_per_event=args.docs_per_event,
                       **({"messy": {}} if args.no_messy else {}))
    started = time.perf_counter()
    summary = write_corpus(cfg, args.out, truth)
    elapsed = time.perf_counter() - started
    print(f"wrote {summary['n_files']} files ({summary['n_events']} events, {summary['n_body_sentences']} body "
          f"sentences, {summary['n_conflict_pairs']} conflict pairs) to {args.out}, truth in {truth} "
          f"in {elapsed:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
