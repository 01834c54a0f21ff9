"""Which expectations hold for which contract table, and the frames they run on.

Everything here is generated from `pipeline.schemas` (the contract declared once) plus a few rules
the contract states in words:

- structure: columns in declared order, declared dtypes (compared on the Parquet schema: pandas
  conversion would blur Int64-with-nulls into float and dates into timestamps);
- rows: non-nullable columns not null, keys unique, closed value sets, declared min/max, ordered
  pairs within a row (start < end, low <= high, source_a < source_b);
- references (`schemas.Ref`): every non-null reference resolves, computed as a membership flag
  that an expectation then requires to be true;
- cross-table consistency: offsets lie inside the text they point into, a sentence pointer and its
  document pointer agree, a document's source is the article's source, counts equal what they
  count (claims, sources, entity coverage, source agreement), every input file is either accepted
  or rejected and never both;
- health (warnings): each accepted document yields sentences, enough sentences mention an entity,
  enough time expressions resolve to a date.

A `Check` is a declaration: table, severity, description and a Great Expectations 1.x expectation
named by class with its arguments. A `Batch` is one polars frame (only the columns its checks read)
with the checks that run on it. Checks that cannot run (their table or column is missing or of the
wrong type: the structure checks already fail for that) are kept with the reason, so every check
appears in the results. Nothing here imports Great Expectations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline.schemas import TABLES, Ref, Table

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)

# Pairs of columns that must be ordered within a row wherever a table has both: (lower, upper,
# whether equality is allowed). A span of zero characters names nothing; an exact quantity has
# low == high. (A key of two columns `<x>_a`, `<x>_b` is an unordered pair stored once, with
# `<x>_a` < `<x>_b`: see `unordered_pair_key`.)
ORDERED_PAIRS: tuple[tuple[str, str, bool], ...] = (
    ("start", "end", False),
    ("low", "high", True),
)

# A sentence pointer travels with the pointer to its document, and a document pointer with the
# pointer to its source, under these column names.
DOC_SENTENCE_PAIRS: tuple[tuple[str, str], ...] = (
    ("doc_id", "sent_id"),
    ("doc_id_a", "sent_id_a"),
    ("doc_id_b", "sent_id_b"),
)
DOC_SOURCE_PAIRS: tuple[tuple[str, str], ...] = (
    ("doc_id", "source_id"),
    ("doc_id_a", "source_a"),
    ("doc_id_b", "source_b"),
)

# Tables that cannot be empty while there are accepted documents (every document has a text block
# and every text block sentences; other tables may legitimately be empty for a small corpus).
NON_EMPTY_WITH_DOCUMENTS = ("blocks", "sentences")


@dataclass(frozen=True)
class GateSettings:
    """Thresholds of the health checks and how much evidence to show (params.yaml `validate`)."""

    min_entity_sentence_share: float = 0.3
    min_resolved_time_share: float = 0.5
    sample_rows: int = 5


@dataclass(frozen=True)
class Check:
    """One expectation on one contract table.

    `expectation` is the class name in `great_expectations.expectations` and `kwargs` its
    arguments; column names in `kwargs` refer to the columns of the batch frame it runs on.
    """

    check_id: str
    table: str
    severity: str
    description: str
    expectation: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.check_id}: severity must be one of {SEVERITIES}, not {self.severity!r}")
        if self.table not in TABLES:
            raise ValueError(f"{self.check_id}: {self.table!r} is not a contract table")

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns of the batch frame the expectation reads (empty for whole-table expectations)."""
        if self.expectation == "ExpectTableColumnsToMatchOrderedList":
            return ()
        cols = [self.kwargs[k] for k in ("column", "column_A", "column_B") if k in self.kwargs]
        cols += list(self.kwargs.get("column_list", ()))
        return tuple(cols)


@dataclass(frozen=True)
class Batch:
    """A frame and the checks that run on it; `index_columns` identify an offending row."""

    name: str
    data: pl.DataFrame
    index_columns: tuple[str, ...]
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Plan:
    batches: tuple[Batch, ...]
    skipped: tuple[tuple[Check, str], ...]  # checks that cannot run, with the reason
    checks: tuple[Check, ...]  # every check, grouped by table in contract order


def _dtype(dtype) -> pl.DataType:
    return dtype() if isinstance(dtype, type) else dtype


def identity_columns(table: Table) -> tuple[str, ...]:
    """Columns that identify a row for a reader: the key, else the columns of its references."""
    if table.key:
        return table.key
    cols: list[str] = []
    for ref in table.refs:
        cols += [c for c in ref.columns if c not in cols]
    return tuple(cols)


def text_ref(table: Table) -> Ref | None:
    """The reference whose target's `text` the table's start/end offsets point into.

    Offsets are character offsets into the text of the row they reference: a sentence's into its
    block's text, a mention's (time expression's, quantity's) into its sentence's text.
    """
    for ref in table.refs:
        if "text" in TABLES[ref.table].column_names:
            return ref
    return None


def unordered_pair_key(table: Table) -> tuple[str, str] | None:
    """(`x_a`, `x_b`) when the table's key is an unordered pair stored once, else None."""
    if len(table.key) == 2 and table.key[0].endswith("_a") and table.key[1] == table.key[0][:-2] + "_b":
        return table.key[0], table.key[1]
    return None


def _unique_in_order(cols) -> list[str]:
    out: list[str] = []
    for c in cols:
        if c not in out:
            out.append(c)
    return out


class _Planner:
    def __init__(self, tables: Mapping[str, pl.DataFrame]):
        self.tables = tables
        self.batches: list[Batch] = []
        self.skipped: list[tuple[Check, str]] = []
        self.declared: list[Check] = []  # in planning order, runnable or not

    # --- availability ------------------------------------------------------------------------

    def problem(self, name: str, *cols: str) -> str | None:
        """Why `cols` of table `name` cannot be used, or None if they can."""
        table = TABLES[name]
        df = self.tables.get(name)
        if df is None:
            return f"table {name} is missing ({table.path})"
        for col in cols:
            declared = _dtype(table.column(col).dtype)
            if col not in df.columns:
                return f"column {name}.{col} is missing"
            if df.schema[col] != declared:
                return f"column {name}.{col} is {df.schema[col]}, not {declared}"
        return None

    def first_problem(self, needs: Sequence[tuple[str, Sequence[str]]]) -> str | None:
        for name, cols in needs:
            reason = self.problem(name, *cols)
            if reason:
                return reason
        return None

    def add(self, name: str, frame_builder, index_columns: Sequence[str], checks: Sequence[Check],
            needs: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Add a batch built by `frame_builder()` if every (table, columns) in `needs` is usable."""
        self.declared += checks
        reason = self.first_problem(needs)
        if reason:
            self.skipped += [(c, reason) for c in checks]
            return
        self.batches.append(Batch(name, frame_builder(), tuple(index_columns), tuple(checks)))

    def usable_identity(self, table: Table) -> list[str]:
        return [c for c in identity_columns(table) if self.problem(table.name, c) is None]

    # --- per table ---------------------------------------------------------------------------

    def structure(self, table: Table) -> None:
        df = self.tables.get(table.name)
        columns_check = Check(
            f"{table.name}.columns", table.name, ERROR,
            f"columns are exactly {', '.join(table.column_names)}, in this order",
            "ExpectTableColumnsToMatchOrderedList", {"column_list": table.column_names},
        )
        self.declared.append(columns_check)
        # A missing table is a frame without columns: the expectation fails and says so.
        self.batches.append(Batch(f"{table.name}#columns", (df if df is not None else pl.DataFrame()).head(0),
                                  (), (columns_check,)))
        dtypes_check = Check(
            f"{table.name}.dtypes", table.name, ERROR,
            "each column present has its declared Parquet dtype",
            "ExpectColumnPairValuesToBeEqual", {"column_A": "declared_dtype", "column_B": "actual_dtype"},
        )

        def schema_frame() -> pl.DataFrame:
            rows = [
                {"column": c.name, "declared_dtype": str(_dtype(c.dtype)), "actual_dtype": str(df.schema[c.name])}
                for c in table.columns if c.name in df.columns
            ]
            return pl.DataFrame(rows, schema={"column": pl.Utf8, "declared_dtype": pl.Utf8, "actual_dtype": pl.Utf8})

        self.add(f"{table.name}#dtypes", schema_frame, ("column",), [dtypes_check], [(table.name, ())])

    def row_rules(self, table: Table, has_documents: bool) -> None:
        """Nullability, key, value sets, ranges, ordered pairs and row count: one batch per table."""
        name = table.name
        candidates: list[Check] = []
        for col in table.columns:
            if not col.nullable:
                candidates.append(Check(f"{name}.{col.name}.not_null", name, ERROR, f"{col.name} is never null",
                                        "ExpectColumnValuesToNotBeNull", {"column": col.name}))
        if len(table.key) == 1:
            candidates.append(Check(f"{name}.key_unique", name, ERROR, f"key {table.key[0]} is unique",
                                    "ExpectColumnValuesToBeUnique", {"column": table.key[0]}))
        elif table.key:
            candidates.append(Check(f"{name}.key_unique", name, ERROR, f"key ({', '.join(table.key)}) is unique",
                                    "ExpectCompoundColumnsToBeUnique", {"column_list": list(table.key)}))
        for col in table.columns:
            if col.values is not None:
                candidates.append(Check(f"{name}.{col.name}.in_set", name, ERROR,
                                        f"{col.name} is one of {', '.join(col.values)}",
                                        "ExpectColumnValuesToBeInSet", {"column": col.name, "value_set": list(col.values)}))
            if col.min is not None or col.max is not None:
                bounds = " and ".join(
                    part for part in (f">= {col.min}" if col.min is not None else "",
                                      f"<= {col.max}" if col.max is not None else "") if part)
                candidates.append(Check(f"{name}.{col.name}.range", name, ERROR, f"{col.name} is {bounds}",
                                        "ExpectColumnValuesToBeBetween",
                                        {"column": col.name, "min_value": col.min, "max_value": col.max}))
        pairs = [p for p in ORDERED_PAIRS if p[0] in table.column_names and p[1] in table.column_names]
        if unordered_pair_key(table):
            pairs.append((*unordered_pair_key(table), False))
        for lower, upper, or_equal in pairs:
            candidates.append(Check(
                f"{name}.{lower}_{'le' if or_equal else 'lt'}_{upper}", name, ERROR,
                f"{lower} {'<=' if or_equal else '<'} {upper} where both are given",
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": upper, "column_B": lower, "or_equal": or_equal,
                 "ignore_row_if": "either_value_is_missing"}))
        if name in NON_EMPTY_WITH_DOCUMENTS:
            check = Check(f"{name}.not_empty", name, ERROR, "has rows whenever there are accepted documents",
                          "ExpectTableRowCountToBeBetween", {"min_value": 1})
            if has_documents:
                candidates.append(check)
            else:
                self.declared.append(check)
                self.skipped.append((check, "there are no accepted documents"))

        self.declared += candidates
        runnable: list[Check] = []
        for check in candidates:
            reason = self.problem(name, *check.columns)
            if reason:
                self.skipped.append((check, reason))
            else:
                runnable.append(check)
        if not runnable:
            return
        identity = self.usable_identity(table)
        columns = _unique_in_order(identity + [c for check in runnable for c in check.columns])
        self.batches.append(Batch(name, self.tables[name].select(columns), tuple(identity), tuple(runnable)))

    def references(self, table: Table) -> None:
        for ref in table.refs:
            cols, flag = list(ref.columns), f"in_{ref.table}"
            check = Check(
                f"{table.name}.{'_'.join(ref.columns)}_in_{ref.table}", table.name, ERROR,
                f"every {', '.join(ref.columns)} exists in {ref.table} ({', '.join(ref.to_columns)})",
                "ExpectColumnValuesToBeInSet", {"column": flag, "value_set": [True]},
            )
            index = _unique_in_order(self.usable_identity(table) + cols)

            def frame(table=table, ref=ref, cols=cols, flag=flag, index=index) -> pl.DataFrame:
                source = self.tables[table.name].select(index).filter(pl.all_horizontal(pl.col(cols).is_not_null()))
                return with_membership(source, cols, self.tables[ref.table], list(ref.to_columns), flag)

            self.add(f"{table.name}->{ref.table}({','.join(cols)})", frame, index, [check],
                     [(table.name, cols), (ref.table, ref.to_columns)])

    def offsets(self, table: Table) -> None:
        ref = text_ref(table)
        if ref is None or not {"start", "end"} <= set(table.column_names):
            return
        cols = list(ref.columns)
        checks = [Check(
            f"{table.name}.end_within_text", table.name, ERROR,
            f"end <= length of the {ref.table} text the offsets point into",
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "text_length", "column_B": "end", "or_equal": True, "ignore_row_if": "either_value_is_missing"},
        )]
        has_surface = "surface" in table.column_names
        if has_surface:
            checks.append(Check(
                f"{table.name}.surface_at_offsets", table.name, WARNING,
                f"surface equals the {ref.table} text between start and end",
                "ExpectColumnPairValuesToBeEqual", {"column_A": "surface", "column_B": "text_at_offsets"},
            ))
        index = _unique_in_order(self.usable_identity(table) + cols)

        def frame() -> pl.DataFrame:
            wanted = _unique_in_order(index + ["start", "end"] + (["surface"] if has_surface else []))
            target = self.tables[ref.table].select(
                [pl.col(t).alias(c) for t, c in zip(ref.to_columns, cols)] + [pl.col("text")]
            ).unique(subset=cols, keep="first", maintain_order=True)
            joined = self.tables[table.name].select(wanted).join(target, on=cols, how="inner", maintain_order="left")
            derived = [pl.col("text").str.len_chars().cast(pl.Int64).alias("text_length")]
            if has_surface:
                length = (pl.col("end") - pl.col("start")).clip(lower_bound=0)
                derived.append(pl.col("text").str.slice(pl.col("start"), length).alias("text_at_offsets"))
            return joined.with_columns(derived).drop("text")

        needs = [(table.name, ["start", "end", *cols] + (["surface"] if has_surface else [])),
                 (ref.table, [*ref.to_columns, "text"])]
        self.add(f"{table.name}#offsets", frame, index, checks, needs)

    def document_consistency(self, table: Table) -> None:
        """A row's document is its sentence's document, and its source is its document's source."""
        if table.name != "sentences":
            self._agrees_with_lookup(
                table, DOC_SENTENCE_PAIRS, lookup="sentences", lookup_key="sent_id", lookup_value="doc_id",
                derived="sentence_doc_id", name="{key}_in_{value}", key_first=False,
                description="the sentence {key} belongs to the document {value}", suffix="{key}_document",
            )
        if table.name not in ("sentences", "articles"):
            self._agrees_with_lookup(
                table, DOC_SOURCE_PAIRS, lookup="articles", lookup_key="doc_id", lookup_value="source_id",
                derived="article_source_id", name="{value}_of_{key}", key_first=True,
                description="{value} is the source of the document {key} (as in articles)",
                suffix="{key}_source",
            )

    def _agrees_with_lookup(self, table: Table, pairs, *, lookup: str, lookup_key: str, lookup_value: str,
                            derived: str, name: str, key_first: bool, description: str, suffix: str) -> None:
        """For each (a, b) column pair present in `table`: the row's value column equals what the lookup
        table holds for its key column. With key_first the pair is (key, value), else (value, key)."""
        for first, second in pairs:
            if not {first, second} <= set(table.column_names):
                continue
            key_col, value_col = (first, second) if key_first else (second, first)
            check = Check(
                f"{table.name}.{name.format(key=key_col, value=value_col)}", table.name, ERROR,
                description.format(key=key_col, value=value_col),
                "ExpectColumnPairValuesToBeEqual", {"column_A": value_col, "column_B": derived},
            )
            index = _unique_in_order(self.usable_identity(table) + [first, second])

            def frame(table=table, key_col=key_col, index=index) -> pl.DataFrame:
                looked_up = self.tables[lookup].select(
                    pl.col(lookup_key).alias(key_col), pl.col(lookup_value).alias(derived)
                ).unique(subset=[key_col], keep="first", maintain_order=True)
                return self.tables[table.name].select(index).join(
                    looked_up, on=key_col, how="inner", maintain_order="left")

            self.add(f"{table.name}#{suffix.format(key=key_col)}", frame, index, [check],
                     [(table.name, [first, second]), (lookup, [lookup_key, lookup_value])])

    # --- across tables -----------------------------------------------------------------------

    def input_files(self, input_files: Sequence[str] | Mapping[str, int | None] | None) -> None:
        """Inputs against outcomes. `input_files`: the input paths, or path -> number of rows for
        an article collection (None for a single file, or a collection that cannot be opened:
        it is then one rejected entry). A collection is accounted for by one row per counted row
        (`<file>#<row id>`, `row_id` set) or by one row for the whole file, never both."""
        accounted = Check(
            "documents.inputs_accounted", "documents", ERROR,
            "every input file, and every row of an input collection, is in documents or in rejected",
            "ExpectColumnValuesToBeInSet", {"column": "is_accounted", "value_set": [True]},
        )
        only_inputs = Check(
            "documents.paths_are_inputs", "documents", ERROR,
            "every path in documents and rejected is an input file or a row of an input collection",
            "ExpectColumnValuesToBeInSet", {"column": "is_input", "value_set": [True]},
        )
        exclusive = Check(
            "documents.path_once", "documents", ERROR,
            "no input file is in both documents and rejected (or twice in either)",
            "ExpectColumnValuesToBeUnique", {"column": "path"},
        )
        needs = [("documents", ["path"]), ("rejected", ["path"])]

        def outcome_paths() -> pl.DataFrame:
            frames = []
            for name in ("documents", "rejected"):
                table = self.tables[name]
                row_id = pl.col("row_id") if "row_id" in table.columns else pl.lit(None, dtype=pl.Utf8)
                frames.append(table.select(pl.lit(name).alias("table"), "path", row_id.cast(pl.Utf8).alias("row_id")))
            outcomes = pl.concat(frames)
            # The input a row comes from: its path without "#<row id>".
            return outcomes.with_columns(
                pl.when(pl.col("row_id").is_null()).then(pl.col("path"))
                .otherwise(pl.col("path").str.slice(0, pl.col("path").str.len_chars() - pl.col("row_id").str.len_chars() - 1))
                .alias("input_path"))

        if input_files is None:
            self.declared += [accounted, only_inputs]
            self.skipped += [(accounted, "the input file list was not given"),
                             (only_inputs, "the input file list was not given")]
            self.add("documents+rejected", lambda: outcome_paths().select("table", "path"), ("table", "path"),
                     [exclusive], needs)
            return
        counts = input_files if isinstance(input_files, Mapping) else dict.fromkeys(input_files)
        inputs = pl.DataFrame({"path": sorted(counts), "n_rows": [counts[p] for p in sorted(counts)]},
                              schema={"path": pl.Utf8, "n_rows": pl.Int64})

        def inputs_frame() -> pl.DataFrame:
            found = outcome_paths().group_by("input_path").agg(
                (pl.col("row_id").is_null() & (pl.col("path") == pl.col("input_path"))).sum().alias("n_whole"),
                pl.col("row_id").is_not_null().sum().alias("n_rows_found"),
            ).rename({"input_path": "path"})
            joined = inputs.join(found, on="path", how="left", maintain_order="left").with_columns(
                pl.col("n_whole").fill_null(0), pl.col("n_rows_found").fill_null(0))
            whole = (pl.col("n_whole") >= 1) & (pl.col("n_rows_found") == 0)  # twice: path_once says so
            by_rows = ((pl.col("n_whole") == 0) & pl.col("n_rows").is_not_null() & (pl.col("n_rows") > 0)
                       & (pl.col("n_rows_found") == pl.col("n_rows")))
            return joined.with_columns((whole | by_rows).alias("is_accounted")).select(
                "path", "n_rows", "n_rows_found", "is_accounted")

        def outcomes_frame() -> pl.DataFrame:
            flagged = with_membership(outcome_paths(), ["input_path"], inputs, ["path"], "is_input")
            return flagged.select("table", "path", "is_input")

        self.add("inputs", inputs_frame, ("path",), [accounted], needs)
        self.add("documents+rejected", outcomes_frame, ("table", "path"), [exclusive, only_inputs], needs)

    def articles_cover_documents(self) -> None:
        check = Check(
            "articles.one_per_document", "articles", ERROR, "every document has its articles row",
            "ExpectColumnValuesToBeInSet", {"column": "in_articles", "value_set": [True]},
        )

        def frame() -> pl.DataFrame:
            return with_membership(self.tables["documents"].select("doc_id"), ["doc_id"],
                                   self.tables["articles"], ["doc_id"], "in_articles")

        self.add("documents->articles", frame, ("doc_id",), [check], [("documents", ["doc_id"]), ("articles", ["doc_id"])])

    def count_reconciliation(self) -> None:
        claim_checks = [
            Check("claims.n_docs_matches_evidence", "claims", ERROR,
                  "n_docs equals the distinct documents of the claim's evidence",
                  "ExpectColumnPairValuesToBeEqual", {"column_A": "n_docs", "column_B": "evidence_n_docs"}),
            Check("claims.n_sources_matches_evidence", "claims", ERROR,
                  "n_sources equals the distinct sources of the claim's evidence",
                  "ExpectColumnPairValuesToBeEqual", {"column_A": "n_sources", "column_B": "evidence_n_sources"}),
        ]

        def claims_frame() -> pl.DataFrame:
            evidence = self.tables["claim_evidence"].group_by("claim_id").agg(
                pl.col("doc_id").n_unique().cast(pl.Int64).alias("evidence_n_docs"),
                pl.col("source_id").n_unique().cast(pl.Int64).alias("evidence_n_sources"),
            )
            return self.tables["claims"].select("claim_id", "n_docs", "n_sources").join(
                evidence, on="claim_id", how="left", maintain_order="left"
            ).with_columns(pl.col("evidence_n_docs", "evidence_n_sources").fill_null(0))

        self.add("claims#counts", claims_frame, ("claim_id",), claim_checks,
                 [("claims", ["claim_id", "n_docs", "n_sources"]), ("claim_evidence", ["claim_id", "doc_id", "source_id"])])

        sources_check = Check(
            "sources.n_docs_matches_articles", "sources", ERROR, "n_docs equals the articles of the source",
            "ExpectColumnPairValuesToBeEqual", {"column_A": "n_docs", "column_B": "article_n_docs"},
        )

        def sources_frame() -> pl.DataFrame:
            per_source = self.tables["articles"].unique("doc_id", keep="first").group_by("source_id").agg(pl.len().cast(pl.Int64).alias("article_n_docs"))
            return self.tables["sources"].select("source_id", "n_docs").join(
                per_source, on="source_id", how="left", maintain_order="left"
            ).with_columns(pl.col("article_n_docs").fill_null(0))

        self.add("sources#counts", sources_frame, ("source_id",), [sources_check],
                 [("sources", ["source_id", "n_docs"]), ("articles", ["source_id"])])

        coverage_checks = [
            Check("entity_coverage.n_mentions_matches_mentions", "entity_coverage", ERROR,
                  "n_mentions equals the mentions of the entity in the source's documents",
                  "ExpectColumnPairValuesToBeEqual", {"column_A": "n_mentions", "column_B": "counted_mentions"}),
            Check("entity_coverage.first_sent_no_matches_mentions", "entity_coverage", ERROR,
                  "first_sent_no is the earliest sent_no of those mentions",
                  "ExpectColumnPairValuesToBeEqual", {"column_A": "first_sent_no", "column_B": "counted_first_sent_no"}),
        ]

        def coverage_frame() -> pl.DataFrame:
            counted = (
                self.tables["mentions"].select("sent_id", "entity_id")
                # Duplicate keys upstream are reported by their own checks, not multiplied here.
                .join(self.tables["sentences"].select("sent_id", "doc_id", "sent_no").unique("sent_id", keep="first"),
                      on="sent_id", how="inner")
                .join(self.tables["articles"].select("doc_id", "source_id").unique("doc_id", keep="first"),
                      on="doc_id", how="inner")
                .group_by("entity_id", "source_id")
                .agg(pl.len().cast(pl.Int64).alias("counted_mentions"),
                     pl.col("sent_no").min().alias("counted_first_sent_no"))
            )
            return self.tables["entity_coverage"].select("entity_id", "source_id", "n_mentions", "first_sent_no").join(
                counted, on=["entity_id", "source_id"], how="left", maintain_order="left"
            ).with_columns(pl.col("counted_mentions").fill_null(0))

        self.add("entity_coverage#counts", coverage_frame, ("entity_id", "source_id"), coverage_checks,
                 [("entity_coverage", ["entity_id", "source_id", "n_mentions", "first_sent_no"]),
                  ("mentions", ["sent_id", "entity_id"]), ("sentences", ["sent_id", "doc_id", "sent_no"]),
                  ("articles", ["doc_id", "source_id"])])

        agreement_check = Check(
            "source_agreement.shared_split", "source_agreement", ERROR,
            "n_agreeing + n_conflicting equals n_shared_claims",
            "ExpectColumnPairValuesToBeEqual", {"column_A": "n_shared_claims", "column_B": "n_agreeing_plus_conflicting"},
        )

        def agreement_frame() -> pl.DataFrame:
            return self.tables["source_agreement"].select(
                "source_a", "source_b", "n_shared_claims",
                (pl.col("n_agreeing") + pl.col("n_conflicting")).alias("n_agreeing_plus_conflicting"),
            )

        self.add("source_agreement#split", agreement_frame, ("source_a", "source_b"), [agreement_check],
                 [("source_agreement", ["source_a", "source_b", "n_shared_claims", "n_agreeing", "n_conflicting"])])

    # --- health (warnings) -------------------------------------------------------------------

    def health(self, settings: GateSettings) -> None:
        per_document = Check(
            "sentences.every_document_has_sentences", "sentences", WARNING,
            "each accepted document yields at least one sentence",
            "ExpectColumnValuesToBeBetween", {"column": "n_sentences", "min_value": 1, "max_value": None},
        )

        def per_document_frame() -> pl.DataFrame:
            counts = self.tables["sentences"].group_by("doc_id").agg(pl.len().cast(pl.Int64).alias("n_sentences"))
            return self.tables["documents"].select("doc_id", "path").join(
                counts, on="doc_id", how="left", maintain_order="left"
            ).with_columns(pl.col("n_sentences").fill_null(0))

        self.add("documents#sentences", per_document_frame, ("doc_id", "path"), [per_document],
                 [("documents", ["doc_id", "path"]), ("sentences", ["doc_id"])])

        self.share(
            Check("mentions.sentences_with_entity_share", "mentions", WARNING,
                  f"at least {settings.min_entity_sentence_share:.0%} of sentences mention an entity",
                  "ExpectColumnMeanToBeBetween",
                  {"column": "has_entity", "min_value": settings.min_entity_sentence_share, "max_value": None}),
            "sentences",
            lambda: with_membership(self.tables["sentences"].select("sent_id"), ["sent_id"],
                                    self.tables["mentions"], ["sent_id"], "has_entity"),
            [("sentences", ["sent_id"]), ("mentions", ["sent_id"])],
        )
        self.share(
            Check("time_expressions.resolved_share", "time_expressions", WARNING,
                  f"at least {settings.min_resolved_time_share:.0%} of time expressions resolve to a date",
                  "ExpectColumnMeanToBeBetween",
                  {"column": "is_resolved", "min_value": settings.min_resolved_time_share, "max_value": None}),
            "time_expressions",
            lambda: self.tables["time_expressions"].select(pl.col("value_date").is_not_null().alias("is_resolved")),
            [("time_expressions", ["value_date"])],
        )

    def share(self, check: Check, population: str, frame_builder, needs) -> None:
        """A share over the rows of `population`; undefined (skipped) when there are none."""
        self.declared.append(check)
        reason = self.first_problem(needs)
        if reason is None and self.tables[population].height == 0:
            reason = f"{population} is empty: the share is undefined"
        if reason:
            self.skipped.append((check, reason))
            return
        column = check.kwargs["column"]
        self.batches.append(Batch(check.check_id, frame_builder().select(pl.col(column).cast(pl.Float64)),
                                  (), (check,)))


def with_membership(frame: pl.DataFrame, cols: list[str], target: pl.DataFrame, target_cols: list[str],
                    flag: str) -> pl.DataFrame:
    """`frame` with a boolean column `flag`: does the row's `cols` tuple occur among `target_cols`?

    A hash join on the distinct target keys: linear, and the frame keeps its row order.
    """
    keys = target.select([pl.col(t).alias(c) for t, c in zip(target_cols, cols)]).unique().with_columns(
        pl.lit(True).alias(flag))
    return frame.join(keys, on=cols, how="left", maintain_order="left").with_columns(pl.col(flag).fill_null(False))


def plan_checks(
    tables: Mapping[str, pl.DataFrame],
    input_files: Sequence[str] | Mapping[str, int | None] | None,
    settings: GateSettings,
) -> Plan:
    """Every check of the gate, with the frames they run on (pure: no IO, no Great Expectations)."""
    planner = _Planner(tables)
    documents = tables.get("documents")
    has_documents = documents is not None and documents.height > 0
    for table in TABLES.values():
        planner.structure(table)
        planner.row_rules(table, has_documents)
        planner.references(table)
        planner.offsets(table)
        planner.document_consistency(table)
    planner.input_files(input_files)
    planner.articles_cover_documents()
    planner.count_reconciliation()
    planner.health(settings)
    table_order = {name: i for i, name in enumerate(TABLES)}
    checks = sorted(planner.declared, key=lambda c: table_order[c.table])  # stable: planning order within a table
    ids = [c.check_id for c in checks]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate check ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return Plan(tuple(planner.batches), tuple(planner.skipped), tuple(checks))
