"""The table contract, declared once.

Every table the pipeline writes is described here: its layer (which stage writes it), its grain,
its columns with polars dtypes, nullability, allowed values and ranges, its key and its references
to other tables. The writers (`pipeline.common.write_table`), the quality suites
(`pipeline.validate`) and the README's data dictionary (`python -m pipeline.schemas`) all read
from this module, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# --- value sets shared by writers, suites and docs --------------------------------------------

FORMATS = ("text", "markdown", "html")
REJECT_REASONS = (
    "empty",
    "binary",
    "undecodable",
    "too_large",
    "duplicate",
    "unsupported_language",
    "unreadable",
    "outside_seeds",
    "malformed_row",
    "no_text_column",
)
DATE_SOURCES = ("manifest", "collection", "html_meta", "url", "text", "corpus")
BLOCK_KINDS = (
    "title",
    "subtitle",
    "section",
    "heading",
    "paragraph",
    "image",
    "embed",
    "byline",
    "boilerplate",
)
LINK_KINDS = ("link", "image", "embed")
ENTITY_TYPES = ("person", "org", "place", "media", "other")
GRANULARITIES = ("day", "month", "year", "week")
WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
QUANTITY_KINDS = ("duration", "count", "money", "percent", "distance", "weight", "age", "other")
QUALIFIERS = ("exact", "about", "more_than", "less_than", "almost", "range", "at_least", "at_most")
STANCES = ("supports", "conflicts")
CONFLICT_KINDS = ("quantity", "date", "time_of_day", "polarity", "attribution")
CONFLICT_STATUSES = ("confirmed", "to_check")
FACT_KINDS = ("quantity", "date", "time", "polarity", "quote")
MODALITIES = ("outcome", "forecast", "provisional", "hypothetical")
EVENT_TYPES = (
    "call", "talks", "meeting", "funeral", "mass", "ceremony", "demonstration", "strike", "earthquake", "accident",
    "attack", "trial", "vote", "match", "speech", "interview", "concert", "statement", "other",
)
EVENT_IDENTIFICATIONS = ("date", "content", "speaker", "article")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType | type[pl.DataType]
    description: str
    nullable: bool = True
    values: tuple[str, ...] | None = None  # closed value set, for string columns
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Ref:
    """A foreign key: every non-null `columns` tuple of this table exists in `table.to_columns`."""

    columns: tuple[str, ...]
    table: str
    to_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    layer: str  # raw | parsed | normalized | aggregated
    stage: str  # the DVC stage that writes it
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    refs: tuple[Ref, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        """Parquet path relative to the repository root."""
        return f"data/{self.layer}/{self.name}.parquet"

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.dtype for c in self.columns}

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


S, I, F, B, D = pl.Utf8, pl.Int64, pl.Float64, pl.Boolean, pl.Date
STR_LIST = pl.List(pl.Utf8)


def _c(name, dtype, description, nullable=True, **kw) -> Column:
    return Column(name, dtype, description, nullable, **kw)


TABLES: dict[str, Table] = {}


def _register(table: Table) -> Table:
    TABLES[table.name] = table
    return table


# --- raw ---------------------------------------------------------------------------------------

_register(Table(
    "documents", "raw", "ingest",
    "one row per accepted input file, or per accepted row of an article collection (CSV, JSON Lines, Parquet)",
    (
        _c("doc_id", S, "first 16 hex digits of the sha256 of the raw bytes; for a collection row, of the file's "
                        "sha256 and the row id (pipeline.common.stable_id)", False),
        _c("path", S, "path of the input file, relative to the repository root; <file>#<row id> for a collection row",
           False),
        _c("sha256", S, "sha256 of the raw bytes (for a collection row: of its text, UTF-8)", False),
        _c("n_bytes", I, "size of the raw file in bytes (for a collection row: of its text, UTF-8)", False, min=1),
        _c("encoding", S, "encoding as detected (e.g. utf-8, utf-8-sig, cp1252), then what ingest repaired, in "
                          "this order: +mojibake-repaired, +controls-removed (stray NUL or control characters "
                          "dropped), +letter-spacing-collapsed (\"L a  C a s a\" read as \"La Casa\")", False),
        _c("text", S, "decoded text: NFC, \\n line ends, no BOM", False),
        _c("format", S, "detected format of the text", False, values=FORMATS),
        _c("lang", S, "ISO 639-1 language as detected", False),
        _c("outlet", S, "outlet from seeds/sources.csv (for a collection row: its outlet column), null when not given"),
        _c("url", S, "URL from seeds/sources.csv (for a collection row: its URL column), null when not given"),
        _c("published_date", D, "publication date from seeds/sources.csv (for a collection row: its date column), "
                                "null when not given"),
        _c("row_id", S, "id of the row in its collection (its id column, else the row number); null for a single file"),
        _c("title", S, "title from the collection row's title column; null for a single file or when not given"),
        _c("author", S, "author from the collection row's author column; null for a single file or when not given"),
    ),
    key=("doc_id",),
))

_register(Table(
    "rejected", "raw", "ingest",
    "one row per input entry that was not accepted (a file, a symbolic link to a file or folder, a special file, "
    "a row of a collection, or a whole collection that cannot be read)",
    (
        _c("path", S, "path of the input file, relative to the repository root; <file>#<row id> for a collection row",
           False),
        _c("sha256", S, "sha256 of the raw bytes; null if the file could not be read or is a symbolic link that "
                        "was not followed (a link to another input repeats that input's sha256)"),
        _c("n_bytes", I, "size of the file in bytes; 0 when it was not read (a link not followed repeats the size "
                         "of the input it points to)", False, min=0),
        _c("reason", S, "why the file was rejected", False, values=REJECT_REASONS),
        _c("detail", S, "a sentence a person understands, e.g. 'same bytes as seeds/003_x.txt'", False),
        _c("row_id", S, "id of the row in its collection; null for a file (or a whole collection)"),
    ),
    key=("path",),
))

# --- parsed ------------------------------------------------------------------------------------

_register(Table(
    "articles", "parsed", "parse",
    "one row per document",
    (
        _c("doc_id", S, "document key", False),
        _c("source_id", S, "outlet slug; for an unknown outlet a stable id derived from the document", False),
        _c("title", S, "headline: the collection row's title or the web page's metadata title when given, else "
                       "the one in the text; null when there is none"),
        _c("subtitle", S, "subtitle or standfirst"),
        _c("section", S, "section label (e.g. Esteri)"),
        _c("byline", S, "author: the collection row's or the web page's metadata author when given, else as printed "
                        "in the text, without 'di' / 'A cura di'"),
        _c("published_date", D, "publication date, from the source named in published_date_source"),
        _c("published_date_source", S, "where published_date comes from", values=DATE_SOURCES),
        _c("n_blocks", I, "number of blocks", False, min=0),
        _c("n_chars", I, "characters of the document text", False, min=0),
        _c("url", S, "URL of the article: from the manifest or the collection row, else the web page's canonical URL"),
    ),
    key=("doc_id",),
    refs=(Ref(("doc_id",), "documents", ("doc_id",)), Ref(("source_id",), "sources", ("source_id",))),
))

_register(Table(
    "blocks", "parsed", "parse",
    "one row per block of a document, in reading order",
    (
        _c("doc_id", S, "document key", False),
        _c("block_no", I, "0-based position of the block in reading order", False, min=0),
        _c("kind", S, "what the block is", False, values=BLOCK_KINDS),
        _c("text", S, "block text with markup removed (link anchors kept)", False),
        _c("raw", S, "the block as it stood in the input", False),
    ),
    key=("doc_id", "block_no"),
    refs=(Ref(("doc_id",), "documents", ("doc_id",)),),
))

_register(Table(
    "links", "parsed", "parse",
    "one row per link, image or embed found in a block",
    (
        _c("doc_id", S, "document key", False),
        _c("block_no", I, "block the link stands in", False, min=0),
        _c("kind", S, "link, image or embed", False, values=LINK_KINDS),
        _c("text", S, "anchor or alt text"),
        _c("target", S, "URL or fragment the link points to"),
    ),
    key=(),
    refs=(Ref(("doc_id", "block_no"), "blocks", ("doc_id", "block_no")),),
))

_register(Table(
    "sources", "parsed", "parse",
    "one row per source (outlet)",
    (
        _c("source_id", S, "outlet slug, or a stable id for a document of unknown outlet", False),
        _c("name", S, "readable name", False),
        _c("n_docs", I, "documents from this source", False, min=1),
    ),
    key=("source_id",),
))

# --- normalized --------------------------------------------------------------------------------

_register(Table(
    "sentences", "normalized", "normalize",
    "one row per sentence of a text block",
    (
        _c("sent_id", S, "<doc_id>:<block_no>:<n>, n the 0-based sentence number within the block", False),
        _c("doc_id", S, "document key", False),
        _c("block_no", I, "block the sentence belongs to", False, min=0),
        _c("sent_no", I, "0-based position of the sentence within the document", False, min=0),
        _c("text", S, "sentence text, quotes and apostrophes normalized", False),
        _c("start", I, "character offset of the sentence in the block text", False, min=0),
        _c("end", I, "character offset just past the sentence in the block text", False, min=0),
    ),
    key=("sent_id",),
    refs=(Ref(("doc_id", "block_no"), "blocks", ("doc_id", "block_no")),),
))

_register(Table(
    "entities", "normalized", "normalize",
    "one row per canonical entity",
    (
        _c("entity_id", S, "slug of the canonical name", False),
        _c("name", S, "canonical name", False),
        _c("type", S, "entity type", False, values=ENTITY_TYPES),
        _c("aliases", STR_LIST, "surface forms linked to this entity", False),
    ),
    key=("entity_id",),
))

_register(Table(
    "mentions", "normalized", "normalize",
    "one row per mention of an entity in a sentence",
    (
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "sentence key", False),
        _c("entity_id", S, "entity mentioned", False),
        _c("surface", S, "the words as written", False),
        _c("start", I, "character offset in the sentence text", False, min=0),
        _c("end", I, "character offset just past the mention in the sentence text", False, min=0),
        _c("method", S, "how the mention was found and linked (alias, rule, role phrase, surname …)", False),
        _c("is_uncertain", B, "true when the link to the entity is a guess (e.g. ambiguous surname)", False),
    ),
    key=("sent_id", "start", "end", "entity_id"),
    refs=(Ref(("sent_id",), "sentences", ("sent_id",)), Ref(("entity_id",), "entities", ("entity_id",))),
))

_register(Table(
    "quotes", "normalized", "normalize",
    "one row per quotation or reported statement",
    (
        _c("quote_id", S, "<sent_id>:q<n>", False),
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "sentence the quote starts in", False),
        _c("text", S, "quoted words", False),
        _c("speaker_entity_id", S, "entity the cue attaches to, null if unknown"),
        _c("cue", S, "the cue (speech verb or 'secondo …'), null for a bare quotation"),
    ),
    key=("quote_id",),
    refs=(Ref(("sent_id",), "sentences", ("sent_id",)), Ref(("speaker_entity_id",), "entities", ("entity_id",))),
))

_register(Table(
    "time_expressions", "normalized", "normalize",
    "one row per time expression in a sentence",
    (
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "sentence key", False),
        _c("surface", S, "the words as written", False),
        _c("start", I, "character offset in the sentence text", False, min=0),
        _c("end", I, "character offset just past the expression", False, min=0),
        _c("value_date", D, "resolved date (first day of the period), null if unresolved"),
        _c("granularity", S, "precision of value_date", False, values=GRANULARITIES),
        _c("is_relative", B, "true for expressions resolved against the publication date", False),
        _c("stated_weekday", S, "weekday named in the expression, null if none", values=WEEKDAYS),
        _c("is_weekday_consistent", B, "does the stated weekday match value_date; null if not checkable"),
    ),
    key=("sent_id", "start"),
    refs=(Ref(("sent_id",), "sentences", ("sent_id",)),),
))

_register(Table(
    "quantities", "normalized", "normalize",
    "one row per quantity in a sentence, as an interval in canonical units",
    (
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "sentence key", False),
        _c("surface", S, "the words as written", False),
        _c("start", I, "character offset in the sentence text", False, min=0),
        _c("end", I, "character offset just past the quantity", False, min=0),
        _c("kind", S, "what is measured", False, values=QUANTITY_KINDS),
        _c("unit", S, "canonical unit (minute, item, EUR, USD, percent …)", False),
        _c("noun", S, "what is counted (prigionieri, droni …), null if none"),
        _c("low", F, "lower bound, null when open"),
        _c("high", F, "upper bound, null when open"),
        _c("qualifier", S, "how the bounds were stated", False, values=QUALIFIERS),
    ),
    key=("sent_id", "start"),
    refs=(Ref(("sent_id",), "sentences", ("sent_id",)),),
))

_register(Table(
    "anomalies", "normalized", "normalize",
    "one row per problem found inside one article",
    (
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "sentence concerned, null for a document-level problem"),
        _c("kind", S, "weekday_mismatch, inconsistent_quantity, truncated_ending …", False),
        _c("detail", S, "a sentence a person understands", False),
    ),
    key=(),
    refs=(Ref(("doc_id",), "documents", ("doc_id",)), Ref(("sent_id",), "sentences", ("sent_id",))),
))

# --- aggregated --------------------------------------------------------------------------------

_register(Table(
    "events", "aggregated", "aggregate",
    "one row per real-world event the corpus reports",
    (
        _c("event_id", S, "stable event key", False),
        _c("event_date", D, "date of the event, null if unknown"),
        _c("label", S, "short readable label", False),
        _c("n_docs", I, "documents reporting the event", False, min=1),
        _c("event_type", S, "kind of event, from the event words of the reports (talks: a generic colloquio/conversazione; "
           "statement: one speaker's remarks reported beside another event; other: no event word)", False, values=EVENT_TYPES),
        _c("is_planned", B, "a future, announced event rather than one that took place", False),
        _c("identified_by", S, "how its reports were found to be one event: the date they give it, their words (an undated "
           "report matched to the one event it fits), the speaker, or article (known to one article only: its facts "
           "are never compared)", False, values=EVENT_IDENTIFICATIONS),
    ),
    key=("event_id",),
))

_register(Table(
    "claims", "aggregated", "aggregate",
    "one row per fact stated by one or more sources: one measure of one event (its values in any figure), "
    "one statement (a predicate's polarity, a quotation), or one group of like sentences",
    (
        _c("claim_id", S, "stable claim key", False),
        _c("event_id", S, "event the claim is about, null if none"),
        _c("label", S, "representative sentence or summary", False),
        _c("n_docs", I, "documents with evidence for the claim", False, min=1),
        _c("n_sources", I, "sources with evidence for the claim", False, min=1),
        _c("measure", S, "the measure its facts state (facts.measure), null for a claim of sentences without a value"),
    ),
    key=("claim_id",),
    refs=(Ref(("event_id",), "events", ("event_id",)),),
))

_register(Table(
    "claim_evidence", "aggregated", "aggregate",
    "one row per (claim, sentence) pair",
    (
        _c("claim_id", S, "claim key", False),
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "sentence key", False),
        _c("source_id", S, "source of the document", False),
        _c("similarity", F, "similarity of the sentence to the claim, 0..1", False, min=0.0, max=1.0),
        _c("stance", S, "does the sentence support or conflict with the claim", False, values=STANCES),
    ),
    key=("claim_id", "sent_id"),
    refs=(
        Ref(("claim_id",), "claims", ("claim_id",)),
        Ref(("sent_id",), "sentences", ("sent_id",)),
        Ref(("source_id",), "sources", ("source_id",)),
    ),
))

_register(Table(
    "facts", "aggregated", "aggregate",
    "one row per value a sentence states about an event (a quantity, a date or time of day, the polarity "
    "of a predicate, a quotation and its speaker)",
    (
        _c("fact_id", S, "stable fact key", False),
        _c("event_id", S, "event the sentence is about, null when it cannot be told"),
        _c("doc_id", S, "document key", False),
        _c("sent_id", S, "evidence sentence", False),
        _c("source_id", S, "source of the document", False),
        _c("kind", S, "what sort of value", False, values=FACT_KINDS),
        _c("measure", S, "what is measured: the counted noun and its role (durata telefonata, partecipanti piazza)", False),
        _c("scope", S, "place or subset the value covers (per_parte, totale, a place), null if unstated"),
        _c("modality", S, "a final value, a forecast, a provisional snapshot or a hypothesis", False, values=MODALITIES),
        _c("attributed_to", S, "entity id or phrase giving the value, null when the outlet states it itself"),
        _c("unit", S, "unit of low/high (minute, item, EUR, day = days since 1970-01-01, minute_of_day, truth)"),
        _c("qualifier", S, "how the bounds were stated", values=QUALIFIERS),
        _c("low", F, "lower bound of the stated interval, null when open or not a number"),
        _c("high", F, "upper bound of the stated interval, null when open or not a number"),
        _c("value", S, "the value as written, for a reader", False),
        _c("is_comparable", B, "false when the value's role could not be established (e.g. a period, not the event's "
           "duration): listed, never compared", False),
    ),
    key=("fact_id",),
    refs=(
        Ref(("event_id",), "events", ("event_id",)),
        Ref(("sent_id",), "sentences", ("sent_id",)),
        Ref(("source_id",), "sources", ("source_id",)),
    ),
))

_register(Table(
    "conflicts", "aggregated", "aggregate",
    "one row per pair of sentences that state the same claim incompatibly",
    (
        _c("conflict_id", S, "stable conflict key", False),
        _c("claim_id", S, "claim in dispute", False),
        _c("kind", S, "type of incompatibility", False, values=CONFLICT_KINDS),
        _c("doc_id_a", S, "document of the first sentence", False),
        _c("sent_id_a", S, "first sentence", False),
        _c("value_a", S, "what the first sentence states", False),
        _c("doc_id_b", S, "document of the second sentence", False),
        _c("sent_id_b", S, "second sentence", False),
        _c("value_b", S, "what the second sentence states", False),
        _c("explanation", S, "why the two statements are the same measure of the same event and cannot both hold", False),
        _c("fact_id_a", S, "fact of the first sentence, where the conflict is between facts"),
        _c("fact_id_b", S, "fact of the second sentence, where the conflict is between facts"),
        _c("confidence", F, "how sure the pipeline is that this is a real disagreement, 0..1", False, min=0.0, max=1.0),
        _c("status", S, "confirmed at or above aggregate min_conflict_confidence, else to_check", False,
           values=CONFLICT_STATUSES),
    ),
    key=("conflict_id",),
    refs=(
        Ref(("claim_id",), "claims", ("claim_id",)),
        Ref(("sent_id_a",), "sentences", ("sent_id",)),
        Ref(("sent_id_b",), "sentences", ("sent_id",)),
        Ref(("fact_id_a",), "facts", ("fact_id",)),
        Ref(("fact_id_b",), "facts", ("fact_id",)),
    ),
))

_register(Table(
    "source_agreement", "aggregated", "aggregate",
    "one row per unordered pair of sources (source_a < source_b)",
    (
        _c("source_a", S, "first source", False),
        _c("source_b", S, "second source", False),
        _c("n_shared_claims", I, "claims both sources state", False, min=0),
        _c("n_agreeing", I, "shared claims without a conflict between the two", False, min=0),
        _c("n_conflicting", I, "shared claims with a conflict between the two", False, min=0),
        _c("n_only_a", I, "claims only source_a states (of the two)", False, min=0),
        _c("n_only_b", I, "claims only source_b states (of the two)", False, min=0),
        _c("n_copied_claims", I, "claims both state only through near-duplicate documents (not independent)", False, min=0),
        _c("agreement_rate", F, "n_agreeing / n_shared_claims, null when nothing is shared", min=0.0, max=1.0),
        _c("coverage_jaccard", F, "shared claims / claims of either", False, min=0.0, max=1.0),
    ),
    key=("source_a", "source_b"),
    refs=(Ref(("source_a",), "sources", ("source_id",)), Ref(("source_b",), "sources", ("source_id",))),
))

_register(Table(
    "near_duplicates", "aggregated", "aggregate",
    "one row per pair of near-duplicate documents (e.g. the same wire copy under two outlets)",
    (
        _c("doc_id_a", S, "first document (doc_id_a < doc_id_b)", False),
        _c("doc_id_b", S, "second document", False),
        _c("source_a", S, "source of the first document", False),
        _c("source_b", S, "source of the second document", False),
        _c("shingle_jaccard", F, "Jaccard similarity of the word 5-shingle sets", False, min=0.0, max=1.0),
    ),
    key=("doc_id_a", "doc_id_b"),
    refs=(
        Ref(("doc_id_a",), "articles", ("doc_id",)),
        Ref(("doc_id_b",), "articles", ("doc_id",)),
        Ref(("source_a",), "sources", ("source_id",)),
        Ref(("source_b",), "sources", ("source_id",)),
    ),
))

_register(Table(
    "entity_coverage", "aggregated", "aggregate",
    "one row per (entity, source) pair with at least one mention",
    (
        _c("entity_id", S, "entity key", False),
        _c("source_id", S, "source key", False),
        _c("n_mentions", I, "mentions of the entity in the source's documents", False, min=1),
        _c("first_sent_no", I, "earliest sent_no at which the source mentions the entity", False, min=0),
    ),
    key=("entity_id", "source_id"),
    refs=(Ref(("entity_id",), "entities", ("entity_id",)), Ref(("source_id",), "sources", ("source_id",))),
))


def tables_of_stage(stage: str) -> list[Table]:
    return [t for t in TABLES.values() if t.stage == stage]


def _dtype_name(dtype) -> str:
    names = {pl.Utf8: "string", pl.Int64: "int64", pl.Float64: "float64", pl.Boolean: "bool", pl.Date: "date"}
    if dtype in names:
        return names[dtype]
    if isinstance(dtype, pl.List):
        return "list<string>"
    return str(dtype)


def data_dictionary_markdown() -> str:
    """The README's data dictionary, generated from the declarations above."""
    out: list[str] = []
    for layer in ("raw", "parsed", "normalized", "aggregated"):
        for t in (t for t in TABLES.values() if t.layer == layer):
            key = ", ".join(t.key) if t.key else "none"
            out.append(f"#### `{t.name}` ({layer}, stage `{t.stage}`)\n")
            out.append(f"Grain: {t.grain}. Key: {key}. File: `{t.path}`.\n")
            out.append("| column | type | null | description |")
            out.append("|---|---|---|---|")
            for c in t.columns:
                desc = c.description.replace("|", "\\|")
                if c.values:
                    desc += " (" + " \\| ".join(f"`{v}`" for v in c.values) + ")"
                out.append(f"| `{c.name}` | {_dtype_name(c.dtype)} | {'yes' if c.nullable else 'no'} | {desc} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


DICT_BEGIN = "<!-- data-dictionary:begin (generated by `python -m pipeline.schemas`) -->"
DICT_END = "<!-- data-dictionary:end -->"


def render_readme(readme: str) -> str:
    """Replace the data dictionary between the markers in the README text."""
    head, _, rest = readme.partition(DICT_BEGIN)
    _, _, tail = rest.partition(DICT_END)
    return f"{head}{DICT_BEGIN}\n\n{data_dictionary_markdown()}\n{DICT_END}{tail}"


if __name__ == "__main__":
    from pathlib import Path

    readme = Path("README.md")
    readme.write_text(render_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"data dictionary written to {readme}")
