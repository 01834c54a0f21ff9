"""The quality page: one self-contained HTML file (inline CSS, no scripts, fonts or images).

One section per contract table, in contract order, listing every check with its severity, result
and up to N offending rows. Every piece of text is HTML-escaped. The page is a pure function of the
results, so the same tables give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from pipeline.quality.results import FAILED, PASSED, SKIPPED, CheckResult, summarize
from pipeline.schemas import TABLES

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 75rem; padding: 0 1rem; color: #1d232a; line-height: 1.4; }
h1 { margin-bottom: .25rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; }
.lead { color: #57606a; margin-top: 0; }
.banner { padding: .75rem 1rem; border-radius: 6px; font-weight: 600; margin: 1rem 0; }
.banner.ok { background: #dafbe1; color: #116329; } .banner.bad { background: #ffebe9; color: #a40e26; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
table.counts { width: auto; } table.counts th, table.counts td { overflow-wrap: normal; }
.scroll { overflow-x: auto; }
th, td { border: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
ul.failures li { margin: .2rem 0; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; }
.id { color: #57606a; display: block; }
.status { font-weight: 600; white-space: nowrap; }
.passed { color: #116329; } .failed.error { color: #a40e26; } .failed.warning { color: #9a6700; }
.skipped { color: #57606a; }
tr.row-failed-error td { background: #fff5f5; } tr.row-failed-warning td { background: #fff8e5; }
table.samples { margin: .25rem 0 0; font-size: .8rem; } table.samples td { max-width: 28rem; overflow-wrap: anywhere; }
.note { color: #57606a; }
"""


def _text(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _samples_table(rows: Sequence[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td class=\"mono\">{escape(_text(row.get(c)))}</td>" for c in columns) + "</tr>"
        for row in rows
    )
    return f'<table class="samples"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _details(result: CheckResult) -> str:
    parts = []  # each already HTML
    if result.unexpected_count is not None and result.element_count is not None:
        if result.status == FAILED:
            parts.append(f"{result.unexpected_count} of {result.element_count} rows fail")
        else:
            parts.append(f"{result.element_count} rows checked")
    # Observed values: always for numbers (a share, a row count), for other values when they fail.
    if result.observed is not None and result.unexpected_count is None and (
            result.status == FAILED or isinstance(result.observed, (int, float))):
        parts.append(f'observed: <span class="mono">{escape(_text(result.observed))}</span>')
    if result.note:
        parts.append(f'<span class="note">{escape(result.note)}</span>')
    html = "<br>".join(parts)
    if result.sample_rows:
        html += _samples_table(result.sample_rows)
    return html


def _row(result: CheckResult) -> str:
    check = result.check
    status_class = f"{result.status} {check.severity}"
    row_class = f"row-{result.status}-{check.severity}"
    return (
        f'<tr class="{row_class}" id="check-{escape(check.check_id)}">'
        f"<td>{escape(check.description)}<span class=\"id mono\">{escape(check.check_id)}</span></td>"
        f"<td class=\"mono\">{escape(check.expectation)}</td>"
        f"<td>{escape(check.severity)}</td>"
        f'<td class="status {status_class}">{escape(result.status)}</td>'
        f"<td>{_details(result)}</td>"
        "</tr>"
    )


def _counts_row(label: str, counts: dict, anchor: str | None = None) -> str:
    name = f'<a href="#{escape(anchor)}">{escape(label)}</a>' if anchor else escape(label)
    cells = "".join(f'<td class="num">{counts[k]}</td>' for k in ("evaluated", "passed", "failed", "skipped"))
    return f"<tr><td>{name}</td>{cells}</tr>"


def _counts_table(first: str, rows: list[str]) -> str:
    head = "".join(f'<th class="num">{h}</th>' for h in ("evaluated", "passed", "failed", "skipped"))
    return (f'<div class="scroll"><table class="counts"><thead><tr><th>{escape(first)}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def render_page(results: Sequence[CheckResult]) -> str:
    """The whole HTML page for `results` (as returned by `pipeline.quality.evaluate`)."""
    summary = summarize(results)
    n_errors = sum(r.is_blocking for r in results)
    n_warnings = sum(r.status == FAILED and r.check.severity == "warning" for r in results)
    if summary["is_passing"]:
        banner = f'<div class="banner ok">Passed: no error-level failures ({n_warnings} warning(s)).</div>'
    else:
        banner = (f'<div class="banner bad">Failed: {n_errors} error-level failure(s), {n_warnings} warning(s). '
                  "The pipeline stops here until they are fixed.</div>")
    severity_rows = [_counts_row(s, c) for s, c in summary["by_severity"].items()]
    severity_rows.append(_counts_row("all", summary["totals"]))
    table_rows = [_counts_row(t, c, anchor=f"table-{t}") for t, c in summary["by_table"].items()]

    failed = [r for r in results if r.status == FAILED]
    failed.sort(key=lambda r: r.check.severity != "error")  # stable: errors first, then warnings
    failures = ""
    if failed:
        items = "".join(
            f'<li><span class="status failed {escape(r.check.severity)}">{escape(r.check.severity)}</span> '
            f'<a href="#check-{escape(r.check.check_id)}"><code>{escape(r.check.table)}</code>: '
            f"{escape(r.check.description)}</a></li>"
            for r in failed
        )
        failures = f'<h2>Failures</h2><ul class="failures">{items}</ul>'

    sections = []
    for name, counts in summary["by_table"].items():
        table = TABLES[name]
        rows = "".join(_row(r) for r in results if r.check.table == name)
        sections.append(
            f'<section id="table-{escape(name)}"><h2><code>{escape(name)}</code></h2>'
            f'<p class="lead">{escape(table.grain[:1].upper() + table.grain[1:])}. <code>{escape(table.path)}</code>, '
            f"written by stage <code>{escape(table.stage)}</code>. {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped.</p>"
            '<div class="scroll"><table><thead><tr><th>check</th><th>expectation</th><th>severity</th>'
            f"<th>result</th><th>details and offending rows</th></tr></thead><tbody>{rows}</tbody></table></div>"
            "</section>"
        )
    legend = (f"<p class=\"lead\">Results: <span class=\"{PASSED}\">{PASSED}</span>, "
              f"<span class=\"failed error\">{FAILED}</span>, <span class=\"{SKIPPED}\">{SKIPPED}</span> "
              "(a check is skipped when its table or column is missing or of the wrong type; the structure "
              "checks report that). Error-level failures stop <code>dvc repro</code>; warnings do not.</p>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Data quality</title><style>{CSS}</style></head><body>"
        "<h1>Data quality</h1>"
        '<p class="lead">Great Expectations checks of every contract table (stage <code>validate</code>).</p>'
        f"{banner}{legend}{failures}"
        f"<h2>Summary</h2>{_counts_table('severity', severity_rows)}{_counts_table('table', table_rows)}"
        f"{''.join(sections)}"
        "</body></html>\n"
    )
