"""One run's tables as officers read them in its report: headline cards, projects, budget, KPIs and districts,
with readable column names (formatting is left to the page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from planner.data.schema import PROJECT_TYPE_LABELS
from planner.formats import fmt_gbp, fmt_num, fmt_pct, year_label
from planner.report.summaries import project_refs

if TYPE_CHECKING:
    from planner.runfolder import RunTables

Card = tuple[str, str, str, str]  # label, value, note, tone ('', 'good' or 'bad')

PROJECT_HEADERS = [
    "No.",
    "Project",
    "Kind",
    "Type",
    "District",
    "Needs",
    "Ages",
    "Places at opening",
    "Places",
    "Opens",
    "Capital",
]
KIND_WORDS = {"commitment": "committed", "option": "plan"}
BUDGET_HEADERS = {
    "income_total": "Income",
    "spending_total": "Spending",
    "in_year_balance": "In-year balance",
    "cumulative_deficit": "Cumulative deficit",
    "shortfall": "Shortfall",
    "capital_budget": "Capital budget",
    "capital_spent_options": "Capital spent (options)",
    "transport_general_fund": "Transport (general fund)",
}
KPI_HEADERS = {
    "children_with_plans": "Children with plans",
    "specialist_pupils": "Specialist pupils",
    "share_mainstream": "Mainstream",
    "share_state_specialist_in_county": "State specialist in Norfolk",
    "share_independent": "Independent",
    "pupils_out_of_county": "Out of county (pupils)",
    "mean_journey_km": "Mean journey (km)",
    "transport_cost": "Transport",
    "high_needs_spending": "High-needs spending",
}


def _balance_card(run: RunTables) -> Card:
    """When the budget balances in-year, or the shortfall over the target years if it never does."""
    t, last = run.target_year, run.last_year
    yb = run.kpis["year_of_balance"].dropna()
    if run.manifest.get("balance_test") is False:  # sufficiency only: the balance is reported, not required
        value = f"from {year_label(int(yb.iloc[0]))}" if len(yb) else f"not by {year_label(last)}"
        return ("Budget balances in-year", value, "sufficiency only: not required", "")
    if len(yb):
        return ("Budget balances in-year", f"from {year_label(int(yb.iloc[0]))}", f"target {year_label(t)}", "good")
    short = float(run.budget["shortfall"].sum())
    target_years = [y for y in run.years if y >= t]
    span = f"{year_label(target_years[0])}-{year_label(target_years[-1])[-2:]}"
    return ("Budget balances in-year", f"not by {year_label(last)}", f"shortfall {fmt_gbp(short)} over {span}", "bad")


def _money_cards(run: RunTables) -> list[Card]:
    b = run.budget.set_index("year")
    t, base, last = run.target_year, run.base_year, run.last_year
    bal_t = float(b.loc[t, "in_year_balance"])
    pr = run.projects
    cards = [
        (
            f"In-year balance {year_label(t)}",
            fmt_gbp(bal_t),
            f"{year_label(base)}: {fmt_gbp(b.loc[base, 'in_year_balance'])}",
            "bad" if bal_t < -0.5 else "good",
        ),
        (
            f"Cumulative deficit, end {year_label(last)}",
            fmt_gbp(b.loc[last, "cumulative_deficit"]),
            f"end {year_label(base)}: {fmt_gbp(b.loc[base, 'cumulative_deficit'])}",
            "",
        ),
        (
            f"High-needs spending {year_label(t)}",
            fmt_gbp(b.loc[t, "spending_total"]),
            f"income {fmt_gbp(b.loc[t, 'income_total'])}",
            "",
        ),
    ]
    for label, kind in (("New places the plan builds", "option"), ("Committed new places", "commitment")):
        p = pr[pr["kind"] == kind]
        cards.append(
            (label, fmt_num(p["places"].sum()), f"{len(p)} projects; capital {fmt_gbp(p['capital_cost'].sum())}", "")
        )
    return cards


def _km(x: float) -> str:
    return f"{x:.1f} km"


# the cards of pupils and journeys: label ({t}: the target year), kpis.csv column, format, words before the base year
PUPIL_CARDS: list[tuple[str, str, Callable[[float], str], str]] = [
    ("Specialist pupils {t}", "specialist_pupils", fmt_num, ""),
    (
        "In state specialist settings in Norfolk",
        "share_state_specialist_in_county",
        fmt_pct,
        "of children with plans; ",
    ),
    ("In independent special schools", "share_independent", fmt_pct, "of children with plans; "),
    ("Pupils out of county {t}", "pupils_out_of_county", fmt_num, ""),
    ("Mean journey {t}", "mean_journey_km", _km, ""),
    ("Home-to-school transport {t}", "transport_cost", fmt_gbp, "general fund; "),
]


def _pupil_cards(run: RunTables) -> list[Card]:
    k = run.kpis.set_index("year")
    t, base = run.target_year, run.base_year
    return [
        (label.format(t=year_label(t)), fmt(k.loc[t, col]), f"{before}{year_label(base)}: {fmt(k.loc[base, col])}", "")
        for label, col, fmt, before in PUPIL_CARDS
    ]


def headline_cards(run: RunTables) -> list[Card]:
    """KPI cards: (label, value, note, tone)."""
    return [_balance_card(run), *_money_cards(run), *_pupil_cards(run)]


def projects_frame(run: RunTables, dnames: dict[str, str]) -> pd.DataFrame:
    """The projects table as officers read it: numbered as on the maps."""
    pr = project_refs(run.projects)
    if pr.empty:
        return pd.DataFrame(columns=PROJECT_HEADERS)
    ages = [
        f"{int(a)}-{int(b)}" if pd.notna(a) and pd.notna(b) else ""
        for a, b in zip(pr["min_age"], pr["max_age"], strict=True)
    ]
    columns = [
        pr["ref"].astype(int),
        pr["name"],
        pr["kind"].map(KIND_WORDS).fillna(pr["kind"]),
        pr["project_type"].map(PROJECT_TYPE_LABELS).fillna(pr["project_type"]),
        pr["district_id"].map(dnames).fillna(pr["district_id"]),
        pr["needs"].str.replace(";", ", "),
        ages,
        pr["places_at_opening"],
        pr["places"],
        pr["opening_year"].map(lambda y: year_label(int(y)) if pd.notna(y) else ""),
        pr["capital_cost"],
    ]
    return pd.DataFrame(dict(zip(PROJECT_HEADERS, columns, strict=True)))


def by_year_frame(table: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """A table by year with the academic year as its first column and `headers` (column: heading) after it."""
    t = table.sort_values("year")
    return pd.DataFrame({"Year": t["year"].map(lambda y: year_label(int(y))), **{h: t[c] for c, h in headers.items()}})


def budget_frame(run: RunTables) -> pd.DataFrame:
    return by_year_frame(run.budget, BUDGET_HEADERS)


def kpi_frame(run: RunTables) -> pd.DataFrame:
    return by_year_frame(run.kpis, KPI_HEADERS)


def sufficiency_frame(run: RunTables, dnames: dict[str, str], year: int) -> pd.DataFrame:
    """Specialist pupils by district in `year`, and how many are placed in state settings in the county."""
    s = run.sufficiency
    s = s[s["year"] == year]
    g = s.groupby("district_id")[["demand", "placed_locally", "placed_independent_or_out_of_county"]].sum()
    g = g.sort_values("demand", ascending=False)
    return pd.DataFrame(
        {
            "District": [dnames.get(d, d) for d in g.index],
            "Specialist pupils": g["demand"].to_numpy(),
            "In state settings in Norfolk": g["placed_locally"].to_numpy(),
            "Independent or out of county": g["placed_independent_or_out_of_county"].to_numpy(),
            "Share not met locally": (
                g["placed_independent_or_out_of_county"] / g["demand"].where(g["demand"] > 0)
            ).to_numpy(),
        }
    )
