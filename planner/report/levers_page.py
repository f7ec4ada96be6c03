"""The page planner.levers writes: what it would take (each lever alone) and the trade-off curve, from its tables."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from planner.formats import fmt_gbp2  # noqa: E402
from planner.report.html import esc, figure_html, footer_html, page, table_html  # noqa: E402
from planner.report.mapkit.figure import save_map  # noqa: E402


def tradeoff_chart(curve: pd.DataFrame, path: Path, title: str) -> Path:
    """The least high-needs shortfall (and the cumulative deficit at the horizon) against the money from outside
    the budget the levers may spend, GBP m."""
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=150)
    x = curve["outside_money_gbp"] / 1e6
    ax.plot(x, curve["shortfall_gbp"] / 1e6, "o-", color="#0a5fa8", label="high-needs shortfall over the target years")
    ax.plot(x, curve["cumulative_deficit_gbp"] / 1e6, "s--", color="#c0392b", label="cumulative deficit at the horizon")
    ax.set_xlabel("money from outside the high-needs budget over the planning years, GBP m\n"
                  "(support teams, borrowing charges, transfer above the data's)")  # fmt: skip
    ax.set_ylabel("GBP m")
    ax.set_title(title, fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return save_map(fig, path, dpi=150)


def _needed(row: pd.Series) -> str:
    if not row["balances"]:
        return "none within its limit"
    v = float(row["needed"])
    if row["unit"] in ("GBP", "GBP a year"):
        return f"£{v / 1e6:,.2f}m" + (" a year" if row["unit"] == "GBP a year" else "")
    if row["unit"] == "share of the high level":
        return f"{v:.1%} of the high level"
    if row["unit"] == "factor":
        return f"x {v:.2f}"
    return f"{v:g}"


def levers_page(folder: Path, title: str, take: pd.DataFrame | None, curve: pd.DataFrame | None, note: str) -> Path:
    """levers.html in folder: the table of what it would take and the curve with its table."""
    body = [f"<h1>{esc(title)}</h1>", f"<p class='small'>{esc(note)}</p>"]
    if take is not None:
        t = take.assign(needed=take.apply(_needed, axis=1))
        body += ["<h2 id='take'>What it would take to balance from the target year</h2>",
                 "<p class='small'>Each lever alone, the others as the scenario has them: the least of it with which "
                 "no target year is short (the model finds it: the least extra income in one solve, the others by "
                 "bisection on proven solves), or that none can within its limit and how short it leaves the "
                 "budget.</p>",
                 table_html(t[["lever", "needed", "shortfall_at_limit_gbp", "limit", "solves"]],
                            {"shortfall_at_limit_gbp": fmt_gbp2},
                            headers={"needed": "needed to balance", "shortfall_at_limit_gbp": "short at the limit"},
                            numeric=["needed", "shortfall_at_limit_gbp", "solves"])]  # fmt: skip
    if curve is not None:
        body += ["<h2 id='curve'>What the programme's money buys</h2>",
                 figure_html(folder / "tradeoff.png", "The least shortfall at each cap on money from outside the "
                             "budget; each point is proven to the shortfall gap in its table."),
                 table_html(curve, {c: fmt_gbp2 for c in curve.columns if c.endswith("_gbp")}
                            | {"gap": "{:.1e}".format},
                            numeric=list(curve.columns))]  # fmt: skip
    body.append(footer_html())
    path = folder / "levers.html"
    path.write_text(page(title, "\n".join(body)), encoding="utf-8")
    return path
