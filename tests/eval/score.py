"""Score the pipeline's claims and conflicts against the evaluation gold (pure functions on frames).

Gold items (document, substring) are mapped to pipeline sentences by document path and containment of the
folded substring in the folded sentence text. Then:

- every reported conflict is true when one sentence holds an item of side a and the other an item of
  side b of a gold disagreement; otherwise it is false, with a reason (a must-not-conflict pair, two
  different gold events, a sentence the gold does not name, two compatible statements of one claim, two
  different claims);
- conflict precision is over every confirmed conflict (the pipeline's `status`; a table without that
  column has only confirmed conflicts); recall is the share of gold disagreements found by at least one
  confirmed conflict; `to_check` conflicts are counted apart;
- claim precision and recall are pairwise, over cross-document pairs of gold-named sentences that share a
  predicted claim (`claim_evidence`) against those that share a gold claim.
"""

from __future__ import annotations

from itertools import combinations

import polars as pl

from tests.eval.gold import Gold, Item, sentence_key

SNIPPET_CHARS = 160


def _ratio(num: int, den: int, empty: float | None) -> float | None:
    return round(num / den, 4) if den else empty


def pr(tp: int, n_pred: int, n_truth: int) -> dict:
    """Precision and recall; precision is null when nothing is predicted."""
    return {"precision": _ratio(tp, n_pred, None), "recall": _ratio(tp, n_truth, None),
            "tp": tp, "n_predicted": n_pred, "n_truth": n_truth}


def gold_doc_ids(gold: Gold, documents: pl.DataFrame, seeds_dir: str = "seeds") -> dict[str, str]:
    """Pipeline doc_id -> gold document id, by path relative to the seeds folder."""
    by_path = {d.path: d.doc for d in gold.documents.values()}
    prefix = seeds_dir.rstrip("/") + "/"
    out = {}
    for doc_id, path in documents.select("doc_id", "path").iter_rows():
        rel = path[len(prefix):] if path.startswith(prefix) else path
        if rel in by_path:
            out[doc_id] = by_path[rel]
    return out


def map_items(gold: Gold, sentences: pl.DataFrame, doc_ids: dict[str, str]) -> dict[Item, list[str]]:
    """Each gold item -> the sentence ids (of its document) whose folded text contains it."""
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for sent_id, doc_id, text in sentences.select("sent_id", "doc_id", "text").iter_rows():
        if doc_id in doc_ids:
            by_doc.setdefault(doc_ids[doc_id], []).append((sent_id, sentence_key(text or "")))
    out: dict[Item, list[str]] = {}
    for item in sorted(gold.items()):
        needle = sentence_key(item[1])
        out[item] = sorted(s for s, text in by_doc.get(item[0], ()) if needle in text)
    return out


def _sentence_items(item_sents: dict[Item, list[str]]) -> dict[str, set[Item]]:
    out: dict[str, set[Item]] = {}
    for item, sents in item_sents.items():
        for s in sents:
            out.setdefault(s, set()).add(item)
    return out


def _across(items_a: set[Item], items_b: set[Item], side_a: tuple[Item, ...], side_b: tuple[Item, ...]) -> bool:
    a, b = set(side_a), set(side_b)
    return bool((items_a & a and items_b & b) or (items_a & b and items_b & a))


def judge_conflicts(gold: Gold, conflicts: pl.DataFrame, sentences: pl.DataFrame,
                    doc_ids: dict[str, str], item_sents: dict[Item, list[str]]) -> list[dict]:
    """One verdict per reported conflict row, in conflict_id order."""
    sent_items = _sentence_items(item_sents)
    item_events = gold.item_events()
    texts = dict(sentences.select("sent_id", "text").iter_rows())
    sent_doc = dict(sentences.select("sent_id", "doc_id").iter_rows())
    has_status = "status" in conflicts.columns
    has_confidence = "confidence" in conflicts.columns

    def events_of(sent_id: str) -> tuple[set[str], str]:
        items = sent_items.get(sent_id, set())
        events = set().union(*(item_events.get(i, set()) for i in items)) if items else set()
        if events:
            return events, "gold_sentence"
        gold_doc = doc_ids.get(sent_doc.get(sent_id, ""))
        if gold_doc:
            return {gold.documents[gold_doc].event}, "document_main_event"
        return set(), "unknown"

    rows = []
    for row in conflicts.sort("conflict_id").iter_rows(named=True):
        sa, sb = row["sent_id_a"], row["sent_id_b"]
        ia, ib = sent_items.get(sa, set()), sent_items.get(sb, set())
        matches = sorted(c.conflict for c in gold.conflicts if _across(ia, ib, c.a, c.b))
        must_not = sorted({m.why for m in gold.must_not if _across(ia, ib, m.a, m.b)})
        ev_a, src_a = events_of(sa)
        ev_b, src_b = events_of(sb)
        cross_event = bool(ev_a and ev_b and not ev_a & ev_b)
        kind_ok = any(c.kind == row["kind"] for c in gold.conflicts if c.conflict in matches)
        if matches:
            reason = "true_conflict"
        elif must_not:
            reason = "must_not:" + "+".join(must_not)
        elif cross_event:
            reason = "different_events"
        elif not ia or not ib:
            reason = "sentence_not_in_gold"
        elif any(ia & set(c.items) and ib & set(c.items) for c in gold.claims):
            reason = "same_claim_compatible"
        else:
            reason = "different_claims"
        rows.append({
            "conflict_id": row["conflict_id"],
            "status": row["status"] if has_status else "confirmed",
            "confidence": round(float(row["confidence"]), 4) if has_confidence and row["confidence"] is not None else None,
            "kind": row["kind"],
            "is_true": bool(matches),
            "is_kind_right": kind_ok,
            "gold_conflicts": matches,
            "reason": reason,
            "is_cross_event": cross_event,
            "events_a": sorted(ev_a), "events_b": sorted(ev_b),
            "event_source": sorted({src_a, src_b}),
            "doc_a": doc_ids.get(row["doc_id_a"], row["doc_id_a"]),
            "doc_b": doc_ids.get(row["doc_id_b"], row["doc_id_b"]),
            "value_a": row["value_a"], "value_b": row["value_b"],
            "sentence_a": (texts.get(sa) or "")[:SNIPPET_CHARS],
            "sentence_b": (texts.get(sb) or "")[:SNIPPET_CHARS],
            "explanation": row["explanation"],
        })
    return rows


def conflict_scores(gold: Gold, verdicts: list[dict]) -> dict:
    confirmed = [v for v in verdicts if v["status"] == "confirmed"]
    to_check = [v for v in verdicts if v["status"] != "confirmed"]
    found = {c for v in confirmed for c in v["gold_conflicts"]}
    found_any = {c for v in verdicts for c in v["gold_conflicts"]}
    by_kind = {}
    for kind in sorted({c.kind for c in gold.conflicts}):
        ids = {c.conflict for c in gold.conflicts if c.kind == kind}
        by_kind[kind] = {"found": len(ids & found), "n_truth": len(ids),
                         "recall": _ratio(len(ids & found), len(ids), None)}

    def reasons(vs: list[dict]) -> dict:
        out: dict[str, int] = {}
        for v in vs:
            if not v["is_true"]:
                out[v["reason"]] = out.get(v["reason"], 0) + 1
        return dict(sorted(out.items()))

    n_true = sum(v["is_true"] for v in confirmed)
    return {
        "confirmed": {
            "n": len(confirmed), "n_true": n_true, "n_false": len(confirmed) - n_true,
            "precision": _ratio(n_true, len(confirmed), None),
            "n_kind_right": sum(v["is_kind_right"] for v in confirmed),
            "n_cross_event": sum(v["is_cross_event"] for v in confirmed),
            "false_by_reason": reasons(confirmed),
        },
        "recall": {
            "found": len(found), "n_truth": len(gold.conflicts),
            "recall": _ratio(len(found), len(gold.conflicts), None),
            "by_kind": by_kind,
            "missed": sorted({c.conflict for c in gold.conflicts} - found),
            "found_counting_to_check": len(found_any),
        },
        "to_check": {
            "n": len(to_check), "n_true": sum(v["is_true"] for v in to_check),
            "n_cross_event": sum(v["is_cross_event"] for v in to_check),
            "false_by_reason": reasons(to_check),
        },
    }


def claim_scores(gold: Gold, claim_evidence: pl.DataFrame, sentences: pl.DataFrame,
                 item_sents: dict[Item, list[str]]) -> dict:
    """Pairwise precision/recall of same-claim pairs of gold-named sentences from different documents."""
    sent_doc = dict(sentences.select("sent_id", "doc_id").iter_rows())

    def pairs(groups: list[set[str]]) -> set[tuple[str, str]]:
        out = set()
        for group in groups:
            for a, b in combinations(sorted(group), 2):
                if sent_doc.get(a) != sent_doc.get(b):
                    out.add((a, b))
        return out

    gold_groups = [{s for item in c.items for s in item_sents.get(item, ())} for c in gold.claims]
    named = set().union(*gold_groups) if gold_groups else set()
    predicted: dict[str, set[str]] = {}
    for claim_id, sent_id in claim_evidence.select("claim_id", "sent_id").iter_rows():
        if sent_id in named:
            predicted.setdefault(claim_id, set()).add(sent_id)
    truth, pred = pairs(gold_groups), pairs(list(predicted.values()))
    return pr(len(truth & pred), len(pred), len(truth))


VALUED_KINDS = ("quantity", "time", "date")


def missed_claim_causes(gold: Gold, claim_evidence: pl.DataFrame, facts: pl.DataFrame, claims: pl.DataFrame,
                        sentences: pl.DataFrame, item_sents: dict[Item, list[str]]) -> dict[str, dict[str, int]]:
    """Why each missed gold claim pair (cross-document, not sharing a predicted claim) was missed:
    cause -> {gold claim -> pairs}. A sentence's event is its facts' or its claims' event (the
    pipeline's tables keep no sentence -> event column), so a fact-less sentence no claim takes
    counts as having no event. Causes: `different_events`; `no_event`; within one event
    `fact_less` (one side states no fact), `no_value_fact` (no quantity/time/date on one side),
    `measure`, `modality`, `scope` (the first key of the valued facts that differs), `same_key`
    (equal keys, yet two claims: a value whose role is unknown, a facts-side split)."""
    sent_doc = dict(sentences.select("sent_id", "doc_id").iter_rows())
    claim_event = dict(claims.select("claim_id", "event_id").iter_rows())
    claims_of: dict[str, set[str]] = {}
    events_of: dict[str, set[str]] = {}
    for claim_id, sent_id in claim_evidence.select("claim_id", "sent_id").iter_rows():
        claims_of.setdefault(sent_id, set()).add(claim_id)
        if claim_event.get(claim_id):
            events_of.setdefault(sent_id, set()).add(claim_event[claim_id])
    keys_of: dict[str, set[tuple]] = {}
    has_fact: set[str] = set()
    for sent_id, event_id, kind, measure, modality, scope in facts.select(
            "sent_id", "event_id", "kind", "measure", "modality", "scope").iter_rows():
        has_fact.add(sent_id)
        if event_id:
            events_of.setdefault(sent_id, set()).add(event_id)
        if kind in VALUED_KINDS:
            keys_of.setdefault(sent_id, set()).add((kind, measure, modality, scope))
    out: dict[str, dict[str, int]] = {}
    for claim in gold.claims:
        group = sorted({s for item in claim.items for s in item_sents.get(item, ())})
        for a, b in combinations(group, 2):
            if sent_doc.get(a) == sent_doc.get(b) or claims_of.get(a, set()) & claims_of.get(b, set()):
                continue
            ea, eb = events_of.get(a, set()), events_of.get(b, set())
            ka, kb = keys_of.get(a, set()), keys_of.get(b, set())
            if not ea or not eb:
                cause = "no_event"
            elif not ea & eb:
                cause = "different_events"
            elif a not in has_fact or b not in has_fact:
                cause = "fact_less"
            elif not ka or not kb:
                cause = "no_value_fact"
            elif not {k[:2] for k in ka} & {k[:2] for k in kb}:
                cause = "measure"
            elif not {k[:3] for k in ka} & {k[:3] for k in kb}:
                cause = "modality"
            elif not ka & kb:
                cause = "scope"
            else:
                cause = "same_key"
            by_claim = out.setdefault(cause, {})
            by_claim[claim.claim] = by_claim.get(claim.claim, 0) + 1
    return {cause: dict(sorted(by_claim.items())) for cause, by_claim in sorted(out.items())}


def evaluate(gold: Gold, documents: pl.DataFrame, sentences: pl.DataFrame, claim_evidence: pl.DataFrame,
             conflicts: pl.DataFrame, seeds_dir: str = "seeds") -> dict:
    """Everything `make eval` reports, as one JSON-ready dict (deterministic)."""
    doc_ids = gold_doc_ids(gold, documents, seeds_dir)
    item_sents = map_items(gold, sentences, doc_ids)
    unmapped = [f"{doc}: {sub}" for (doc, sub), sents in sorted(item_sents.items()) if not sents]
    ambiguous = [f"{doc}: {sub}" for (doc, sub), sents in sorted(item_sents.items()) if len(sents) > 1]
    verdicts = judge_conflicts(gold, conflicts, sentences, doc_ids, item_sents)
    return {
        "documents": {"n_gold": len(gold.documents), "n_found": len(set(doc_ids.values())),
                      "missing": sorted({d.doc for d in gold.documents.values()} - set(doc_ids.values()))},
        "items": {"n": len(item_sents), "n_unmapped": len(unmapped), "unmapped": unmapped,
                  "n_in_several_sentences": len(ambiguous)},
        "has_status": "status" in conflicts.columns,
        "conflicts": conflict_scores(gold, verdicts),
        "claims": claim_scores(gold, claim_evidence, sentences, item_sents),
        "conflict_rows": verdicts,
    }


def false_conflict_lines(results: dict, limit: int | None = None) -> list[str]:
    """One readable line per false conflict (confirmed first), for debugging."""
    rows = [r for r in results["conflict_rows"] if not r["is_true"]]
    rows.sort(key=lambda r: (r["status"] != "confirmed", r["reason"], r["doc_a"], r["doc_b"], r["conflict_id"]))
    lines = []
    for r in rows[:limit]:
        lines.append(f"[{r['status']}] {r['kind']} {r['doc_a']} {r['value_a']!r} vs {r['doc_b']} {r['value_b']!r}"
                     f" -> {r['reason']} | {r['explanation'][:140]}")
    return lines


def summary_markdown(results: dict, corpus: dict) -> str:
    c, cl = results["conflicts"], results["claims"]
    conf, rec, tc = c["confirmed"], c["recall"], c["to_check"]
    fmt = lambda x: "n/a" if x is None else f"{x:.2f}"  # noqa: E731
    lines = [
        "# Evaluation on the invented dev corpus",
        "",
        f"Corpus: {corpus['n_documents']} articles, {corpus['n_outlets']} outlets, {corpus['n_stories']} stories, "
        f"{corpus['n_events']} events, {corpus['undated_share']:.0%} undated; gold: {corpus['n_claims']} claims, "
        f"{corpus['n_true_conflicts']} true disagreements, {corpus['n_must_not_sets']} must-not-conflict sets.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| conflict precision (confirmed) | {fmt(conf['precision'])} ({conf['n_true']} of {conf['n']}) |",
        f"| conflict recall (disagreements found) | {fmt(rec['recall'])} ({rec['found']} of {rec['n_truth']}) |",
        f"| confirmed conflicts between different gold events | {conf['n_cross_event']} |",
        f"| to_check conflicts (true) | {tc['n']} ({tc['n_true']}) |",
        f"| claim pairwise precision | {fmt(cl['precision'])} ({cl['tp']} of {cl['n_predicted']} pairs) |",
        f"| claim pairwise recall | {fmt(cl['recall'])} ({cl['tp']} of {cl['n_truth']} pairs) |",
        f"| gold items not found in any sentence | {results['items']['n_unmapped']} of {results['items']['n']} |",
        "",
        "Recall by kind: " + ", ".join(f"{k} {v['found']}/{v['n_truth']}" for k, v in rec["by_kind"].items()) + ".",
        "",
        "False confirmed conflicts by reason: "
        + (", ".join(f"{k} {v}" for k, v in conf["false_by_reason"].items()) or "none") + ".",
        "",
    ]
    false_lines = false_conflict_lines(results)
    if false_lines:
        lines += ["## False conflicts", ""] + [f"- {line}" for line in false_lines] + [""]
    if rec["missed"]:
        lines += ["## Missed disagreements", "", ", ".join(rec["missed"]), ""]
    return "\n".join(lines)
