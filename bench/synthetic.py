"""Synthetic Italian news corpus with known truth, for benchmarks and end-to-end checks.

`python -m bench.synthetic --n 1000 --out DIR --seed 0` writes N input files into DIR (a folder
usable as `seeds/`, with a `sources.csv` manifest) and the truth into a separate folder
(`--truth`, by default `DIR/../truth`), so that the pipeline never sees the answers.

The corpus is built from templates and sentence pools written for this module, never from real
articles. It has what real Italian news has:

- stories of many events of one kind weeks apart: the same two leaders' ninth call, a funeral and
  the Masses after it in the same square, a series of marches or concerts; besides calls,
  meetings, drone attacks, votes and strikes, crowd events (funerali, messa, manifestazione,
  corteo, concerto);
- articles that state values of an earlier or the next event of their story beside their own
  ("la telefonata arriva dopo quella del 12 febbraio", "la prossima telefonata è prevista per il
  3 aprile", "ai funerali del 12 febbraio avevano partecipato 250mila persone");
- half the articles without a publication date (none in the manifest, the URL or the text);
- one noun, many measures: the eve forecast ("attese 200mila persone"), the square's capacity,
  an hourly snapshot ("alle 10 c'erano già 30mila persone"), the crowd outside, the visitors of
  earlier days, prisoners per side against the total; none of them conflicts with the final count;
- figures given by authorities that disagree (the Questura against the organisers or the diocese,
  the unions against the companies, each leader's side on a call's duration): a true conflict,
  with both attributions, also when one article reports both;
- misreported values (a changed number, an inserted negation, another date, a quote given to the
  other speaker), wire copies republished unchanged and reworded, numbers in words
  ("duecentocinquantamila"), typos, pages cut mid-word, live blogs ("Ore 10.30 – …"), share and
  reading-time lines before the headline;
- messy files: cp1252 and BOM encodings, HTML pages with scripts, Markdown, empty and binary files,
  exact duplicates, English articles.

Each event has values in slots. A slot states one measure (`measure`) with a scope (`per_parte`,
`totale`, `fuori`, an hour), a modality (`outcome`, `forecast`, `provisional`) and an authority
(null when the outlet states it itself). Claim identity is `<event_id>:<claim>`: slots of one
measure given by different authorities share the claim. Two fact sentences of a claim conflict
when what they state cannot both hold: disjoint intervals, different dates, opposite polarity,
different speakers. The truth records each sentence as written in its file (after decoding and
markup removal), so `(path, sentence text)` maps pipeline sentences to it.

Truth tables (grain):
- `files.parquet`: one row per generated file (kind, manifest date or null, the date it was
  written, story and event, layout, typos, truncation, metadata lines, expected ingest decision).
- `events.parquet`: one row per synthetic event (story, position in the story, kind, date).
- `claims.parquet`: one row per (event, claim) the generator can state, with measure, scope,
  modality, true and misreported value, the authorities that state it and how many files do.
- `sentences.parquet`: one row per sentence of an accepted file (`sentence_id`, role: section,
  title, subtitle, byline, metadata, body, reference, background, separator, truncated,
  boilerplate). Body sentences state a value of the article's event, reference sentences one of
  another event of the story; only they carry a claim, its measure, scope, modality, attribution
  and the value (an interval for quantities).
- `conflicts.parquet`: one row per unordered pair of fact sentences stating one claim
  incompatibly: between files, or inside one file where it reports two authorities' figures
  (`same_document`), with both attributions.
- `lookalikes.parquet`: pairs of fact sentences that look alike and must never conflict, with
  the reason (different_event, forecast_vs_outcome, outcome_vs_provisional, different_scope,
  different_measure): a bounded sample of LOOKALIKE_SAMPLE sentences per claim plus every
  reference sentence (the bench classifies every false conflict with the same rule).
- `summary.json`: parameters and counts.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
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
from collections import defaultdict
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
_COUNT_FLOORS = (10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000,
                 100000, 150000, 200000, 300000, 500000)


def _floor_below(value: float, floors: tuple[int, ...]) -> int | None:
    """The largest round number strictly below `value` and not far below it (≥ 60 %)."""
    candidates = [f for f in floors if 0.6 * value <= f < value]
    return max(candidates) if candidates else None


def thousands_words(thousands: int) -> str:
    """'duecentocinquantamila' for 250 (thousands), 'ventunmila' for 21, 'tremila' for 3."""
    word = number_words(thousands)
    if word.endswith("uno"):  # ventuno + mila -> ventunmila
        word = word[:-1]
    return word.replace("tré", "tre") + "mila"


def _count_exact(n: int, words: bool) -> str:
    if words and (n <= 20 or (n <= 100 and n % 10 == 0)):
        return number_words(n)
    if n >= 2000 and n % 1000 == 0 and n < 1_000_000:
        return thousands_words(n // 1000) if words else f"{n // 1000}mila"
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

# --- the crowd world: venues, the dead, causes, artists (all invented) ---------------------------

# (venue, "at" form, "of" form, capacity)
SQUARES = (("piazza della Concordia", "in piazza della Concordia", "di piazza della Concordia", 60000),
           ("piazza San Teodoro", "in piazza San Teodoro", "di piazza San Teodoro", 45000),
           ("piazza dei Tessitori", "in piazza dei Tessitori", "di piazza dei Tessitori", 25000),
           ("piazza Grande della Loggia", "in piazza Grande della Loggia", "di piazza Grande della Loggia", 40000),
           ("piazza delle Erbe Nuove", "in piazza delle Erbe Nuove", "di piazza delle Erbe Nuove", 30000))
STADIUMS = (("lo stadio dei Pini", "allo stadio dei Pini", "dello stadio dei Pini", 45000),
            ("l'arena della Marina", "all'arena della Marina", "dell'arena della Marina", 30000),
            ("lo stadio Comunale del Lago", "allo stadio Comunale del Lago", "dello stadio Comunale del Lago", 60000),
            ("il parco delle Rimembranze", "al parco delle Rimembranze", "del parco delle Rimembranze", 80000))
STREETS = ("via della Conciliazione Nuova", "corso dei Mille", "viale dei Tigli", "via Larga", "lungofiume Cavour")
DECEASED = (("l'ex presidente della Repubblica Aldo Ferraresi", "Aldo Ferraresi"),
            ("il cardinale Ettore Malvezzi", "Ettore Malvezzi"),
            ("il cantautore Gino Albertazzi", "Gino Albertazzi"),
            ("la scrittrice Matilde Orsenigo", "Matilde Orsenigo"),
            ("il campione di ciclismo Nello Bartolucci", "Nello Bartolucci"),
            ("l'attrice Wanda Ferrucci", "Wanda Ferrucci"),
            ("il sindacalista Renato Casadei", "Renato Casadei"))
CAUSES = ("per la pace", "contro il caro affitti", "per il clima", "per la scuola pubblica",
          "per la sanità pubblica", "contro la riforma delle pensioni")
ARTISTS = (("Marco Lanza", "m"), ("Alice Serra", "f"), ("Nico Varano", "m"), ("Greta Solari", "f"),
           ("Teo Randazzo", "m"), ("Irene Calvi", "f"))
# Grammar of each crowd event's noun: subject, "at the", "of the", its duration verb, the past
# auxiliary and "had taken place", and how the next one is announced.
CROWD_FORMS = {
    "funeral": dict(ev_subj="i funerali", ev_alla="ai funerali", ev_del="dei funerali", durato="sono durati",
                    ev_aux="avevano", ev_era="si erano svolti", ev_next="i funerali"),
    "mass": dict(ev_subj="la messa", ev_alla="alla messa", ev_del="della messa", durato="è durata",
                 ev_aux="aveva", ev_era="si era svolta", ev_next="la messa di suffragio"),
    "demonstration": dict(ev_subj="la manifestazione", ev_alla="alla manifestazione", ev_del="della manifestazione",
                          durato="è durata", ev_aux="aveva", ev_era="si era svolta", ev_next="la prossima manifestazione"),
    "march": dict(ev_subj="il corteo", ev_alla="al corteo", ev_del="del corteo", durato="è durato",
                  ev_aux="aveva", ev_era="si era svolto", ev_next="il prossimo corteo"),
    "concert": dict(ev_subj="il concerto", ev_alla="al concerto", ev_del="del concerto", durato="è durato",
                    ev_aux="aveva", ev_era="si era svolto", ev_next="il prossimo concerto"),
}
CROWD_KINDS = tuple(CROWD_FORMS)

QUOTE_HEADS.update({
    "funeral": ("Oggi {city} perde una voce libera", "Ci ha insegnato il valore del dialogo",
                "Il suo esempio resterà con noi", "La piazza piena dice più di ogni parola",
                "Abbiamo perso un punto di riferimento per {city}"),
    "mass": ("Il ricordo è ancora vivo in tutti noi", "La comunità si è stretta ancora una volta",
             "Non dimenticheremo il suo insegnamento", "È stato un momento di raccoglimento sincero"),
    "demonstration": ("Oggi {city} ha parlato forte e chiaro", "La piazza chiede risposte concrete",
                      "Siamo tantissimi e non ci fermeremo", "Il governo non può più ignorarci",
                      "È stata una giornata pacifica e partecipata"),
    "march": ("Abbiamo attraversato {city} a testa alta", "Il corteo ha mostrato un Paese che non si arrende",
              "Torneremo in strada finché serve", "Nessuno potrà dire che eravamo pochi"),
    "concert": ("{city} mi ha regalato una serata indimenticabile", "Questo palco è casa mia",
                "Grazie a tutti, siete stati incredibili", "Torneremo presto {at_venue}"),
})

# --- event kinds and their slots ---------------------------------------------------------------

# Each slot states one value of an event. Value kinds: date | quantity | polarity | attribution |
# text. Polarity templates are (affirmative, negated) pairs. Placeholders: {A} {A_name} {A_sur},
# {B…}, {S…} (the speaker of a quote), {date}, {q} (number and noun), {qn} (number only),
# {il_pct}, {del_pct}, {quote}, {quote_lc}, {after}, and the event's own fields.
QUOTE_TEMPLATES = (
    "«{quote}», ha dichiarato {S} {after}.",
    "{S} ha commentato così: «{quote}».",
    "«{quote}», ha scritto {S_sur} sui social.",
    "Secondo {S_name}, «{quote_lc}».",
)


@dataclass(frozen=True)
class Slot:
    """One value an event has, with what it measures, and the sentences that state it.

    Slots that give the same claim (`claim`) are one measure stated by different authorities
    (the police and the organisers): their values may differ (`value_key`), and when they are
    incompatible the two sentences are a true conflict. Claim identity is (event, claim); the
    claim's measure, scope and modality say why two claims of one event never conflict.
    """

    name: str
    value_kind: str
    templates: tuple
    quantity: tuple[str, str] | None = None  # (quantity kind, noun) for quantity slots
    claim: str | None = None  # claim name (default: the slot's name)
    value_key: str | None = None  # key of Event.truth (default: the claim name)
    measure: str | None = None  # what is measured (default: the claim name)
    scope: str | None = None  # subset or place ('per_parte', 'totale', 'fuori'); '=field' reads the event
    modality: str = "outcome"  # outcome | forecast | provisional
    authority: str | None = None  # who gives the value; None: the outlet itself; '=field' reads the event
    family: str | None = None  # slots whose sentences look alike (e.g. every count of people)
    weight: float = 1.0  # how often an article states it, relative to CorpusConfig.slot_share

    @property
    def claim_name(self) -> str:
        return self.claim or self.name

    @property
    def key(self) -> str:
        return self.value_key or self.claim_name

    @property
    def family_name(self) -> str:
        return self.family or self.measure or self.claim_name


@dataclass(frozen=True)
class EventKind:
    name: str
    slots: tuple[Slot, ...]  # the first slot (the date) leads every article
    titles: tuple[str, ...]
    sections: tuple[str, ...]
    after: str  # where a quote was said, for QUOTE_TEMPLATES


def _date_slot(templates: tuple[str, ...]) -> Slot:
    return Slot("date", "date", templates, measure="data", family="date")


# A date given for the next event of a story ("la prossima telefonata è prevista per il 3 aprile").
DATE_PLANNED = Slot("date_planned", "date", (), value_key="date", measure="data", modality="forecast", family="date")
PEOPLE = ("count", "persone")


def _duration_slots(unattributed: tuple[str, ...], side_a: tuple[str, ...], side_b: tuple[str, ...] = ()) -> tuple:
    slots = [Slot("duration", "quantity", unattributed, ("minutes", ""), measure="durata"),
             Slot("duration_a", "quantity", side_a, ("minutes", ""), claim="duration", measure="durata",
                  authority="=A_name", weight=0.5)]
    if side_b:
        slots.append(Slot("duration_b", "quantity", side_b, ("minutes", ""), claim="duration", value_key="duration_b",
                          measure="durata", authority="=B_name", weight=0.7))
    return tuple(slots)


def _crowd_slots(kind: str) -> tuple[Slot, ...]:
    """The values every crowd event has: counts of people by role and authority, duration, incidents."""
    slots = [
        Slot("attendance", "quantity", (
            "{at_venue} c'erano {q}.",
            "{ev_alla} hanno partecipato {q}.",
            "Erano {qn} le persone presenti {at_venue}.",
            "La partecipazione è stata massiccia: {q} {at_venue}.",
        ), PEOPLE, measure="partecipanti", family="people"),
        Slot("attendance_questura", "quantity", (
            "Secondo la Questura, {at_venue} c'erano {q}.",
            "La Questura ha stimato la presenza di {q}.",
            "Per la Questura i partecipanti erano {qn}.",
        ), PEOPLE, claim="attendance", value_key="attendance", measure="partecipanti", authority="questura",
            family="people", weight=0.7),
        Slot("attendance_other", "quantity", (
            "Secondo {other_auth}, {ev_alla} hanno partecipato {q}.",
            "Per {other_auth} i presenti erano {qn}.",
            "Le stime {other_auth_di} parlano di {q}.",
        ), PEOPLE, claim="attendance", value_key="attendance_other", measure="partecipanti",
            authority="=other_auth_code", family="people", weight=0.5),
        Slot("attendance_forecast", "quantity", (
            "Alla vigilia erano attese {q}.",
            "Le previsioni della vigilia parlavano di {q}.",
            "Si attendevano {q}.",
        ), PEOPLE, measure="partecipanti", modality="forecast", family="people"),
        Slot("capacity", "quantity", (
            "{venue} può contenere {q}.",
            "La capienza {venue_di} è di {q}.",
            "{venue} ha una capienza di {q}.",
        ), PEOPLE, measure="capienza", family="people"),
        Slot("snapshot", "quantity", (
            "Alle {snap_hour} {at_venue} c'erano già {q}.",
            "Già alle {snap_hour} si contavano {q}.",
            "Alle {snap_hour} erano arrivate {q}, secondo le prime stime.",
        ), PEOPLE, measure="partecipanti", modality="provisional", scope="=snap_scope", family="people"),
        Slot("duration", "quantity", (
            "{ev_subj} {durato} {q}.",
            "Tutto si è concluso dopo {q}.",
            "L'evento si è protratto per {q}.",
        ), ("minutes", ""), measure="durata"),
        Slot("incidents", "polarity", (
            ("Si sono registrati momenti di tensione.", "Non si sono registrati momenti di tensione."),
            ("Ci sono stati disordini ai margini {ev_del}.", "Non ci sono stati disordini ai margini {ev_del}."),
            ("Le forze dell'ordine sono dovute intervenire.", "Le forze dell'ordine non sono dovute intervenire."),
        )),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
    ]
    if kind in ("funeral", "mass"):
        slots.append(Slot("outside", "quantity", (
            "Altre {q} hanno seguito la cerimonia dai maxischermi lungo {street}.",
            "Lungo {street} si sono radunate altre {q} davanti ai maxischermi.",
        ), PEOPLE, measure="partecipanti", scope="fuori", family="people"))
    if kind == "funeral":
        slots.append(Slot("visitors", "quantity", (
            "Nei giorni della camera ardente erano passate {q}.",
            "Alla camera ardente, nei giorni precedenti, si erano messe in fila {q}.",
        ), PEOPLE, measure="visitatori", family="people"))
        slots.append(Slot("delegations", "quantity", (
            "Erano presenti {q}.",
            "Alla cerimonia hanno preso parte {q}.",
        ), ("count", "delegazioni straniere"), measure="delegazioni"))
    if kind == "demonstration":
        slots.append(Slot("national", "quantity", (
            "In tutta Italia i manifestanti sono stati {qn}, secondo gli organizzatori.",
            "Nelle piazze di tutto il Paese, secondo gli organizzatori, hanno manifestato {q}.",
        ), PEOPLE, measure="partecipanti", scope="italia", authority="organizzatori", family="people"))
    return tuple(slots)


_CROWD_DATES = {
    "funeral": ("I funerali di {deceased} si sono svolti {date} {at_venue}.",
                "{date} {at_venue} l'ultimo saluto a {deceased}.",
                "Si sono celebrati {date} {at_venue} i funerali di {deceased_name}."),
    "mass": ("La messa in ricordo di {deceased_name} è stata celebrata {date} {at_venue}.",
             "{date}, {at_venue}, si è tenuta una messa in suffragio di {deceased_name}.",
             "È stata celebrata {date} {at_venue} la messa in memoria di {deceased_name}."),
    "demonstration": ("La manifestazione {cause} si è svolta {date} {at_city}.",
                      "{date} {at_city} si è tenuta la manifestazione {cause}.",
                      "Si è svolta {date} {at_venue} la manifestazione nazionale {cause}."),
    "march": ("Il corteo {cause} ha sfilato {date} per le vie {di_city}.",
              "{date}, {at_city}, si è svolto il corteo {cause}.",
              "È partito {date} da {venue} il corteo {cause}."),
    "concert": ("Il concerto di {artist} si è tenuto {date} {at_venue}.",
                "{date} {artist} si è {esibito} {at_venue}.",
                "Si è svolto {date} {at_venue} il concerto di {artist}."),
}
_CROWD_TITLES = {
    "funeral": ("L'ultimo saluto a {deceased_name}", "Funerali di {deceased_name} {at_venue}", "{deceased_name}, i funerali"),
    "mass": ("Messa in ricordo di {deceased_name}", "{deceased_name}, la messa {at_venue}"),
    "demonstration": ("Manifestazione {cause} {at_city}", "{city}, in piazza {cause}"),
    "march": ("Corteo {cause} {at_city}", "{city}, il corteo {cause}"),
    "concert": ("{artist} {at_venue}", "Il concerto di {artist}", "{artist} conquista {city}"),
}
_CROWD_AFTER = {"funeral": "al termine della cerimonia", "mass": "al termine della celebrazione",
                "demonstration": "dal palco", "march": "in testa al corteo", "concert": "dal palco"}

EVENT_KINDS: dict[str, EventKind] = {k.name: k for k in (
    EventKind("call", (
        _date_slot((
            "{A} e {B} hanno avuto un colloquio telefonico {date}.",
            "{date}, {A_name} ha sentito al telefono {B_name}.",
            "La telefonata tra {A_sur} e {B_sur} si è svolta {date}.",
            "{A} ha telefonato a {B_name} {date}, secondo quanto riferito da fonti diplomatiche.",
            "Si sono parlati al telefono {date} {A_name} e {B_name}.",
        )),
        *_duration_slots((
            "La conversazione è durata {q}.",
            "I due sono rimasti al telefono per {q}.",
            "Il colloquio, durato {q}, si è svolto in un clima definito cordiale.",
        ), (
            "Secondo fonti vicine a {A_sur}, la chiamata si è protratta per {q}.",
            "Lo staff di {A_sur} ha riferito di una conversazione di {q}.",
        ), (
            "Secondo l'ufficio di {B_sur}, il colloquio è durato {q}.",
            "Fonti vicine a {B_sur} parlano di una telefonata di {q}.",
        )),
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
        Slot("prisoners_per_side", "quantity", (
            "I due leader hanno concordato uno scambio di {q} per parte.",
            "Lo scambio prevede la liberazione di {q} per parte.",
            "Ogni parte rilascerà {q}, secondo l'intesa raggiunta al telefono.",
        ), ("count", "prigionieri"), measure="prigionieri", scope="per_parte", family="prisoners"),
        Slot("prisoners_total", "quantity", (
            "In totale saranno liberati {q}.",
            "Lo scambio riguarderà complessivamente {q}.",
            "Saranno {qn} in tutto i prigionieri scambiati.",
        ), ("count", "prigionieri"), measure="prigionieri", scope="totale", family="prisoners"),
    ), titles=("Telefonata tra {A_sur} e {B_sur}", "{A_sur} e {B_sur} al telefono",
               "Colloquio telefonico tra {A_sur} e {B_sur}", "{A_sur} chiama {B_sur}"),
        sections=("Esteri", "Mondo", "Politica estera"), after="dopo la telefonata"),
    EventKind("meeting", (
        _date_slot((
            "{A} ha incontrato {B_name} {at_city} {date}.",
            "L'incontro tra {A_sur} e {B_sur} si è tenuto {at_city} {date}.",
            "{date}, {at_city}, si sono incontrati {A_name} e {B_name}.",
            "Il vertice bilaterale tra {A_name} e {B_name} si è svolto {date} {at_city}.",
        )),
        *_duration_slots((
            "Il faccia a faccia è durato {q}.",
            "I colloqui sono andati avanti per {q}.",
            "L'incontro, durato {q}, si è chiuso senza domande dei giornalisti.",
        ), ("Secondo lo staff di {A_sur}, i due sono rimasti a colloquio per {q}.",)),
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
        _date_slot((
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
        ), ("minutes", ""), measure="durata blackout"),
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
        _date_slot((
            "{assembly} ha votato {bill} {date}.",
            "Il voto {bill_su} si è svolto {date}.",
            "È arrivato {date} il voto {bill_su}.",
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
        ), ("count", "voti favorevoli"), measure="voti favorevoli"),
        Slot("votes_against", "quantity", (
            "I voti contrari sono stati {qn}.",
            "Contro il testo hanno votato in {qn}.",
            "Si sono registrati {q}.",
            "L'opposizione ha messo insieme {q}.",
        ), ("count", "voti contrari"), measure="voti contrari"),
        Slot("abstentions", "quantity", (
            "Gli astenuti sono stati {qn}.",
            "Si sono astenuti in {qn}.",
            "Al momento del voto si sono contati {q}.",
        ), ("count", "astenuti"), measure="astenuti"),
        Slot("quote", "attribution", QUOTE_TEMPLATES),
    ), titles=("{assembly}, il voto {bill_su}", "Voto {bill_su}", "{bill}, si decide in aula"),
        sections=("Politica", "Politica interna"), after="in aula"),
    EventKind("strike", (
        _date_slot((
            "Lo sciopero {sector} si è svolto {date} {at_city}.",
            "{date}, {at_city}, hanno incrociato le braccia i lavoratori {sector}.",
            "È andato in scena {date} {at_city} lo sciopero {sector}.",
            "I lavoratori {sector} hanno scioperato {date} {at_city}.",
        )),
        Slot("duration", "quantity", (
            "La protesta è durata {q}.",
            "Lo stop è andato avanti per {q}.",
            "L'astensione dal lavoro si è protratta per {q}.",
        ), ("minutes", ""), measure="durata"),
        Slot("participants", "quantity", (
            "Al corteo hanno partecipato {q}.",
            "I partecipanti alla manifestazione sono stati {qn}.",
            "Il corteo ha riunito {q} nel centro della città.",
        ), PEOPLE, measure="partecipanti", family="people"),
        Slot("participants_organisers", "quantity", (
            "In piazza sono scese {q}, secondo gli organizzatori.",
            "Gli organizzatori parlano di {q} al corteo.",
        ), PEOPLE, claim="participants", measure="partecipanti", authority="organizzatori", family="people",
            weight=0.7),
        Slot("participants_questura", "quantity", (
            "Per la Questura al corteo c'erano {q}.",
            "Secondo la Questura i manifestanti erano {qn}.",
        ), PEOPLE, claim="participants", value_key="participants_questura", measure="partecipanti",
            authority="questura", family="people", weight=0.5),
        Slot("adherence", "quantity", (
            "L'adesione è stata {del_pct}.",
            "Secondo le stime, si è fermato {il_pct} del personale.",
        ), ("percent", ""), measure="adesione"),
        Slot("adherence_unions", "quantity", (
            "I sindacati parlano di un'adesione {del_pct}.",
            "Ha aderito allo sciopero {il_pct} dei lavoratori, secondo i sindacati.",
        ), ("percent", ""), claim="adherence", measure="adesione", authority="sindacati", weight=0.7),
        Slot("adherence_companies", "quantity", (
            "Per le aziende del settore ha aderito solo {il_pct} dei dipendenti.",
            "Secondo le aziende, l'adesione è stata {del_pct}.",
        ), ("percent", ""), claim="adherence", value_key="adherence_companies", measure="adesione",
            authority="aziende", weight=0.5),
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
    *(EventKind(kind, (_date_slot(_CROWD_DATES[kind]), *_crowd_slots(kind)), titles=_CROWD_TITLES[kind],
                sections=("Cronaca", "Attualità", "Spettacoli" if kind == "concert" else "Italia"),
                after=_CROWD_AFTER[kind])
      for kind in CROWD_KINDS),
)}
SLOTS_BY_NAME = {kind: {s.name: s for s in k.slots} for kind, k in EVENT_KINDS.items()}

# Sentences that state a value of ANOTHER event of the same story: an earlier one ("past") or the
# next one ("next"). Keyed by the other event's kind; placeholders are the other event's fields,
# {oday} ('12 febbraio', sometimes with the year), {il_oday} ("il 12 febbraio", "l'8 marzo"),
# {del_oday} ("del 12 febbraio", "dell'8 marzo"), {odate} (a date as an adverb) and the value's.
REFERENCES: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "call": {
        ("past", "date"): ("La telefonata arriva dopo quella {del_oday}.",
                           "I due leader si erano già sentiti {odate}.",
                           "È un nuovo contatto dopo la telefonata {del_oday}."),
        ("past", "duration"): ("La telefonata {del_oday} era durata {q}.",
                               "Nel colloquio {del_oday} i due erano rimasti al telefono per {q}."),
        ("next", "date_planned"): ("La prossima telefonata è prevista per {il_oday}.",
                                   "{A_sur} e {B_sur} torneranno a sentirsi {il_oday}."),
    },
    "meeting": {
        ("past", "date"): ("I due si erano già incontrati {odate} {at_city}.",
                           "Un altro vertice tra i due si era tenuto {at_city} {odate}."),
        ("past", "duration"): ("L'incontro {del_oday} {at_city} era durato {q}.",),
        ("next", "date_planned"): ("Il prossimo incontro è in programma {il_oday}.",),
    },
    "attack": {
        ("past", "date"): ("La zona di {town} era già stata colpita {odate}.",
                           "Un altro attacco aveva colpito {town} {odate}."),
        ("past", "drones"): ("Nell'attacco {del_oday} erano stati impiegati {q}.",),
    },
    "vote": {
        ("past", "date"): ("Il testo era già stato votato in aula {odate}.",),
        ("past", "votes_for"): ("Nella votazione {del_oday} i voti favorevoli erano stati {qn}.",),
        ("next", "date_planned"): ("Il voto definitivo è previsto per {il_oday}.",),
    },
    "strike": {
        ("past", "date"): ("I lavoratori {sector} avevano già scioperato {odate}.",),
        ("past", "adherence"): ("Allo sciopero {del_oday} aveva aderito {il_pct} dei lavoratori.",),
        ("next", "date_planned"): ("Un nuovo sciopero è già stato proclamato per {il_oday}.",),
    },
    **{kind: {
        ("past", "date"): ("{ev_subj} {del_oday} {ev_era} {at_venue}.",),
        ("past", "attendance"): ("{ev_subj} {del_oday} {ev_aux} richiamato {q}.",
                                 "{ev_alla} {del_oday} avevano partecipato {q}."),
        ("next", "date_planned"): ("{ev_next} è in programma {il_oday}.", "{ev_next} si terrà {il_oday}."),
        ("next", "attendance_forecast"): ("Per {ev_next} {del_oday} sono attese {q}.",),
    } for kind in CROWD_KINDS},
}
ORDINALS_F = ("prima", "seconda", "terza", "quarta", "quinta", "sesta", "settima", "ottava", "nona", "decima")

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
    "funeral": ("La camera ardente era rimasta aperta per tre giorni.",
                "Le misure di sicurezza erano state rafforzate in tutta la zona.",
                "Molti sono arrivati in piazza già dalla notte.",
                "Le campane hanno suonato a lutto in tutta la città."),
    "mass": ("La cerimonia è stata trasmessa in diretta televisiva.",
             "Le autorità cittadine erano in prima fila.",
             "Il coro ha accompagnato la celebrazione."),
    "demonstration": ("Il percorso era stato concordato con la prefettura.",
                      "Lungo il tragitto sono stati esposti striscioni e bandiere.",
                      "Gli organizzatori avevano annunciato la protesta da settimane."),
    "march": ("Il traffico è stato deviato per tutto il pomeriggio.",
              "Lungo il percorso sono stati esposti striscioni e bandiere.",
              "Il percorso era stato concordato con la prefettura."),
    "concert": ("I cancelli sono stati aperti nel primo pomeriggio.",
                "Il pubblico ha cantato a lungo i brani più noti.",
                "Il traffico intorno all'impianto è rimasto bloccato fino a tarda sera."),
}
SUBTITLES = ("Le reazioni e i prossimi passi", "Cosa sappiamo finora", "Il punto della situazione",
             "Tutti i dettagli")
# Lines that pages carry before the headline (share buttons, reading time, breadcrumbs, updates).
METADATA_LINES = ("Ascolta l'articolo", "Condividi", "Tempo di lettura: {n} minuti", "Aggiornato alle {hh}:{mm}",
                  "ULTIM'ORA", "Home › {section}", "Salva nei preferiti", "Commenta")
LIVE_SEPARATORS = ("• • •", "— Aggiornamento —", "AGGIORNAMENTO")
LIVE_SNAPSHOT_TEMPLATES = ("Già {q} {at_venue}, secondo le prime stime.", "Si contano già {q}.")
LIVE_KINDS = frozenset((*CROWD_KINDS, "attack", "strike"))
# Sentences cut mid-word at the end of a page (no digits: a cut number would state a false value).
TRUNCATED_TAILS = ("Nel pomeriggio è atteso un nuovo aggiornamento dalle autorità competenti",
                   "Per continuare a leggere l'articolo completo abbonati alla nostra edizione digitale",
                   "La vicenda sarà al centro del dibattito politico delle prossime settimane",
                   "Restano da chiarire diversi aspetti della giornata secondo gli osservatori")
# Words a typo never touches: a misspelt number word would change what the sentence states.
_NUMBER_STEMS = ("mila", "mille", "cent", "dieci", "undici", "dodici", "venti", "trenta", "quaranta", "cinquanta",
                 "sessanta", "settanta", "ottanta", "novanta", "quattro", "cinque", "sette", "nove", "minut",
                 "ore", "ora", "mezz", "quart")


# --- events and stories --------------------------------------------------------------------------

@dataclass
class Event:
    """One synthetic real-world event: its kind, date, participants and the values of its slots."""

    event_id: str
    kind: str
    event_date: date
    fields: dict  # placeholders shared by every sentence about the event
    speakers: tuple[Person, Person]  # quote speaker as reported, and the one a misreport names
    label: str
    truth: dict = field(default_factory=dict)  # value key -> true value
    variant: dict = field(default_factory=dict)  # value key -> misreported value (only some keys)
    story_id: str = ""
    story_pos: int = 1  # 1-based order of the event in its story


def _person_fields(prefix: str, p: Person) -> dict:
    return {prefix: p.full, f"{prefix}_name": p.name, f"{prefix}_sur": p.surname}


def _local_person(rng: random.Random, role_m: str, role_f: str, east: bool) -> Person:
    first, gender = rng.choice(_EAST_FIRST if east else _IT_FIRST)
    last = rng.choice(_EAST_LAST if east else _IT_LAST)
    name = f"{first} {last}"
    return Person(name, last, f"{role_m if gender == 'm' else role_f} {name}")


def _variant_quantity(rng: random.Random, kind: str, value: int, limit: int | None) -> int:
    """A value far enough from `value` that no honest wording can cover both."""
    for _ in range(50):
        if kind == "percent":
            other = value + rng.choice((-1, 1)) * rng.randint(20, 30)
            other = min(max(other, 5), 99)
        else:
            factor = rng.uniform(0.4, 0.6) if rng.random() < 0.5 else rng.uniform(1.7, 2.4)
            other = max(1, round(value * factor))
            if kind == "minutes":
                other = max(5, 5 * round(other / 5))
            elif other >= 5000:  # crowd figures are given in thousands
                other = 1000 * round(other / 1000)
        if limit is not None:
            other = min(other, limit)
        if other != value and not (value * (1 - ABOUT_TOLERANCE) <= other <= value * (1 + ABOUT_TOLERANCE)):
            return other
    raise RuntimeError(f"no variant found for {kind} {value}")  # unreachable for the ranges used


def _round_crowd(x: float) -> int:
    step = 1000 if x < 100_000 else 5000
    return max(step, step * round(x / step))


def _scaled_away(rng: random.Random, value: int) -> int:
    """A forecast far from the final count: a quarter to a half below it, or a third to 60 % above."""
    factor = rng.uniform(0.5, 0.75) if rng.random() < 0.5 else rng.uniform(1.3, 1.6)
    return _round_crowd(value * factor)


def story_setup(rng: random.Random, kind: str) -> tuple[dict, tuple[Person, Person], str]:
    """What every event of one story shares: its participants, place or cause; and a label."""
    if kind in ("call", "meeting"):
        a, b = rng.sample(LEADERS, 2)
        label = f"{'Telefonata' if kind == 'call' else 'Incontro'} {a.surname}–{b.surname}"
        return {**_person_fields("A", a), **_person_fields("B", b)}, (a, b), label
    if kind == "attack":
        town = rng.choice(TOWNS)
        speakers = (_local_person(rng, f"il sindaco di {town}", f"la sindaca di {town}", True),
                    _local_person(rng, "il governatore della regione", "la governatrice della regione", True))
        return {"town": town}, speakers, f"Attacco con droni vicino a {town}"
    if kind == "vote":
        (assembly, size), (bill, bill_su) = rng.choice(ASSEMBLIES), rng.choice(BILLS)
        speakers = (_local_person(rng, "il relatore", "la relatrice", False),
                    _local_person(rng, "il capogruppo dell'opposizione", "la capogruppo dell'opposizione", False))
        return {"assembly": assembly, "assembly_size": size, "bill": bill, "bill_su": bill_su}, speakers, \
            f"Voto {bill_su}"
    city, at_city = rng.choice(STRIKE_CITIES)
    fields = {"city": city, "at_city": at_city, "di_city": "di " + city}
    if kind == "strike":
        sector = rng.choice(SECTORS)
        fields["sector"] = sector
        speakers = (_local_person(rng, "il segretario generale del sindacato", "la segretaria generale del sindacato", False),
                    _local_person(rng, "il ministro del Lavoro", "la ministra del Lavoro", False))
        return fields, speakers, f"Sciopero {sector} {at_city}"
    # crowd kinds (a funeral story continues with Masses: the caller passes kind 'funeral')
    venue, at_venue, venue_di, capacity = rng.choice(STADIUMS if kind == "concert" else SQUARES)
    fields.update(venue=venue, at_venue=at_venue, venue_di=venue_di, capacity=capacity, street=rng.choice(STREETS))
    if kind == "funeral":
        deceased, deceased_name = rng.choice(DECEASED)
        fields.update(deceased=deceased, deceased_name=deceased_name, other_auth="la diocesi",
                      other_auth_di="della diocesi", other_auth_code="diocesi")
        speakers = (_local_person(rng, f"il sindaco di {city}", f"la sindaca di {city}", False),
                    _local_person(rng, "il prefetto", "la prefetta", False))
        label = f"Funerali di {deceased_name}"
    elif kind == "concert":
        artist, gender = rng.choice(ARTISTS)
        fields.update(artist=artist, esibito="esibito" if gender == "m" else "esibita",
                      other_auth="gli organizzatori", other_auth_di="degli organizzatori",
                      other_auth_code="organizzatori")
        speakers = (_person(artist, "il cantante" if gender == "m" else "la cantante"),
                    _local_person(rng, "il promoter", "la promoter", False))
        label = f"Concerto di {artist}"
    else:
        cause = rng.choice(CAUSES)
        fields.update(cause=cause, other_auth="gli organizzatori", other_auth_di="degli organizzatori",
                      other_auth_code="organizzatori")
        speakers = (_local_person(rng, "il portavoce del comitato promotore", "la portavoce del comitato promotore", False),
                    _local_person(rng, "il questore", "la questora", False))
        label = f"{'Manifestazione' if kind == 'demonstration' else 'Corteo'} {cause} {at_city}"
    return fields, speakers, label


def _crowd_truth(rng: random.Random, kind: str, fields: dict, truth: dict) -> None:
    capacity = fields["capacity"]
    low, high = {"funeral": (20, 300), "mass": (5, 60), "demonstration": (3, 150), "march": (2, 60),
                 "concert": (20, 80)}[kind]
    attendance = _round_crowd(rng.randint(low, high) * 1000)
    if kind == "concert":
        attendance = _round_crowd(capacity * rng.uniform(0.7, 0.98))
    truth["attendance"] = attendance
    truth["capacity"] = capacity
    truth["attendance_forecast"] = _scaled_away(rng, attendance)
    if rng.random() < 0.5:  # the other authority disagrees with the police
        truth["attendance_other"] = _round_crowd(attendance * rng.uniform(1.7, 2.6))
    hour, minute = (rng.choice((18, 19, 20)) if kind == "concert" else rng.choice((9, 10, 11))), rng.choice((0, 0, 30))
    fields["snap_hour"] = f"{hour}" if minute == 0 else f"{hour}.{minute:02d}"
    fields["snap_time"] = f"{hour}.{minute:02d}"
    fields["snap_scope"] = f"ore {hour}.{minute:02d}"
    truth["snapshot"] = _round_crowd(attendance * rng.uniform(0.15, 0.5))
    truth["duration"] = rng.choice((60, 90, 120, 150, 180) if kind != "concert" else (120, 150, 180))
    truth["incidents"] = rng.random() < 0.3
    if kind in ("funeral", "mass") and rng.random() < 0.7:
        truth["outside"] = _round_crowd(attendance * rng.uniform(0.2, 0.5))
    if kind == "funeral":
        truth["visitors"] = _round_crowd(rng.randint(40, 400) * 1000)
        truth["delegations"] = rng.randint(20, 160)
    if kind == "demonstration" and rng.random() < 0.6:
        truth["national"] = _round_crowd(attendance * rng.uniform(3, 8))


def make_event(rng: random.Random, index: int, kind: str, event_date: date, variant_share: float,
               story_fields: dict, speakers: tuple[Person, Person], story_label: str, story_id: str = "",
               story_pos: int = 1) -> Event:
    """Draw the values of one event of a story, and which of them get misreported."""
    fields = dict(story_fields)
    fields.update(CROWD_FORMS.get(kind, {}))
    truth: dict = {"date": event_date}
    quantity_limits: dict[str, int] = {}
    if kind in ("call", "meeting"):
        topic, topic_di = rng.choice(TOPICS)
        fields.update(topic=topic, topic_di=topic_di)
        truth["topic"] = topic
        truth["duration"] = rng.choice((20, 30, 40, 45, 50, 60, 75, 90, 100, 120, 150) if kind == "call"
                                       else (60, 75, 90, 120, 150, 180, 240))
        if kind == "call":
            truth["meet_again"] = rng.random() < 0.5
            truth["confirmed"] = rng.random() < 0.6
            if rng.random() < 0.5:  # the other side gives its own duration, half the time a different one
                truth["duration_b"] = (truth["duration"] if rng.random() < 0.5
                                       else _variant_quantity(rng, "minutes", truth["duration"], None))
            if rng.random() < 0.3:
                per_side = rng.randint(5, 40) * 5
                truth.update(prisoners_per_side=per_side, prisoners_total=2 * per_side)
        else:
            city, at_city = rng.choice(MEETING_CITIES)
            fields.update(city=city, at_city=at_city)
            truth["agreements"] = rng.randint(2, 14)
            truth["joint_statement"] = rng.random() < 0.5
    elif kind == "attack":
        fields["target"] = rng.choice(TARGETS)
        truth.update(drones=rng.randint(6, 80), injured=rng.randint(2, 40),
                     blackout=rng.choice((60, 90, 120, 180, 240, 360, 480, 720)), claimed=rng.random() < 0.4)
    elif kind == "vote":
        size = fields["assembly_size"]
        present = rng.randint(int(size * 0.7), size)
        abstentions = rng.randint(2, max(3, size // 15))
        votes_for = rng.randint(int(present * 0.3), int(present * 0.7))
        votes_against = max(2, present - abstentions - votes_for)
        truth.update(approved=votes_for > votes_against, votes_for=votes_for, votes_against=votes_against,
                     abstentions=abstentions)
        quantity_limits = {"votes_for": size, "votes_against": size, "abstentions": size}
    elif kind == "strike":
        participants = (rng.choice((800, 1500, 2500, 4000, 6000, 12000, 20000, 35000, 60000)) + rng.randint(0, 40) * 10)
        adherence = rng.randint(30, 90)
        truth.update(duration=rng.choice((240, 480, 720, 1440)), participants=participants, adherence=adherence,
                     minimum_service=rng.random() < 0.6)
        if rng.random() < 0.6:  # the police count, lower than the organisers' half the time
            truth["participants_questura"] = (participants if rng.random() < 0.5
                                              else max(100, 10 * round(participants * rng.uniform(0.3, 0.5) / 10)))
        if rng.random() < 0.6:  # the companies' figure, far lower than the unions' half the time
            truth["adherence_companies"] = adherence if rng.random() < 0.5 else max(3, adherence - rng.randint(28, 40))
    elif kind in CROWD_KINDS:
        _crowd_truth(rng, kind, fields, truth)
    else:
        raise ValueError(kind)
    quote = capitalize_first(rng.choice(QUOTE_HEADS[kind]).format_map(fields) + rng.choice(QUOTE_TAILS))
    fields.update(quote=quote, quote_lc=quote[:1].lower() + quote[1:], after=EVENT_KINDS[kind].after)
    truth["quote"] = speakers[0].name
    label = f"{story_label} ({event_date.isoformat()})"
    if kind == "mass":
        label = f"Messa in ricordo di {fields['deceased_name']} ({event_date.isoformat()})"
    event = Event(f"ev{index:05d}", kind, event_date, fields, speakers, label, truth, story_id=story_id,
                  story_pos=story_pos)
    for slot in EVENT_KINDS[kind].slots:
        key = slot.key
        if (slot.value_kind == "text" or slot.authority is not None or key not in truth or key in event.variant
                or rng.random() >= variant_share):
            continue
        value = truth[key]
        if slot.value_kind == "date":
            event.variant[key] = value - timedelta(days=rng.randint(1, 3))
        elif slot.value_kind == "polarity":
            event.variant[key] = not value
        elif slot.value_kind == "attribution":
            event.variant[key] = speakers[1].name
        elif slot.value_kind == "quantity":
            event.variant[key] = _variant_quantity(rng, slot.quantity[0], value, quantity_limits.get(key))
    return event


# kind -> (share of stories, how many events a story has, days between its events)
STORY_SHAPES = {
    "call": (0.17, lambda r: 1 if r.random() < 0.25 else r.randint(2, 9), (14, 60)),
    "meeting": (0.09, lambda r: 1 if r.random() < 0.5 else r.randint(2, 4), (20, 90)),
    "attack": (0.09, lambda r: 1 if r.random() < 0.5 else r.randint(2, 3), (7, 40)),
    "vote": (0.08, lambda r: 1 if r.random() < 0.5 else 2, (14, 60)),
    "strike": (0.09, lambda r: 1 if r.random() < 0.5 else r.randint(2, 3), (14, 45)),
    "funeral": (0.12, lambda r: 1 + (0 if r.random() < 0.3 else r.randint(1, 2)), (18, 35)),
    "demonstration": (0.12, lambda r: 1 if r.random() < 0.4 else r.randint(2, 4), (14, 45)),
    "march": (0.12, lambda r: 1 if r.random() < 0.4 else r.randint(2, 4), (7, 35)),
    "concert": (0.12, lambda r: 1 if r.random() < 0.4 else r.randint(2, 3), (7, 30)),
}


def story_identity(kind: str, fields: dict, label: str) -> tuple:
    """Who or what a story's events are about, as a reader names them: the two leaders of a call
    or a meeting (in either order), else what its label names (the artist, the deceased, the cause
    and city, the bill)."""
    if kind in ("call", "meeting"):
        return kind, frozenset((str(fields["A"]), str(fields["B"])))
    return kind, label


def build_events(cfg: "CorpusConfig", rng: random.Random) -> list[Event]:
    """Stories of events of one kind weeks apart (the ninth call between the same two leaders;
    a funeral and the Masses after it), until the corpus has n_files / docs_per_event events."""
    n_events = max(1, round(cfg.n_files / cfg.docs_per_event))
    kinds = tuple(STORY_SHAPES)
    cum = []
    total = 0.0
    for k in kinds:
        total += STORY_SHAPES[k][0]
        cum.append(total)
    # days of the events of each identity (who or what the event is about, as a reader names it:
    # the two leaders of a call, the artist of a concert, the cause and city of a march). Two stories
    # drawn with one identity are one story to any reader: their events keep the story's spacing,
    # never two of them days apart (nobody could tell those apart, and the truth would call them two)
    days_of: dict[tuple, list[date]] = defaultdict(list)
    events: list[Event] = []
    n_stories = 0
    while len(events) < n_events:
        kind = rng.choices(kinds, cum_weights=cum)[0]
        _, size_of, (gap_low, gap_high) = STORY_SHAPES[kind]
        size = min(size_of(rng), n_events - len(events))
        story_fields, speakers, story_label = story_setup(rng, kind)
        story_id = f"st{n_stories:05d}"
        n_stories += 1
        identity = story_identity(kind, story_fields, story_label)
        day = cfg.start + timedelta(days=rng.randrange(cfg.days))
        for pos in range(1, size + 1):
            if pos > 1:
                day += timedelta(days=rng.randint(gap_low, gap_high))
            event_kind = "mass" if kind == "funeral" and pos > 1 else kind
            while any(abs((day - other).days) < gap_low for other in days_of[identity]):
                day += timedelta(days=1)
            days_of[identity].append(day)
            events.append(make_event(rng, len(events), event_kind, day, cfg.variant_share, story_fields, speakers,
                                     story_label, story_id, pos))
    return events


# --- articles ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TruthSentence:
    """One sentence as written in a file, with the claim and value it states (fact sentences only).

    Roles: section | title | subtitle | byline | metadata | body (a value of the article's event)
    | reference (a value of another event of the story) | background | separator | truncated |
    boilerplate. Only body and reference sentences state a claim.
    """

    text: str
    role: str
    slot: str | None = None
    value_kind: str | None = None
    value: str | None = None
    low: float | None = None
    high: float | None = None
    is_variant: bool = False
    event_id: str | None = None  # the event whose value it states (None: not a fact sentence)
    claim: str | None = None
    measure: str | None = None
    scope: str | None = None
    modality: str | None = None
    attributed_to: str | None = None
    family: str | None = None


@dataclass(frozen=True)
class Statement:
    """What one fact sentence will say, decided before it is worded, so a rewording states the same."""

    slot: Slot
    event: Event  # the event whose value it states
    role: str  # body | reference
    templates: tuple
    template_index: int
    is_variant: bool
    form: str  # exact | about | more_than (quantities)
    words: bool
    date_style: str
    live_time: str | None = None  # "10.30": a live-blog entry stamped "Ore 10.30 –"


@dataclass
class Article:
    """An article before encoding: metadata lines, header lines, paragraphs of sentences, footer."""

    event: Event
    outlet: Outlet
    published: date  # when it was written (the manifest states it only when `is_dated`)
    is_dated: bool
    section: str | None
    title: TruthSentence
    subtitle: TruthSentence | None
    byline: TruthSentence | None
    paragraphs: list[list[TruthSentence]]
    footer: TruthSentence | None
    metadata: list[TruthSentence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    layout: str = "article"  # article | live
    n_typos: int = 0
    is_truncated: bool = False

    def sentences(self) -> list[TruthSentence]:
        head = [self.title, self.subtitle, self.byline]
        if self.section:
            head.insert(0, TruthSentence(self.section, "section"))
        body = [s for p in self.paragraphs for s in p]
        return self.metadata + [s for s in head if s] + body + ([self.footer] if self.footer else [])


def _typeset(text: str, outlet: Outlet) -> str:
    if outlet.typographic:
        text = text.replace("'", "’")
    if outlet.curly_quotes:
        text = text.replace("«", "“").replace("»", "”")
    return text


def _template_index(rng: random.Random, outlet: Outlet, name: str, n: int, preference: float = 0.75) -> int:
    """Outlets mostly stick to their own wording of a slot, sometimes vary."""
    if rng.random() < preference:
        return (outlet.style + zlib.crc32(name.encode())) % n
    return rng.randrange(n)


def _authority(slot: Slot, event: Event) -> str | None:
    a = slot.authority
    return event.fields[a[1:]] if a and a.startswith("=") else a


def _scope(slot: Slot, event: Event) -> str | None:
    s = slot.scope
    return event.fields[s[1:]] if s and s.startswith("=") else s


def render_statement(st: Statement, outlet: Outlet, published: date) -> TruthSentence:
    """One sentence stating the statement's value (or its misreported variant) in the outlet's words."""
    slot, event = st.slot, st.event
    value = event.variant[slot.key] if st.is_variant else event.truth[slot.key]
    template = st.templates[st.template_index]
    fields = dict(event.fields)
    low = high = None
    if st.role == "reference":
        day = event.event_date
        oday = day_phrase(day) + (f" {day.year}" if st.date_style == "year" else "")
        elided = day.day in (8, 11)  # l'8, dell'11
        fields.update(oday=oday, il_oday=("l'" if elided else "il ") + oday,
                      del_oday=("dell'" if elided else "del ") + oday)
        fields["odate"] = date_surface(day, published, st.date_style)
    if slot.value_kind == "date":
        fields["date"] = date_surface(value, published, st.date_style)
        stated = value.isoformat()
    elif slot.value_kind == "quantity":
        kind, noun = slot.quantity
        surface = quantity_surface(kind, value, noun, st.form, st.words)
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
    text = capitalize_first(template.format_map(fields))
    if st.live_time:
        text = f"Ore {st.live_time} – {text}"
    return TruthSentence(
        _typeset(text, outlet), st.role, slot.name, slot.value_kind, stated, low, high, st.is_variant,
        event.event_id, slot.claim_name, slot.measure or slot.claim_name, _scope(slot, event), slot.modality,
        _authority(slot, event), slot.family_name)


def _quantity_form(rng: random.Random, is_variant: bool) -> str:
    return "exact" if is_variant else rng.choice(("exact", "exact", "about", "more_than"))


def _statement(rng: random.Random, event: Event, slot: Slot, outlet: Outlet, published: date, is_variant: bool,
               role: str = "body", templates: tuple | None = None, is_dated: bool = True) -> Statement:
    templates = templates or slot.templates
    if role == "reference":
        style = "year" if rng.random() < 0.3 else "article"
    elif rng.random() < outlet.relative_share and not (is_variant and not is_dated):
        style = "relative"  # an undated page's "ieri" cannot be resolved: never the misreported date
    else:
        style = rng.choice(("article", "weekday", "year"))
    return Statement(slot, event, role, templates, _template_index(rng, outlet, slot.name, len(templates)),
                     is_variant, _quantity_form(rng, is_variant), rng.random() < outlet.words_share, style)


def _references(rng: random.Random, event: Event, story: list[Event], outlet: Outlet, published: date,
                ref_share: float) -> list[Statement]:
    """Sentences about earlier and planned events of the story ("dopo quella del 12 febbraio")."""
    if len(story) < 2 or rng.random() >= ref_share:
        return []
    earlier = [e for e in story if e.event_date < event.event_date]
    later = [e for e in story if e.event_date > published]
    options = []
    if earlier:
        prev = earlier[-1] if rng.random() < 0.7 else rng.choice(earlier)
        options += [(prev, name, t) for (d, name), t in REFERENCES[prev.kind].items() if d == "past"]
    if later:
        nxt = later[0]
        options += [(nxt, name, t) for (d, name), t in REFERENCES[nxt.kind].items() if d == "next"]
    options = [o for o in options if o[1] == "date_planned" or SLOTS_BY_NAME[o[0].kind][o[1]].key in o[0].truth]
    if not options:
        return []
    chosen = rng.sample(options, min(len(options), rng.choice((1, 1, 2))))
    out = []
    for other, name, templates in chosen:
        slot = DATE_PLANNED if name == "date_planned" else SLOTS_BY_NAME[other.kind][name]
        out.append(_statement(rng, other, slot, outlet, published, False, "reference", templates))
    return out


def _with_typo(rng: random.Random, text: str) -> str:
    """Swap, drop or double one letter of one long lowercase word that is not a number word."""
    words = [m for m in re.finditer(r"\b[a-zàèéìòù]{6,}\b", text)
             if not any(stem in m.group() for stem in _NUMBER_STEMS)]
    if not words:
        return text
    m = rng.choice(words)
    w = m.group()
    i = rng.randrange(1, len(w) - 2)
    edit = rng.randrange(3)
    if edit == 0:
        w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif edit == 1:
        w = w[:i] + w[i + 1:]
    else:
        w = w[:i] + w[i] + w[i:]
    return text[:m.start()] + w + text[m.end():]


def _metadata(rng: random.Random, section: str | None) -> list[TruthSentence]:
    lines = rng.sample(METADATA_LINES, rng.randint(1, 3))
    fill = {"n": rng.randint(2, 7), "hh": f"{rng.randint(6, 23):02d}", "mm": f"{rng.randrange(60):02d}",
            "section": section or "Notizie"}
    return [TruthSentence(line.format_map(fill), "metadata") for line in lines]


def _live_entries(rng: random.Random, statements: list[Statement], event: Event) -> list[Statement]:
    """Live-blog entries: every statement stamped with a time; a snapshot at its own hour."""
    start = 17 * 60 if event.kind == "concert" else 6 * 60 if event.kind == "attack" else 8 * 60
    stamped = []
    for st in statements:
        if st.slot.name == "snapshot":
            hour, minute = (int(x) for x in event.fields["snap_time"].split("."))
            minutes = hour * 60 + minute
            st = Statement(st.slot, st.event, st.role, LIVE_SNAPSHOT_TEMPLATES,
                           st.template_index % len(LIVE_SNAPSHOT_TEMPLATES), st.is_variant, st.form, st.words,
                           st.date_style, event.fields["snap_time"])
        else:
            minutes = start + rng.randrange(0, 360)
            st = Statement(st.slot, st.event, st.role, st.templates, st.template_index, st.is_variant, st.form,
                           st.words, st.date_style, f"{minutes // 60}.{minutes % 60:02d}")
        stamped.append((minutes, st))
    stamped.sort(key=lambda x: x[0])
    return [st for _, st in stamped]


def layout_article(rng: random.Random, event: Event, outlet: Outlet, published: date, is_dated: bool,
                   statements: list[Statement], layout: str, cfg: "CorpusConfig") -> Article:
    """Word the statements and lay them out with title, background, metadata, typos and cut endings."""
    kind = EVENT_KINDS[event.kind]
    if layout == "live":
        statements = _live_entries(rng, statements, event)
    body = [render_statement(st, outlet, published) for st in statements]
    n_typos = 0
    if rng.random() < cfg.typo_share:
        for i in rng.sample(range(len(body)), min(len(body), rng.randint(1, 2))):
            typo = _with_typo(rng, body[i].text)
            if typo != body[i].text:
                body[i] = dataclasses.replace(body[i], text=typo)
                n_typos += 1
    background = [TruthSentence(_typeset(t, outlet), "background")
                  for t in rng.sample(BACKGROUND[event.kind], rng.randint(1, 2))]
    if event.kind == "call" and event.story_pos >= 2 and rng.random() < 0.5:
        ordinal = ORDINALS_F[min(event.story_pos, len(ORDINALS_F)) - 1]
        background.append(TruthSentence(_typeset(
            f"È la {ordinal} telefonata tra {event.fields['A_sur']} e {event.fields['B_sur']} negli ultimi mesi.",
            outlet), "background"))
    paragraphs: list[list[TruthSentence]] = []
    if layout == "live":
        for s in body:
            paragraphs.append([s])
            if rng.random() < 0.25:
                paragraphs.append([TruthSentence(rng.choice(LIVE_SEPARATORS), "separator")])
        paragraphs.insert(rng.randint(1, len(paragraphs)), background[:1])
    else:
        i = 0
        while i < len(body):
            size = rng.choice((1, 2, 2, 3))
            paragraphs.append(body[i:i + size])
            i += size
        paragraphs.insert(rng.randint(1, len(paragraphs)), background)
    is_truncated = rng.random() < cfg.truncated_share
    if is_truncated:
        tail = rng.choice(TRUNCATED_TAILS)
        cut = rng.randint(len(tail) // 2, len(tail) - 3)
        while cut < len(tail) - 1 and not (tail[cut - 1].isalpha() and tail[cut].isalpha()):
            cut += 1  # end inside a word
        paragraphs.append([TruthSentence(_typeset(tail[:cut], outlet), "truncated")])
    title_text = capitalize_first(rng.choice(kind.titles).format_map(event.fields))
    if layout == "live":
        title_text = rng.choice(("Diretta | ", "LIVE – ")) + title_text
    title = TruthSentence(_typeset(title_text, outlet), "title")
    subtitle = TruthSentence(rng.choice(SUBTITLES), "subtitle") if rng.random() < 0.4 else None
    byline = TruthSentence(f"di {rng.choice(outlet.journalists)}", "byline") if rng.random() < 0.6 else None
    footer = TruthSentence(outlet.footer, "boilerplate") if outlet.footer and not is_truncated else None
    section = rng.choice(kind.sections) if rng.random() < 0.5 else None
    metadata = _metadata(rng, section) if rng.random() < cfg.metadata_share else []
    return Article(event, outlet, published, is_dated, section, title, subtitle, byline, paragraphs, footer,
                   metadata, statements, layout, n_typos, is_truncated)



def compose_article(rng: random.Random, event: Event, story: list[Event], outlet: Outlet, published: date,
                    is_dated: bool, cfg: "CorpusConfig") -> Article:
    """An article on `event` by `outlet`: the date first, then a random subset of the event's other
    values, sometimes values of earlier or planned events of its story, laid out as an article or a
    live blog."""
    kind = EVENT_KINDS[event.kind]
    available = [s for s in kind.slots[1:] if s.key in event.truth]
    others = [s for s in available if rng.random() < cfg.slot_share * s.weight]
    if len(others) < 2:
        others = rng.sample(available, min(2, len(available)))
    rng.shuffle(others)
    statements = [
        _statement(rng, event, slot, outlet, published,
                   slot.authority is None and slot.key in event.variant and rng.random() < cfg.variant_use,
                   is_dated=is_dated)
        for slot in (kind.slots[0], *others)
    ]
    references = _references(rng, event, story, outlet, published, cfg.reference_share)
    for ref in references:
        statements.insert(rng.randint(1, len(statements)), ref)
    layout = "live" if event.kind in LIVE_KINDS and rng.random() < cfg.live_share else "article"
    return layout_article(rng, event, outlet, published, is_dated, statements, layout, cfg)


def wire_copy(source: Article, outlet: Outlet, is_dated: bool) -> Article:
    """The same agency text under another outlet: identical title and body, the agency credited."""
    credit = TruthSentence(f"Fonte: {WIRE_AGENCY} per {outlet.name}", "boilerplate")
    return Article(source.event, outlet, source.published, is_dated, source.section, source.title, source.subtitle,
                   TruthSentence(WIRE_AGENCY, "byline"), source.paragraphs, credit, [], source.statements,
                   source.layout, source.n_typos, source.is_truncated)


def reworded_wire_copy(rng: random.Random, source: Article, outlet: Outlet, is_dated: bool,
                       cfg: "CorpusConfig") -> Article:
    """An agency text reworded by another outlet: the same values in other words and another order."""
    statements = []
    for st in source.statements:
        n = len(st.templates)
        index = (st.template_index + rng.randrange(1, n)) % n if n > 1 else st.template_index
        statements.append(Statement(st.slot, st.event, st.role, st.templates, index, st.is_variant, st.form,
                                    st.words, st.date_style))
    head, rest = statements[:1], statements[1:]
    rng.shuffle(rest)
    article = layout_article(rng, source.event, outlet, source.published, is_dated, head + rest, "article", cfg)
    article.byline = TruthSentence(f"{outlet.journalists[0]} ({WIRE_AGENCY})", "byline")
    return article


def article_text(article: Article, fmt: str) -> str:
    """The article as a file body: plain text, Markdown or an HTML page with scripts and navigation."""
    paragraphs = [" ".join(s.text for s in p) for p in article.paragraphs]
    subtitle = article.subtitle.text if article.subtitle else None
    byline = article.byline.text if article.byline else None
    footer = article.footer.text if article.footer else None
    meta = [m.text for m in article.metadata]
    end = "\n" if article.is_truncated else ""
    if fmt == "text":
        head = [x for x in (article.section, article.title.text, subtitle) if x]
        sep = "\n" if article.outlet.one_line_paragraphs and article.layout != "live" else "\n\n"
        parts = (["\n".join(meta)] if meta else []) + ["\n".join(head)] + ([byline] if byline else []) \
            + [sep.join(paragraphs)]
        return "\n\n".join(parts) + (f"\n\n{footer}\n" if footer else "\n" if not end else end)
    if fmt == "markdown":
        lines = [*(f"{m}  " for m in meta), ""] if meta else []
        lines += ([article.section, ""] if article.section else []) + [f"# {article.title.text}", ""]
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
        metadata = "".join(f'<div class="meta">{esc(m)}</div>\n' for m in meta)
        return (
            '<!DOCTYPE html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(article.title.text)} - {esc(article.outlet.name)}</title>\n"
            "<script>window.dataLayer = window.dataLayer || []; "
            "var banner = \"Abbonati ora: il primo mese costa solo un euro.\";</script>\n"
            "<style>body { font-family: serif; }</style>\n</head>\n<body>\n"
            f'<nav><a href="/">Home</a> | <a href="/{esc((article.section or "news").lower())}">'
            f"{esc(article.section or 'Notizie')}</a></nav>\n"
            f"<article>\n{metadata}{section}<h1>{esc(article.title.text)}</h1>\n{sub}{by}{body}\n</article>\n"
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
    days: int = 2700  # stories start in [start, start + days)
    slot_share: float = 0.6  # chance that an article reports each non-date value of its event
    variant_share: float = 0.35  # chance that a value of an event is misreported somewhere
    variant_use: float = 0.2  # chance that an article reporting such a value misreports it
    wire_share: float = 0.04  # articles that are an agency text republished unchanged by another outlet
    reworded_share: float = 0.04  # agency texts reworded by another outlet
    undated_share: float = 0.5  # articles with no publication date (none in the manifest, URL or text)
    reference_share: float = 0.5  # articles of a story that mention an earlier or the next event
    live_share: float = 0.12  # articles on crowd events, attacks and strikes written as a live blog
    typo_share: float = 0.2  # articles with one or two misspelt words
    truncated_share: float = 0.05  # articles cut mid-word at the end
    metadata_share: float = 0.3  # articles with share/reading-time/update lines before the headline
    messy: dict = field(default_factory=lambda: {
        "cp1252": 0.015, "bom": 0.005, "html": 0.015, "markdown": 0.02,
        "empty": 0.003, "binary": 0.003, "duplicate": 0.01, "english": 0.005,
    })


@dataclass
class GeneratedFile:
    """One input file with its manifest row and truth."""

    path: str  # relative to the corpus folder
    data: bytes
    kind: str  # article | wire_copy | wire_reworded | cp1252 | bom | html | markdown | empty | binary | duplicate | english
    fmt: str | None
    encoding: str | None
    outlet: str | None
    url: str | None
    published: date | None  # as the manifest states it (None for an undated article)
    language: str | None
    event_id: str | None
    expected_reason: str | None  # None: ingest should accept it
    duplicate_of: str | None = None
    sentences: list[TruthSentence] = field(default_factory=list)
    story_id: str | None = None
    written: date | None = None  # when the article was written, whether or not it says so
    layout: str | None = None
    n_typos: int = 0
    is_truncated: bool = False
    n_metadata_lines: int = 0


def _url(outlet: Outlet, article: Article, number: int) -> str:
    """The page address; only a dated article's address carries its date."""
    section = (article.section or "notizie").lower().replace(" ", "-")
    slug = "-".join(re.findall(r"\w+", article.title.text.lower()))[:60].strip("-")
    if not article.is_dated:
        return f"https://{outlet.domain}/{section}/{slug}-{number}"
    p = article.published
    return f"https://{outlet.domain}/{section}/{p.year}/{p.month:02d}/{p.day:02d}/{slug}-{number}"


def iter_corpus(cfg: CorpusConfig) -> Iterator[GeneratedFile]:
    """Generate the corpus file by file (deterministic for a given config)."""
    rng = random.Random(cfg.seed)
    events = build_events(cfg, rng)
    stories: dict[str, list[Event]] = {}
    for e in events:
        stories.setdefault(e.story_id, []).append(e)
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
    kinds = ["wire_copy", "wire_reworded", *cfg.messy]
    shares = [cfg.wire_share, cfg.reworded_share, *cfg.messy.values()]
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
                                original.event_id, "duplicate", duplicate_of=original.path,
                                story_id=original.story_id, written=original.written, layout=original.layout)
            continue
        event = events[rng.choices(range(len(events)), cum_weights=cum_weights)[0]]
        if kind == "english":
            data = english_article(rng, event.event_date).encode("utf-8")
            yield GeneratedFile(f"{stem}_worldledger.txt", data, kind, "text", "utf-8", "World Ledger",
                                f"https://worldledger.example/news/{number}", event.event_date, "en", None,
                                "unsupported_language")
            continue
        is_dated = rng.random() >= cfg.undated_share
        earlier = by_event.get(event.event_id, [])
        is_wire = kind in ("wire_copy", "wire_reworded")
        source = rng.choice(earlier) if is_wire and earlier else None
        used = wire_outlets.setdefault(id(source), {source.outlet.name}) if source else set()
        free_outlets = [o for o in OUTLETS if o.name not in used]
        if source and free_outlets:
            outlet = rng.choice(free_outlets)
            used.add(outlet.name)
            article = (reworded_wire_copy(rng, source, outlet, is_dated, cfg)
                       if kind == "wire_reworded" and source.layout == "article" else wire_copy(source, outlet, is_dated))
            if kind == "wire_reworded" and source.layout != "article":
                kind = "wire_copy"
        else:
            kind = "article" if is_wire else kind
            outlet = rng.choice(OUTLETS)
            published = event.event_date + timedelta(days=rng.choice((0, 0, 1, 1, 1, 2, 3)))
            article = compose_article(rng, event, stories[event.story_id], outlet, published, is_dated, cfg)
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
            _url(outlet, article, number), article.published if article.is_dated else None, "it", event.event_id,
            None, sentences=article.sentences(), story_id=event.story_id, written=article.published,
            layout=article.layout, n_typos=article.n_typos, is_truncated=article.is_truncated,
            n_metadata_lines=len(article.metadata),
        )
        recent_accepted.append(generated)
        if len(recent_accepted) > 200:
            recent_accepted.pop(0)
        yield generated


def _is_incompatible() -> "pl.Expr":
    """Two statements of one claim cannot both hold: disjoint intervals, or different values."""
    import polars as pl

    open_high = float("inf")
    high_a = pl.col("high").fill_null(open_high)
    high_b = pl.col("high_b").fill_null(open_high)
    return (
        pl.when(pl.col("value_kind") == "quantity")
        .then((high_a < pl.col("low_b")) | (high_b < pl.col("low")))
        .otherwise(pl.col("value") != pl.col("value_b"))
    )


def truth_conflicts(sentences: "pl.DataFrame", files_accepted: list[str]) -> "pl.DataFrame":
    """Pairs of fact sentences stating the same claim incompatibly.

    Pairs in different files are the conflicts between outlets. Pairs in one file exist only
    where an article itself reports two authorities' figures (the police against the
    organisers): `same_document` marks them. `sentences` is the truth sentence table (polars).
    Only disputed claims (two values that cannot both hold) are self-joined, so the join stays small.
    """
    import polars as pl

    accepted = pl.DataFrame({"path": files_accepted}, schema={"path": pl.Utf8})
    facts = (sentences.filter(pl.col("claim_id").is_not_null() & (pl.col("value_kind") != "text"))
             .join(accepted, on="path", how="semi"))
    open_high = float("inf")
    spread = facts.group_by("claim_id").agg(
        pl.col("low").max().alias("max_low"), pl.col("high").fill_null(open_high).min().alias("min_high"),
        pl.col("value").n_unique().alias("n_values"), pl.col("value_kind").first().alias("vk"))
    disputed = spread.filter(pl.when(pl.col("vk") == "quantity").then(pl.col("max_low") > pl.col("min_high"))
                             .otherwise(pl.col("n_values") > 1)).select("claim_id")
    # pairs are formed on ids and values only; texts are attached to the (few) conflicting ones
    side = facts.join(disputed, on="claim_id").select("claim_id", "value_kind", "sentence_id", "value", "low", "high")
    pairs = (side.join(side.drop("value_kind"), on="claim_id", suffix="_b")
             .filter((pl.col("sentence_id") < pl.col("sentence_id_b")) & _is_incompatible())
             .select("claim_id", "value_kind", "sentence_id", "sentence_id_b"))
    text = facts.select("sentence_id", "path", "sentence", "value", "attributed_to")
    pairs = pairs.join(text, on="sentence_id").join(text, left_on="sentence_id_b", right_on="sentence_id", suffix="_b")
    kind = pl.col("value_kind").replace_strict(
        {"quantity": "quantity", "date": "date", "polarity": "polarity", "attribution": "attribution"},
        default=None,
    )
    return pairs.select(
        "claim_id",
        kind.alias("kind"),
        pl.col("path").alias("path_a"), pl.col("sentence").alias("sentence_a"), pl.col("value").alias("value_a"),
        pl.col("attributed_to").alias("attributed_a"),
        pl.col("path_b"), pl.col("sentence_b"), pl.col("value_b"), pl.col("attributed_to_b").alias("attributed_b"),
        (pl.col("path") == pl.col("path_b")).alias("same_document"),
        pl.col("sentence_id").alias("sentence_id_a"), pl.col("sentence_id_b"),
    ).sort("claim_id", "path_a", "sentence_a", "path_b", "sentence_b")


def lookalike_reason(suffix: str = "_b") -> "pl.Expr":
    """Why two fact sentences must not conflict although they look alike, from their truth
    columns (event_id, claim_id, modality, scope, measure and the same with `suffix`):
    different_event, '<modality>_vs_<modality>' (forecast_vs_outcome, outcome_vs_provisional…),
    different_scope, different_measure, different_claim, or same_claim (compatible values)."""
    import polars as pl

    def other(name: str) -> pl.Expr:
        return pl.col(name + suffix)

    mod_a, mod_b = pl.col("modality"), other("modality")
    return (
        pl.when(pl.col("event_id") != other("event_id")).then(pl.lit("different_event"))
        .when(mod_a != mod_b).then(pl.concat_str(
            pl.when(mod_a < mod_b).then(mod_a).otherwise(mod_b), pl.lit("_vs_"),
            pl.when(mod_a < mod_b).then(mod_b).otherwise(mod_a)))
        .when(pl.col("scope").ne_missing(other("scope"))).then(pl.lit("different_scope"))
        .when(pl.col("measure") != other("measure")).then(pl.lit("different_measure"))
        .when(pl.col("claim_id") != other("claim_id")).then(pl.lit("different_claim"))
        .otherwise(pl.lit("same_claim"))
    )


def truth_lookalikes(sentences: "pl.DataFrame", files_accepted: list[str]) -> "pl.DataFrame":
    """Pairs of fact sentences that look alike but must never be reported as a conflict.

    A bounded sample (LOOKALIKE_SAMPLE sentences per claim, every reference sentence). Within one
    event: two claims of one family (the crowd's forecast and its final count, the
    square's capacity and the attendance, 175 prisoners per side and 350 in all, a 10 o'clock
    snapshot and the final count). Within one story: the same claim of two different events (the
    durations of two calls, the crowds at a funeral and at the Mass weeks later), and a sentence
    about another event against any same-family sentence of the story. In one file or in two.
    """
    import polars as pl

    accepted = pl.DataFrame({"path": files_accepted}, schema={"path": pl.Utf8})
    cols = ["sentence_id", "path", "story_id", "event_id", "claim_id", "claim", "family", "measure", "scope",
            "modality", "role"]
    facts = (sentences.filter(pl.col("claim_id").is_not_null() & (pl.col("value_kind") != "text"))
             .join(accepted, on="path", how="semi").select(cols))
    # A bounded, deterministic sample of each claim's sentences keeps the table linear in the corpus
    # (a story's claims can have hundreds of sentences); every reference sentence is kept.
    draw = (pl.col("sentence_id") * 2654435761) % 4294967296
    facts = facts.filter((draw.rank("ordinal").over("claim_id") <= LOOKALIKE_SAMPLE) | (pl.col("role") == "reference"))
    # pairs are formed on ids; the reason is computed once from both sides' truth
    ids = facts.select("sentence_id", "story_id", "event_id", "claim_id", "claim", "family")
    sid, sid_b = pl.col("sentence_id"), pl.col("sentence_id_b")
    within_event = ids.join(ids.drop("story_id", "claim"), on=["event_id", "family"], suffix="_b").filter(
        (sid < sid_b) & (pl.col("claim_id") != pl.col("claim_id_b"))).select("sentence_id", "sentence_id_b")
    same_claim_other_event = ids.join(ids.drop("family", "claim_id"), on=["story_id", "claim"], suffix="_b").filter(
        (sid < sid_b) & (pl.col("event_id") != pl.col("event_id_b"))).select("sentence_id", "sentence_id_b")
    refs = facts.filter(pl.col("role") == "reference").select("sentence_id", "story_id", "family", "event_id")
    reference_pairs = refs.join(ids.select("sentence_id", "story_id", "family", "event_id"), on=["story_id", "family"],
                                suffix="_b").filter(pl.col("event_id") != pl.col("event_id_b")).select(
        pl.min_horizontal(sid, sid_b).alias("sentence_id"), pl.max_horizontal(sid, sid_b).alias("sentence_id_b"))
    pairs = pl.concat([within_event, same_claim_other_event, reference_pairs]).unique()
    side = facts.select("sentence_id", "path", "event_id", "claim_id", "modality", "scope", "measure")
    pairs = pairs.join(side, on="sentence_id").join(side, left_on="sentence_id_b", right_on="sentence_id", suffix="_b")
    return pairs.select(
        pl.col("sentence_id").alias("sentence_id_a"), "sentence_id_b",
        lookalike_reason().alias("reason"),
        (pl.col("path") == pl.col("path_b")).alias("same_document"),
    ).sort("sentence_id_a", "sentence_id_b")


LOOKALIKE_SAMPLE = 4  # sentences per claim that enter the look-alike pairs (besides every reference)
SENTENCE_COLUMNS = ("sentence_id", "path", "sent_no", "sentence", "role", "story_id", "event_id", "claim_id",
                    "claim", "slot", "family", "measure", "scope", "modality", "attributed_to", "value_kind", "value",
                    "low", "high", "is_variant")


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
        "path", "kind", "format", "encoding", "outlet", "published_date", "written_date", "story_id", "event_id",
        "layout", "n_typos", "is_truncated", "n_metadata_lines", "expected_status", "expected_reason",
        "duplicate_of", "n_bytes")}
    sent_cols: dict[str, list] = {k: [] for k in SENTENCE_COLUMNS}
    text_cols = ("claim_id", "claim", "slot", "family", "measure", "scope", "modality", "attributed_to",
                 "value_kind", "value", "story_id", "event_id")
    sentence_schema = {"sentence_id": pl.Int64, "path": pl.Utf8, "sent_no": pl.Int64, "sentence": pl.Utf8,
                       "role": pl.Utf8, "low": pl.Float64, "high": pl.Float64, "is_variant": pl.Boolean,
                       **{c: pl.Utf8 for c in text_cols}}
    sentence_chunks: list[pl.DataFrame] = []  # columns move into polars every few thousand files: bounded memory
    n_sentences = 0
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
                           ("outlet", f.outlet), ("published_date", f.published), ("written_date", f.written),
                           ("story_id", f.story_id), ("event_id", f.event_id), ("layout", f.layout),
                           ("n_typos", f.n_typos), ("is_truncated", f.is_truncated),
                           ("n_metadata_lines", f.n_metadata_lines),
                           ("expected_status", "rejected" if f.expected_reason else "accepted"),
                           ("expected_reason", f.expected_reason), ("duplicate_of", f.duplicate_of),
                           ("n_bytes", len(f.data))):
            files_cols[key].append(value)
        for sent_no, s in enumerate(f.sentences):
            event_id = s.event_id if s.claim else None
            sent_cols["sentence_id"].append(n_sentences)
            n_sentences += 1
            sent_cols["path"].append(f.path)
            sent_cols["sent_no"].append(sent_no)
            sent_cols["sentence"].append(s.text)
            sent_cols["role"].append(s.role)
            sent_cols["story_id"].append(f.story_id)
            sent_cols["event_id"].append(event_id or f.event_id)
            sent_cols["claim_id"].append(f"{event_id}:{s.claim}" if s.claim else None)
            sent_cols["claim"].append(s.claim)
            sent_cols["slot"].append(s.slot)
            sent_cols["family"].append(s.family)
            sent_cols["measure"].append(s.measure)
            sent_cols["scope"].append(s.scope)
            sent_cols["modality"].append(s.modality)
            sent_cols["attributed_to"].append(s.attributed_to)
            sent_cols["value_kind"].append(s.value_kind)
            sent_cols["value"].append(s.value)
            sent_cols["low"].append(s.low)
            sent_cols["high"].append(s.high)
            sent_cols["is_variant"].append(s.is_variant)
        if len(sent_cols["path"]) >= 50_000:
            sentence_chunks.append(pl.DataFrame(sent_cols, schema_overrides=sentence_schema))
            sent_cols = {k: [] for k in SENTENCE_COLUMNS}
    sentence_chunks.append(pl.DataFrame(sent_cols, schema_overrides=sentence_schema))
    (out / "sources.csv").write_text(manifest.getvalue(), encoding="utf-8")

    files_df = pl.DataFrame(files_cols, schema_overrides={
        "published_date": pl.Date, "written_date": pl.Date, "n_bytes": pl.Int64, "n_typos": pl.Int64,
        "n_metadata_lines": pl.Int64, "is_truncated": pl.Boolean, "story_id": pl.Utf8, "layout": pl.Utf8,
        "event_id": pl.Utf8, "duplicate_of": pl.Utf8, "expected_reason": pl.Utf8})
    sentences_df = pl.concat(sentence_chunks).select(SENTENCE_COLUMNS)
    del sentence_chunks
    accepted = files_df.filter(pl.col("expected_status") == "accepted")["path"].to_list()
    conflicts_df = truth_conflicts(sentences_df, accepted)
    lookalikes_df = truth_lookalikes(sentences_df, accepted)

    # Events and claims are rebuilt from the same seed: the generator is deterministic.
    events = build_events(cfg, random.Random(cfg.seed))
    reported = files_df.filter(pl.col("expected_status") == "accepted").group_by("event_id").len()
    n_docs = dict(zip(reported["event_id"], reported["len"]))
    events_df = pl.DataFrame({
        "event_id": [e.event_id for e in events],
        "story_id": [e.story_id for e in events],
        "story_pos": [e.story_pos for e in events],
        "kind": [e.kind for e in events],
        "event_date": [e.event_date for e in events],
        "label": [e.label for e in events],
        "n_docs": [n_docs.get(e.event_id, 0) for e in events],
    }, schema_overrides={"n_docs": pl.Int64, "story_pos": pl.Int64})
    claim_rows = {}
    for e in events:
        # an authority's figure belongs to the claim its unattributed slot declares, when there is one
        slots = sorted((*EVENT_KINDS[e.kind].slots, DATE_PLANNED), key=lambda s: s.authority is not None)
        for s in slots:
            if s.key not in e.truth or (e.event_id, s.claim_name) in claim_rows:
                continue
            claim_rows[(e.event_id, s.claim_name)] = (
                f"{e.event_id}:{s.claim_name}", e.event_id, e.story_id, s.claim_name, s.value_kind,
                s.measure or s.claim_name, _scope(s, e), s.modality, _value_text(e.truth[s.key]),
                _value_text(e.variant[s.key]) if s.key in e.variant else None)
    claims_df = pl.DataFrame(list(claim_rows.values()), orient="row", schema={
        "claim_id": pl.Utf8, "event_id": pl.Utf8, "story_id": pl.Utf8, "claim": pl.Utf8, "value_kind": pl.Utf8,
        "measure": pl.Utf8, "scope": pl.Utf8, "modality": pl.Utf8, "true_value": pl.Utf8,
        "misreported_value": pl.Utf8})
    stated = sentences_df.filter(pl.col("claim_id").is_not_null()).group_by("claim_id").agg(
        pl.col("path").n_unique().alias("n_docs"),
        pl.col("attributed_to").drop_nulls().unique().sort().alias("attributed_to"))
    claims_df = claims_df.join(stated, on="claim_id", how="left").with_columns(pl.col("n_docs").fill_null(0))

    files_df.write_parquet(truth_dir / "files.parquet")
    sentences_df.write_parquet(truth_dir / "sentences.parquet")
    conflicts_df.write_parquet(truth_dir / "conflicts.parquet")
    lookalikes_df.write_parquet(truth_dir / "lookalikes.parquet")
    events_df.write_parquet(truth_dir / "events.parquet")
    claims_df.write_parquet(truth_dir / "claims.parquet")
    articles = files_df.filter(pl.col("expected_status") == "accepted")
    summary = {
        "seed": cfg.seed,
        "n_files": cfg.n_files,
        "n_events": len(events),
        "n_stories": int(events_df["story_id"].n_unique()),
        "events_by_kind": dict(sorted(events_df.group_by("kind").len().iter_rows())),
        "files_by_kind": dict(sorted(files_df.group_by("kind").len().iter_rows())),
        "n_accepted_expected": int(len(accepted)),
        "share_undated": round(articles["published_date"].null_count() / max(1, articles.height), 4),
        "articles_by_layout": dict(sorted(articles.group_by("layout").len().iter_rows())),
        "n_body_sentences": int(sentences_df.filter(pl.col("role") == "body").height),
        "n_reference_sentences": int(sentences_df.filter(pl.col("role") == "reference").height),
        "n_misreported_sentences": int(sentences_df["is_variant"].sum()),
        "n_conflict_pairs": int(conflicts_df.height),
        "n_conflict_pairs_same_document": int(conflicts_df["same_document"].sum()),
        "n_conflict_pairs_between_authorities": int(conflicts_df.filter(
            pl.col("attributed_a").ne_missing(pl.col("attributed_b"))).height),
        "conflict_pairs_by_kind": dict(sorted(conflicts_df.group_by("kind").len().iter_rows())),
        "n_lookalike_pairs": int(lookalikes_df.height),
        "lookalike_pairs_by_reason": dict(sorted(lookalikes_df.group_by("reason").len().iter_rows())),
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
    print(f"wrote {summary['n_files']} files ({summary['n_events']} events in {summary['n_stories']} stories, "
          f"{summary['n_body_sentences']} body sentences, {summary['n_conflict_pairs']} conflict pairs, "
          f"{summary['n_lookalike_pairs']} look-alike pairs) to {args.out}, truth in {truth} in {elapsed:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
