"""Charts of the report (matplotlib, PNG): PAR % per unit by group, and the results'
sub-indices per unit (:func:`app.result.exports.subindices_by_unit_chart`)."""

from __future__ import annotations

from typing import Any

from analysis.par import ParTable
from app.result.exports import figure_bytes, pyplot, subindices_by_unit_chart

COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd")


def par(table: ParTable) -> bytes:
    """Horizontal bars: each scored unit's PAR %, coloured by group, with the scheme's
    band floors as dotted lines."""
    plt = pyplot()
    rows = [r for r in table.rows if r.percent is not None]
    figure, axes = plt.subplots(figsize=(8, 1.0 + 0.28 * max(len(rows), 1)))
    groups = list(dict.fromkeys(r.unit.group for r in rows))
    for index, group in enumerate(groups):
        positions = [i for i, r in enumerate(rows) if r.unit.group is group]
        axes.barh(
            positions,
            [rows[i].percent for i in positions],
            color=COLOURS[index % len(COLOURS)],
            label=group.label,
        )
    for floor in {float(b.min) for r in rows if r.band is not None for b in [r.band]}:
        if floor > 0:
            axes.axvline(floor, color="grey", linestyle=":", linewidth=1)
    axes.set_yticks(range(len(rows)), [r.unit.name for r in rows], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("Chỉ số CCHC (%)")
    axes.legend(fontsize=7, loc="lower right")
    return figure_bytes(figure, "png")


def subindices(results: dict[str, Any]) -> bytes:
    return subindices_by_unit_chart(results, "png")
