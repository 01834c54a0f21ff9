"""Tests of the `report` stage: data prep, charts, HTML/Markdown rendering, determinism, safety.

`tests.helpers.write_fake_warehouse` writes a tiny but complete set of contract tables (Italian
sentences written for these tests, one of them carrying a <script> tag, a `|` and `$` signs) under
a temporary root; `pipeline.report.run(root)` builds the report there. The browser test reuses it.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipeline.common import ROOT, empty_table, write_table
from pipeline.report import run
from pipeline.reporting import data, figures
from pipeline.reporting.content import quality_sentence, summary_sentences
from pipeline.reporting.page import Code, Evidence, Report, Section, TableBlock, md_escape, render_html, render_markdown
from pipeline.schemas import CONFLICT_KINDS
from tests.helpers import (
    ANSA,
    CLAIMS,
    CORRIERE,
    D1,
    D2,
    D3,
    D4,
    FACTS,
    IL_POST,
    UNKNOWN,
    contract_frame,
    fact,
    write_empty_warehouse,
    write_fake_warehouse,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_fake_warehouse(tmp_path_factory.mktemp("report"))
    run(root)
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    """The files the report stage writes (not the quality summary it reads)."""
    reports = root / "reports"
    written = [reports / "report.html", reports / "report.md", reports / "metrics.json"]
    written += sorted((reports / "figures").glob("*"))
    return {str(p.relative_to(reports)): p.read_bytes() for p in written}


# --- the stage end to end ------------------------------------------------------------------------


def test_run_writes_every_output(built):
    reports = built / "reports"
    for name in ("report.html", "report.md", "metrics.json"):
        assert (reports / name).stat().st_size > 0
    pngs = sorted(p.name for p in (reports / "figures").glob("*.png"))
    assert pngs == ["agreement_heatmap.png", "claim_source_matrix.png", "entity_coverage.png", "event_timeline.png",
                    "figures_by_outlet.png"]


def test_metrics_count_the_fixture(built):
    metrics = json.loads((built / "reports" / "metrics.json").read_text())
    assert metrics["documents"] == 5
    assert metrics["rejected"] == 2
    assert metrics["sources"] == 4
    assert metrics["events"] == 2
    assert metrics["claims"] == 7
    assert metrics["claims_multi_source"] == 3
    assert metrics["conflicts"] == {"quantity": 1, "date": 0, "time_of_day": 0, "polarity": 0, "attribution": 0}
    assert list(metrics["conflicts"]) == list(CONFLICT_KINDS)
    assert metrics["mean_agreement_rate"] == pytest.approx((1.0 + 0.5 + 1.0) / 3, abs=1e-4)
    assert metrics["pooled_agreement_rate"] == pytest.approx(6 / 7, abs=1e-4)


def test_two_runs_give_identical_bytes(built, tmp_path):
    other = write_fake_warehouse(tmp_path)
    run(other)
    assert _outputs(other) == _outputs(built)


def test_pngs_carry_no_software_metadata(built):
    for png in (built / "reports" / "figures").glob("*.png"):
        raw = png.read_bytes()
        assert b"matplotlib" not in raw.lower() and b"Software" not in raw


def test_html_escapes_article_text(built):
    page = (built / "reports" / "report.html").read_text()
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_is_offline_and_self_contained(built):
    page = (built / "reports" / "report.html").read_text()
    assert "http://" not in page and "https://" not in page
    srcs = [chunk.split('"', 1)[0] for chunk in page.split(' src="')[1:]]
    assert len(srcs) == 5 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert '<link' not in page and "@import" not in page and "url(" not in page


def test_conflicts_show_both_sentences_with_ids_and_sources(built):
    page = (built / "reports" / "report.html").read_text()
    section = page.split('id="disagreements"')[1].split("</section>")[0]
    for sent_id in (f"{D1}:1:0", f"{D2}:1:0"):
        assert sent_id in section
    assert "durata un&#x27;ora e mezza" in section
    assert "circa 120 minuti" in section and "circa 90 minuti" in section
    assert "Il Post" in section and "ANSA" in section
    assert "non possono descrivere" in section


def test_every_shared_claim_is_traced_to_its_sentences(built):
    page = (built / "reports" / "report.html").read_text()
    section = page.split('id="shared"')[1].split("</section>")[0]
    for claim_id, (_, _, rows) in CLAIMS.items():
        if len({src for _, src, _ in rows}) >= 2:
            assert claim_id in section
            for sent_id, _, _ in rows:
                assert sent_id in section
    assert "contradicts" in section  # ANSA's sentence on the duration


def test_each_source_alone_section_lists_its_own_facts(built):
    page = (built / "reports" / "report.html").read_text()
    section = page.split('id="alone"')[1].split("</section>")[0]
    for claim_id in ("c-zelensky", "c-note", "c-cost", "c-riad"):
        assert claim_id in section
    assert "c-tone" not in section


def test_anomalies_and_rejected_files_are_listed(built):
    page = (built / "reports" / "report.html").read_text()
    anomalies = page.split('id="anomalies"')[1].split("</section>")[0]
    assert "weekday mismatch" in anomalies and "(whole article)" in anomalies
    rejected = page.split('id="rejected"')[1].split("</section>")[0]
    assert "seeds/006_copia.txt" in rejected and "duplicate" in rejected and "the file is empty" in rejected


def test_summary_says_where_sources_disagree(built):
    page = (built / "reports" / "report.html").read_text()
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "5 articles from 4 sources" in summary
    assert "2 input files could not be used" in summary
    assert "contradict each other on 1 fact" in summary
    assert "Closest agreement: " in summary and "3 of 3" in summary
    assert "Il Post says circa 120 minuti, ANSA says circa 90 minuti" in summary


def test_markdown_has_the_same_content_escaped(built):
    md = (built / "reports" / "report.md").read_text()
    assert "<script" not in md.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "diffuso in serata \\| fonte" in md
    assert "![" in md and "](figures/agreement_heatmap.png)" in md
    for heading in ("Where the sources disagree", "What each source alone reports", "Rejected files"):
        assert f"## {heading}" in md
    tables, current = [], []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert len(tables) >= 8
    for table in tables:  # an escaped "|" inside a cell must not add a column
        widths = {re.sub(r"\\\|", "", line).count("|") for line in table}
        assert len(widths) == 1, table[0]


def test_empty_tables_give_placeholders_not_crashes(tmp_path):
    root = write_empty_warehouse(tmp_path)
    metrics = run(root)
    assert metrics["documents"] == 0 and metrics["mean_agreement_rate"] is None
    assert metrics["conflicts"] == {kind: 0 for kind in CONFLICT_KINDS}
    page = (root / "reports" / "report.html").read_text()
    assert "No two sentences were found stating the same fact incompatibly." in page
    assert len(list((root / "reports" / "figures").glob("*.png"))) == 5
    assert "No article was accepted, so there are no sources to compare." in page  # the chart's alt text


def test_single_source_gets_an_explanatory_heatmap(tmp_path):
    root = write_fake_warehouse(tmp_path)
    sources = pl.read_parquet(root / "data" / "parsed" / "sources.parquet").filter(pl.col("source_id") == IL_POST)
    write_table("sources", sources, root)
    write_table("source_agreement", empty_table("source_agreement"), root)
    run(root)
    page = (root / "reports" / "report.html").read_text()
    assert "Only one source in the corpus: there is no pair of sources to compare." in page


def test_missing_tables_are_reported_not_fatal(tmp_path):
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    run(tmp_path)
    page = (tmp_path / "reports" / "report.html").read_text()
    assert "some tables could not be read" in page and "claims: file not found" in page


# --- pure data prep ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables(built) -> data.Tables:
    return data.load_tables(built)


def test_source_labels_are_short_and_unique():
    sources = pl.DataFrame({
        "source_id": ["a", "b", "c"],
        "name": ["La Gazzetta del Mezzogiorno – Bari", "La Gazzetta del Mezzogiorno – Lecce", "Il Post"],
        "n_docs": [1, 1, 1],
    })
    labels = data.source_labels(sources, 20)
    assert labels["c"] == "Il Post"
    assert len(set(labels.values())) == 3
    assert all(len(v) <= 20 for v in labels.values())
    assert labels["a"].endswith("(a)") and "…" in labels["a"]


def test_agreement_grid_is_symmetric_with_nan_where_nothing_is_shared(tables):
    labels = data.source_labels(tables.sources, 28)
    grid = data.agreement_grid(tables.source_agreement, tables.sources, labels, data.Limits())
    assert grid.labels[0] == "ANSA" and len(grid.source_ids) == 4
    np.testing.assert_array_equal(grid.shared, grid.shared.T)
    i, j = grid.source_ids.index(ANSA), grid.source_ids.index(IL_POST)
    assert grid.rate[i, j] == 0.5 and (grid.agreeing[i, j], grid.shared[i, j]) == (1, 2)
    k = grid.source_ids.index(UNKNOWN)
    assert math.isnan(grid.rate[i, k])


def test_agreement_grid_keeps_the_sources_that_share_most_when_capped():
    n = 200
    ids = [f"s{i:03d}" for i in range(n)]
    sources = pl.DataFrame({"source_id": ids, "name": [f"Testata {i}" for i in range(n)], "n_docs": [1] * n})
    pairs = pl.DataFrame(
        [(ids[i], ids[i + 1], 10 if i < 10 else 1, 5 if i < 10 else 1, 0.5 if i < 10 else 1.0) for i in range(n - 1)],
        orient="row",
        schema=["source_a", "source_b", "n_shared_claims", "n_agreeing", "agreement_rate"],
    )
    grid = data.agreement_grid(pairs, sources, data.source_labels(sources, 28), data.Limits(max_sources=11))
    assert grid.n_sources_total == n
    assert sorted(grid.source_ids) == ids[:11]


def test_claim_matrix_marks_mixed_when_one_source_both_states_and_contradicts():
    claims = pl.DataFrame({"claim_id": ["c1"], "event_id": [None], "label": ["x"], "n_docs": [3], "n_sources": [2]},
                          schema_overrides={"event_id": pl.Utf8})
    evidence = pl.DataFrame({
        "claim_id": ["c1"] * 3, "doc_id": ["d1", "d2", "d3"], "sent_id": ["d1:0:0", "d2:0:0", "d3:0:0"],
        "source_id": ["a", "a", "b"], "similarity": [1.0] * 3, "stance": ["supports", "conflicts", "supports"],
    })
    matrix = data.claim_source_matrix(claims, evidence, empty_table("conflicts"), {"a": "A", "b": "B"}, data.Limits())
    assert matrix.source_labels == ["A", "B"]
    assert matrix.state.tolist() == [[data.MIXED, data.SUPPORTS]]


def test_claim_matrix_only_holds_claims_of_two_or_more_sources(tables):
    labels = data.source_labels(tables.sources, 28)
    matrix = data.claim_source_matrix(tables.claims, tables.claim_evidence, tables.conflicts, labels, data.Limits())
    assert set(matrix.claim_ids) == {"c-duration", "c-tone", "c-truce"}
    assert matrix.claim_ids[0] == "c-duration"  # 3 sources and disputed: first
    row = matrix.state[0]
    assert row[matrix.source_ids.index(ANSA)] == data.CONFLICTS
    assert row[matrix.source_ids.index(IL_POST)] == data.SUPPORTS
    assert UNKNOWN not in matrix.source_ids


def test_event_grid_puts_undated_events_last(tables):
    labels = data.source_labels(tables.sources, 28)
    grid = data.event_source_grid(tables.events, tables.claims, tables.claim_evidence, labels, data.Limits())
    assert grid.event_ids == ["e-call", "e-summit"]
    assert grid.event_dates == [date(2025, 3, 18), None]
    call = grid.reported[0]
    assert {grid.source_ids[j] for j in np.nonzero(call)[0]} == {ANSA, CORRIERE, IL_POST}


def test_summary_sentences_handle_no_shared_facts():
    metrics = {"documents": 1, "sources": 1, "rejected": 0, "claims": 4, "claims_multi_source": 0,
               "conflicts": {k: 0 for k in CONFLICT_KINDS}, "conflicts_total": 0, "claims_in_conflict": 0}
    pairs = data.pair_rows(
        data.Tables(**{n: empty_table(n) for n in data.COLUMNS}, conflicts_to_check=empty_table("conflicts"),
                    sentences=empty_table("sentences").lazy()),
        {}, data.Limits(),
    )
    text = " ".join(summary_sentences(metrics, pairs, empty_table("events"), empty_table("anomalies"), 3))
    assert "1 article from 1 source were analysed" in text
    assert "0 of them are reported by two or more sources" in text
    assert "contradict" not in text


# --- rendering -----------------------------------------------------------------------------------


def test_md_escape_neutralises_markup_and_pipes():
    assert md_escape("a | b") == "a \\| b"
    assert md_escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert md_escape("**grassetto** e _corsivo_") == "\\*\\*grassetto\\*\\* e \\_corsivo\\_"
    assert md_escape("# non un titolo") == "\\# non un titolo"
    assert md_escape("riga\nseguente") == "riga seguente"


def test_renderers_escape_every_text_field():
    evil = '"><script>alert(2)</script>'
    report = Report(title=evil, subtitle=evil, sections=(
        Section("s", evil, (TableBlock(columns=(evil,), rows=[(Evidence(evil, evil, evil, evil),), (Code(evil),)], empty=evil),)),
    ))
    page = render_html(report, {})
    assert "<script" not in page.lower() and "alert(2)" in page
    md = render_markdown(report)
    assert "<script" not in md.lower()


def test_summary_reports_quality_checks_and_near_copies(built):
    page = (built / "reports" / "report.html").read_text()
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "Data-quality checks on the tables passed (282 checks, 0 failed)" in summary
    assert "1 pair of articles is a near-copy of each other" in summary
    sources = page.split('id="sources"')[1].split("</section>")[0]
    assert "Il costo della pace" in sources and "82%" in sources


def test_events_table_shows_type_and_planned(built):
    page = (built / "reports" / "report.html").read_text()
    events = page.split('id="events"')[1].split("</section>")[0]
    assert "meeting (planned)" in events and ">call<" in events
    assert "Vertice di Riad" in events and "unknown" in events


def test_quality_sentence_reads_verdict_and_counts():
    assert quality_sentence(None) is None
    assert quality_sentence({"unrelated": 1}) is None
    failing = quality_sentence({"is_passing": False, "totals": {"evaluated": 10, "failed": 2}})
    assert "did NOT pass" in failing and "10 checks, 2 failed" in failing


# --- confirmed conflicts, pairs to check, figures by outlet ------------------------------------


def _section(root: Path, anchor: str) -> str:
    page = (root / "reports" / "report.html").read_text()
    return page.split(f'id="{anchor}"')[1].split("</section>")[0]


def test_headline_rates_and_tables_count_confirmed_conflicts_only(built, tables):
    metrics = json.loads((built / "reports" / "metrics.json").read_text())
    assert metrics["conflicts_total"] == 1 and metrics["conflicts"]["quantity"] == 1  # k-2 is to_check
    assert metrics["conflicts_to_check"] == 1
    disagreements = _section(built, "disagreements")
    assert "k-1" in disagreements and "k-2" not in disagreements
    assert "confidence 0.93" in disagreements
    summary = _section(built, "summary")
    assert "(1 pair of incompatible sentences" in summary and "1 more pair of sentences may disagree" in summary
    assert "oltre 120 minuti" not in summary  # no example is taken from a pair to check
    # Corriere is only in the to-check pair: it is in no conflict
    per_source = {r["source_id"]: r["n_conflicts"] for r in data.source_rows(tables, {}).iter_rows(named=True)}
    assert per_source[CORRIERE] == 0 and per_source[ANSA] == 1 and per_source[IL_POST] == 1


def test_to_check_section_quotes_both_sentences_values_confidence_and_why(built):
    section = _section(built, "to-check")
    assert "k-2" in section and "k-1" not in section
    for sent_id in (f"{D3}:2:0", f"{D2}:1:0"):
        assert sent_id in section
    assert "per il Cremlino oltre due ore" in section and "durata un&#x27;ora e mezza" in section
    assert "Corriere della Sera" in section and "ANSA" in section
    assert "oltre 120 minuti" in section and "90 minuti" in section
    assert "according to Cremlino" in section  # who gives the value, from the conflict's fact
    assert "confidence 0.55" in section
    assert "forse non la stessa telefonata" in section
    md = (built / "reports" / "report.md").read_text()
    assert "## To check" in md and "## Figures by outlet" in md


def test_to_check_pairs_are_listed_most_confident_first(tables):
    base = tables.conflicts_to_check.row(0, named=True)
    more = pl.DataFrame([{**base, "conflict_id": cid, "confidence": c} for cid, c in (("k-low", 0.2), ("k-high", 0.7))])
    conflicts = pl.concat([tables.conflicts_to_check, more.cast(tables.conflicts_to_check.schema)])
    rows = data.conflict_rows(tables, conflicts, {}, 10, by_confidence=True)
    assert rows["conflict_id"].to_list() == ["k-high", "k-2", "k-low"]
    assert data.conflict_rows(tables, conflicts, {}, 2, by_confidence=True)["conflict_id"].to_list() == ["k-high", "k-2"]


def test_conflicts_without_a_status_are_all_confirmed(tmp_path):
    old = empty_table("conflicts").drop("status", "confidence", "fact_id_a", "fact_id_b")
    confirmed, to_check = data.split_conflicts(old)
    assert to_check.is_empty() and {"status", "confidence"} <= set(confirmed.columns)
    # a warehouse written before conflicts had a status: every conflict counts
    root = write_fake_warehouse(tmp_path)
    path = root / "data" / "aggregated" / "conflicts.parquet"
    pl.read_parquet(path).drop("status", "confidence", "fact_id_a", "fact_id_b").write_parquet(path)
    metrics = run(root)
    assert metrics["conflicts_total"] == 2 and metrics["conflicts_to_check"] == 0
    assert "k-2" in _section(root, "disagreements")
    assert "Every disagreement found is confirmed" in _section(root, "to-check")


def test_a_null_status_is_not_confirmed():
    frame = pl.DataFrame({"conflict_id": ["a", "b"], "status": ["confirmed", None]}, schema_overrides={"status": pl.Utf8})
    confirmed, to_check = data.split_conflicts(frame)
    assert confirmed["conflict_id"].to_list() == ["a"] and to_check["conflict_id"].to_list() == ["b"]


def test_a_sentence_contradicting_only_in_pairs_to_check_is_not_a_contradiction():
    evidence = pl.DataFrame({
        "claim_id": ["c"] * 4, "sent_id": ["s1", "s2", "s3", "s4"], "source_id": ["a", "b", "c", "d"],
        "stance": ["supports", "conflicts", "conflicts", "conflicts"],
    })
    sides = ["claim_id", "sent_id_a", "sent_id_b"]
    confirmed = pl.DataFrame([("c", "s1", "s2")], schema=sides, orient="row")
    to_check = pl.DataFrame([("c", "s1", "s3"), ("c", "s1", "s2"), ("other", "s1", "s4")], schema=sides, orient="row")
    out = data.confirmed_stances(evidence, confirmed, to_check)
    # s2 is also in a confirmed conflict; s3 only to check; s4's pair to check is of another claim
    assert out["stance"].to_list() == ["supports", "conflicts", "supports", "conflicts"]
    assert out.columns == evidence.columns


def _figure_rows(facts: list[dict], limits: data.Limits | None = None) -> data.OutletFigures:
    events = pl.DataFrame({"event_id": ["e-call", "e-funerale"], "label": ["Telefonata", "Funerali"],
                           "event_date": [date(2025, 3, 18), date(2025, 4, 26)]})
    return data.outlet_figures(contract_frame("facts", facts), events, {}, limits or data.Limits())


def test_figures_by_outlet_one_row_per_value_each_with_interval_and_attribution():
    figures = _figure_rows(FACTS)
    rows = figures.rows
    assert set(rows["measure"]) == {"durata telefonata", "durata tregua"}  # prisoners: one source; cost: no event
    assert figures.n_measures_total == 2 and figures.n_unplaced_facts == 2
    duration = rows.filter(pl.col("measure") == "durata telefonata")
    assert duration["panel_no"].unique().to_list() == [0]  # three sources first
    got = {(r["source_id"], r["attributed_to"], r["low"], r["high"], r["qualifier"]) for r in duration.iter_rows(named=True)}
    assert got == {
        (IL_POST, None, 120.0, 120.0, "about"), (ANSA, None, 90.0, 90.0, "exact"),
        (CORRIERE, None, 120.0, None, "more_than"), (CORRIERE, "Casa Bianca", 90.0, 90.0, "exact"),
        (CORRIERE, "Cremlino", 120.0, None, "more_than"),
    }
    truce = rows.filter(pl.col("measure") == "durata tregua")
    assert truce.height == truce.select("event_id", "measure", "source_id").n_unique() == 2
    assert set(truce["sent_id"]) == {f"{D1}:2:1", f"{D4}:1:1"}
    assert rows.filter(pl.col("kind") == "polarity").is_empty()


def test_figures_by_outlet_skip_a_measure_one_source_states_even_twice():
    facts = [
        fact("a1", "e-funerale", "d1:0:0", "testata-a", "partecipanti piazza", 200000, 200000, "200mila",
             attributed_to="Questura"),
        fact("a2", "e-funerale", "d1:0:1", "testata-a", "partecipanti piazza", 250000, 250000, "250mila",
             attributed_to="organizzatori"),
        fact("b1", "e-funerale", "d2:0:0", "testata-b", "capienza piazza", 40000, 40000, "40mila"),
    ]
    assert _figure_rows(facts).rows.is_empty()


def test_figures_by_outlet_leave_out_values_whose_role_is_unknown():
    facts = [
        fact("a1", "e-guerra", "d1:0:0", "testata-a", "periodo", 3, 3, "tre anni", unit="year"),
        fact("b1", "e-guerra", "d2:0:0", "testata-b", "periodo", 10, 15, "10 o 15 anni", unit="year",
             qualifier="range", is_comparable=False),
    ]
    assert _figure_rows(facts).rows.is_empty()
    facts[1]["is_comparable"] = True  # positive control: both comparable, both shown
    assert _figure_rows(facts).rows.height == 2


def test_figures_by_outlet_merge_one_value_repeated_by_a_source():
    facts = [
        fact("a1", "e-funerale", "d1:0:0", "testata-a", "partecipanti piazza", 250000, 250000, "250mila"),
        fact("a2", "e-funerale", "d3:0:4", "testata-a", "partecipanti piazza", 250000, 250000, "duecentocinquantamila"),
        fact("b1", "e-funerale", "d2:0:0", "testata-b", "partecipanti piazza", 200000, 200000, "200mila",
             attributed_to="Questura"),
        fact("b2", "e-funerale", "d2:0:1", "testata-b", "partecipanti piazza", 150000, None, "oltre 150mila",
             modality="provisional", qualifier="more_than"),
    ]
    rows = _figure_rows(facts).rows
    assert rows.height == 3
    a = rows.filter(pl.col("source_id") == "testata-a").row(0, named=True)
    assert (a["n_sentences"], a["sent_id"], a["value"]) == (2, "d1:0:0", "250mila")
    assert rows["sent_id"].to_list() == ["d2:0:1", "d2:0:0", "d1:0:0"]  # by value: the open 150k bound first
    assert rows["modality"].to_list() == ["provisional", "outcome", "outcome"]


def test_figures_by_outlet_are_capped_with_the_totals_kept():
    facts = [
        fact(f"f{m}-{s}", "e-funerale", f"d{s}:{m}:0", f"testata-{s:02d}", f"misura {m:02d}", s, s, str(s))
        for m in range(5) for s in range(m + 2)
    ]
    figures = _figure_rows(facts, data.Limits(max_figure_measures=3, max_values_per_measure=4))
    assert figures.n_measures_total == 5
    assert sorted(figures.rows["measure"].unique()) == ["misura 02", "misura 03", "misura 04"]  # most sources
    per_panel = figures.rows.group_by("measure").agg(pl.len(), pl.col("n_values").first())
    assert per_panel.sort("measure").rows() == [("misura 02", 4, 4), ("misura 03", 4, 5), ("misura 04", 4, 6)]


def test_interval_text_reads_dates_times_and_open_bounds():
    day = (date(2025, 4, 26) - date(1970, 1, 1)).days
    assert data.interval_text(day, day, "date", "day") == "2025-04-26"
    assert data.interval_text(330, 330, "time", "minute_of_day") == "05:30"
    assert data.interval_text(360, 390, "time", "minute_of_day") == "06:00–06:30"
    assert data.interval_text(250000, 250000, "quantity", "item", "about") == "about 250,000"
    assert data.interval_text(120, None, "quantity", "minute") == "≥ 120 minute"
    assert data.interval_text(None, 3, "quantity", None) == "≤ 3"
    assert data.interval_text(None, None, "quantity", None) == "not a number"
    assert data.value_text(1.5, "quantity") == "1.5"


def test_figures_section_traces_each_value_to_its_sentence(built):
    section = _section(built, "figures")
    assert "figures_by_outlet.png" not in section or "data:image/png;base64," in section
    for sent_id in (f"{D1}:1:0", f"{D2}:1:0", f"{D3}:1:0", f"{D3}:2:0", f"{D1}:2:1", f"{D4}:1:1"):
        assert sent_id in section
    assert "Casa Bianca" in section and "Cremlino" in section and "the outlet itself" in section
    assert "≥ 120 minute" in section and "about 120 minute" in section and "as written: oltre due ore" in section
    assert "prigionieri" not in section and "costo ricostruzione" not in section
    assert "2 values whose event could not be told are compared with nothing" in section


def test_figures_chart_is_byte_identical_across_renders_and_drawn_once(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from pipeline.reporting import figures

    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(1), original(self, renderer))[1])
    outputs = []
    for name in ("one", "two"):
        chart = figures.figures_by_outlet(_figure_rows(FACTS), tmp_path / name, 110)
        assert not chart.is_placeholder and chart.file == "figures_by_outlet.png"
        outputs.append((tmp_path / name / chart.file).read_bytes())
    assert outputs[0] == outputs[1] and outputs[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in outputs[0] and b"matplotlib" not in outputs[0].lower()
    assert len(draws) == 2  # once per render: no measuring pass


def test_every_chart_is_drawn_once(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(1), original(self, renderer))[1])
    run(write_fake_warehouse(tmp_path))
    assert len(draws) == 5


def test_no_figures_gives_an_explanatory_placeholder(tmp_path):
    from pipeline.reporting import figures

    chart = figures.figures_by_outlet(_figure_rows(FACTS[7:]), tmp_path, 110)  # one source, no event, polarity
    assert chart.is_placeholder and "stated by two or more sources" in chart.alt
    assert (tmp_path / chart.file).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_figures_by_outlet_cap_keeps_every_distinct_value_before_repeats():
    facts = [  # ten outlets say 200mila, one says 250mila, one says "oltre 300mila"
        fact(f"a{s}", "e-funerale", f"d{s}:0:0", f"testata-{s:02d}", "partecipanti piazza", 200000, 200000, "200mila")
        for s in range(10)
    ] + [
        fact("b", "e-funerale", "d20:0:0", "testata-20", "partecipanti piazza", 250000, 250000, "250mila"),
        fact("c", "e-funerale", "d21:0:0", "testata-21", "partecipanti piazza", 300000, None, "oltre 300mila",
             qualifier="more_than"),
    ]
    rows = _figure_rows(facts, data.Limits(max_values_per_measure=4)).rows
    assert rows["low"].to_list() == [200000, 200000, 250000, 300000]
    assert rows["n_values"].to_list() == [12] * 4


def test_a_date_panel_zooms_on_the_days_not_on_the_epoch():
    day = float((date(2025, 4, 26) - date(1970, 1, 1)).days)
    left, right = figures.panel_limits([day, day], "date")
    assert right - left <= 10  # days around the date, not years
    left, right = figures.panel_limits([day, day + 1], "date")
    assert left < day and right > day + 1 and right - left < 5
    left, right = figures.panel_limits([330.0, 360.0], "time")  # 5.30 and 6.00: minutes
    assert 300 <= left < 330 and 360 < right <= 390
    left, right = figures.panel_limits([40000.0, 250000.0], "quantity")
    assert left < 40000 and right > 250000
