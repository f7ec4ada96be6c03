"""Charts of the high-needs budget path: one run, or two runs compared. Money in GBP, shown in millions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner.formats import year_label
from planner.report.budget_tables import FEES_LABELS
from planner.report.mapkit.figure import HALO, new_figure, save_map
from planner.report.style import SETTING_COLOURS
from planner.runfolder import FEES_PREFIX

INCOME = "#d4e4f2"  # pale fill, dark edge: not mistaken for a spending line
INCOME_EDGE = "#1f4e79"
# spending lines of budget.csv, stacked in this order: column -> (label, colour); top-ups in the settings' colours
SPENDING = {
    "place_funding": ("Place funding", "#e6a23c"),
    **{f"{FEES_PREFIX}{t}": (label, SETTING_COLOURS[t]) for t, label in FEES_LABELS.items()},
    "other_high_needs": ("Other high-needs spending", "#9a9a9a"),
}
SHORTFALL = "#c0392b"
CONTRIBUTION = "#1e7d4f"  # DfE contributions to the cumulative deficit
DEFICIT = "#333333"
RUN_COLOURS = ("#1f5fa8", "#d55e00")  # run A, run B
BUDGET_FIGSIZE = (11.69, 5.4)


def mark_target(ax: Axes, years: Sequence[int], target: int, *, text: str | None = "", bottom: bool = False) -> None:
    """Shade the years from the target year on (the budget must balance in-year there) and label it."""
    if target not in years:
        return
    i = list(years).index(target)
    ax.axvspan(i - 0.5, len(years) - 0.5, color="#fdecea", zorder=0)
    ax.axvline(i - 0.5, color=SHORTFALL, lw=1.2, ls=(0, (4, 2)), zorder=1)
    if text is not None:
        ax.text(
            i - 0.42,
            0.015 if bottom else 0.985,
            text or f"target: balance from {year_label(target)}",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="bottom" if bottom else "top",
            fontsize=8.5,
            color=SHORTFALL,
            fontweight="bold",
            zorder=5,
            bbox=dict(boxstyle="square,pad=0.2", fc="white", ec="none", alpha=0.85),
        )


def style_axes(ax: Axes, years: Sequence[int], ylabel: str) -> None:
    ax.set_xticks(range(len(years)), [year_label(y) for y in years], fontsize=8.5)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def mark_contributions(ax: Axes, deficit: np.ndarray, contributions: pd.Series) -> tuple[float, list[Line2D]]:
    """Mark the DfE contributions (GBP) on a cumulative deficit line (GBP m, one point per year): a hollow point
    where the deficit would be without them, joined to where it is by a dashed line and labelled with the amount.
    Returns the highest point drawn (GBP m, for the axis limits) and the legend entry (none if nothing is drawn)."""
    top = float(np.nanmax(deficit)) if len(deficit) else 0.0
    drawn = False
    for i, c in enumerate(contributions.fillna(0.0).to_numpy(dtype=float) / 1e6):
        if c > 0.05 and not np.isnan(deficit[i]):
            start = deficit[i] + c
            ax.plot([i, i], [deficit[i], start], color=CONTRIBUTION, lw=1.2, ls=(0, (3, 2)), zorder=2)
            ax.plot([i], [start], marker="o", mfc="white", mec=CONTRIBUTION, mew=1.4, ms=5.5, zorder=4)
            ax.annotate(
                f"DfE -£{c:,.1f}m",
                (i, start),
                textcoords="offset points",
                xytext=(-6, 0),
                ha="right",
                va="center",
                fontsize=7.5,
                color=CONTRIBUTION,
                fontweight="bold",
                path_effects=HALO,
                zorder=6,
            )
            top, drawn = max(top, start), True
    key = Line2D(
        [],
        [],
        color=CONTRIBUTION,
        ls=(0, (3, 2)),
        marker="o",
        mfc="white",
        mew=1.4,
        ms=5.5,
        label="Without the DfE contribution",
    )
    return top, [key] if drawn else []


def budget_chart(
    budget: pd.DataFrame, target_year: int, path: str | Path, *, title: str = "", balance_test: bool = True
) -> Path:
    """Income and spending by year (spending stacked by line), the shortfall in the target years hatched, and
    the cumulative deficit with any DfE contributions; the target year marked (as the target year only when the
    scenario plans for sufficiency only)."""
    b = budget.sort_values("year")
    years = [int(y) for y in b["year"]]
    x = np.arange(len(years))
    fig = new_figure(BUDGET_FIGSIZE)
    ax1 = fig.add_axes((0.06, 0.2, 0.5, 0.66))
    ax2 = fig.add_axes((0.66, 0.2, 0.32, 0.66))
    w = 0.38
    inc = b["income_total"].to_numpy() / 1e6
    ax1.bar(
        x - w / 2,
        inc,
        w,
        color=INCOME,
        edgecolor=INCOME_EDGE,
        lw=1.0,
        zorder=2,
        label="Income (high-needs block and contributions)",
    )
    bottom = np.zeros(len(years))
    for col, (label, colour) in SPENDING.items():
        if col in b.columns:
            v = b[col].fillna(0).to_numpy() / 1e6
            ax1.bar(x + w / 2, v, w, bottom=bottom, color=colour, label=label, zorder=2, edgecolor="white", lw=0.3)
            bottom += v
    short = b["shortfall"].fillna(0).to_numpy() / 1e6
    has = short > 0.05
    if has.any():
        ax1.bar(
            (x - w / 2)[has],
            short[has],
            w,
            bottom=inc[has],
            facecolor="none",
            edgecolor=SHORTFALL,
            hatch="///",
            lw=1.0,
            zorder=3,
            label="Shortfall: spending above income in a target year",
        )
        for xi, s, top in zip((x - w / 2)[has], short[has], (inc + short)[has], strict=True):
            ax1.text(
                xi, top + 3, f"£{s:,.0f}m", ha="center", va="bottom", fontsize=7.5, color=SHORTFALL, fontweight="bold"
            )
    mark_target(ax1, years, target_year, text="" if balance_test else "target year: sufficiency only")
    style_axes(ax1, years, "£ million a year")
    ax1.set_title("Income and spending (left bar income, right bar spending)", fontsize=10, loc="left")
    ax1.set_ylim(0, max(float(bottom.max()), float((inc + short).max())) * 1.12)
    handles, labels = ax1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.055, 0.0), ncol=4, fontsize=7.8, frameon=False)

    deficit = b["cumulative_deficit"].to_numpy() / 1e6
    ax2.plot(x, deficit, color=DEFICIT, marker="o", lw=2, zorder=3)
    for xi, v in zip(x, deficit, strict=True):
        ax2.annotate(f"{v:,.0f}", (xi, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7.5)
    hi, dfe_key = float(deficit.max()), []
    if "dfe_deficit_contributions" in b.columns:
        hi, dfe_key = mark_contributions(ax2, deficit, b["dfe_deficit_contributions"])
    bal = b["in_year_balance"].to_numpy() / 1e6
    ax2.bar(x, bal, 0.55, color=np.where(bal < 0, "#e8a09a", "#9fd3b4"), zorder=2, label="In-year balance")
    ax2.axhline(0, color="black", lw=0.8)
    mark_target(ax2, years, target_year, text=None)
    style_axes(ax2, years, "£ million")
    ax2.tick_params(axis="x", labelrotation=45)
    ax2.set_title("Cumulative deficit (line) and in-year balance (bars)", fontsize=10, loc="left")
    lo, hi = min(0.0, float(bal.min())), max(0.0, hi)
    ax2.set_ylim(lo * 1.15 - 5, hi * 1.12 + 5)
    ax2.legend(
        handles=[
            Patch(color="#e8a09a", label="In-year deficit"),
            Patch(color="#9fd3b4", label="In-year surplus"),
            *dfe_key,
        ],
        loc="upper left",
        fontsize=7.8,
        frameon=False,
    )
    if title:
        fig.text(0.012, 0.975, title, ha="left", va="top", fontsize=13, fontweight="bold")
    return save_map(fig, path)


def budget_compare_chart(
    budgets: Sequence[pd.DataFrame], names: Sequence[str], target_year: int, path: str | Path, *, title: str = ""
) -> Path:
    """Two budget paths: in-year balance and cumulative deficit by year for each, and the difference (second
    minus first) of high-needs spending and of the cumulative deficit."""
    years = sorted({int(y) for b in budgets for y in b["year"]})
    x = np.arange(len(years))
    fig = new_figure(BUDGET_FIGSIZE)
    series = [b.set_index("year").reindex(years) for b in budgets]
    n = len(series)
    w = 0.8 / max(n, 1)
    axes = [fig.add_axes((0.055 + k * 0.33, 0.22, 0.27, 0.64)) for k in range(3)]
    ax = axes[0]
    for i, (b, name) in enumerate(zip(series, names, strict=True)):
        ax.bar(x + (i - (n - 1) / 2) * w, b["in_year_balance"] / 1e6, w, color=RUN_COLOURS[i % 2], label=name, zorder=2)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_title("In-year balance, £m", fontsize=10, loc="left")
    ax = axes[1]
    for i, (b, name) in enumerate(zip(series, names, strict=True)):
        ax.plot(
            x,
            b["cumulative_deficit"] / 1e6,
            color=RUN_COLOURS[i % 2],
            marker="o",
            lw=2,
            label=name,
            ls="-" if i == 0 else "--",
            zorder=3,
        )
    ax.set_title("Cumulative deficit, £m", fontsize=10, loc="left")
    ax = axes[2]
    if n >= 2:
        d_spend = (series[1]["spending_total"] - series[0]["spending_total"]).to_numpy() / 1e6
        d_def = (series[1]["cumulative_deficit"] - series[0]["cumulative_deficit"]).to_numpy() / 1e6
        ax.bar(
            x,
            d_spend,
            0.6,
            color=np.where(d_spend > 0, "#e8a09a", "#9fd3b4"),
            zorder=2,
            label="High-needs spending (bars)",
        )
        ax.plot(x, d_def, color=DEFICIT, marker="o", lw=1.8, zorder=3, label="Cumulative deficit (line)")
        for xi, v in zip(x, d_def, strict=True):
            ax.annotate(
                f"{v:+,.1f}",
                (xi, v),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7.5,
                path_effects=HALO,
                zorder=4,
            )
        ax.axhline(0, color="black", lw=0.8)
        ax.legend(loc="best", fontsize=7.8, frameon=False)
        lo = min(0.0, float(np.nanmin(d_spend)), float(np.nanmin(d_def)))
        hi = max(0.0, float(np.nanmax(d_spend)), float(np.nanmax(d_def)))
        pad = max(hi - lo, 1.0) * 0.15
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_title(
        f"{names[-1].split(':')[0]} minus {names[0].split(':')[0]}, £m (+ = costs more)", fontsize=10, loc="left"
    )
    for k, a in enumerate(axes):
        mark_target(
            a, years, target_year, text=f"target\nfrom {year_label(target_year)}" if k == 1 else None, bottom=k == 1
        )
        style_axes(a, years, "£ million")
        a.tick_params(axis="x", labelrotation=45)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.05, 0.0), ncol=n, fontsize=9, frameon=False)
    if title:
        fig.text(0.012, 0.975, title, ha="left", va="top", fontsize=13, fontweight="bold")
    return save_map(fig, path)
