"""Where each offending row comes from, for a person reading a failure: the input file
(`documents.path`) and the sentence (`sentences.text`, shortened).

Ids alone do not tell a user which article to open. Every sample row of a failed check whose table
points at a document or a sentence (`doc_id`/`sent_id`, `doc_id_a`/`sent_id_a`, `doc_id_b`/`sent_id_b`)
gains `document_path` and `sentence` (with the same `_a`/`_b` suffix). The ids are read from the
sample row, else from the table's row with the sample's key (a conflict's sentences, for one), and a
sentence's document from `sentences` or, for a sentence that is not there, from its id
(`<doc_id>:<block_no>:<n>`). Pure polars; a table that is missing or unreadable only means less context.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence

import polars as pl

from pipeline.quality.results import CONTEXT_POINTERS, FAILED, CheckResult
from pipeline.schemas import TABLES

log = logging.getLogger("pipeline.quality")

SENTENCE_CHARS = 120  # longest sentence quoted in a failure


def shorten(text: str, limit: int = SENTENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pointers(table_name: str) -> list[tuple[str, str, str]]:
    columns = set(TABLES[table_name].column_names)
    return [p for p in CONTEXT_POINTERS if p[0] in columns or p[1] in columns]


def _ids_by_key(table_name: str, rows: Sequence[dict], tables: Mapping[str, pl.DataFrame]) -> list[dict]:
    """For each sample row, the pointer columns of the table's row with the same key ({} if none)."""
    table = TABLES[table_name]
    df = tables.get(table_name)
    wanted = [c for d, s, _ in _pointers(table_name) for c in (d, s) if c in table.column_names]
    if df is None or not table.key or not wanted or not set(table.key) | set(wanted) <= set(df.columns):
        return [{} for _ in rows]
    found = []
    for row in rows:
        if not all(k in row and row[k] is not None for k in table.key) or all(c in row for c in wanted):
            found.append({})
            continue
        try:
            match = df.filter(pl.all_horizontal([pl.col(k) == row[k] for k in table.key])).select(wanted).head(1)
        except Exception:  # noqa: BLE001 - a key of another type than declared: no context for this row
            found.append({})
            continue
        found.append(match.row(0, named=True) if match.height else {})
    return found


def _lookup(df: pl.DataFrame | None, key: str, value: str, wanted: set[str]) -> dict[str, str]:
    if df is None or not wanted or not {key, value} <= set(df.columns):
        return {}
    rows = df.select(pl.col(key).cast(pl.Utf8), pl.col(value).cast(pl.Utf8)).filter(pl.col(key).is_in(sorted(wanted)))
    return {k: v for k, v in rows.unique(subset=[key], keep="first", maintain_order=True).iter_rows() if v is not None}


def add_context(results: Sequence[CheckResult], tables: Mapping[str, pl.DataFrame]) -> list[CheckResult]:
    """`results` with each failed check's sample rows extended by their document path and sentence."""
    try:
        return _add_context(results, tables)
    except Exception as err:  # noqa: BLE001 - context helps a reader; its absence never stops the gate
        log.warning("could not add document paths and sentences to the failures: %s: %s", type(err).__name__, err)
        return list(results)


def _add_context(results: Sequence[CheckResult], tables: Mapping[str, pl.DataFrame]) -> list[CheckResult]:
    # 1. The document and sentence ids of every sample row, per pointer pair.
    ids: dict[int, list[dict[str, tuple[str | None, str | None]]]] = {}
    for i, result in enumerate(results):
        pointers = _pointers(result.check.table) if result.status == FAILED and result.sample_rows else []
        if not pointers:
            continue
        by_key = _ids_by_key(result.check.table, result.sample_rows, tables)
        ids[i] = [
            {suffix: (_as_id(row.get(doc_col, extra.get(doc_col))), _as_id(row.get(sent_col, extra.get(sent_col))))
             for doc_col, sent_col, suffix in pointers}
            for row, extra in zip(result.sample_rows, by_key)
        ]
    if not ids:
        return list(results)

    # 2. Sentences and paths, looked up once for all rows.
    wanted_sentences = {s for rows in ids.values() for row in rows for _, s in row.values() if s}
    sentence_text = _lookup(tables.get("sentences"), "sent_id", "text", wanted_sentences)
    sentence_doc = _lookup(tables.get("sentences"), "sent_id", "doc_id", wanted_sentences)
    wanted_docs = {d or sentence_doc.get(s or "") or (s or "").split(":", 1)[0]
                   for rows in ids.values() for row in rows for d, s in row.values()} - {""}
    path_of = _lookup(tables.get("documents"), "doc_id", "path", wanted_docs)

    # 3. The rows, extended.
    out = list(results)
    for i, rows in ids.items():
        samples = []
        for sample, pointers in zip(results[i].sample_rows, rows):
            extended = dict(sample)
            for suffix, (doc_id, sent_id) in pointers.items():
                doc_id = doc_id or sentence_doc.get(sent_id or "") or (sent_id or "").split(":", 1)[0]
                has_path = "document_path" + suffix in extended or (not suffix and "path" in extended)
                if doc_id in path_of and not has_path:
                    extended["document_path" + suffix] = path_of[doc_id]
                if sent_id in sentence_text and "sentence" + suffix not in extended:
                    extended["sentence" + suffix] = shorten(sentence_text[sent_id])
            samples.append(extended)
        out[i] = dataclasses.replace(results[i], sample_rows=tuple(samples))
    return out


def _as_id(value) -> str | None:
    return value if isinstance(value, str) and value else None
