"""Helpers shared by several test modules.

`contract_violations` is the one generic checker of the table contract: every rule it applies
comes from the declarations in `pipeline.schemas` (columns and dtypes, nullability, closed value
sets, min/max, keys, references) plus the ordered pairs and offset rules the quality gate
applies (`pipeline.quality.checks`: start < end, low <= high, `x_a` < `x_b`; offsets inside the
text they point into and `surface` equal to that text between them). Property tests run it on
whatever an extractor returns for arbitrary text.

The Hypothesis strategies below build that arbitrary text: random Unicode, Italian words,
numbers written in every way news prints them (dates, ranges, scores, percentages, number
words), punctuation, quotation marks and markup fragments.

The builders make small schema-conformant contract frames from hand-made rows, and `Corpus` the
normalized tables of a small corpus for the aggregate stage. At the end: the problem corpus that
`conftest.pipeline_run` adds to a copy's seeds/ (`PROBLEM_FILES`, `PROBLEM_LINKS`, `OUTSIDE_SENTINEL`...,
each with what ingest and parse must make of it), and the report's fake warehouse
(`write_fake_warehouse`). Test modules import shared things from here only, never from conftest or
from another test module.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pipeline.common import conform, empty_table, write_table
from pipeline.quality.checks import ORDERED_PAIRS, text_ref, unordered_pair_key
from pipeline.schemas import TABLES

if TYPE_CHECKING:
    from pipeline.agreement.build import AggregateParams

def pipeline_env() -> dict[str, str]:
    """The environment the stages run in: the project venv's bin first on PATH (dvc, python)."""
    env = {k: v for k, v in os.environ.items() if k != "NEWS_AGREEMENT_ROOT"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["CI"] = "1"
    env.update(GIT_AUTHOR_NAME="pytest", GIT_AUTHOR_EMAIL="pytest@example.invalid",
               GIT_COMMITTER_NAME="pytest", GIT_COMMITTER_EMAIL="pytest@example.invalid")
    return env


# --- the generic contract checker ---------------------------------------------------------------


def _same_dtype(actual: pl.DataType, declared) -> bool:
    if isinstance(declared, pl.DataType):
        return actual == declared
    return actual == declared()  # a dtype class such as pl.Utf8


def _show(row: Mapping, columns) -> str:
    return "{" + ", ".join(f"{c}={row.get(c)!r}" for c in columns if c in row) + "}"


def contract_violations(
    name: str,
    frame: pl.DataFrame,
    context: Mapping[str, pl.DataFrame] | None = None,
    *,
    subset: bool = False,
    max_reported: int = 5,
) -> list[str]:
    """Every way `frame` breaks the declared contract of table `name` (empty when it meets it).

    `context` holds other tables by name: each declared reference whose target is there must
    resolve, and where the target has a `text` column that the frame's `start`/`end` point into
    (`quality.checks.text_ref`), the offsets must lie inside it with `surface` equal to the text
    between them. `subset=True` accepts a frame with only some of the declared columns (a pure
    function that returns part of a table), but never an undeclared one.
    """
    table = TABLES[name]
    context = context or {}
    problems: list[str] = []
    declared = table.column_names
    if subset:
        extra = [c for c in frame.columns if c not in declared]
        if extra:
            problems.append(f"{name}: undeclared columns {extra}")
    elif frame.columns != declared:
        problems.append(f"{name}: columns {frame.columns} are not the declared {declared}")
    present = [c for c in table.columns if c in frame.columns]
    for col in present:
        if not _same_dtype(frame.schema[col.name], col.dtype):
            problems.append(f"{name}.{col.name}: dtype {frame.schema[col.name]} is not {col.dtype}")
    if problems:
        return problems

    rows = frame.to_dicts()
    identity = list(table.key) or [c for c in ("doc_id", "sent_id") if c in frame.columns]

    def report(rule: str, bad: list[dict]) -> None:
        if bad:
            shown = "; ".join(_show(r, frame.columns) for r in bad[:max_reported])
            problems.append(f"{name}: {len(bad)} row(s) break '{rule}': {shown}")

    for col in present:
        if not col.nullable:
            report(f"{col.name} is never null", [r for r in rows if r[col.name] is None])
        if col.values is not None:
            report(f"{col.name} in {col.values}",
                   [r for r in rows if r[col.name] is not None and r[col.name] not in col.values])
        if col.min is not None:
            report(f"{col.name} >= {col.min}", [r for r in rows if r[col.name] is not None and r[col.name] < col.min])
        if col.max is not None:
            report(f"{col.name} <= {col.max}", [r for r in rows if r[col.name] is not None and r[col.name] > col.max])
        if frame.schema[col.name] == pl.Float64:
            # NaN compares false with everything, so it would slip past every ordered-pair check
            report(f"{col.name} is finite",
                   [r for r in rows if r[col.name] is not None and not math.isfinite(r[col.name])])
        if frame.schema[col.name] == pl.Date:
            report(f"{col.name} is a date", [r for r in rows if r[col.name] is not None
                                              and not isinstance(r[col.name], dt.date)])

    pairs = [p for p in ORDERED_PAIRS if p[0] in frame.columns and p[1] in frame.columns]
    if unordered_pair_key(table) and all(c in frame.columns for c in unordered_pair_key(table)):
        pairs.append((*unordered_pair_key(table), False))
    for lower, upper, or_equal in pairs:
        report(f"{lower} {'<=' if or_equal else '<'} {upper}", [
            r for r in rows if r[lower] is not None and r[upper] is not None
            and (r[lower] > r[upper] or (not or_equal and r[lower] == r[upper]))
        ])

    if table.key and all(c in frame.columns for c in table.key):
        seen: dict[tuple, int] = {}
        for r in rows:
            k = tuple(r[c] for c in table.key)
            seen[k] = seen.get(k, 0) + 1
        report(f"key ({', '.join(table.key)}) is unique",
               [r for r in rows if seen[tuple(r[c] for c in table.key)] > 1])

    for ref in table.refs:
        target = context.get(ref.table)
        if target is None or not all(c in frame.columns for c in ref.columns):
            continue
        known = set(target.select(list(ref.to_columns)).iter_rows())
        report(f"({', '.join(ref.columns)}) exists in {ref.table}", [
            r for r in rows if all(r[c] is not None for c in ref.columns)
            and tuple(r[c] for c in ref.columns) not in known
        ])

    ref = text_ref(table)
    if ref is not None and ref.table in context and {"start", "end"} <= set(frame.columns):
        target = context[ref.table]
        texts = {tuple(row[:-1]): row[-1] for row in target.select([*ref.to_columns, "text"]).iter_rows()}
        outside, mismatched = [], []
        for r in rows:
            text = texts.get(tuple(r[c] for c in ref.columns))
            if text is None or r["start"] is None or r["end"] is None:
                continue
            if not 0 <= r["start"] <= r["end"] <= len(text):
                outside.append(r)
            elif "surface" in r and r["surface"] != text[r["start"]:r["end"]]:
                mismatched.append(r)
        report(f"0 <= start <= end <= length of the {ref.table} text", outside)
        report(f"surface == {ref.table} text[start:end]", mismatched)
    return problems


def assert_meets_contract(name: str, frame: pl.DataFrame, context: Mapping[str, pl.DataFrame] | None = None,
                          *, subset: bool = False) -> None:
    problems = contract_violations(name, frame, context, subset=subset)
    assert not problems, "\n".join(problems)


# --- Hypothesis strategies: arbitrary news-like text ---------------------------------------------


def bounded(max_examples: int = 60) -> settings:
    """Settings of every property test: few examples, no deadline (CI machines are slow and
    shared), no example database written into the working tree."""
    return settings(max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


ITALIAN_WORDS = (
    "il la lo i gli le l' un una di del della dei a al alla da dal in nel con su per tra fra e o ma che non "
    "è sono ha hanno era ieri oggi domani stamattina lunedì martedì venerdì domenica scorso prossimo "
    "gennaio febbraio marzo agosto dicembre settimana mese anno anni fa giorni ore ora minuti mezz'ora "
    "persone prigionieri droni voti morti feriti euro dollari per cento percento circa quasi oltre almeno "
    "fino meno più decina centinaia migliaia milioni mila telefonata colloquio vertice incontro "
    "presidente ministro portavoce governo Cremlino Casa Bianca Roma Mosca Kiev Trump Putin Zelensky "
    "Mario Rossi Peskov detto dichiarato affermato secondo spiegato aggiunto ha detto che ha dichiarato di "
    "precedente quella dopo rispetto vista fissato partita finita vinto stagione date pubblicato Articolo comma "
    "sig. dott. art. n. S.p.A. J. D. Vance G7 F-16 1° tre quattro venti duecentomila sei uno"
).split()

_NUMBER_SHAPES = (
    "{a}", "{a},{b}", "{a}.000", "{a}%", "{a} per cento", "{a}-{b}", "{a}–{b}", "{a}/{b}", "{a} o {b}",
    "da {a} a {b}", "dal {a} al {b}", "tra {a} e {b}", "tra il {a} e il {b}", "fra {a} e {b} per cento",
    "{y}-{m:02d}", "{y}-{d2:02d}", "{y}-{m:02d}-{d:02d}", "{d}/{m}", "{d}/{m}/{y}", "{d}.{m}.{y}",
    "{a}h{m:02d}'", "{a}mila", "{a} milioni", "{a},{b}-{a} milioni", "{d} {month}", "{d} {month} {y}",
    "{a}-{b} per cento", "{a}-{b} persone", "da {a} a {b} persone", "vinto {d2}-{d}", "{a} ore e {b} minuti",
)
_MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre", "Febbraio")

_UNITS = ("", "", "", " persone", " ore", " ora", " minuti", " per cento", "%", " euro", " milioni di euro", " anni",
          " giorni", " settimane", " km", " prigionieri", " droni d'attacco", " voti", " fa", " scorso")

numbers = st.builds(
    lambda shape, a, b, y, m, d, d2, month, unit: shape.format(a=a, b=b, y=y, m=m, d=d, d2=d2, month=month) + unit,
    st.sampled_from(_NUMBER_SHAPES),
    st.one_of(st.integers(0, 20), st.integers(0, 10**6), st.integers(0, 10**30)),
    st.integers(0, 2000),
    st.integers(1890, 2110),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 99),
    st.sampled_from(_MONTHS),
    st.sampled_from(_UNITS),
)
punctuation = st.sampled_from(
    (". ", ", ", "; ", ": ", "! ", "? ", "…", "...", " - ", " – ", " — ", "(", ")", "\n", "\n\n", "\t", "  ", "'", "’")
)
quote_marks = st.sampled_from(("«", "»", "“", "”", '"', "„", "‘", "’", "« ", " »"))
markup = st.sampled_from((
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<br>", "<h1>", "</h1>", "<h2>", "</h2>", "<li>", "<a href='x'>",
    "</a>", "<img src='a.jpg' alt='foto'>", "<script>var x = 1;</script>", "<!-- nota -->", "&nbsp;", "&laquo;",
    "&raquo;", "&amp;", "**", "__", "_", "# ", "## ", "> ", "- ", "* ", "[link](https://x.it/2025/02/12/a)",
    "![foto](https://cdn.it/2024/11/05/f.jpg)", "<https://x.it>", "```", "---", "|", "\\",
))
unicode_bits = st.text(max_size=6)
words = st.sampled_from(ITALIAN_WORDS)
pieces = st.one_of(words, words, words, numbers, numbers, numbers, punctuation, quote_marks, markup, unicode_bits)

_SEPARATORS = st.sampled_from((" ", " ", " ", "", "\n", ", "))


@st.composite
def news_text(draw, max_pieces: int = 30) -> str:
    """A string of Italian words, numbers, punctuation, quotes, markup and random Unicode."""
    parts = draw(st.lists(st.tuples(pieces, _SEPARATORS), max_size=max_pieces))
    return "".join(p + s for p, s in parts)


# Any date the calendar holds, its edges often (a manifest may state any date at all).
dates = st.one_of(
    st.sampled_from((dt.date.min, dt.date(1, 12, 31), dt.date(9999, 1, 1), dt.date.max)),
    st.dates(min_value=dt.date.min, max_value=dt.date.max),
)
news_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


# --- builders of small contract frames ------------------------------------------------------------


def with_required_defaults(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """`df` plus every required column of table `name` it lacks, set to a neutral value (the first
    allowed value, the minimum or 0, False or ""), so fixtures survive columns added to the contract."""
    for column in TABLES[name].columns:
        if column.name in df.columns or column.nullable:
            continue
        if column.values:
            value = column.values[0]
        elif column.dtype == pl.Boolean:
            value = False
        elif column.dtype in (pl.Int64, pl.Float64):
            value = column.min or 0
        else:
            value = ""
        df = df.with_columns(pl.lit(value).cast(column.dtype).alias(column.name))
    return df


def write_contract_table(name: str, df: pl.DataFrame, root: Path) -> None:
    write_table(name, with_required_defaults(name, df), root)


def contract_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """A frame of table `name` from row dicts: absent nullable columns are null, types as declared."""
    schema = TABLES[name].polars_schema
    columns = {c: [r.get(c) for r in rows] for c in schema if any(c in r for r in rows)}
    return conform(name, pl.DataFrame(columns, schema={c: schema[c] for c in columns}))


def fact(
    fact_id: str, event_id: str | None, sent_id: str, source_id: str, measure: str, low: float | None,
    high: float | None, value: str, *, kind: str = "quantity", unit: str | None = "item", qualifier: str = "exact",
    modality: str = "outcome", attributed_to: str | None = None, scope: str | None = None,
    is_comparable: bool = True,
) -> dict:
    """One `facts` row; the doc_id is the sent_id's first part (`<doc_id>:<block_no>:<n>`)."""
    return {
        "fact_id": fact_id, "event_id": event_id, "doc_id": sent_id.split(":")[0], "sent_id": sent_id,
        "source_id": source_id, "kind": kind, "measure": measure, "scope": scope, "modality": modality,
        "attributed_to": attributed_to, "unit": unit, "qualifier": qualifier, "low": low, "high": high,
        "value": value, "is_comparable": is_comparable,
    }


# --- small corpora for the aggregate stage --------------------------------------------------------

CORPUS_ENTITIES = {
    "Trump": ("donald-trump", "person"),
    "Putin": ("vladimir-putin", "person"),
    "Zelensky": ("volodymyr-zelensky", "person"),
    "Peskov": ("dmitry-peskov", "person"),
    "Witkoff": ("steve-witkoff", "person"),
    "Hegseth": ("pete-hegseth", "person"),
    "Rutte": ("mark-rutte", "person"),
    "Anna Rossi": ("anna-rossi", "person"),
    "Rossi": ("paolo-rossi", "person"),  # a bare surname linked to another Rossi
    "Cremlino": ("cremlino", "org"),
    "NATO": ("nato", "org"),
    "Ucraina": ("ucraina", "place"),
    "Russia": ("russia", "place"),
    "Mosca": ("mosca", "place"),
    "Milano": ("milano", "place"),
    "Napoli": ("napoli", "place"),
    "Bruxelles": ("bruxelles", "place"),
    "Questura": ("questura", "org"),
}


class Corpus:
    """A small corpus for the aggregate stage: articles and sentences written for a test, with the
    mentions (found by name from CORPUS_ENTITIES), dates, quantities and quotes the test gives."""

    def __init__(self) -> None:
        self.docs: list[tuple[str, str, dt.date | None]] = []
        self.sentences: list[dict] = []
        self.mentions: list[dict] = []
        self.times: list[dict] = []
        self.quantities: list[dict] = []
        self.quotes: list[dict] = []

    def doc(self, doc_id: str, source_id: str, published: dt.date | None = None) -> "Corpus":
        self.docs.append((doc_id, source_id, published))
        return self

    def sent(self, doc_id: str, text: str, dates=(), quantities=(), quotes=()) -> str:
        """Add a sentence; dates: (surface, date); quantities: (surface, kind, unit, noun, low, high,
        qualifier); quotes: (quoted text, speaker entity id)."""
        n = sum(1 for s in self.sentences if s["doc_id"] == doc_id)
        sent_id = f"{doc_id}:{n}:0"
        self.sentences.append({"sent_id": sent_id, "doc_id": doc_id, "block_no": n, "sent_no": n,
                               "text": text, "start": 0, "end": len(text)})
        for name, (eid, _) in CORPUS_ENTITIES.items():
            at = text.find(name)
            if at >= 0:
                self.mentions.append({"doc_id": doc_id, "sent_id": sent_id, "entity_id": eid, "surface": name,
                                      "start": at, "end": at + len(name), "method": "alias", "is_uncertain": False})
        for surface, value in dates:
            at = text.index(surface)
            self.times.append({"doc_id": doc_id, "sent_id": sent_id, "surface": surface, "start": at,
                               "end": at + len(surface), "value_date": value, "granularity": "day",
                               "is_relative": False})
        for surface, kind, unit, noun, low, high, qualifier in quantities:
            at = text.index(surface)
            self.quantities.append({"doc_id": doc_id, "sent_id": sent_id, "surface": surface, "start": at,
                                    "end": at + len(surface), "kind": kind, "unit": unit, "noun": noun,
                                    "low": low, "high": high, "qualifier": qualifier})
        for i, (quoted, speaker) in enumerate(quotes):
            self.quotes.append({"quote_id": f"{sent_id}:q{i}", "doc_id": doc_id, "sent_id": sent_id,
                                "text": quoted, "speaker_entity_id": speaker, "cue": "ha detto"})
        return sent_id

    def tables(self) -> dict[str, pl.DataFrame]:
        sources = sorted({s for _, s, _ in self.docs})
        return {
            "articles": conform("articles", pl.DataFrame(
                [{"doc_id": d, "source_id": s, "published_date": p, "n_blocks": 1, "n_chars": 1}
                 for d, s, p in self.docs], schema_overrides={"published_date": pl.Date})),
            "sources": conform("sources", pl.DataFrame({"source_id": sources, "name": sources,
                                                        "n_docs": [1] * len(sources)})),
            "sentences": conform("sentences", pl.DataFrame(self.sentences)),
            "entities": conform("entities", pl.DataFrame(
                [{"entity_id": eid, "name": name, "type": typ, "aliases": [name]}
                 for name, (eid, typ) in CORPUS_ENTITIES.items()])),
            "mentions": _declared_frame("mentions", self.mentions),
            "time_expressions": _declared_frame("time_expressions", self.times),
            "quantities": _declared_frame("quantities", self.quantities),
            "quotes": _declared_frame("quotes", self.quotes),
        }

    def run(self, params: AggregateParams | None = None) -> dict[str, pl.DataFrame]:
        from pipeline.agreement.build import AggregateParams, aggregate

        return aggregate(self.tables(), params or AggregateParams())


def _declared_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=TABLES[name].polars_schema)
    return conform(name, pl.DataFrame(rows, schema_overrides={
        c.name: c.dtype for c in TABLES[name].columns if c.name in rows[0]
    }))


# --- the problem corpus of the session's pipeline run (conftest.pipeline_run) ------------------------
# Files and links added to a copy's seeds/, each with what ingest and parse must make of it.

REPO_ROOT = Path(__file__).resolve().parent.parent
# ingest.max_bytes in the copy, so that an oversize file stays small.
RUN_MAX_BYTES = 20_000

ITALIAN_BODY = (
    "Il Consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità cittadina, dopo una "
    "seduta durata più di cinque ore. «È una scelta che cambierà la città», ha detto l’assessora ai "
    "trasporti, mentre l’opposizione ha annunciato un ricorso al Tar. Il piano prevede nuove piste "
    "ciclabili, un aumento delle corse dei bus notturni e una zona a traffico limitato più ampia – "
    "con una spesa di circa 12 milioni di euro nei prossimi tre anni."
)
ITALIAN_BODY_2 = (
    "I commercianti del centro si sono detti preoccupati per le possibili ripercussioni sulle vendite. "
    "Secondo l’associazione di categoria, la chiusura al traffico di alcune strade potrebbe ridurre "
    "gli accessi nei negozi, almeno nei primi mesi. Il sindaco ha promesso un tavolo di confronto già "
    "dalla prossima settimana."
)
ENGLISH_BODY = (
    "City council approved the new urban mobility plan last night after a meeting that lasted more than "
    "five hours. The opposition said it would appeal to the regional administrative court. The plan "
    "includes new cycle lanes, more night buses and a larger limited traffic zone, at a cost of about "
    "twelve million euros over the next three years."
)


@dataclass(frozen=True)
class ProblemFile:
    """A file the fixture adds to seeds/, and what ingest and parse must make of it."""

    path: str  # relative to the repository root
    content: bytes
    reason: str | None  # expected rejection reason; None when the file must be accepted
    title: str | None = None  # expected article title of an accepted file
    encoding: str | None = None  # expected detected encoding of an accepted file
    outlet: str | None = None  # manifest row added for the file, when set
    published_date: str | None = None


def _problem_files() -> tuple[ProblemFile, ...]:
    seed_003 = REPO_ROOT / "seeds" / "003_e53c9e50c8586f4d.txt"
    mojibake = f"Nuovo piano per la mobilità in città\n\n{ITALIAN_BODY}\n\n{ITALIAN_BODY_2}\n"
    html = (
        "<!DOCTYPE html><html><head><title>Mobilità</title>"
        "<script>window.dataLayer = ['TRACCIAMENTO SEGRETO'];</script><style>p{margin:0}</style></head>"
        "<body><h1>Traffico, la città cambia volto</h1>"
        f"<p>{ITALIAN_BODY.replace('«', '&laquo;').replace('»', '&raquo;')}</p>"
        f"<p>{ITALIAN_BODY_2}</p><p>Riproduzione riservata</p></body></html>"
    )
    return (
        ProblemFile("seeds/problems/empty.txt", b"", "empty"),
        ProblemFile("seeds/problems/blank.txt", b"  \r\n\n\t\n", "empty"),
        ProblemFile("seeds/problems/image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ProblemFile(
            "seeds/problems/cp1252.txt",
            f"Mobilità, approvato il piano – e ora il Tar\n\n{ITALIAN_BODY}\n\n{ITALIAN_BODY_2} “Costa 12 €”.\n"
            .encode("cp1252"),
            None, title="Mobilità, approvato il piano – e ora il Tar", encoding="cp1252",
            outlet="Gazzetta di Prova", published_date="2025-02-13",
        ),
        ProblemFile(
            "seeds/problems/bom_crlf.txt",
            b"\xef\xbb\xbf" + f"Piano mobilità, le reazioni\r\n\r\n{ITALIAN_BODY}\r\n\r\n{ITALIAN_BODY_2}\r\n".encode(),
            None, title="Piano mobilità, le reazioni", encoding="utf-8-sig",
        ),
        ProblemFile("seeds/problems/page.html", html.encode(), None, title="Traffico, la città cambia volto",
                    encoding="utf-8", outlet="Gazzetta di Prova"),
        ProblemFile("seeds/problems/copy_of_003.txt", seed_003.read_bytes(), "duplicate"),
        ProblemFile("seeds/problems/oversize.txt",
                    ("Titolo\n\n" + (ITALIAN_BODY + "\n\n") * (RUN_MAX_BYTES // len(ITALIAN_BODY) + 2)).encode(),
                    "too_large"),
        ProblemFile("seeds/problems/english.txt", f"Mobility plan approved\n\n{ENGLISH_BODY}\n".encode(),
                    "unsupported_language"),
        ProblemFile("seeds/problems/mojibake.txt", mojibake.encode("utf-8").decode("cp1252").encode("utf-8"),
                    None, title="Nuovo piano per la mobilità in città", encoding="utf-8+mojibake-repaired"),
    )


# A word that only the file outside seeds/ holds: no table may ever contain it.
OUTSIDE_SENTINEL = "Zirconatorio"


@dataclass(frozen=True)
class ProblemLink:
    """A symbolic link the fixture adds to seeds/, and the reason ingest must reject it for.
    `target` is written as is; `{outside}` stands for a folder beside the copy, outside seeds/."""

    path: str
    target: str
    reason: str


def _adversarial_files() -> tuple[ProblemFile, ...]:
    """Italian articles of the shapes real scraped corpora bring, all of which must be read."""
    body = f"{ITALIAN_BODY}\n\n{ITALIAN_BODY_2}\n"
    deep = "<div>" * 1500 + f"<p>{ITALIAN_BODY}</p>" + "</div>" * 1500  # deeper than lxml (256) and Python (1000) limits
    spaced = "\n".join("  ".join(" ".join(word) for word in line.split()) for line in body.splitlines())
    payload = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg" * 80
    ranges = ("date 2025-04\nStagione 2024-25, i numeri del Comune\n\n"
              "I residenti iscritti sono scesi da 300 a 200 persone in dieci anni, con un calo tra il 5 e il 3 "
              "per cento l'anno. La partita di sabato è finita 3-1 e la prossima è fissata per il 10/12. "
              f"{ITALIAN_BODY}\n")
    live = ("Ore 10.32 – Diretta\n\nOre 10.32 – " + ITALIAN_BODY + "\n\n•••\n\nOre 11.05 – " + ITALIAN_BODY_2
            + "\n\nCondividi su Facebook\nLeggi anche\n")
    return (
        ProblemFile("seeds/adversarial/scraped_ranges.txt", ranges.encode(), None),
        ProblemFile("seeds/adversarial/deep.html", f"<html><body>{deep}</body></html>".encode(), None),
        ProblemFile("seeds/adversarial/data_uri.md",
                    f"# Mobilità, il piano\n\n![grafico](data:image/png;base64,{payload})\n\n{body}".encode(), None),
        ProblemFile("seeds/adversarial/letter_spaced.txt", spaced.encode(), None,
                    encoding="utf-8+letter-spacing-collapsed"),
        ProblemFile("seeds/adversarial/controls.txt",
                    body.replace("mobilità", "mobi\x00lità", 1).replace("opposizione", "oppo\x07sizione").encode(),
                    None, encoding="utf-8+controls-removed"),
        ProblemFile("seeds/adversarial/live_blog.txt", live.encode(), None),
        ProblemFile("seeds/adversarial/long_line.txt",
                    (" ".join(ITALIAN_BODY.replace(".", "").split()) + " ") .encode() * 12, None),
        ProblemFile("seeds/adversarial/utf16_no_bom.txt", ("Il piano e le reazioni\n\n" + body).encode("utf-16-le"),
                    None, encoding="utf-16-le"),
        ProblemFile("seeds/adversarial/cr_only.txt", body.replace("\n", "\r").encode(), None),
        ProblemFile("seeds/adversarial/notizia è #1 (copia).txt",
                    ("Zero\u200bwidth e \u200emarchi\n\n" + ITALIAN_BODY_2 + " Il sindaco ha promes").encode(), None),
        ProblemFile("seeds/adversarial/markup_only.html", b"<div><span></span><br/></div>", "empty"),
        ProblemFile("seeds/adversarial/binary_tail.txt",
                    ITALIAN_BODY.encode() + bytes(range(0, 32)) * 400, "binary"),
    )


@dataclass(frozen=True)
class ExpectedArticle:
    """What the tables must say about one article read from its own metadata (a collection row or
    a web page): `path` is the documents path (`<file>#<row id>` for a row)."""

    path: str
    outlet: str
    url: str
    published_date: str
    date_source: str
    title: str


def _collection_files() -> tuple[tuple[ProblemFile, ...], dict[str, str], tuple[ExpectedArticle, ...]]:
    """Article collections (CSV, JSON Lines, Parquet) and a saved page with JSON-LD metadata:
    (files, {row path: rejection reason} for the rows that must be rejected, expected articles)."""
    import io
    import json

    import polars as pl

    csv_text = (
        "\ufeffid;titolo;data;testata;link;testo\n"
        f'c1;Bus notturni, più corse;2025-02-20T08:00:00+01:00;Corriere di Prova;https://www.corrieredp.it/bus;"{ITALIAN_BODY}\n\n{ITALIAN_BODY_2}"\n'
        f'c1;Bus notturni, più corse;2025-02-20T08:00:00+01:00;Corriere di Prova;https://www.corrieredp.it/bus;"{ITALIAN_BODY}\n\n{ITALIAN_BODY_2}"\n'
        "c3;Senza testo;2025-02-20;Corriere di Prova;;\n"
    )
    jsonl = "\n".join([
        json.dumps({"id": "j1", "title": "Mobilità, la protesta dei commercianti", "date_publish": "2025-02-21 09:15:00",
                    "source_domain": "Il Quotidiano di Prova", "url": "https://www.quotidianodp.it/commercianti",
                    "maintext": f"{ITALIAN_BODY_2}\n\n{ITALIAN_BODY}", "authors": ["Anna Neri"]}, ensure_ascii=False),
        '{"id": "j2", "maintext": "riga spezzata',
        json.dumps({"id": "j3", "title": "Mobility plan", "maintext": ENGLISH_BODY}),
    ]) + "\n"
    parquet = io.BytesIO()
    pl.DataFrame({
        "article_id": [101],
        "headline": ["Piano della mobilità, il voto in Consiglio"],
        "content": [f"{ITALIAN_BODY}\n\nIl voto finale è atteso per la prossima settimana."],
        "media_name": ["Radio Prova"],
        "publish_date": [__import__("datetime").date(2025, 2, 22)],
        "url": ["https://www.radioprova.it/piano-mobilita"],
    }).write_parquet(parquet)
    page = (
        "<!DOCTYPE html><html lang='it'><head><title>Ciclabili | Notizie di Prova</title>"
        "<link rel='canonical' href='https://www.notiziediprova.it/ciclabili-nord'>"
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Ciclabili, dieci chilometri nella zona nord", "datePublished": "2025-02-23T07:30:00+01:00", '
        '"author": {"@type": "Person", "name": "Paola Blu"}, '
        '"publisher": {"@type": "Organization", "name": "Notizie di Prova"}}</script></head><body>'
        "<nav><a href='/'>Home</a> <a href='/cronaca'>Cronaca</a></nav>"
        f"<div class='testo'><p>{ITALIAN_BODY}</p><p>{ITALIAN_BODY_2}</p></div>"
        "<div class='commenti'><p>Franco: speriamo che questa volta i lavori finiscano in tempo.</p></div>"
        "</body></html>"
    )
    files = (
        ProblemFile("seeds/collections/export.csv", csv_text.encode(), None),
        ProblemFile("seeds/collections/scrape.jsonl", jsonl.encode(), None),
        ProblemFile("seeds/collections/dump.parquet", parquet.getvalue(), None),
        ProblemFile("seeds/collections/ciclabili.html", page.encode(), None,
                    title="Ciclabili, dieci chilometri nella zona nord"),
    )
    rejected_rows = {
        "seeds/collections/export.csv#c1@2": "duplicate",
        "seeds/collections/export.csv#c3": "empty",
        "seeds/collections/scrape.jsonl#2": "malformed_row",
        "seeds/collections/scrape.jsonl#j3": "unsupported_language",
    }
    expected = (
        ExpectedArticle("seeds/collections/export.csv#c1", "Corriere di Prova", "https://www.corrieredp.it/bus",
                        "2025-02-20", "collection", "Bus notturni, più corse"),
        ExpectedArticle("seeds/collections/scrape.jsonl#j1", "Il Quotidiano di Prova",
                        "https://www.quotidianodp.it/commercianti", "2025-02-21", "collection",
                        "Mobilità, la protesta dei commercianti"),
        ExpectedArticle("seeds/collections/dump.parquet#101", "Radio Prova", "https://www.radioprova.it/piano-mobilita",
                        "2025-02-22", "collection", "Piano della mobilità, il voto in Consiglio"),
        ExpectedArticle("seeds/collections/ciclabili.html", "Notizie di Prova", "https://www.notiziediprova.it/ciclabili-nord",
                        "2025-02-23", "html_meta", "Ciclabili, dieci chilometri nella zona nord"),
    )
    return files, rejected_rows, expected


COLLECTION_FILES, COLLECTION_REJECTED_ROWS, EXPECTED_ARTICLES = _collection_files()
# Inputs whose outcome rows are their rows (`<file>#<row id>`), not the file itself.
COLLECTION_PATHS = frozenset(p.path for p in COLLECTION_FILES if not p.path.endswith(".html"))
PROBLEM_FILES: tuple[ProblemFile, ...] = _problem_files() + _adversarial_files() + COLLECTION_FILES
PROBLEM_LINKS: tuple[ProblemLink, ...] = (
    ProblemLink("seeds/adversarial/to_outside_file.txt", "{outside}/secret.txt", "outside_seeds"),
    ProblemLink("seeds/adversarial/to_outside_pipe.txt", "{outside}/pipe", "outside_seeds"),
    ProblemLink("seeds/adversarial/to_outside_folder", "{outside}", "outside_seeds"),
    ProblemLink("seeds/adversarial/up_and_out.txt", "../../../outside/secret.txt", "outside_seeds"),
    ProblemLink("seeds/adversarial/to_seed_003.txt", "../003_e53c9e50c8586f4d.txt", "duplicate"),
    ProblemLink("seeds/adversarial/to_problems_folder", "../problems", "duplicate"),
    ProblemLink("seeds/adversarial/broken.txt", "no_such_file.txt", "unreadable"),
    ProblemLink("seeds/adversarial/loop_a", "loop_b", "unreadable"),
    ProblemLink("seeds/adversarial/loop_b", "loop_a", "unreadable"),
)
# A hidden file in seeds/ that must end in neither table.
HIDDEN_FILE = "seeds/problems/.gitkeep"


# --- the report's fake warehouse (test_report, test_report_browser) ---------------------------------
# A tiny but complete set of contract tables: Italian sentences written for these tests, one of them
# carrying a <script> tag, a `|` and `$` signs.

SCRIPT = "<script>alert(1)</script>"

IL_POST, ANSA, CORRIERE, UNKNOWN = "il-post", "ansa", "corriere", "src-5555555555"
D1, D2, D3, D4, D5 = (str(i) * 16 for i in range(1, 6))
LONG_NAME = "Corriere della Sera – edizione online del pomeriggio"

SENTENCES = {
    f"{D1}:1:0": "Trump e Putin hanno parlato al telefono per circa due ore lunedì 18 marzo.",
    f"{D1}:1:1": "Secondo il Cremlino, la telefonata è stata «franca e costruttiva».",
    f"{D1}:2:0": f"Il testo della nota {SCRIPT} è stato diffuso in serata | fonte: Casa Bianca.",
    f"{D1}:2:1": "Putin ha accettato una tregua di 30 giorni sugli impianti energetici.",
    f"{D2}:1:0": "La conversazione tra Trump e Putin è durata un'ora e mezza.",
    f"{D2}:1:1": "Il Cremlino ha definito la telefonata franca e costruttiva.",
    f"{D2}:2:0": "Zelensky ha chiesto garanzie di sicurezza all'Europa.",
    f"{D3}:1:0": "Trump e Putin si sono sentiti per oltre due ore.",
    f"{D3}:1:1": "Mosca ha parlato di un colloquio franco e costruttivo.",
    f"{D3}:2:0": "Per la Casa Bianca il colloquio è durato 90 minuti, per il Cremlino oltre due ore.",
    f"{D4}:1:0": "Secondo fonti di Kiev, la ricostruzione costerà 5$ miliardi e 10$ al giorno.",
    f"{D4}:1:1": "La tregua di trenta giorni riguarda solo le infrastrutture energetiche.",
    f"{D5}:1:0": "Il vertice di Riad si terrà la prossima settimana.",
}

# claim_id: (event_id, label, [(sent_id, source_id, stance)])
CLAIMS = {
    "c-duration": ("e-call", "Trump e Putin hanno parlato al telefono per circa due ore.", [
        (f"{D1}:1:0", IL_POST, "supports"), (f"{D2}:1:0", ANSA, "conflicts"), (f"{D3}:1:0", CORRIERE, "supports"),
    ]),
    "c-tone": ("e-call", "Il Cremlino ha definito la telefonata franca e costruttiva.", [
        (f"{D1}:1:1", IL_POST, "supports"), (f"{D2}:1:1", ANSA, "supports"), (f"{D3}:1:1", CORRIERE, "supports"),
    ]),
    "c-truce": ("e-call", "Tregua di 30 giorni sugli impianti energetici (costo 5$ e 10$).", [
        (f"{D1}:2:1", IL_POST, "supports"), (f"{D4}:1:1", CORRIERE, "supports"),
    ]),
    "c-zelensky": ("e-call", "Zelensky ha chiesto garanzie di sicurezza all'Europa.", [(f"{D2}:2:0", ANSA, "supports")]),
    "c-note": (None, f"Il testo della nota {SCRIPT} è stato diffuso in serata.", [(f"{D1}:2:0", IL_POST, "supports")]),
    "c-cost": (None, "La ricostruzione costerà 5$ miliardi e 10$ al giorno.", [(f"{D4}:1:0", CORRIERE, "supports")]),
    "c-riad": ("e-summit", "Il vertice di Riad si terrà la prossima settimana.", [(f"{D5}:1:0", UNKNOWN, "supports")]),
}
DOC_SOURCE = {D1: IL_POST, D2: ANSA, D3: CORRIERE, D4: CORRIERE, D5: UNKNOWN}


_write = write_contract_table

# Values the sentences state (facts): the call's duration by three outlets, one of them giving two
# attributed figures in one sentence; a measure only one outlet states; values whose event is unknown.
FACTS = [
    fact("f-dur-ilpost", "e-call", f"{D1}:1:0", IL_POST, "durata telefonata", 120, 120, "circa due ore",
         unit="minute", qualifier="about"),
    fact("f-dur-ansa", "e-call", f"{D2}:1:0", ANSA, "durata telefonata", 90, 90, "un'ora e mezza", unit="minute"),
    fact("f-dur-corriere", "e-call", f"{D3}:1:0", CORRIERE, "durata telefonata", 120, None, "oltre due ore",
         unit="minute", qualifier="more_than"),
    fact("f-dur-cb", "e-call", f"{D3}:2:0", CORRIERE, "durata telefonata", 90, 90, "90 minuti",
         unit="minute", attributed_to="Casa Bianca"),
    fact("f-dur-cremlino", "e-call", f"{D3}:2:0", CORRIERE, "durata telefonata", 120, None, "oltre due ore",
         unit="minute", qualifier="more_than", attributed_to="Cremlino"),
    fact("f-truce-ilpost", "e-call", f"{D1}:2:1", IL_POST, "durata tregua", 30, 30, "30 giorni", unit="day"),
    fact("f-truce-corriere", "e-call", f"{D4}:1:1", CORRIERE, "durata tregua", 30, 30, "trenta giorni", unit="day"),
    fact("f-prisoners", "e-call", f"{D1}:2:1", IL_POST, "prigionieri per parte", 175, 175, "175 prigionieri"),
    fact("f-cost-corriere", None, f"{D4}:1:0", CORRIERE, "costo ricostruzione", 5e9, 5e9, "5$ miliardi", unit="EUR"),
    fact("f-cost-ansa", None, f"{D2}:2:0", ANSA, "costo ricostruzione", 6e9, 6e9, "6 miliardi", unit="EUR"),
    fact("f-polarity-a", "e-call", f"{D1}:1:1", IL_POST, "telefonata franca", 1, 1, "franca", kind="polarity",
         unit="truth"),
    fact("f-polarity-b", "e-call", f"{D2}:1:1", ANSA, "telefonata franca", 1, 1, "franca", kind="polarity",
         unit="truth"),
]
TO_CHECK_EXPLANATION = "Oltre due ore secondo il Cremlino e un'ora e mezza: forse non la stessa telefonata."


def write_fake_warehouse(root: Path) -> Path:
    """A small, consistent set of contract tables under `root` (plus the repo's params.yaml)."""
    shutil.copy(REPO_ROOT / "params.yaml", root / "params.yaml")
    docs = sorted(DOC_SOURCE)
    _write("documents", pl.DataFrame({
        "doc_id": docs, "path": [f"seeds/{i:03d}_{d[:8]}.txt" for i, d in enumerate(docs)],
        "sha256": [d * 4 for d in docs], "n_bytes": [1000] * 5, "encoding": ["utf-8"] * 5,
        "text": ["…"] * 5, "format": ["text"] * 5, "lang": ["it"] * 5,
    }), root)
    _write("rejected", pl.DataFrame({
        "path": ["seeds/006_copia.txt", "seeds/007_vuoto.txt"], "sha256": ["ab" * 32, None], "n_bytes": [1000, 0],
        "reason": ["duplicate", "empty"], "detail": [f"same bytes as seeds/000_{D1[:8]}.txt", "the file is empty"],
    }), root)
    _write("sources", pl.DataFrame({
        "source_id": [ANSA, CORRIERE, IL_POST, UNKNOWN],
        "name": ["ANSA", LONG_NAME, "Il Post", "Fonte sconosciuta 55555555"], "n_docs": [1, 2, 1, 1],
    }), root)
    _write("articles", pl.DataFrame({
        "doc_id": docs, "source_id": [DOC_SOURCE[d] for d in docs],
        "title": ["Telefonata Trump-Putin", "Trump e Putin, un'ora e mezza al telefono", "Due ore di colloquio",
                  "Il costo della pace", None],
        "published_date": [date(2025, 3, 19)] * 4 + [None], "n_blocks": [3] * 5, "n_chars": [900] * 5,
    }), root)
    _write("sentences", pl.DataFrame({
        "sent_id": list(SENTENCES), "doc_id": [s.split(":")[0] for s in SENTENCES],
        "block_no": [int(s.split(":")[1]) for s in SENTENCES], "sent_no": [int(s.split(":")[2]) for s in SENTENCES],
        "text": list(SENTENCES.values()), "start": [0] * len(SENTENCES), "end": [len(t) for t in SENTENCES.values()],
    }), root)
    _write("entities", pl.DataFrame({
        "entity_id": ["donald-trump", "vladimir-putin", "cremlino", "volodymyr-zelensky", "riad"],
        "name": ["Donald Trump", "Vladimir Putin", "Cremlino", "Volodymyr Zelensky", "Riad"],
        "type": ["person", "person", "org", "person", "place"], "aliases": [["Trump"], ["Putin"], [], ["Zelensky"], []],
    }), root)
    _write("entity_coverage", pl.DataFrame({
        "entity_id": ["donald-trump"] * 3 + ["vladimir-putin"] * 3 + ["cremlino", "cremlino", "volodymyr-zelensky", "riad"],
        "source_id": [IL_POST, ANSA, CORRIERE, IL_POST, ANSA, CORRIERE, IL_POST, ANSA, ANSA, UNKNOWN],
        "n_mentions": [4, 2, 3, 3, 2, 4, 1, 1, 1, 1], "first_sent_no": [0] * 10,
    }), root)
    _write("anomalies", pl.DataFrame({
        "doc_id": [D1, D4], "sent_id": [f"{D1}:1:0", None], "kind": ["weekday_mismatch", "truncated_ending"],
        "detail": ["«lunedì 18 marzo»: il 18 marzo 2025 era un martedì.", "L'articolo finisce a metà frase."],
    }), root)
    _write("events", pl.DataFrame({
        "event_id": ["e-call", "e-summit"], "event_date": [date(2025, 3, 18), None],
        "label": ["Telefonata Trump–Putin del 18 marzo", "Vertice di Riad"], "n_docs": [4, 1],
        "event_type": ["call", "meeting"], "is_planned": [False, True],
    }), root)
    evidence = [
        (claim_id, sent_id.split(":")[0], sent_id, source, 0.9, stance)
        for claim_id, (_, _, rows) in CLAIMS.items() for sent_id, source, stance in rows
    ]
    _write("claim_evidence", pl.DataFrame(
        evidence, schema=["claim_id", "doc_id", "sent_id", "source_id", "similarity", "stance"], orient="row",
    ), root)
    _write("claims", pl.DataFrame({
        "claim_id": list(CLAIMS), "event_id": [v[0] for v in CLAIMS.values()], "label": [v[1] for v in CLAIMS.values()],
        "n_docs": [len({s.split(":")[0] for s, _, _ in v[2]}) for v in CLAIMS.values()],
        "n_sources": [len({src for _, src, _ in v[2]}) for v in CLAIMS.values()],
    }), root)
    _write("facts", contract_frame("facts", FACTS), root)
    _write("conflicts", pl.DataFrame({
        "conflict_id": ["k-1", "k-2"], "claim_id": ["c-duration", "c-duration"], "kind": ["quantity", "quantity"],
        "doc_id_a": [D1, D3], "sent_id_a": [f"{D1}:1:0", f"{D3}:2:0"], "value_a": ["circa 120 minuti", "oltre 120 minuti"],
        "doc_id_b": [D2, D2], "sent_id_b": [f"{D2}:1:0", f"{D2}:1:0"], "value_b": ["circa 90 minuti", "90 minuti"],
        "explanation": ["Circa due ore e un'ora e mezza non possono descrivere la stessa telefonata.",
                        TO_CHECK_EXPLANATION],
        "fact_id_a": ["f-dur-ilpost", "f-dur-cremlino"], "fact_id_b": ["f-dur-ansa", "f-dur-ansa"],
        "confidence": [0.93, 0.55], "status": ["confirmed", "to_check"],
    }), root)
    pairs = [  # a, b, shared, agreeing, conflicting, only_a, only_b, copied, rate, jaccard
        (ANSA, CORRIERE, 2, 2, 0, 1, 2, 0, 1.0, 0.4),
        (ANSA, IL_POST, 2, 1, 1, 1, 2, 0, 0.5, 0.4),
        (ANSA, UNKNOWN, 0, 0, 0, 3, 1, 0, None, 0.0),
        (CORRIERE, IL_POST, 3, 3, 0, 1, 1, 1, 1.0, 0.6),
        (CORRIERE, UNKNOWN, 0, 0, 0, 4, 1, 0, None, 0.0),
        (IL_POST, UNKNOWN, 0, 0, 0, 4, 1, 0, None, 0.0),
    ]
    _write("source_agreement", pl.DataFrame(pairs, orient="row", schema=[
        "source_a", "source_b", "n_shared_claims", "n_agreeing", "n_conflicting", "n_only_a", "n_only_b",
        "n_copied_claims", "agreement_rate", "coverage_jaccard",
    ]), root)
    _write("near_duplicates", pl.DataFrame({
        "doc_id_a": [D1], "doc_id_b": [D4], "source_a": [IL_POST], "source_b": [CORRIERE], "shingle_jaccard": [0.82],
    }), root)
    quality = root / "reports" / "quality" / "summary.json"
    quality.parent.mkdir(parents=True, exist_ok=True)
    quality.write_text(json.dumps({"is_passing": True, "totals": {"evaluated": 282, "failed": 0}}))
    return root


def write_empty_warehouse(root: Path) -> Path:
    shutil.copy(REPO_ROOT / "params.yaml", root / "params.yaml")
    for name in TABLES:
        write_table(name, empty_table(name), root)
    return root


# --- small aggregate corpora and what to read in the stage's output (agreement tests) ---------------

FEB12 = dt.date(2025, 2, 12)
AUG18 = dt.date(2025, 8, 18)
MAR18 = dt.date(2025, 3, 18)
APR11 = dt.date(2026, 4, 11)


def claim_of(out: dict[str, pl.DataFrame], sent_id: str) -> set[str]:
    return set(out["claim_evidence"].filter(pl.col("sent_id") == sent_id)["claim_id"])


def same_claim(out, a: str, b: str) -> bool:
    return bool(claim_of(out, a) & claim_of(out, b))


def conflicts_of(out, kind: str | None = None) -> pl.DataFrame:
    c = out["conflicts"]
    return c if kind is None else c.filter(pl.col("kind") == kind)


def conflict_pairs(out, kind: str | None = None) -> set[frozenset]:
    return {frozenset(p) for p in conflicts_of(out, kind).select("sent_id_a", "sent_id_b").rows()}


def event_of(out, sent_id: str) -> str | None:
    facts = out["facts"].filter(pl.col("sent_id") == sent_id)
    return facts["event_id"][0] if facts.height else None


def count(surface: str, value: float, noun: str, qualifier: str = "exact", high: float | None = -1.0) -> tuple:
    return (surface, "count", "item", noun, value, value if high == -1.0 else high, qualifier)


def minutes(surface: str, low: float, high: float | None, qualifier: str = "exact") -> tuple:
    return (surface, "duration", "minute", None, low, high, qualifier)


def call_corpus(*docs: tuple[str, dt.date | None, str, list]) -> tuple[Corpus, list[str]]:
    """Articles on a Trump–Putin call: (doc, published, the sentence stating a value, its quantities);
    each article opens with a sentence dating the call on its publication day ("oggi")."""
    c = Corpus()
    ids = []
    for doc, published, text, quantities in docs:
        c.doc(doc, f"src-{doc}", published)
        if published is not None:
            c.sent(doc, "Trump e Putin hanno avuto oggi una telefonata.", dates=[("oggi", published)])
        else:
            c.sent(doc, "Trump e Putin hanno avuto una telefonata.")
        ids.append(c.sent(doc, text, quantities=quantities))
    return c, ids


def funeral_corpus(*sentences: tuple[str, str, list]) -> tuple[Corpus, list[str]]:
    """Articles on one funeral (all dated that day): (doc, sentence, quantities)."""
    c = Corpus()
    ids = []
    for doc, text, quantities in sentences:
        if doc not in {d for d, _, _ in c.docs}:
            c.doc(doc, f"src-{doc}", APR11)
            c.sent(doc, "Oggi i funerali del sindaco in piazza Grande.", dates=[("Oggi", APR11)])
        ids.append(c.sent(doc, text, quantities=quantities))
    return c, ids
