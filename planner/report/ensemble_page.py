"""The page planner.ensemble writes: how each option fares across demand futures (a robustness map and table) and
the spread of shortfall and deficit, from its own tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from planner.formats import fmt_gbp2  # noqa: E402
from planner.report.html import figure_html, footer_html, page, table_html  # noqa: E402
from planner.report.mapkit.figure import save_map  # noqa: E402

if TYPE_CHECKING:
    from planner.data import Geography


def robustness_map(geo: Geography, options: pd.DataFrame, robust: pd.DataFrame, path: Path, title: str) -> Path:
    """Every option's site, coloured by the share of futures whose plan builds it (grey: none)."""
    pts = options.drop_duplicates("option_id").merge(robust[["option_id", "share_built"]], on="option_id")
    pts = pts.sort_values("share_built").drop_duplicates("site_id", keep="last")
    g = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326")
    g = g.to_crs(geo.districts.crs)
    fig, ax = plt.subplots(figsize=(8, 6.2), dpi=150)
    geo.districts.plot(ax=ax, color="#f4f4f4", edgecolor="#888888", linewidth=0.6)
    none = g[g["share_built"] <= 0]
    some = g[g["share_built"] > 0]
    if len(none):
        none.plot(ax=ax, color="#bbbbbb", markersize=10, label="built in no future")
    if len(some):
        size = 20 + 80 * some["share_built"]
        some.plot(ax=ax, column="share_built", cmap="viridis_r", vmin=0, vmax=1, markersize=size,
                  edgecolor="#222222", linewidth=0.4, legend=True,
                  legend_kwds={"label": "share of futures whose plan builds it", "shrink": 0.6})  # fmt: skip
    ax.set_axis_off()
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return save_map(fig, path, dpi=150)


def spread_columns(futures: pd.DataFrame) -> tuple[str, str]:
    """The shortfall and deficit columns to spread: each future's own plan's, else (only one plan evaluated) that
    plan's."""
    return ("shortfall_gbp", "cumulative_deficit_gbp") if "shortfall_gbp" in futures else (
        "plan_shortfall_gbp", "plan_cumulative_deficit_gbp")  # fmt: skip


def spread_chart(futures: pd.DataFrame, path: Path) -> Path:
    """The shortfall over the target years and the cumulative deficit at the horizon, future by future."""
    ok = futures[futures["status"] != "no plan"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), dpi=150)
    short, deficit = spread_columns(futures)
    shown = ((short, "shortfall over the target years, GBP m"),
             (deficit, "cumulative deficit at the horizon, GBP m"))  # fmt: skip
    for ax, (col, label) in zip(axes, shown, strict=True):
        ax.hist(ok[col] / 1e6, bins=min(20, max(5, len(ok) // 2)), color="#0a5fa8", alpha=0.8)
        ax.set_xlabel(label)
        ax.set_ylabel("futures")
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")  # no "-2.999e3" offset over the label
        ax.locator_params(axis="x", nbins=4)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return save_map(fig, path, dpi=150)


def regret_html(futures: pd.DataFrame) -> list[str]:
    """The evaluated plan's regret across futures (when the ensemble evaluated one)."""
    if "regret_cost_gbp" not in futures:
        return []
    cols = ["plan_shortfall_gbp", "regret_shortfall_gbp", "regret_cost_gbp"]
    q = futures[cols].quantile([0.1, 0.5, 0.9, 1.0]).rename(index=lambda p: f"{p:.0%} quantile")
    q.loc["mean"] = futures[cols].mean()
    return [
        "<h2>One plan in every future: its regret</h2>",
        "<p class='small'>The plan given with --plan, its projects kept (a robust plan: its first stage) and the "
        "rest re-planned in each future, against that future's own best plan: the extra shortfall, then the extra "
        "discounted cost.</p>",
        table_html(q.reset_index(names=""), dict.fromkeys(cols, fmt_gbp2)),
    ]


def ensemble_page(folder: Path, geo: Geography, options: pd.DataFrame, futures: pd.DataFrame, robust: pd.DataFrame,
                  scenario: str, seconds: float) -> Path:  # fmt: skip
    title = f"Plans across {len(futures)} demand futures: {scenario}"
    robustness_map(geo, options, robust, folder / "robustness.png", title)
    spread_chart(futures, folder / "spread.png")
    built = robust[robust["futures_built"] > 0]
    cols = list(spread_columns(futures))
    q = futures[futures["status"] != "no plan"][cols].quantile([0.1, 0.5, 0.9])
    body = [
        f"<h1>{title}</h1>",
        f"<p class='small'>Each future of futures.csv planned on its own (its own best plan), on Dask; {seconds:.0f} s "
        "in all. How often a project is built across futures says how robust the choice is: one built in every "
        "future is wanted whatever demand does.</p>"
        if "shortfall_gbp" in futures
        else f"<p class='small'>One plan (--plan) evaluated in every future of futures.csv, its projects kept and the "
        f"rest re-planned, on Dask; {seconds:.0f} s in all. The spread below is that plan's.</p>",
        figure_html(folder / "robustness.png", "Options by the share of futures whose plan builds them."),
        "<h2>Options built in any future</h2>",
        table_html(
            built,
            {"share_built": "{:.0%}".format, "places_mean": "{:.1f}".format},
            numeric=["futures_built", "share_built", "places_mean"],
        ),  # fmt: skip
        "<h2>Shortfall and deficit across futures</h2>",
        figure_html(folder / "spread.png", "Across futures: the shortfall and the cumulative deficit."),
        table_html(
            q.rename(index=lambda p: f"{p:.0%} quantile").reset_index(names=""),
            dict.fromkeys(cols, fmt_gbp2),
        ),  # fmt: skip
        *regret_html(futures),
        "<h2>Futures</h2>",
        table_html(futures, {c: fmt_gbp2 for c in futures.columns if c.endswith("_gbp")}, scroll=True),
        footer_html(),
    ]
    path = folder / "ensemble.html"
    path.write_text(page(title, "\n".join(body)), encoding="utf-8")
    return path
