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

The builders at the end make small schema-conformant contract frames from hand-made rows, and
`Corpus` the normalized tables of a small corpus for the aggregate stage.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pipeline.common import conform, write_table
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
