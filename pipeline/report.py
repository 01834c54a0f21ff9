"""Stage `report`: charts and a self-contained report of how the sources agree.

Reads the contract tables (raw, parsed, normalized, aggregated) and writes:
- reports/report.html: one offline page (inline CSS, images embedded, no scripts);
- reports/report.md: the same content in Markdown, images referenced as figures/<name>.png;
- reports/figures/*.png: the charts (DVC plots);
- reports/metrics.json: headline numbers (DVC metrics).
Same tables in, same bytes out. Logic lives in `pipeline.reporting`; this module only does IO.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from pipeline.common import ROOT, load_params, settings_from_params, setup_logging
from pipeline.reporting import data, figures
from pipeline.reporting.content import build_report
from pipeline.reporting.page import render_html, render_markdown

log = logging.getLogger("pipeline.report")

REPORT_DIR = "reports"
FIGURES_DIR = "figures"
QUALITY_SUMMARY = "reports/quality/summary.json"


def read_quality_summary(path: Path) -> dict | None:
    """The validate stage's summary, or None when it is absent or unreadable."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


def _draw(name: str, draw: Callable[[], figures.Chart], out_dir: Path, dpi: int) -> figures.Chart:
    """Draw one chart; if the data breaks it, a placeholder says so and the report goes on."""
    try:
        return draw()
    except Exception as err:  # noqa: BLE001 - the last stage must explain a failure, not stop on it
        log.warning("report: chart %r could not be drawn: %s: %s", name, type(err).__name__, err)
        file = figures.FILES[name]
        message = f"This chart could not be drawn ({type(err).__name__}); the tables below are unaffected."
        figures.placeholder(out_dir / file, "Chart unavailable", message, dpi)
        return figures.Chart(file, "Chart unavailable", message, is_placeholder=True)


def run(root: Path = ROOT) -> dict:
    """Build the report under `root`/reports from the tables under `root`/data; return the metrics."""
    limits = settings_from_params(data.ReportSettings, load_params("report", root), "report")
    dpi = limits.dpi
    tables = data.load_tables(root)
    labels = data.source_labels(tables.sources, limits.source_label_chars)

    report_dir = root / REPORT_DIR
    figures_dir = report_dir / FIGURES_DIR
    shutil.rmtree(figures_dir, ignore_errors=True)  # the stage owns this folder: no stale charts
    figures_dir.mkdir(parents=True)

    charts = {
        "agreement": _draw("agreement", lambda: figures.agreement_heatmap(
            data.agreement_grid(tables.source_agreement, tables.sources, labels, limits), figures_dir, dpi,
        ), figures_dir, dpi),
        "claims": _draw("claims", lambda: figures.claim_matrix(
            data.claim_source_matrix(tables.claims, tables.claim_evidence, tables.conflicts, labels, limits),
            figures_dir, dpi,
        ), figures_dir, dpi),
        "entities": _draw("entities", lambda: figures.entity_coverage(
            data.entity_source_matrix(tables.entity_coverage, tables.entities, labels, limits), figures_dir, dpi,
        ), figures_dir, dpi),
        "events": _draw("events", lambda: figures.event_timeline(
            data.event_source_grid(tables.events, tables.claims, tables.claim_evidence, labels, limits),
            figures_dir, dpi,
        ), figures_dir, dpi),
        "figures": _draw("figures", lambda: figures.figures_by_outlet(
            data.outlet_figures(tables.facts, tables.events, labels, limits), figures_dir, dpi,
        ), figures_dir, dpi),
    }
    metrics = data.summary_metrics(tables)
    quality = read_quality_summary(root / QUALITY_SUMMARY)
    report = build_report(tables, limits, charts, metrics, quality)
    images = {chart.file: (figures_dir / chart.file).read_bytes() for chart in charts.values()}

    (report_dir / "report.html").write_text(render_html(report, images), encoding="utf-8", newline="\n")
    (report_dir / "report.md").write_text(render_markdown(report, FIGURES_DIR), encoding="utf-8", newline="\n")
    (report_dir / "metrics.json").write_text(
        json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )
    return metrics


def main() -> None:
    setup_logging()
    metrics = run(ROOT)
    log.info("report: %d documents, %d sources, %d claims, %d confirmed conflicts, %d to check -> %s/report.html",
             metrics["documents"], metrics["sources"], metrics["claims"], metrics["conflicts_total"],
             metrics["conflicts_to_check"], REPORT_DIR)


if __name__ == "__main__":
    main()
