"""Precision and recall of the extractors on the hand-labelled set (tests/quality/labelled.py).

Run: `python -m tests.quality.measure` (or `make quality`). Each labelled case becomes one
single-paragraph article; the whole set goes through the same functions as the `normalize`
stage (sentences → entities and mentions, time expressions, quantities). A prediction and a
label match when their spans overlap in the paragraph and, per category:

- mentions (span): always (is a name found where one is labelled?);
- mentions (linked): the entity_id is the labelled one (found AND linked right);
- time expressions: the resolved value_date is the labelled one;
- quantities: kind, unit, low and high are the labelled ones.

Matching is one-to-one. Precision = matched predictions / predictions, recall = matched
labels / labels. Entity type accuracy is reported over the matched mentions.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import polars as pl

from pipeline.nlp.entities import default_lexicon, link_mentions
from pipeline.nlp.quantities import extract_quantities
from pipeline.nlp.sentences import split_sentences
from pipeline.nlp.times import extract_time_expressions
from tests.quality.labelled import CASES


@dataclass
class Score:
    n_pred: int = 0
    n_gold: int = 0
    matched_pred: int = 0
    matched_gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.n_gold if self.n_gold else 1.0


@dataclass
class Span:
    doc_id: str
    start: int
    end: int
    value: tuple


def _doc_id(i: int) -> str:
    return f"case{i:03d}"


def _gold_spans(key: str) -> list[Span]:
    """Labels located in their paragraph (successive occurrences of a repeated surface)."""
    spans = []
    for i, case in enumerate(CASES):
        taken: list[tuple[int, int]] = []
        for label in case[key]:
            surface = label[0]
            pos = case["text"].find(surface)
            # "Landini" after "Maurizio Landini" is the next occurrence not inside an earlier label
            while pos >= 0 and any(s < pos + len(surface) and pos < e for s, e in taken):
                pos = case["text"].find(surface, pos + 1)
            if pos < 0:
                raise ValueError(f"case {i}: label {surface!r} is not in the text")
            taken.append((pos, pos + len(surface)))
            spans.append(Span(_doc_id(i), pos, pos + len(surface), tuple(label[1:])))
    return spans


def _pred_spans(df: pl.DataFrame, sentences: pl.DataFrame, value_cols: list[str]) -> list[Span]:
    """Predictions in paragraph offsets (each case is one block, so sentence start + offset)."""
    offsets = dict(zip(sentences["sent_id"], sentences["start"]))
    return [
        Span(row["doc_id"], offsets[row["sent_id"]] + row["start"], offsets[row["sent_id"]] + row["end"],
             tuple(row[c] for c in value_cols))
        for row in df.iter_rows(named=True)
    ]


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _match(preds: list[Span], golds: list[Span], same) -> tuple[Score, list[tuple[Span, Span]]]:
    score = Score(n_pred=len(preds), n_gold=len(golds))
    used: set[int] = set()
    pairs = []
    for gold in golds:
        for k, pred in enumerate(preds):
            if k in used or pred.doc_id != gold.doc_id:
                continue
            if pred.start < gold.end and gold.start < pred.end and same(pred.value, gold.value):
                used.add(k)
                pairs.append((pred, gold))
                break
    score.matched_pred = score.matched_gold = len(pairs)
    return score, pairs


def run_extractors() -> dict[str, pl.DataFrame]:
    blocks = pl.DataFrame(
        {
            "doc_id": [_doc_id(i) for i in range(len(CASES))],
            "block_no": [0] * len(CASES),
            "kind": ["paragraph"] * len(CASES),
            "text": [c["text"] for c in CASES],
        }
    )
    published = pl.DataFrame(
        {
            "doc_id": [_doc_id(i) for i in range(len(CASES))],
            "published_date": [dt.date.fromisoformat(c["published"]) for c in CASES],
        }
    )
    sentences = split_sentences(blocks)
    mentions, entities = link_mentions(sentences, default_lexicon())
    return {
        "sentences": sentences,
        "mentions": mentions,
        "entities": entities,
        "time_expressions": extract_time_expressions(sentences, published),
        "quantities": extract_quantities(sentences),
    }


def measure() -> dict[str, dict[str, float]]:
    """Precision, recall and counts per category."""
    out = run_extractors()
    sentences = out["sentences"]
    types = dict(zip(out["entities"]["entity_id"], out["entities"]["type"]))

    gold_mentions = _gold_spans("mentions")
    pred_mentions = _pred_spans(out["mentions"], sentences, ["entity_id"])
    span_score, span_pairs = _match(pred_mentions, gold_mentions, lambda p, g: True)
    link_score, _ = _match(pred_mentions, gold_mentions, lambda p, g: p[0] == g[0])
    typed = sum(types.get(p.value[0]) == g.value[1] for p, g in span_pairs)

    times = out["time_expressions"].with_columns(pl.col("value_date").cast(pl.Utf8))
    time_score, _ = _match(
        _pred_spans(times, sentences, ["value_date"]), _gold_spans("times"), lambda p, g: p[0] == g[0]
    )
    quantity_score, _ = _match(
        _pred_spans(out["quantities"], sentences, ["kind", "unit", "low", "high"]),
        _gold_spans("quantities"),
        lambda p, g: p[0] == g[0] and p[1] == g[1] and _same_number(p[2], g[2]) and _same_number(p[3], g[3]),
    )
    results = {}
    for name, score in (
        ("mentions (span)", span_score),
        ("mentions (linked)", link_score),
        ("time expressions", time_score),
        ("quantities", quantity_score),
    ):
        results[name] = {
            "precision": score.precision,
            "recall": score.recall,
            "n_predicted": score.n_pred,
            "n_labelled": score.n_gold,
        }
    results["mentions (span)"]["type_accuracy"] = typed / len(span_pairs) if span_pairs else 1.0
    return results


def main() -> None:
    results = measure()
    print(f"Labelled set: {len(CASES)} paragraphs (tests/quality/labelled.py)\n")
    print(f"{'category':<20} {'precision':>9} {'recall':>7} {'predicted':>9} {'labelled':>8}")
    for name, r in results.items():
        print(f"{name:<20} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['n_predicted']:>9} {r['n_labelled']:>8}")
    print(f"\nentity type accuracy on matched mentions: {results['mentions (span)']['type_accuracy']:.3f}")


if __name__ == "__main__":
    main()
