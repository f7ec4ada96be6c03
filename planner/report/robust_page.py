"""The page and workbook of a robust plan (python -m planner.solve --futures N): what the plan starts now, how it
does in each future against that future's own best plan and the mean-value plan, and what planning for the spread
is worth (VSS) and what knowing the future would be (EVPI). Reads the outcome's tidy tables only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from planner.formats import fmt_gbp2  # noqa: E402
from planner.report.ensemble_page import robustness_map  # noqa: E402
from planner.report.html import figure_html, footer_html, page, table_html  # noqa: E402
from planner.report.mapkit.figure import save_map  # noqa: E402

if TYPE_CHECKING:
    from planner.data import Geography
    from planner.robust import RobustOutcome

MEASURES = (
    (
        "robust_objective_gbp",
        "Robust plan (RP)",
        "expected cost and priced harm of the robust plan, plus the weighted CVaR: what the plan minimises",
    ),
    ("expected_cost_gbp", "Expected cost", "discounted cost of the plan, averaged over the futures"),
    ("expected_shortfall_gbp", "Expected shortfall", "high-needs shortfall over the target years, averaged"),
    (
        "cvar_priced_harm_gbp",
        "CVaR of the priced harm",
        "mean priced harm (shortfall at its price, unmet local need at its price) of the worst futures",
    ),
    ("wait_and_see_gbp", "Wait and see (WS)", "the objective if each future could have its own first stage"),
    (
        "mean_plan_in_every_future_gbp",
        "Mean-value plan in every future (EEV)",
        "the objective of the first stage "
        "planned for the futures' mean demand, kept in every future, the rest re-planned",
    ),
    ("evpi_gbp", "Expected value of perfect information (EVPI = RP - WS)", "what knowing the future would be worth"),
    (
        "vss_gbp",
        "Value of the stochastic solution (VSS = EEV - RP)",
        "what planning for the spread of futures, rather than their mean, saves",
    ),
    ("evpi_proven_low_gbp", "EVPI, proven at least", "from the solves' bounds (a time limit leaves a range)"),
    ("evpi_proven_high_gbp", "EVPI, proven at most", "from the solves' bounds"),
    ("vss_proven_low_gbp", "VSS, proven at least", "from the solves' bounds (a time limit leaves a range)"),
    ("vss_proven_high_gbp", "VSS, proven at most", "from the solves' bounds"),
)


def measures_table(outcome: RobustOutcome) -> pd.DataFrame:
    s = outcome.summary
    return pd.DataFrame(
        [{"measure": label, "gbp": s[key], "meaning": meaning} for key, label, meaning in MEASURES if key in s]
    )


def futures_chart(by_future: pd.DataFrame, path: Path) -> Path:
    """Each future's regret (cost + priced harm above its own best plan's) under the robust plan and the
    mean-value plan; without the wait-and-see solve, the robust plan's cost + priced harm itself."""
    b = by_future.sort_values("future").reset_index(drop=True)
    x = np.arange(len(b))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(b) + 3), 3.8), dpi=150)
    if "own_best_objective_gbp" in b:
        shown = [
            ("robust_objective_gbp", "the robust plan", "#0a5fa8"),
            ("mean_plan_objective_gbp", "the mean-value plan", "#e0912f"),
        ]
        width = 0.4
        for k, (col, label, colour) in enumerate(shown):
            regret = (b[col] - b["own_best_objective_gbp"]) / 1e6
            ax.bar(x + (k - 0.5) * width, regret, width, label=label, color=colour)
        ax.set_ylabel("regret: above the future's own best, GBP m")
        ax.set_title("Each future: what each plan costs above that future's own best plan", fontsize=10)
        ax.legend(fontsize=8, frameon=False)
    else:
        ax.bar(x, b["robust_objective_gbp"] / 1e6, 0.6, color="#0a5fa8")
        ax.set_ylabel("cost + priced harm, GBP m")
        ax.set_title("Each future under the robust plan", fontsize=10)
    ax.set_xticks(x, b["future"], rotation=60, ha="right", fontsize=7)
    ax.axhline(0, color="#444444", linewidth=0.6)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return save_map(fig, path, dpi=150)


def robust_page(folder: Path, geo: Geography, options: pd.DataFrame, outcome: RobustOutcome, scenario: str) -> Path:
    n = len(outcome.futures)
    title = f"One plan for {n} demand futures: {scenario}"
    f = outcome.first_stage
    share = f.assign(share_built=f["share_of_futures"].fillna(0.0))[["option_id", "share_built"]]
    robustness_map(
        geo, options, share, folder / "robust_map.png", f"{title}: projects by the share of futures that build them"
    )
    futures_chart(outcome.by_future, folder / "robust_futures.png")
    w = outcome.weights
    money = {c: fmt_gbp2 for c in outcome.by_future.columns if c.endswith("_gbp")}
    body = [
        f"<h1>{title}</h1>",
        f"<p class='small'>Status {outcome.status}. The projects whose works start in the first {w.span} years, "
        "and the support teams, borrowing and transfer of those years, are one decision for every future; later "
        "projects and every placement adapt to each future. The plan minimises the expected cost plus the priced "
        f"harm (a pound of shortfall weighs {w.shortfall_price:g} pounds of cost), plus {w.cvar_weight:g} times the "
        f"mean harm of the worst {1 - w.cvar_level:.0%} of futures (CVaR). docs/model.md section 13.</p>",
        table_html(measures_table(outcome), {"gbp": fmt_gbp2}, numeric=["gbp"]),
        figure_html(
            folder / "robust_map.png",
            "Projects by the share of futures whose plan builds them (started "
            "now: every future, unless a delay pushes one past the horizon).",
        ),
        "<h2>Projects</h2>",
        "<p class='small'>stage first: started in the first years, common to every future; later: chosen in some "
        "futures only, when their demand calls for it.</p>",
        table_html(
            f,
            {
                "share_of_futures": "{:.0%}".format,
                "first_stage_places": "{:.0f}".format,
                "mean_places_at_horizon": "{:.1f}".format,
            },
            numeric=["first_stage_places", "share_of_futures", "mean_places_at_horizon"],
        ),
        "<h2>How the plan does in each future</h2>",
        figure_html(folder / "robust_futures.png", "Regret: the robust plan's objective less the future's own best."),
        table_html(outcome.by_future, {**money, "probability": "{:.3f}".format}, scroll=True),
        "<p class='small'>Each future's tables are in futures/&lt;future&gt;/, re-checked by planner.check.</p>",
        footer_html(),
    ]
    path = folder / "robust.html"
    path.write_text(page(title, "\n".join(body)), encoding="utf-8")
    return path


def robust_workbook(path: Path, outcome: RobustOutcome, scenario: str) -> Path:
    """robust.xlsx: About (the measures, in GBP, with their meaning), Futures and Projects."""
    about = measures_table(outcome)
    w = outcome.weights
    about = pd.concat(
        [
            about,
            pd.DataFrame(
                [
                    {"measure": "Scenario", "gbp": None, "meaning": scenario},
                    {
                        "measure": "First-stage years",
                        "gbp": w.span,
                        "meaning": "decisions starting in these years are common",
                    },
                    {
                        "measure": "Shortfall price",
                        "gbp": w.shortfall_price,
                        "meaning": "pounds of cost a pound of shortfall weighs",
                    },
                    {"measure": "CVaR level and weight", "gbp": w.cvar_weight, "meaning": f"level {w.cvar_level:g}"},
                    {"measure": "Units", "gbp": None, "meaning": "GBP (not millions); the cost is discounted"},
                ]
            ),
        ],
        ignore_index=True,
    )
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        about.to_excel(xl, sheet_name="About", index=False)
        outcome.by_future.to_excel(xl, sheet_name="Futures", index=False)
        outcome.first_stage.to_excel(xl, sheet_name="Projects", index=False)
    return path
