"""The model's in-year and cumulative deficit paths with the council's published figures marked on them
(budget_reconciliation.csv): outturns, forecasts, budgets and figures derived from them, each labelled with its
value and when it was published. Money in GBP, shown in millions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from planner.report.charts import BUDGET_FIGSIZE, RUN_COLOURS, mark_contributions, mark_target, style_axes
from planner.report.mapkit.figure import HALO, new_figure, save_map

MODEL = RUN_COLOURS[0]
COUNCIL = "#d55e00"
# kind -> (marker, filled, legend words)
KINDS = {
    "outturn": ("D", True, "Council: outturn"),
    "forecast": ("o", False, "Council: forecast"),
    "budget": ("s", False, "Council: budget"),
    "derived": ("^", False, "Council: derived from its figures"),
}
PANELS = (
    ("in_year_deficit", "In-year deficit (spending less income), £m"),
    ("cumulative_deficit", "Cumulative deficit at the year end, £m"),
)


def deficit_paths(budget: pd.DataFrame) -> pd.DataFrame:
    """By year: the model's in-year deficit and cumulative deficit, with the opening deficit (the year before the
    base year's cumulative) from the base year's balance and contributions."""
    b = budget.sort_values("year").set_index("year")
    contrib = b["dfe_deficit_contributions"] if "dfe_deficit_contributions" in b else pd.Series(0.0, index=b.index)
    out = pd.DataFrame({"in_year_deficit": -b["in_year_balance"], "cumulative_deficit": b["cumulative_deficit"]})
    first = int(b.index[0])
    opening = float(b.loc[first, "cumulative_deficit"] + b.loc[first, "in_year_balance"] + contrib.loc[first])
    out.loc[first - 1] = [np.nan, opening]
    return out.sort_index().assign(dfe_deficit_contributions=contrib.reindex(out.sort_index().index).fillna(0.0))


def _label(value: float, published: object) -> str:
    when = pd.Timestamp(f"{published}-01").strftime("%b %Y") if len(str(published)) == 7 else str(published)
    return f"£{value / 1e6:,.1f}m ({when})"


def _unclash(ax: Axes, texts: list) -> None:
    """Nudge labels apart vertically (display space) where they overlap."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for _ in range(30):
        moved = False
        boxes = [t.get_window_extent(renderer) for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if boxes[i].overlaps(boxes[j]):
                    lo, hi = (i, j) if boxes[i].y0 <= boxes[j].y0 else (j, i)
                    shift = (boxes[lo].y1 - boxes[hi].y0) / 2 + 1.5
                    for k, sign in ((lo, -1), (hi, 1)):
                        x, y = texts[k].get_position()
                        texts[k].set_position((x, y + sign * shift))
                    moved = True
                    boxes = [t.get_window_extent(renderer) for t in texts]
        if not moved:
            return


def _panel(ax: Axes, years: list[int], model: pd.Series, points: pd.DataFrame, title: str) -> list:
    """One deficit path with the council's points of the same measure; returns the council's labels."""
    x = {y: i for i, y in enumerate(years)}
    m = model.reindex(years)
    has = m.notna().to_numpy()
    xs = np.arange(len(years))[has]
    vals = m.to_numpy(dtype=float)[has] / 1e6
    ax.plot(xs, vals, color=MODEL, marker="o", ms=5, lw=2.2, zorder=3)
    for xi, v in zip(xs, vals, strict=True):
        ax.annotate(
            f"{v:,.0f}",
            (xi, v),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=7.5,
            color=MODEL,
            fontweight="bold",
            path_effects=HALO,
            zorder=6,
        )
    labels = []
    for r in points.itertuples():
        marker, filled, _ = KINDS.get(str(r.kind), ("o", False, ""))
        v = float(r.published_value) / 1e6
        ax.scatter(
            [x[int(r.year)]],
            [v],
            s=46,
            marker=marker,
            zorder=7,
            linewidths=1.6,
            edgecolors=COUNCIL,
            facecolors=COUNCIL if filled else "white",
        )
        labels.append(
            ax.annotate(
                _label(float(r.published_value), r.published),
                (x[int(r.year)], v),
                textcoords="offset points",
                xytext=(7, -3),
                ha="left",
                va="center",
                fontsize=7,
                color=COUNCIL,
                path_effects=HALO,
                zorder=6,
            )
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_title(title, fontsize=10, loc="left")
    return labels


def deficit_chart(
    budget: pd.DataFrame,
    reconciliation: pd.DataFrame,
    target_year: int,
    path: str | Path,
    *,
    title: str = "",
    balance_test: bool = True,
) -> Path:
    """The model's in-year and cumulative deficit paths (lines) with the council's published deficits marked by
    kind and labelled with their value and date; the target years shaded; the DfE contributions noted."""
    paths = deficit_paths(budget)
    years = [int(y) for y in paths.index]
    rec = reconciliation if len(reconciliation) else pd.DataFrame(columns=["year", "measure", "kind", "published"])
    rec = rec[rec["year"].isin(years)]
    fig = new_figure(BUDGET_FIGSIZE)
    axes = [fig.add_axes((0.06, 0.2, 0.42, 0.66)), fig.add_axes((0.565, 0.2, 0.42, 0.66))]
    dfe_key: list[Line2D] = []
    for ax, (measure, words) in zip(axes, PANELS, strict=True):
        labels = _panel(ax, years, paths[measure], rec[rec["measure"] == measure], words)
        top = np.nanmax([*(paths[measure].to_numpy(dtype=float) / 1e6), *(rec["published_value"] / 1e6), 1.0])
        if measure == "cumulative_deficit":
            drawn, dfe_key = mark_contributions(ax, paths[measure].to_numpy() / 1e6, paths["dfe_deficit_contributions"])
            top = max(top, drawn * 1.05)
        low = np.nanmin([0.0, *(paths[measure].to_numpy(dtype=float) / 1e6)])
        ax.set_ylim(low - 0.06 * (top - low), top * 1.14)
        ax.set_xlim(-0.5, len(years) - 0.5)
        note = "target year (sufficiency only: no balance required)" if not balance_test else ""
        mark_target(ax, years, target_year, text=note if measure == "in_year_deficit" else None)
        style_axes(ax, years, "£ million")
        _unclash(ax, labels)
    plotted = rec[rec["measure"].isin([m for m, _ in PANELS])]
    kinds = sorted(set(plotted["kind"].astype(str)) & set(KINDS), key=list(KINDS).index)
    handles = (
        [Line2D([], [], color=MODEL, marker="o", lw=2.2, label="Model")]
        + [
            Line2D(
                [],
                [],
                ls="",
                marker=KINDS[k][0],
                ms=7,
                mew=1.6,
                mec=COUNCIL,
                mfc=COUNCIL if KINDS[k][1] else "white",
                label=KINDS[k][2],
            )
            for k in kinds
        ]
        + dfe_key
    )
    fig.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0.055, 0.0), ncol=len(handles), fontsize=8.5, frameon=False
    )
    if title:
        fig.text(0.012, 0.975, title, ha="left", va="top", fontsize=13, fontweight="bold")
    return save_map(fig, path)
