"""What the report says: its sections, built from the tables, the charts and the metrics.

This is where numbers become sentences a reader understands in a minute, and where every claim
and conflict is tied to its evidence (source, sentence text, sent_id). It produces the plain-text
document model of `page.py`; nothing here escapes or renders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import polars as pl

from pipeline.reporting import data
from pipeline.reporting.data import Limits, Tables
from pipeline.reporting.figures import Chart
from pipeline.reporting.page import (
    Bullets,
    Cards,
    Cell,
    Code,
    Evidence,
    Heading,
    Image,
    Paragraph,
    Report,
    Section,
    TableBlock,
)

# How each kind of conflict reads in a sentence ("they disagree on …").
KIND_PHRASES = {
    "quantity": "numbers (counts, durations, amounts)",
    "date": "dates",
    "polarity": "whether something happened at all",
    "attribution": "who said or did something",
}
STANCE_WORDS = {"supports": None, "conflicts": "contradicts"}
MAX_NAMES_IN_CELL = 12
MAX_SUMMARY_EXAMPLES = 3  # disputed facts quoted at the top of the page
PAGE_LABEL_CHARS = 80  # the page has room for full source names (charts cut them shorter)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else (plural_form or singular + 's')}"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _shown_note(shown: int, total: int, what: str, where: str) -> str:
    if total <= shown:
        return ""
    return f"Showing {shown:,} of {total:,} {what}; all of them are in {where}."


def _names(names: list[str]) -> str:
    head = names[:MAX_NAMES_IN_CELL]
    more = len(names) - len(head)
    return ", ".join(head) + (f" and {more} more" if more else "")


def _evidence(source: str | None, sent_id: str | None, text: str | None, stance: str | None = None) -> Evidence:
    return Evidence(source=source, sent_id=sent_id, text=text, stance=STANCE_WORDS.get(stance) if stance else None)


# --- summary -------------------------------------------------------------------------------------


def summary_sentences(
    metrics: Mapping, pairs: pl.DataFrame, events: pl.DataFrame, anomalies: pl.DataFrame, min_shared: int
) -> list[str]:
    """The top of the page: what was read, what was found, where the sources disagree."""
    out = []
    read = (
        f"{plural(metrics['documents'], 'article')} from {plural(metrics['sources'], 'source')} were analysed"
    )
    if metrics["rejected"]:
        read += f"; {plural(metrics['rejected'], 'input file')} could not be used (see Rejected files)"
    out.append(read + ".")

    dates = events["event_date"].drop_nulls()
    if events.height:
        span = ""
        if dates.len():
            first, last = dates.min(), dates.max()
            span = f", dated {first.isoformat()}" if first == last else f", dated from {first.isoformat()} to {last.isoformat()}"
            undated = events.height - dates.len()
            span += f" ({undated:,} without a date)" if undated else ""
        planned = int(events["is_planned"].sum() or 0)
        span += f"; {planned:,} of them announced or planned rather than past" if planned else ""
        out.append(f"They report {plural(events.height, 'distinct event')}{span}.")
    else:
        out.append("No distinct events were identified.")

    claims, shared = metrics["claims"], metrics["claims_multi_source"]
    out.append(
        f"{plural(claims, 'fact')} {'was' if claims == 1 else 'were'} extracted; "
        f"{shared:,} of them {'is' if shared == 1 else 'are'} reported by two or more sources and can be compared."
    )

    kinds = metrics["conflicts"]
    if metrics["conflicts_total"]:
        parts = [f"{n:,} on {KIND_PHRASES.get(kind, kind)}" for kind, n in kinds.items() if n]
        out.append(
            f"Sources contradict each other on {plural(metrics['claims_in_conflict'], 'fact')} "
            f"({plural(metrics['conflicts_total'], 'pair')} of incompatible sentences: {'; '.join(parts)})."
        )
    elif shared:
        out.append("No contradiction was found between sources on the facts they share.")
    to_check = metrics.get("conflicts_to_check", 0)
    if to_check:
        out.append(
            f"{plural(to_check, 'more pair')} of sentences may disagree but {'is' if to_check == 1 else 'are'} not "
            "certain enough to count: they are left to a reader to judge (see To check) and are in no rate or chart."
        )

    solid = pairs.filter(~pl.col("is_small_sample") & pl.col("agreement_rate").is_not_null())
    if solid.height:
        ordered = solid.sort(["agreement_rate", "n_shared_claims", "label_a", "label_b"], descending=[True, True, False, False])
        best = ordered.row(0, named=True)
        worst = ordered.row(-1, named=True)
        out.append(
            f"Closest agreement: {best['label_a']} and {best['label_b']} "
            f"({best['n_agreeing']} of {best['n_shared_claims']} shared facts agree)."
        )
        if solid.height > 1 and worst["agreement_rate"] < best["agreement_rate"]:
            out.append(
                f"Least agreement: {worst['label_a']} and {worst['label_b']} "
                f"({worst['n_agreeing']} of {worst['n_shared_claims']} shared facts agree)."
            )
    elif pairs.height:
        out.append(
            f"No pair of sources shares {min_shared} or more facts, so the agreement rates below are only indicative."
        )

    copies = metrics.get("near_duplicate_pairs", 0)
    if copies:
        out.append(
            f"{plural(copies, 'pair')} of articles {'is a near-copy' if copies == 1 else 'are near-copies'} of each "
            "other (e.g. the same agency text under two outlets): agreement between their sources partly reflects "
            "copying, not independent reporting."
        )

    if anomalies.height:
        counts = Counter(anomalies["kind"].to_list())
        listed = ", ".join(f"{kind.replace('_', ' ')} ({n})" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(f"{plural(anomalies.height, 'problem')} found inside single articles: {listed}.")
    return out


def quality_sentence(quality: Mapping | None) -> str | None:
    """One line on the validate stage's verdict, when its summary says one."""
    if not quality:
        return None
    success = quality.get("is_passing", quality.get("success"))
    if not isinstance(success, bool):
        return None
    totals = quality.get("totals") if isinstance(quality.get("totals"), Mapping) else quality
    evaluated, failed = totals.get("evaluated"), totals.get("failed")
    counts = ""
    if isinstance(evaluated, int):
        counts = f" ({evaluated:,} checks" + (f", {failed:,} failed" if isinstance(failed, int) else "") + ")"
    verdict = "passed" if success else "did NOT pass: read the figures below with care"
    return f"Data-quality checks on the tables {verdict}{counts}; details in reports/quality/index.html."


# --- sections ------------------------------------------------------------------------------------


def dispute_examples(conflicts: pl.DataFrame) -> list[str]:
    """'For example: "<fact>": A says X, B says Y.' for the first rows of `conflict_rows`."""
    return [
        f"For example, “{data.truncate(r['claim'] or '', 120)}”: {r['source_a']} says {r['value_a']}, "
        f"{r['source_b']} says {r['value_b']}."
        for r in conflicts.iter_rows(named=True)
    ]


def _summary_section(
    t: Tables, metrics: Mapping, pairs: pl.DataFrame, labels: dict[str, str], limits: Limits,
    quality: Mapping | None,
) -> Section:
    cards = Cards(
        (
            (f"{metrics['documents']:,}", "articles"),
            (f"{metrics['sources']:,}", "sources"),
            (f"{metrics['events']:,}", "events"),
            (f"{metrics['claims']:,}", "facts extracted"),
            (f"{metrics['claims_multi_source']:,}", "facts shared by ≥ 2 sources"),
            (f"{metrics['claims_in_conflict']:,}", "facts in dispute"),
            (f"{metrics.get('conflicts_to_check', 0):,}", "pairs to check"),
            (
                percent(metrics["mean_agreement_rate"]),
                f"mean agreement ({plural(metrics['source_pairs_sharing_claims'], 'source pair')})",
            ),
            (f"{metrics['rejected']:,}", "files rejected"),
        )
    )
    bullets = summary_sentences(metrics, pairs, t.events, t.anomalies, limits.min_shared_claims)
    bullets += dispute_examples(data.conflict_rows(t, t.conflicts, labels, MAX_SUMMARY_EXAMPLES))
    quality_line = quality_sentence(quality)
    if quality_line:
        bullets.append(quality_line)
    blocks: list = [cards, Bullets(tuple(bullets))]
    if t.unreadable:
        blocks.append(
            Paragraph(
                "Warning: some tables could not be read, so the report is incomplete: " + "; ".join(t.unreadable) + "."
            )
        )
    return Section("summary", "At a glance", tuple(blocks))


def _kind_cell(kind: str, confidence: float | None) -> Cell:
    return kind if confidence is None else (kind, f"confidence {confidence:.2f}")


def _value_cell(value: str | None, attributed_to: str | None) -> Cell:
    return (value, f"according to {attributed_to}") if attributed_to else value


def _conflict_table(rows: pl.DataFrame, why: str, empty: str, note: str) -> TableBlock:
    return TableBlock(
        columns=("Fact in dispute", "Kind", "One source says", "Value", "Another source says", "Value", why),
        rows=[
            (
                (r["claim"] or "(claim not found)", Code(r["claim_id"]), Code(r["conflict_id"])),
                _kind_cell(r["kind"], r["confidence"]),
                _evidence(r["source_a"], r["sent_id_a"], r["text_a"]),
                _value_cell(r["value_a"], r["attributed_to_a"]),
                _evidence(r["source_b"], r["sent_id_b"], r["text_b"]),
                _value_cell(r["value_b"], r["attributed_to_b"]),
                r["explanation"],
            )
            for r in rows.iter_rows(named=True)
        ],
        empty=empty,
        note=note,
        wide=frozenset({0, 2, 4, 6}),
    )


def _conflicts_section(t: Tables, labels: dict[str, str], limits: Limits) -> Section:
    rows = data.conflict_rows(t, t.conflicts, labels, limits.max_rows)
    table = _conflict_table(
        rows, "Why both cannot hold",
        empty="No two sentences were found stating the same fact incompatibly.",
        note=_shown_note(rows.height, t.conflicts.height, "conflicts", "the conflicts table (status confirmed)"),
    )
    intro = Paragraph(
        "Each row is a pair of sentences from the articles that report the same fact in ways that cannot both be "
        "true, with the pipeline's confidence that they do. The sentence identifiers (sent_id) locate each "
        "sentence in the sentences table. Pairs it is less sure of are under To check, not here."
    )
    return Section("disagreements", "Where the sources disagree", (intro, table))


def _to_check_section(t: Tables, labels: dict[str, str], limits: Limits) -> Section:
    rows = data.conflict_rows(t, t.conflicts_to_check, labels, limits.max_rows, by_confidence=True)
    table = _conflict_table(
        rows, "Why they may be the same measure",
        empty="Every disagreement found is confirmed: nothing is left to check.",
        note=_shown_note(rows.height, t.conflicts_to_check.height, "pairs to check",
                         "the conflicts table (status to_check)"),
    )
    intro = Paragraph(
        "Pairs of sentences that look incompatible, but where the pipeline is not sure that both speak of the "
        "same measure of the same event (confidence below the aggregate stage's min_conflict_confidence). They "
        "count in no headline, rate or chart. Most likely first: read both sentences and decide."
    )
    return Section("to-check", "To check", (intro, table))


def _figures_section(t: Tables, labels: dict[str, str], chart: Chart, limits: Limits) -> Section:
    figures = data.outlet_figures(t.facts, t.events, labels, limits)
    rows = figures.rows
    texts = dict(data.sentence_texts(t.sentences, rows["sent_id"].to_list()).rows())
    table = TableBlock(
        columns=("Event and measure", "Source", "Given by", "Modality", "Scope", "Value", "Evidence"),
        rows=[
            (
                (
                    f"{r['event_label'] or r['event_id']}"
                    + (f" ({r['event_date'].isoformat()})" if r["event_date"] else ""),
                    r["measure"],
                ),
                r["source"],
                r["attributed_to"] or "the outlet itself",
                r["modality"],
                r["scope"],
                (data.interval_text(r["low"], r["high"], r["kind"], r["unit"], r["qualifier"]), f"as written: {r['value']}"),
                (_evidence(None, r["sent_id"], texts.get(r["sent_id"])),)
                + ((f"… and {r['n_sentences'] - 1} more sentences saying the same",) if r["n_sentences"] > 1 else ()),
            )
            for r in rows.iter_rows(named=True)
        ],
        empty="No measure of an event is stated by two or more sources.",
        note=_join_sentences(
            f"Showing {rows['panel_no'].n_unique() if rows.height else 0:,} of {figures.n_measures_total:,} "
            "measures (those stated by the most sources); all values are in the facts table."
            if figures.n_measures_total > limits.max_figure_measures else "",
            f"At most {limits.max_values_per_measure} values per measure; some measures have more."
            if rows.height and (rows["n_values"] > limits.max_values_per_measure).any() else "",
            f"{plural(figures.n_unplaced_facts, 'value')} whose event could not be told "
            f"{'is' if figures.n_unplaced_facts == 1 else 'are'} compared with nothing and not shown."
            if figures.n_unplaced_facts else "",
        ),
        wide=frozenset({0, 6}),
    )
    caption = (
        "Each panel is one measure of one event (e.g. the crowd in the square at a funeral) that two or more "
        "sources state; each row is one value, with the outlet and who gives the figure (police, organisers, a "
        "government), coloured by modality: a forecast or a snapshot is not a final count."
    )
    return Section(
        "figures", "Figures by outlet",
        (Image(chart.file, chart.title, chart.alt, caption), Heading("The values and their sentences"), table),
    )


def _join_sentences(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _agreement_section(t: Tables, pairs: pl.DataFrame, labels: dict[str, str], chart: Chart, limits: Limits) -> Section:
    caption = (
        "Agreement rate of a pair = facts on which the two sources do not contradict each other ÷ facts both report. "
        f"Pairs sharing fewer than {limits.min_shared_claims} facts are hatched: their rate rests on too few facts."
    )
    shown = pairs.head(limits.max_rows)
    table = TableBlock(
        columns=("Source", "Source", "Shared facts", "Agree", "Contradict", "Via copied articles", "Only first",
                 "Only second", "Agreement", "Overlap (Jaccard)", "Note"),
        rows=[
            (
                r["label_a"], r["label_b"], r["n_shared_claims"], r["n_agreeing"], r["n_conflicting"],
                r["n_copied_claims"], r["n_only_a"], r["n_only_b"], percent(r["agreement_rate"]),
                f"{r['coverage_jaccard']:.2f}",
                "small sample" if r["is_small_sample"] else "",
            )
            for r in shown.iter_rows(named=True)
        ],
        empty="No two sources report a fact in common.",
        note=_shown_note(shown.height, pairs.height, "pairs of sources", "the source_agreement table"),
    )
    return Section(
        "agreement", "Agreement between sources",
        (Image(chart.file, chart.title, chart.alt, caption), Heading("Pairs of sources that share facts"), table),
    )


def _evidence_cells(evidence: pl.DataFrame) -> dict[str, tuple]:
    cells: dict[str, list] = {}
    totals: dict[str, int] = {}
    for r in evidence.iter_rows(named=True):
        cells.setdefault(r["claim_id"], []).append(_evidence(r["source"], r["sent_id"], r["text"], r["stance"]))
        totals[r["claim_id"]] = r["n_evidence"]
    out = {}
    for claim_id, items in cells.items():
        more = totals[claim_id] - len(items)
        out[claim_id] = tuple(items) + ((f"… and {more} more sentences",) if more > 0 else ())
    return out


def _shared_section(t: Tables, labels: dict[str, str], chart: Chart, limits: Limits) -> Section:
    ranked = data.ranked_shared_claims(t.claims, t.conflicts)
    shown = ranked.head(limits.max_rows)
    evidence = _evidence_cells(
        data.evidence_rows(t, shown["claim_id"].to_list(), labels, limits.max_evidence_per_claim)
    )
    table = TableBlock(
        columns=("Fact", "Sources", "Articles", "Contradictions", "Evidence (source, sentence, sent_id)"),
        rows=[
            (
                (r["label"], Code(r["claim_id"])),
                r["n_sources"], r["n_docs"], r["n_conflicts"],
                evidence.get(r["claim_id"], ("(no evidence rows)",)),
            )
            for r in shown.iter_rows(named=True)
        ],
        empty="No fact is reported by two or more sources.",
        note=_shown_note(shown.height, ranked.height, "shared facts", "the claims and claim_evidence tables"),
        wide=frozenset({0, 4}),
    )
    caption = (
        "Green ✓: the source states the fact; vermillion ✗: one of its sentences contradicts it; orange ±: its own "
        "articles disagree; grey: the source does not report it. An omission is not a contradiction."
    )
    return Section(
        "shared", "Facts reported by several sources",
        (Image(chart.file, chart.title, chart.alt, caption), table),
    )


def _alone_section(t: Tables, labels: dict[str, str], sources: pl.DataFrame, limits: Limits) -> Section:
    rows = data.solo_claim_rows(t, labels, limits)
    evidence = _evidence_cells(data.evidence_rows(t, rows["claim_id"].to_list(), labels, limits.max_evidence_per_claim))
    table_rows = []
    for r in rows.iter_rows(named=True):
        more = r["n_solo"] - min(r["n_solo"], limits.max_solo_claims_per_source)
        source_cell = (r["source"], f"{plural(r['n_solo'], 'fact')} of its own" + (f" ({more:,} not shown)" if more else ""))
        # the source is in the first column: the evidence cell quotes the sentences only
        quotes = tuple(
            Evidence(None, e.sent_id, e.text, e.stance) if isinstance(e, Evidence) else e
            for e in evidence.get(r["claim_id"], ("(no evidence rows)",))
        )
        table_rows.append((source_cell, (r["label"], Code(r["claim_id"])), quotes))
    is_capped = rows.height >= limits.max_rows or (
        rows.height > 0 and rows["n_solo"].max() > limits.max_solo_claims_per_source
    )
    silent = sources.filter(pl.col("n_alone") == 0)["source"].to_list()
    blocks: list = [
        Paragraph(
            "Facts that only one source reports: an exclusive, a detail the others left out, or an error nobody "
            "repeated. Each is shown with the sentences it rests on."
        ),
        TableBlock(
            columns=("Source", "Fact only this source reports", "Evidence"),
            rows=table_rows,
            empty="Every fact is reported by at least two sources.",
            note=(
                f"At most {limits.max_solo_claims_per_source} facts per source and {limits.max_rows} rows in all; "
                "the claims table has the rest."
                if is_capped
                else ""
            ),
            wide=frozenset({1, 2}),
        ),
    ]
    if silent and table_rows:
        blocks.append(Paragraph("Sources with no fact of their own: " + _names(silent) + "."))
    return Section("alone", "What each source alone reports", tuple(blocks))


def _events_section(t: Tables, labels: dict[str, str], chart: Chart, limits: Limits) -> Section:
    reporters = data.with_source_label(data.event_sources(t.claims, t.claim_evidence), labels)
    names = {
        event_id: sorted(group["source"].to_list())
        for (event_id,), group in reporters.group_by("event_id", maintain_order=True)
    }
    shown = t.events.sort(["event_date", "label", "event_id"], nulls_last=True).head(limits.max_rows)
    table = TableBlock(
        columns=("Date", "Event", "Type", "Articles", "Sources reporting it"),
        rows=[
            (
                r["event_date"].isoformat() if r["event_date"] else "unknown",
                (r["label"], Code(r["event_id"])),
                f"{r['event_type']} (planned)" if r["is_planned"] else r["event_type"],
                r["n_docs"],
                f"{len(names.get(r['event_id'], []))}: {_names(names[r['event_id']])}" if r["event_id"] in names else "",
            )
            for r in shown.iter_rows(named=True)
        ],
        empty="No events were identified.",
        note=_shown_note(shown.height, t.events.height, "events", "the events table"),
        wide=frozenset({1, 4}),
    )
    return Section("events", "Events", (Image(chart.file, chart.title, chart.alt), table))


def _entities_section(chart: Chart) -> Section:
    caption = (
        "People, organisations and places found in the articles, and how often each source mentions them. "
        "A blank cell means the source never mentions the entity."
    )
    return Section("entities", "Who the sources talk about", (Image(chart.file, chart.title, chart.alt, caption),))


def _anomalies_section(t: Tables, labels: dict[str, str], limits: Limits) -> Section:
    rows = data.anomaly_rows(t, labels, limits.max_rows)
    table = TableBlock(
        columns=("Source", "Article", "Problem", "Detail", "Sentence"),
        rows=[
            (
                r["source"] or "(unknown source)",
                (r["title"] or "(untitled)", Code(r["doc_id"])),
                r["kind"].replace("_", " "),
                r["detail"],
                _evidence(None, r["sent_id"], r["text"]) if r["sent_id"] else "(whole article)",
            )
            for r in rows.iter_rows(named=True)
        ],
        empty="No problem was found inside any single article.",
        note=_shown_note(rows.height, t.anomalies.height, "problems", "the anomalies table"),
        wide=frozenset({1, 3, 4}),
    )
    intro = Paragraph(
        "Problems found inside one article, without comparing sources: e.g. a weekday that does not match the "
        "date next to it, or figures that do not add up."
    )
    return Section("anomalies", "Problems inside single articles", (intro, table))


# Where an article's publication date comes from (articles.published_date_source), for a reader.
DATE_SOURCE_WORDS = {
    "manifest": "manifest",
    "collection": "collection row",
    "html_meta": "page metadata",
    "url": "URL",
    "text": "text",
    "corpus": "text + corpus year",
}


def _read_from(r: dict):
    """The input file, or the row of a collection file ("row 12 of seeds/export.csv")."""
    if not r["path"]:
        return None
    if r["row_id"] is None:
        return Code(r["path"])
    return (f"row {r['row_id']} of", Code(r["file"]))


def _sources_section(t: Tables, sources: pl.DataFrame, labels: dict[str, str], limits: Limits) -> Section:
    shown = sources.head(limits.max_rows)
    source_table = TableBlock(
        columns=("Source", "Articles", "Facts", "Shared", "Alone", "In conflicts", "Entities", "Problems"),
        rows=[
            (
                (r["name"], Code(r["source_id"])), r["n_docs"], r["n_claims"], r["n_shared"], r["n_alone"],
                r["n_conflicts"], r["n_entities"], r["n_anomalies"],
            )
            for r in shown.iter_rows(named=True)
        ],
        empty="No sources.",
        note=_shown_note(shown.height, sources.height, "sources", "the sources table"),
        wide=frozenset({0}),
    )
    articles = data.article_rows(t, labels, limits.max_rows)
    article_table = TableBlock(
        columns=("Source", "Title", "Published", "Date from", "URL", "Document", "Read from"),
        rows=[
            (
                r["source"], r["title"] or "(untitled)",
                r["published_date"].isoformat() if r["published_date"] else "unknown",
                DATE_SOURCE_WORDS.get(r["published_date_source"], "—"),
                r["url"] or "—",
                Code(r["doc_id"]),
                _read_from(r),
            )
            for r in articles.iter_rows(named=True)
        ],
        empty="No articles were accepted.",
        note=_shown_note(articles.height, t.articles.height, "articles", "the articles table"),
        wide=frozenset({1, 4}),
    )
    copies = data.near_duplicate_rows(t, labels, limits.max_rows)
    copies_table = TableBlock(
        columns=("Article", "Near-copy of", "Shared wording"),
        rows=[
            (
                (r["label_a"], r["title_a"] or "(untitled)", Code(r["doc_id_a"])),
                (r["label_b"], r["title_b"] or "(untitled)", Code(r["doc_id_b"])),
                f"{r['shingle_jaccard']:.0%}",
            )
            for r in copies.iter_rows(named=True)
        ],
        empty="No two articles are near-copies of each other.",
        note=_shown_note(copies.height, t.near_duplicates.height, "pairs", "the near_duplicates table"),
        wide=frozenset({0, 1}),
    )
    return Section(
        "sources", "Sources and articles",
        (
            source_table,
            Heading("Articles"),
            article_table,
            Heading("Near-copies (not independent reports)"),
            Paragraph("Articles whose wording largely coincides (share of common 5-word sequences), such as one "
                      "agency dispatch published by several outlets."),
            copies_table,
        ),
    )


def _rejected_section(t: Tables, limits: Limits) -> Section:
    shown = t.rejected.sort("path").head(limits.max_rows)
    table = TableBlock(
        columns=("File", "Reason", "Bytes", "Detail"),
        rows=[
            (Code(r["path"]), r["reason"].replace("_", " "), r["n_bytes"], r["detail"])
            for r in shown.iter_rows(named=True)
        ],
        empty="Every input file was accepted.",
        note=_shown_note(shown.height, t.rejected.height, "rejected files", "the rejected table"),
        wide=frozenset({3}),
    )
    return Section("rejected", "Rejected files", (table,))


def _method_section(limits: Limits) -> Section:
    return Section(
        "method", "How to read this report",
        (
            Bullets(
                (
                    "A fact (claim) is one statement made by one or more sentences; sentences from different "
                    "articles are grouped under the same fact when they say the same thing.",
                    "Two sources agree on a fact when both report it and no sentence of one contradicts a sentence "
                    "of the other; the agreement rate of a pair is agreeing ÷ shared facts.",
                    f"Rates resting on fewer than {limits.min_shared_claims} shared facts are marked as small samples.",
                    "A source that does not report a fact is silent, not in disagreement.",
                    "A disagreement counts (headline, rates, charts) only when confirmed: the aggregate stage's "
                    "confidence that both sentences give the same measure of the same event reaches its "
                    "min_conflict_confidence. The others are listed under To check.",
                    "Figures by outlet compare values of one measure of one event only (what is counted, where, "
                    "and whether it is a forecast, a snapshot or a final figure), each with who gives it.",
                    "Every sentence is quoted with its sent_id (document:block:sentence); query it with "
                    "SELECT * FROM sentences WHERE sent_id = '…' in data/warehouse.duckdb.",
                )
            ),
        ),
    )


def build_report(
    t: Tables, limits: Limits, charts: Mapping[str, Chart], metrics: Mapping, quality: Mapping | None = None
) -> Report:
    """The whole report, as plain text in the page model (escaped only when rendered)."""
    labels = data.source_labels(t.sources, PAGE_LABEL_CHARS)
    pairs = data.pair_rows(t, labels, limits)
    sources = data.source_rows(t, labels)
    sections = (
        _summary_section(t, metrics, pairs, labels, limits, quality),
        _conflicts_section(t, labels, limits),
        _to_check_section(t, labels, limits),
        _figures_section(t, labels, charts["figures"], limits),
        _agreement_section(t, pairs, labels, charts["agreement"], limits),
        _shared_section(t, labels, charts["claims"], limits),
        _alone_section(t, labels, sources, limits),
        _events_section(t, labels, charts["events"], limits),
        _entities_section(charts["entities"]),
        _anomalies_section(t, labels, limits),
        _sources_section(t, sources, labels, limits),
        _rejected_section(t, limits),
        _method_section(limits),
    )
    return Report(
        title="How the sources agree",
        subtitle=(
            f"{plural(metrics['documents'], 'article')} from {plural(metrics['sources'], 'source')}: the facts they "
            "share, where they contradict each other, and what only one of them reports."
        ),
        sections=sections,
    )

