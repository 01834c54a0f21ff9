"""The report's charts (matplotlib, PNG), drawn from the prepared data of `reporting.data`.

Every chart function writes one PNG and returns a `Chart` (file name, title, alt text). When
there is nothing to draw, the chart is an explanatory placeholder image instead, so the page
and DVC's `plots:` always find the file. Output bytes are deterministic: the Agg renderer, the
font bundled with matplotlib, a fixed dpi, and no PNG metadata (no version string, no date).
Palettes are colour-blind safe (cividis, viridis, Okabe-Ito), and every colour is doubled by a
printed value or symbol so no cell is read by hue alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import colormaps
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, to_rgba
from matplotlib.figure import Figure
from matplotlib.image import imsave
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from pipeline.reporting.data import (
    CONFLICTS,
    MIXED,
    SILENT,
    SUPPORTS,
    AgreementGrid,
    ClaimMatrix,
    EntityMatrix,
    EventGrid,
    PLAIN_UNITS,
    OutletFigures,
    truncate,
    value_text,
)

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
OKABE_GREEN, OKABE_VERMILLION, OKABE_ORANGE, OKABE_BLUE = "#009E73", "#D55E00", "#E69F00", "#0072B2"
NO_DATA_GREY = "#d9d9d9"
SILENT_GREY = "#f2f2f2"
INK, MUTED = "#1a1a1a", "#555555"

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: same glyphs, same bytes everywhere
    "font.size": 9,
    "text.parse_math": False,  # article text may contain "$": never read it as TeX
    "axes.titlesize": 9,
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": "#888888",
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
}

FILES = {
    "agreement": "agreement_heatmap.png",
    "claims": "claim_source_matrix.png",
    "entities": "entity_coverage.png",
    "events": "event_timeline.png",
    "figures": "figures_by_outlet.png",
}

LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}  # keeps a label legible over hatching
# Cells are labelled with their values only while they stay large enough to read.
MAX_ANNOTATED_CELLS = 1000


@dataclass(frozen=True)
class Chart:
    file: str  # file name under the figures directory
    title: str
    alt: str  # what the image shows, for readers who cannot see it
    is_placeholder: bool = False


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(STYLE):
        yield


def _size(n: int, per_item: float, base: float, low: float, high: float) -> float:
    return float(min(max(base + per_item * n, low), high))


PAD_INCHES = 0.15  # white margin around a chart's content
MAX_GROWS = 2  # times a figure whose content overflows it is enlarged and drawn again


def _save(fig: Figure, path: Path, dpi: int) -> None:
    """Draw `fig` and write it as a PNG cropped to its content plus a margin, without metadata
    (no version string, no date: same chart, same bytes).

    This gives what savefig's bbox_inches="tight" gives, which draws every figure twice (once to
    measure it, once to render it), with one draw: the rendered canvas is cropped to the content's
    box. Only when content overflows the canvas (a title or legend wider than the figure, which
    constrained layout cannot shrink) is the figure enlarged by the overflow and drawn again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    slack = 1.0 / dpi  # one pixel
    for _ in range(MAX_GROWS + 1):
        canvas.draw()
        box = fig.get_tightbbox(canvas.get_renderer())  # inches; text extents come from the draw above
        width, height = fig.get_size_inches()
        grow_x = max(-box.x0, 0.0) + max(box.x1 - width, 0.0)
        grow_y = max(-box.y0, 0.0) + max(box.y1 - height, 0.0)
        if grow_x <= slack and grow_y <= slack:
            break
        fig.set_size_inches(width + (grow_x if grow_x > slack else 0.0), height + (grow_y if grow_y > slack else 0.0))
    else:  # still overflowing: let savefig grow the canvas around the content
        fig.savefig(path, dpi=dpi, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=PAD_INCHES)
        return
    rgba = np.asarray(canvas.buffer_rgba())
    n_rows, n_cols = rgba.shape[:2]
    left = max(int(np.floor((box.x0 - PAD_INCHES) * dpi)), 0)
    right = min(int(np.ceil((box.x1 + PAD_INCHES) * dpi)), n_cols)
    top = max(int(np.floor(n_rows - (box.y1 + PAD_INCHES) * dpi)), 0)  # pixel rows count from the top
    bottom = min(int(np.ceil(n_rows - (box.y0 - PAD_INCHES) * dpi)), n_rows)
    imsave(path, rgba[top:bottom, left:right], format="png", dpi=dpi, metadata={"Software": None})


def _headline(fig: Figure, title: str) -> None:
    fig.suptitle(title, x=0.01, ha="left")


def _text_colour(rgba) -> str:
    """Black or white, whichever reads better on the given background."""
    r, g, b = rgba[:3]
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _cap_note(shown: int, total: int, what: str, how: str) -> str:
    return f"Showing {shown} of {total} {what} ({how})." if total > shown else ""


def _join_notes(*notes: str, width: int | None = None) -> str:
    """One line per note; cut at `width` characters where the text cannot wrap itself (a title
    set with wrap=True wraps at the figure's edge)."""
    return "\n".join(textwrap.fill(n, width) if width else n for n in notes if n)


def _source_ticks(ax, labels: list[str], axis: str = "x") -> None:
    ticks = np.arange(len(labels))
    if axis == "x":
        ax.set_xticks(ticks, labels, rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_yticks(ticks, labels)


def _cell_grid(ax, n_rows: int, n_cols: int) -> None:
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def placeholder(path: Path, title: str, message: str, dpi: int) -> None:
    """A small image that says why there is no chart (the page never shows a broken image)."""
    with _style():
        fig = Figure(figsize=(7.5, 2.0), layout="constrained")
        _headline(fig, title)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor="#f7f7f7", edgecolor=NO_DATA_GREY))
        ax.text(0.5, 0.5, textwrap.fill(message, 80), ha="center", va="center", color=MUTED, fontsize=10)
        _save(fig, path, dpi)


def agreement_heatmap(grid: AgreementGrid, out_dir: Path, dpi: int) -> Chart:
    """Pairwise agreement rate, with 'agreeing/shared' in each cell; small samples hatched."""
    file = FILES["agreement"]
    title = "How often do two sources agree on the facts they both report?"
    n = len(grid.source_ids)
    if n < 2 or not (grid.shared > 0).any():
        if grid.n_sources_total == 0:
            why = "No article was accepted, so there are no sources to compare."
        elif grid.n_sources_total == 1:
            why = "Only one source in the corpus: there is no pair of sources to compare."
        else:
            why = "No two sources report the same fact, so there is no agreement to measure."
        placeholder(out_dir / file, title, why, dpi)
        return Chart(file, title, why, is_placeholder=True)

    annotate = n * n <= MAX_ANNOTATED_CELLS
    with _style():
        side = _size(n, 0.42, 2.4, 4.8, 15.0)
        fig = Figure(figsize=(side + 2.6, side + 1.6), layout="constrained")
        _headline(fig, title)
        ax = fig.add_subplot()
        # no shared facts: white, dotted (the middle of cividis is grey, so grey would read as ~50%)
        cmap = colormaps["cividis"].with_extremes(bad="white")
        image = ax.imshow(np.ma.masked_invalid(grid.rate), cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
        for i in range(n):
            for j in range(n):
                shared = int(grid.shared[i, j])
                if i == j:
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", edgecolor="none"))
                    continue
                small = 0 < shared < grid.min_shared
                if shared == 0:
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="...", edgecolor="#b0b0b0", linewidth=0))
                if small:  # greyed and hatched: the rate of a pair sharing 1-2 facts means little
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=(1, 1, 1, 0.55), edgecolor="none"))
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor=MUTED, linewidth=0))
                if not annotate:
                    continue
                if shared == 0:
                    ax.text(j, i, "no\nshared", ha="center", va="center", fontsize=6.5, color=MUTED, linespacing=1.0,
                            bbox=LABEL_BOX)
                else:
                    background = (1, 1, 1, 1) if small else cmap(grid.rate[i, j])
                    ax.text(
                        j, i, f"{int(grid.agreeing[i, j])}/{shared}",
                        ha="center", va="center", fontsize=8, color=_text_colour(background),
                        fontweight="bold" if not small else "normal", bbox=LABEL_BOX if small else None,
                    )
        _source_ticks(ax, grid.labels, "x")
        _source_ticks(ax, grid.labels, "y")
        ax.set_xlabel("Source")
        ax.set_ylabel("Source")
        _cell_grid(ax, n, n)
        fig.colorbar(image, ax=ax, shrink=0.75, label="agreement rate = agreeing ÷ shared facts")
        ax.set_title(
            _join_notes(
                "Each cell: facts on which the two sources agree / facts both report.",
                _cap_note(n, grid.n_sources_total, "sources", "those sharing the most facts"),
                "" if annotate else "Too many sources to print counts in the cells: see the table of pairs.",
            ),
            color=MUTED,
            wrap=True,  # wrapped at the figure's edge, so a long note never widens the chart
        )
        fig.legend(
            handles=[
                Patch(facecolor="white", edgecolor="#b0b0b0", hatch="...", label="no shared facts"),
                Patch(facecolor="white", edgecolor=MUTED, hatch="///",
                      label=f"fewer than {grid.min_shared} shared facts: small sample, rate unreliable"),
            ],
            loc="outside lower center", ncols=2, fontsize=8,
        )
        _save(fig, out_dir / file, dpi)
    pairs = int((np.triu(grid.shared, 1) > 0).sum())
    alt = (
        f"Heatmap of agreement between {n} sources: {pairs} pairs of sources report at least one fact in "
        f"common; each cell gives agreeing over shared facts. The same numbers are in the table of pairs."
    )
    return Chart(file, title, alt)


CLAIM_STATES = (
    (SILENT, SILENT_GREY, "", "silent: does not report it"),
    (SUPPORTS, OKABE_GREEN, "✓", "states it"),
    (CONFLICTS, OKABE_VERMILLION, "✗", "contradicts it"),
    (MIXED, OKABE_ORANGE, "±", "both: its own articles disagree"),
)


def claim_matrix(matrix: ClaimMatrix, out_dir: Path, dpi: int) -> Chart:
    """Claims shared by two or more sources x sources: states / contradicts / silent."""
    file = FILES["claims"]
    title = "Which source states each shared fact, and which contradicts it"
    n_rows, n_cols = matrix.state.shape
    if n_rows == 0 or n_cols == 0:
        why = "No fact is reported by two or more sources, so there is nothing to compare across sources."
        placeholder(out_dir / file, title, why, dpi)
        return Chart(file, title, why, is_placeholder=True)

    annotate = n_rows * n_cols <= MAX_ANNOTATED_CELLS
    with _style():
        cmap = ListedColormap([colour for _, colour, _, _ in CLAIM_STATES])
        norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N)
        width = _size(n_cols, 0.42, 7.0, 8.0, 18.0)
        height = _size(n_rows, 0.3, 2.4, 3.6, 18.0)
        fig = Figure(figsize=(width, height), layout="constrained")
        _headline(fig, title)
        ax = fig.add_subplot()
        ax.imshow(matrix.state, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        if annotate:
            for (i, j), state in np.ndenumerate(matrix.state):
                _, colour, symbol, _ = CLAIM_STATES[int(state)]
                if symbol:
                    ax.text(j, i, symbol, ha="center", va="center", fontsize=9, color=_text_colour(to_rgba(colour)))
        _source_ticks(ax, matrix.source_labels, "x")
        ax.set_yticks(np.arange(n_rows), matrix.claim_labels, fontsize=8)
        ax.set_xlabel("Source")
        ax.set_ylabel("Shared fact")
        _cell_grid(ax, n_rows, n_cols)
        ax.set_title(
            _join_notes(
                "Most widely reported facts first. Labels are the claim's representative sentence.",
                _cap_note(n_rows, matrix.n_claims_total, "shared facts", "most widely reported"),
                _cap_note(n_cols, matrix.n_sources_total, "sources", "those reporting the most of these facts"),
            ),
            color=MUTED,
            wrap=True,  # wrapped at the figure's edge, so a long note never widens the chart
        )
        fig.legend(
            handles=[
                Patch(facecolor=colour, edgecolor="#999999", label=f"{symbol} {label}".strip())
                for _, colour, symbol, label in CLAIM_STATES[1:] + CLAIM_STATES[:1]
            ],
            loc="outside lower center", ncols=4, fontsize=8,
        )
        _save(fig, out_dir / file, dpi)
    conflicted = int((matrix.state == CONFLICTS).any(axis=1).sum() + 0)
    alt = (
        f"Matrix of {n_rows} facts reported by two or more sources against {n_cols} sources, marking for each "
        f"source whether it states the fact, contradicts it, or is silent; {conflicted} of these facts are "
        f"contradicted by at least one source. The same facts and their sentences are listed below."
    )
    return Chart(file, title, alt)


def entity_coverage(matrix: EntityMatrix, out_dir: Path, dpi: int) -> Chart:
    """Mentions of the most widely covered entities by source (log colour scale)."""
    file = FILES["entities"]
    title = "Who and what each source talks about"
    n_rows, n_cols = matrix.mentions.shape
    if n_rows == 0 or n_cols == 0:
        why = "No people, organisations or places were found in the articles."
        placeholder(out_dir / file, title, why, dpi)
        return Chart(file, title, why, is_placeholder=True)

    annotate = n_rows * n_cols <= MAX_ANNOTATED_CELLS
    with _style():
        cmap = colormaps["viridis"].with_extremes(bad="white")
        norm = LogNorm(vmin=1, vmax=max(int(matrix.mentions.max()), 2))
        width = _size(n_cols, 0.42, 5.0, 7.0, 17.0)
        height = _size(n_rows, 0.3, 2.2, 3.4, 14.0)
        fig = Figure(figsize=(width, height), layout="constrained")
        _headline(fig, title)
        ax = fig.add_subplot()
        data = np.ma.masked_less(matrix.mentions, 1)
        image = ax.imshow(data, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        if annotate:
            for (i, j), n in np.ndenumerate(matrix.mentions):
                if n > 0:
                    ax.text(j, i, str(int(n)), ha="center", va="center", fontsize=7, color=_text_colour(cmap(norm(n))))
        _source_ticks(ax, matrix.source_labels, "x")
        ax.set_yticks(np.arange(n_rows), matrix.entity_labels, fontsize=8)
        ax.set_xlabel("Source")
        ax.set_ylabel("Entity (type)")
        _cell_grid(ax, n_rows, n_cols)
        ax.grid(which="minor", color="#e6e6e6", linewidth=0.8)
        colorbar = fig.colorbar(image, ax=ax, shrink=0.8, label="mentions (log scale)\nblank = never mentioned")
        top = int(matrix.mentions.max())
        steps = [v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000) if v <= top]
        colorbar.set_ticks(steps + ([top] if top not in steps and top > 1 else []))
        colorbar.ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
        colorbar.ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(
            _join_notes(
                "Entities mentioned by the most sources first; each cell counts the source's mentions.",
                _cap_note(n_rows, matrix.n_entities_total, "entities", "mentioned by the most sources"),
                _cap_note(n_cols, matrix.n_sources_total, "sources", "those mentioning these entities most"),
            ),
            color=MUTED,
            wrap=True,  # wrapped at the figure's edge, so a long note never widens the chart
        )
        _save(fig, out_dir / file, dpi)
    alt = (
        f"Heatmap of mentions of the {n_rows} most widely covered entities across {n_cols} sources; "
        f"blank cells mean the source never mentions the entity."
    )
    return Chart(file, title, alt)


def event_timeline(grid: EventGrid, out_dir: Path, dpi: int) -> Chart:
    """Events on a date axis (left) and, on the same rows, the sources reporting each (right)."""
    file = FILES["events"]
    title = "Events in date order, and which sources report each"
    n_rows, n_cols = grid.reported.shape
    if n_rows == 0:
        why = "No events were identified in the articles."
        placeholder(out_dir / file, title, why, dpi)
        return Chart(file, title, why, is_placeholder=True)

    with _style():
        width = _size(n_cols, 0.4, 8.5, 9.0, 18.0)
        height = _size(n_rows, 0.32, 2.4, 3.4, 16.0)
        fig = Figure(figsize=(width, height), layout="constrained")
        _headline(fig, title)
        grid_spec = fig.add_gridspec(1, 2, width_ratios=[3.0, max(1.4, 0.32 * max(n_cols, 1))])
        ax_time = fig.add_subplot(grid_spec[0])
        ax_who = fig.add_subplot(grid_spec[1], sharey=ax_time)
        rows = np.arange(n_rows)

        dated = [d for d in grid.event_dates if d is not None]
        if dated:
            first, last = mdates.date2num(min(dated)), mdates.date2num(max(dated))
        else:
            first = last = 0.0
        span = max(last - first, 6.0)
        undated_x = last + 0.2 * span
        xs = [mdates.date2num(d) if d is not None else undated_x for d in grid.event_dates]
        is_dated = [d is not None for d in grid.event_dates]
        ax_time.hlines(rows, first - 0.05 * span, undated_x, color="#eeeeee", linewidth=0.8, zorder=0)
        for y, x, ok, planned, n_docs in zip(rows, xs, is_dated, grid.is_planned, grid.n_docs):
            ax_time.plot(
                [x], [y], marker="D" if planned else "o", markersize=6.5 if planned else 7,
                color=OKABE_BLUE if ok else "white", markeredgecolor=OKABE_BLUE, linestyle="none",
            )
            ax_time.annotate(f"{n_docs} art.", (x, y), xytext=(6, 0), textcoords="offset points",
                             va="center", fontsize=7, color=MUTED)
        if not all(is_dated):
            ax_time.axvline((last + undated_x) / 2, color="#bbbbbb", linestyle=":", linewidth=1)
        ax_time.set_xlim(first - 0.08 * span, undated_x + 0.15 * span)
        if dated:
            locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
            ax_time.xaxis.set_major_locator(locator)
            ax_time.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        ticks = [t for t in ax_time.get_xticks() if first - 0.08 * span <= t <= last + 0.05 * span] if dated else []
        tick_labels = [mdates.num2date(t).strftime("%Y-%m-%d") for t in ticks]
        if not all(is_dated):
            ticks, tick_labels = ticks + [undated_x], tick_labels + ["no date"]
        ax_time.set_xticks(ticks, tick_labels, rotation=30, ha="right", rotation_mode="anchor")
        labels = [
            f"{d.isoformat() if d else 'no date'} · {label}" for d, label in zip(grid.event_dates, grid.event_labels)
        ]
        ax_time.set_yticks(rows, labels, fontsize=8)
        ax_time.set_ylim(n_rows - 0.5, -0.5)  # first event on top
        ax_time.set_xlabel("Event date")
        ax_time.set_title(
            _join_notes(
                "Hollow marker: the articles give no date for the event. Diamond: announced or planned, "
                "not yet happened when reported." if any(grid.is_planned) else
                "Hollow marker: the articles give no date for the event.",
                _cap_note(n_rows, grid.n_events_total, "events", "reported by the most articles"),
            ),
            color=MUTED,
            wrap=True,  # wrapped at the figure's edge, so a long note never widens the chart
        )

        if n_cols:
            ys, xs_who = np.nonzero(grid.reported)
            ax_who.scatter(xs_who, ys, s=42, color=OKABE_BLUE, marker="o", zorder=2)
            _source_ticks(ax_who, grid.source_labels, "x")
            ax_who.set_xlim(-0.5, n_cols - 0.5)
            ax_who.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
            ax_who.grid(which="minor", axis="x", color="#eeeeee")
            ax_who.hlines(rows, -0.5, n_cols - 0.5, color="#eeeeee", linewidth=0.8, zorder=0)
        else:
            ax_who.text(0.5, 0.5, "no source\nevidence", transform=ax_who.transAxes, ha="center", va="center", color=MUTED)
            ax_who.set_xticks([])
        ax_who.tick_params(axis="y", labelleft=False, length=0)
        ax_who.set_xlabel("Source")
        ax_who.set_title(
            _join_notes("● = the source reports the event",
                        _cap_note(n_cols, grid.n_sources_total, "sources", "most events")),
            color=MUTED,
            wrap=True,  # wrapped at the figure's edge, so a long note never widens the chart
        )
        _save(fig, out_dir / file, dpi)
    alt = (
        f"Timeline of {n_rows} events in date order with, for each, a dot under every source that reports it "
        f"({n_cols} sources shown). The events are also listed in the page's event table."
    )
    return Chart(file, title, alt)


# Colour of each modality (a forecast or a snapshot is not a final count); the row label says it too.
MODALITY_COLOURS = {
    "outcome": OKABE_BLUE,
    "forecast": OKABE_ORANGE,
    "provisional": OKABE_GREEN,
    "hypothetical": "#888888",
}
MODALITY_WORDS = {
    "outcome": "final figure",
    "forecast": "forecast",
    "provisional": "provisional (a snapshot)",
    "hypothetical": "hypothetical",
}
APPROXIMATE = ("about", "almost")
ROW_INCHES, PANEL_INCHES = 0.27, 0.75  # height of one value row, and of a panel's title and axis


def _figure_row_label(row: dict) -> str:
    parts = [row["source"]]
    if row["modality"] and row["modality"] != "outcome":  # before the attribution, which may be cut
        parts.append(row["modality"])
    parts.append(f"per {truncate(row['attributed_to'], 28)}" if row["attributed_to"] else "own figure")
    if row["scope"]:
        parts.append(row["scope"])
    return truncate(" · ".join(parts), 64)


def _draw_interval(ax, y: float, row: dict, x_left: float, x_right: float) -> None:
    """One value: a dot (a point value; hollow when approximate), a bar (a range), or an arrow
    from the stated bound to the edge of the axis (an open bound: "oltre", "fino a")."""
    colour = MODALITY_COLOURS.get(row["modality"], MUTED)
    low, high = row["low"], row["high"]
    hollow = row["qualifier"] in APPROXIMATE
    marker = {"color": colour, "markeredgecolor": colour, "markerfacecolor": "white" if hollow else colour,
              "markersize": 6.5, "linestyle": "none", "zorder": 3}
    arrow = {"arrowstyle": "-|>", "color": colour, "linewidth": 1.6, "shrinkA": 0, "shrinkB": 0}
    if low is not None and high is not None:
        if low == high:
            ax.plot([low], [y], marker="o", **marker)
        else:
            ax.plot([low, high], [y, y], color=colour, linewidth=3.2, solid_capstyle="butt", zorder=2)
            ax.plot([low, high], [y, y], marker="|", markersize=9, color=colour, linestyle="none", zorder=3)
        end = high
    elif low is not None:  # at least `low`: open to the right
        ax.plot([low], [y], marker="|", markersize=9, color=colour, linestyle="none", zorder=3)
        ax.annotate("", xy=(x_right, y), xytext=(low, y), arrowprops=arrow)
        end = low
    elif high is not None:  # at most `high`: open to the left
        ax.plot([high], [y], marker="|", markersize=9, color=colour, linestyle="none", zorder=3)
        ax.annotate("", xy=(x_left, y), xytext=(high, y), arrowprops=arrow)
        end = high
    else:
        ax.text(x_left, y, " (no number)", va="center", fontsize=7, color=MUTED)
        return
    ax.annotate(
        truncate(row["value"], 28), (end, y), xytext=(6, 2.5 if low is not None and high is None else 0),
        textcoords="offset points", va="bottom" if low is not None and high is None else "center",
        fontsize=7, color=INK,
    )


def panel_limits(bounds: list[float], kind: str) -> tuple[float, float]:
    """The x range of one figures panel: the values with a margin. Dates are day numbers and
    times minutes of the day, so they are padded by days or minutes, never by a share of the
    value (a tenth of a day number is years)."""
    lo, hi = (min(bounds), max(bounds)) if bounds else (0.0, 1.0)
    min_pad = {"date": 1.0, "time": 15.0}.get(kind, 0.0)
    if hi > lo:
        pad = max(0.12 * (hi - lo), min_pad)
        return lo - pad, hi + pad
    half = {"date": 3.0, "time": 30.0}.get(kind, max(abs(hi) * 0.1, 3.0))  # one value: centre it
    return lo - half, hi + half


def figures_by_outlet(figures: OutletFigures, out_dir: Path, dpi: int) -> Chart:
    """Small multiples: one panel per (event, measure) stated by two or more sources, one row per value."""
    file = FILES["figures"]
    title = "Figures by outlet: the same measure of the same event, as each source gives it"
    rows = figures.rows
    if rows.is_empty():
        why = "No measure of an event (a count, a duration, a date or a time) is stated by two or more sources."
        placeholder(out_dir / file, title, why, dpi)
        return Chart(file, title, why, is_placeholder=True)

    panels = [group for _, group in rows.group_by("panel_no", maintain_order=True)]
    panels.sort(key=lambda g: g["panel_no"][0])
    heights = [g.height * ROW_INCHES + PANEL_INCHES for g in panels]
    with _style():
        fig = Figure(figsize=(9.5, sum(heights) + 1.1), layout="constrained")
        _headline(fig, title)
        grid_spec = fig.add_gridspec(len(panels), 1, height_ratios=heights)
        for k, group in enumerate(panels):
            ax = fig.add_subplot(grid_spec[k])
            items = group.to_dicts()
            first = items[0]
            unit, kind = first["unit"], first["kind"]
            bounds = [x for r in items for x in (r["low"], r["high"]) if x is not None]
            x_left, x_right = panel_limits(bounds, kind)
            for y, row in enumerate(items):
                _draw_interval(ax, float(y), row, x_left, x_right)
            ax.set_xlim(x_left, x_right)
            ax.set_ylim(len(items) - 0.5, -0.5)  # first value on top
            ax.set_yticks(np.arange(len(items)), [_figure_row_label(r) for r in items], fontsize=8)
            is_whole = kind in ("date", "time") or all(float(x).is_integer() for x in bounds)
            ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6, integer=is_whole))
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _, k=kind: value_text(v, k)))
            ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
            ax.set_axisbelow(True)
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
            when = f" ({first['event_date'].isoformat()})" if first["event_date"] else ""
            unit_note = "" if kind in ("date", "time") or unit in PLAIN_UNITS else f" [{unit}]"
            more = first["n_values"] - group.height
            ax.set_title(
                _join_notes(
                    f"{truncate(first['event_label'] or first['event_id'], 60)}{when} — {first['measure']}{unit_note}"
                    f" · {first['n_sources']} sources",
                    f"{more} more values not shown (see the table)." if more > 0 else "",
                ),
                color=INK, fontsize=8.5, wrap=True,
            )
        fig.legend(
            handles=[
                Line2D([], [], marker="o", linestyle="none", color=colour, label=MODALITY_WORDS[modality])
                for modality, colour in MODALITY_COLOURS.items()
            ],
            loc="outside lower left", ncols=4, fontsize=8, alignment="left", title_fontsize=7.5,
            title=_join_notes(
                "Dot: a value (hollow: approximate, 'circa'); bar: a range; arrow: an open bound ('oltre', "
                "'fino a'). Each row: the outlet, then who gives the figure ('own figure' when the outlet states it "
                "itself). Colour: the modality.",
                _cap_note(len(panels), figures.n_measures_total, "measures", "those stated by the most sources"),
                width=110,
            ),
        )
        _save(fig, out_dir / file, dpi)
    n_values = rows.height
    alt = (
        f"{len(panels)} panels, one per measure of an event stated by two or more sources, showing {n_values} "
        "values as dots, ranges or open-ended arrows, each labelled with its outlet and who gives the figure. "
        "The same values and their sentences are in the table below the chart."
    )
    return Chart(file, title, alt)
