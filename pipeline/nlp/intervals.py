"""Value intervals: what a stated quantity allows, and when two statements cannot both hold.

One module for both places that compare values: in-article anomalies (`nlp.anomalies`, two
sentences of one article) and cross-source conflicts (`agreement.conflicts`, two facts of one
event). Bounds follow the `quantities` table: None is an open end ("più di un'ora" is
[60, None)). An approximate value ("circa", "quasi": qualifiers `about` and `almost`, treated
the same) is widened by APPROXIMATE_TOLERANCE, a share of each finite bound, before comparing;
every other qualifier is taken as stated.
"""

from __future__ import annotations

import polars as pl

APPROXIMATE_QUALIFIERS = ("about", "almost")
# The one tolerance of the project: "circa 90 minuti" allows 76.5–103.5. Changing it changes
# both the anomalies and the conflicts.
APPROXIMATE_TOLERANCE = 0.15

Bound = float | None


def widen(low: Bound, high: Bound, qualifier: str | None, tolerance: float = APPROXIMATE_TOLERANCE) -> tuple[Bound, Bound]:
    """The interval a stated value allows: approximate ones widened by `tolerance` on each side."""
    if qualifier not in APPROXIMATE_QUALIFIERS:
        return low, high
    return (None if low is None else low - abs(low) * tolerance,
            None if high is None else high + abs(high) * tolerance)


def intervals_disjoint(a: tuple[Bound, Bound], b: tuple[Bound, Bound]) -> bool:
    """True when no value lies in both intervals (None = open end)."""
    (a_low, a_high), (b_low, b_high) = a, b
    return (a_high is not None and b_low is not None and a_high < b_low) or (
        b_high is not None and a_low is not None and b_high < a_low
    )


def relative_gap(a: tuple[Bound, Bound], b: tuple[Bound, Bound]) -> float:
    """How far apart two disjoint intervals are, as a share of the larger facing bound (0 when
    they overlap): 150 against 175 is 0.14, 40,000 against 250,000 is 0.84."""
    (a_low, a_high), (b_low, b_high) = a, b
    gaps = []
    if a_high is not None and b_low is not None and a_high < b_low:
        gaps.append((b_low - a_high) / max(abs(b_low), abs(a_high), 1e-9))
    if b_high is not None and a_low is not None and b_high < a_low:
        gaps.append((a_low - b_high) / max(abs(a_low), abs(b_high), 1e-9))
    return max(gaps, default=0.0)


def widened_bounds(low: str, high: str, qualifier: str, tolerance: float = APPROXIMATE_TOLERANCE) -> list[pl.Expr]:
    """The same widening as `widen`, as polars expressions over columns (aliased `<low>_w`, `<high>_w`)."""
    approximate = pl.col(qualifier).is_in(list(APPROXIMATE_QUALIFIERS))
    return [
        pl.when(approximate).then(pl.col(low) - pl.col(low).abs() * tolerance).otherwise(pl.col(low)).alias(f"{low}_w"),
        pl.when(approximate).then(pl.col(high) + pl.col(high).abs() * tolerance).otherwise(pl.col(high)).alias(f"{high}_w"),
    ]
