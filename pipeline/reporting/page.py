"""The report as a small document model, rendered to HTML and to Markdown.

`content.py` builds a `Report` of sections and blocks from the data; this module only renders
it. Every string in the model is plain text (article sentences included) and is escaped here,
at the single point where it meets markup: `html.escape` for HTML, HTML- plus Markdown-escaping
for Markdown, so a sentence containing `<script>` or `|` shows as written and never runs or
breaks a table. The HTML is one self-contained file: inline CSS, images as data URIs, no
scripts, fonts or requests to anywhere, and a Content-Security-Policy that forbids them anyway.
"""

from __future__ import annotations

import base64
import html
import re
import struct
from dataclasses import dataclass, field

# --- the document model --------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """An identifier (sent_id, claim_id …), shown in monospace so it can be copied into SQL."""

    text: str


@dataclass(frozen=True)
class Evidence:
    """A sentence quoted as evidence: who said it, where it is, what it says."""

    source: str | None
    sent_id: str | None
    text: str | None
    stance: str | None = None  # shown when it is not plain support ("contradicts")


Cell = str | int | float | Code | Evidence | tuple | None  # a tuple stacks its parts, one per line


@dataclass(frozen=True)
class TableBlock:
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    empty: str  # what an empty table means, said in words
    note: str = ""  # e.g. "Showing 200 of 1,234 rows."
    wide: frozenset[int] = frozenset()  # indexes of text-heavy columns, given more room


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Cards:
    items: tuple[tuple[str, str], ...]  # (value, label)


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Image:
    file: str  # under figures/
    title: str
    alt: str
    caption: str = ""


Block = Paragraph | Bullets | Cards | Heading | TableBlock | Image


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...]


# --- HTML ---------------------------------------------------------------------------------------

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:16px 16px 48px}
h1{font-size:1.75rem;line-height:1.2;margin:.4em 0 .2em}
h2{font-size:1.35rem;margin:2em 0 .4em;padding-top:.4em;border-top:2px solid #e5e5e5}
h3{font-size:1.05rem;margin:1.4em 0 .3em}
p,li{max-width:75ch;overflow-wrap:break-word}
.subtitle{color:#555;margin-top:0}
nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:8px 0 0;list-style:none}
nav a{color:#0b57a3}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(135px,1fr));gap:8px;margin:12px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 10px;background:#fafafa}
.card b{display:block;font-size:1.55rem;line-height:1.2}
.card span{color:#444;font-size:.9rem}
.table-wrap{overflow-x:auto;max-width:100%;border:1px solid #e3e3e3;border-radius:4px;margin:8px 0 6px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#f4f4f4;font-weight:600;white-space:nowrap}
td{min-width:6em;overflow-wrap:break-word}
td code{white-space:nowrap;overflow-wrap:normal}
td.wide{min-width:13em}
.note{color:#555;font-size:.875rem;margin:2px 0 14px}
.empty{color:#555;font-style:italic}
figure{margin:14px 0 20px}
figure img{display:block;max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.9rem;margin-top:4px;max-width:75ch}
code{font:.8rem/1.3 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f2f2f2;padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
.ev{margin:0 0 8px}
.ev:last-child{margin-bottom:0}
.src{font-weight:600}
.stance{font-size:.75rem;padding:0 5px;border-radius:3px;background:#fbe1d2;color:#7a2d00;margin-left:4px}
.quote{display:block}
.missing{color:#777;font-style:italic}
.line{display:block}
footer{color:#666;font-size:.85rem;margin-top:3em}
""".strip()

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def _html_cell(cell: Cell) -> str:
    if cell is None or cell == "":
        return '<span class="missing">—</span>'
    if isinstance(cell, Code):
        return f"<code>{esc(cell.text)}</code>"
    if isinstance(cell, Evidence):
        parts = []
        if cell.source:
            parts.append(f'<span class="src">{esc(cell.source)}</span>')
        if cell.stance:
            parts.append(f'<span class="stance">{esc(cell.stance)}</span>')
        text = (
            f'<span class="quote">“{esc(cell.text)}”</span>'
            if cell.text is not None
            else '<span class="quote missing">(sentence not found)</span>'
        )
        parts.append(text)
        if cell.sent_id:
            parts.append(f"<code>{esc(cell.sent_id)}</code>")
        return f'<div class="ev">{" ".join(parts)}</div>'
    if isinstance(cell, tuple):
        return "".join(
            part_html if isinstance(part, Evidence) else f'<span class="line">{part_html}</span>'
            for part in cell
            if part is not None
            for part_html in (_html_cell(part),)
        )
    return esc(cell)


def _html_table(table: TableBlock) -> str:
    if not table.rows:
        return f'<p class="empty">{esc(table.empty)}</p>'
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        cells = "".join(
            f'<td class="wide">{_html_cell(c)}</td>' if i in table.wide else f"<td>{_html_cell(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    note = f'<p class="note">{esc(table.note)}</p>' if table.note else ""
    return (
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{note}"
    )


def _html_block(block: Block, images: dict[str, bytes]) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{esc(block.text)}</p>"
    if isinstance(block, Heading):
        return f"<h3>{esc(block.text)}</h3>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Cards):
        cards = "".join(
            f'<div class="card"><b>{esc(value)}</b><span>{esc(label)}</span></div>' for value, label in block.items
        )
        return f'<div class="cards">{cards}</div>'
    if isinstance(block, TableBlock):
        return _html_table(block)
    if isinstance(block, Image):
        data = images[block.file]
        width, height = png_size(data)
        src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        caption = f"<figcaption>{esc(block.caption)}</figcaption>" if block.caption else ""
        return (
            f'<figure><img src="{src}" alt="{esc(block.alt)}" title="{esc(block.title)}" '
            f'width="{width}" height="{height}">{caption}</figure>'
        )
    raise TypeError(f"unknown block {type(block).__name__}")


def render_html(report: Report, images: dict[str, bytes]) -> str:
    """The report as one self-contained HTML page; `images` maps figure file names to PNG bytes."""
    nav = "".join(f'<li><a href="#{esc(s.anchor)}">{esc(s.title)}</a></li>' for s in report.sections)
    sections = []
    for section in report.sections:
        blocks = "\n".join(_html_block(b, images) for b in section.blocks)
        sections.append(f'<section id="{esc(section.anchor)}">\n<h2>{esc(section.title)}</h2>\n{blocks}\n</section>')
    body = "\n".join(sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">
<meta name="referrer" content="no-referrer">
<title>{esc(report.title)}</title>
<style>
{CSS}
</style>
</head>
<body>
<main>
<header>
<h1>{esc(report.title)}</h1>
<p class="subtitle">{esc(report.subtitle)}</p>
<nav aria-label="Contents"><ul>{nav}</ul></nav>
</header>
{body}
<footer>Generated by the <code>report</code> stage (<code>python -m pipeline.report</code>) from the tables under <code>data/</code>. Identifiers such as <code>sent_id</code> and <code>claim_id</code> are keys of the tables in <code>data/warehouse.duckdb</code>.</footer>
</main>
</body>
</html>
"""


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+\.)", re.MULTILINE)


def md_escape(value: object) -> str:
    """Text safe inside Markdown, table cells included: HTML escaped, markup characters
    backslash-escaped, line breaks flattened."""
    text = " ".join(("" if value is None else str(value)).split())
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\1\\\2", text)


_MD_CODE_SAFE = re.compile(r"[\w:./@+-]+")


def _md_code(text: str) -> str:
    """An identifier as a code span; anything beyond id characters is escaped as plain text
    (a code span would show `<` literally but a `|` in it would still split a table row)."""
    return f"`{text}`" if _MD_CODE_SAFE.fullmatch(text) else md_escape(text)


def _md_cell(cell: Cell) -> str:
    if cell is None or cell == "":
        return "—"
    if isinstance(cell, Code):
        return _md_code(cell.text)
    if isinstance(cell, Evidence):
        parts = []
        if cell.source:
            parts.append(f"**{md_escape(cell.source)}**")
        if cell.stance:
            parts.append(f"({md_escape(cell.stance)})")
        parts.append(f"“{md_escape(cell.text)}”" if cell.text is not None else "*(sentence not found)*")
        if cell.sent_id:
            parts.append(_md_code(cell.sent_id))
        return " ".join(parts)
    if isinstance(cell, tuple):
        return "<br>".join(_md_cell(part) for part in cell if part is not None)
    return md_escape(cell)


def _md_table(table: TableBlock) -> str:
    if not table.rows:
        return f"*{md_escape(table.empty)}*"
    lines = [
        "| " + " | ".join(md_escape(c) for c in table.columns) + " |",
        "|" + "---|" * len(table.columns),
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", f"*{md_escape(table.note)}*"]
    return "\n".join(lines)


def _md_block(block: Block, figures_dir: str) -> str:
    if isinstance(block, Paragraph):
        return md_escape(block.text)
    if isinstance(block, Heading):
        return f"### {md_escape(block.text)}"
    if isinstance(block, Bullets):
        return "\n".join(f"- {md_escape(item)}" for item in block.items)
    if isinstance(block, Cards):
        return "\n".join(f"- **{md_escape(value)}** {md_escape(label)}" for value, label in block.items)
    if isinstance(block, TableBlock):
        return _md_table(block)
    if isinstance(block, Image):
        alt = md_escape(block.alt)
        image = f"![{alt}]({figures_dir}/{block.file})"
        return image + (f"\n\n*{md_escape(block.caption)}*" if block.caption else "")
    raise TypeError(f"unknown block {type(block).__name__}")


def render_markdown(report: Report, figures_dir: str = "figures") -> str:
    """The same report in Markdown; images referenced relatively (`figures/<file>.png`)."""
    out = [f"# {md_escape(report.title)}", "", md_escape(report.subtitle), "", "Contents:"]
    out += [f"- [{md_escape(s.title)}](#{s.anchor})" for s in report.sections]
    for section in report.sections:
        out += ["", f'<a id="{esc(section.anchor)}"></a>', "", f"## {md_escape(section.title)}"]
        for block in section.blocks:
            out += ["", _md_block(block, figures_dir)]
    out += [
        "",
        "---",
        "",
        "*Generated by the `report` stage (`python -m pipeline.report`) from the tables under `data/`. "
        "Identifiers such as `sent_id` and `claim_id` are keys of the tables in `data/warehouse.duckdb`.*",
    ]
    return "\n".join(out) + "\n"
