"""The checks on money: capital (budget, lead-time rule, each project's cost) and the revenue budget's lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck
from planner.check.projects import places_by_year
from planner.check.result import (
    MONEY_ABS,
    MONEY_REL,
    PUPILS_ABS,
    RATE_REL,
    CheckResult,
    gbp,
    money_tol,
    pupils_tol,
    ratio,
)
from planner.check.spending import spending_lines, transport
from planner.config.apply import EXTRA_INCOME_LINE
from planner.runfolder import FEES_PREFIX, INCOME_PREFIX, LINE_PREFIX


def check_capital(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "capital",
        "capital within the cumulative budget and borrowing; spend follows the lead-time rule and adds up to "
        "each project's cost",
        f"GBP {MONEY_ABS:g} + {MONEY_REL:g} x the amounts compared",
    )
    years = run.years
    b = run.tables["budget"].set_index("year").reindex(years)
    py = run.tables["project_years"]
    budget = run.reading.capital_budget.reindex(run.plan_years).fillna(0.0)
    want_budget = pd.Series({t: (budget[t] if t > run.base else 0.0) for t in years})
    _compare(res, b, "capital_budget", want_budget, source="the data and scenario give")
    spent_py = py.groupby("year")["capital_spent"].sum().reindex(years).fillna(0.0)
    _compare(res, b, "capital_spent_options", spent_py, source="project_years adds up to")
    spent_b = b["capital_spent_options"]
    # within the cumulative budget and what was borrowed (unspent capital carries forward); borrowing is re-checked
    # against its limit in planner.check.levers
    cum_spent = np.maximum(spent_b.fillna(0.0), spent_py).cumsum()
    money = run.tables.get("lever_money")
    borrowed = pd.Series(0.0, index=years)
    if money is not None and len(money):
        borrowed = money.set_index("year")["borrowed"].astype(float).reindex(years).fillna(0.0)
    cum_budget = (want_budget + borrowed).cumsum()
    over = (cum_spent - cum_budget) / money_tol(cum_budget)
    res.add(
        np.maximum(over.to_numpy(dtype=float), 0.0),
        lambda i: (
            f"year {years[i]}: capital spent to date {gbp(cum_spent.iloc[i])} exceeds the capital "
            f"available to date {gbp(cum_budget.iloc[i])} (by {gbp(cum_spent.iloc[i] - cum_budget.iloc[i])}; "
            f"{_top_spender(py, years[i])})"
        ),
    )
    built = run.tables["projects"]
    listed = built[built["kind"] == "option"].set_index("project_id")["capital_cost"]
    for oid, rows in py.groupby("project_id"):
        if oid in run.data.options["option_id"].to_numpy():  # an unknown option is the capacity check's
            _project_spend(run, res, str(oid), rows.drop_duplicates("year"), listed)
    return res


def _compare(
    res: CheckResult,
    b: pd.DataFrame,
    col: str,
    want: pd.Series,
    scale: pd.Series | None = None,
    source: str = "recomputed",
) -> None:
    """One line of budget.csv (b, by the run's years) against its value from source, to the money tolerance of
    scale (default: the value)."""
    if col not in b.columns:
        res.fail(f"budget.csv has no column {col}")
        return
    years = list(b.index)
    got = b[col].astype(float)
    want = want.reindex(years)
    res.add(
        ratio(got.to_numpy(), want.to_numpy(dtype=float), money_tol(scale if scale is not None else want.abs())),
        lambda i: (
            f"year {years[i]}: budget.csv {col} {gbp(got.iloc[i])}, {source} {gbp(want.iloc[i])} "
            f"(difference {gbp(got.iloc[i] - want.iloc[i])})"
        ),
    )


def _top_spender(py: pd.DataFrame, t: int) -> str:
    y = py[py["year"] == t]
    if y.empty or y["capital_spent"].max() <= 0:
        return "no project spends that year"
    r = y.loc[y["capital_spent"].idxmax()]
    return f"largest spend that year: setting {r['setting_id']}, project {r['project_id']}, {gbp(r['capital_spent'])}"


def capital_terms(run: RunUnderCheck, oid: str, w: pd.Series) -> tuple[float, float, float, str]:
    """(fixed, per place, capital at the final size, sizing) of a built option with places w by year."""
    o = run.data.options.set_index("option_id").loc[oid]
    sz = run.data.option_sizes[run.data.option_sizes["option_id"] == oid].sort_values("places")
    final = float(w.iloc[-1])
    if o["sizing"] == "range" and len(sz) > 1:
        lo, hi = sz.iloc[0], sz.iloc[-1]
        per = (float(hi["capital_cost"]) - float(lo["capital_cost"])) / (float(hi["places"]) - float(lo["places"]))
        fixed = float(lo["capital_cost"]) - per * float(lo["places"])
        return fixed, per, fixed + per * final, "range"
    match = sz[np.isclose(sz["places"].astype(float), final, atol=1e-3)]
    cost = float(match["capital_cost"].iloc[0]) if len(match) else float("nan")
    return cost, 0.0, cost, "menu"


def spend_rule(
    run: RunUnderCheck, oid: str, w: pd.Series, terms: tuple[float, float, float, str]
) -> tuple[pd.Series, float]:
    """What a project with places w by year and capital_terms terms spends in each of the run's years by the
    lead-time rule (the fixed cost when it opens, a range project's cost per place as it grows, each spread evenly
    over the lead time before), and what it would spend before the run's first year."""
    fixed, per, _total, sizing = terms
    lead = int(run.data.options.set_index("option_id").loc[oid, "lead_time_years"])
    want = pd.Series(0.0, index=run.years)
    prev, was_open, outside = 0.0, False, 0.0
    for z in run.plan_years:
        is_open = w[z] > PUPILS_ABS
        cost = fixed if is_open and not was_open else 0.0
        if sizing == "range":
            cost += per * max(0.0, w[z] - prev)
        for y in range(z - lead, z) if lead else [z]:
            if y in want.index:
                want[y] += cost / max(lead, 1)
            else:
                outside += cost / max(lead, 1)
        prev, was_open = w[z], is_open or was_open
    return want, outside


def _project_spend(run: RunUnderCheck, res: CheckResult, oid: str, rows: pd.DataFrame, listed: pd.Series) -> None:
    """One project: spend by year from the timing rule; in total (and in projects.csv) its capital cost."""
    sid = run.option_setting(oid)
    w = places_by_year(run, rows)
    spent = rows.set_index("year")["capital_spent"].reindex(run.years).fillna(0.0).astype(float)
    extra = sorted(set(rows["year"]) - set(run.years))
    if extra:
        res.fail(f"year {extra[0]}, setting {sid}: project {oid} spends outside the run's years")
    terms = capital_terms(run, oid, w)
    _fixed, per, total, _sizing = terms
    want, outside = spend_rule(run, oid, w, terms)
    if outside > MONEY_ABS:
        res.fail(f"setting {sid}: project {oid} would spend {gbp(outside)} before the run's first year")
    w_tol = per * 2 * float(pupils_tol(w.max()))  # places are rounded in the table
    res.add(
        ratio(spent, want, money_tol(want) + w_tol),
        lambda i: (
            f"year {run.years[i]}, setting {sid}: project {oid} "
            f"spends {gbp(spent.iloc[i])}, the lead-time rule gives {gbp(want.iloc[i])}"
        ),
    )
    opening = int(w[w > PUPILS_ABS].index[0]) if (w > PUPILS_ABS).any() else run.horizon
    final = float(w.iloc[-1])
    cost_listed = float(listed[oid]) if oid in listed.index else float("nan")
    for label, value in (("project_years spend", float(spent.sum())), ("projects.csv capital_cost", cost_listed)):
        res.add(
            [ratio(np.array([value]), np.array([total]), money_tol(total) + w_tol)[0]],
            lambda _i, label=label, value=value: (
                f"year {opening}, setting {sid}: {label} of {oid} is {gbp(value)}; its capital at "
                f"{final:g} places is {gbp(total)}"
            ),
        )


# ---------------------------------------------------------------------------------------------------------
def check_budget(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "budget",
        "income and spending lines, balance, DfE contributions, deficit, shortfall (and the manifest's), transport",
        f"GBP {MONEY_ABS:g} + {MONEY_REL:g} x the amounts compared; transport {RATE_REL:g} relative more",
    )
    b = run.tables["budget"].set_index("year").reindex(run.years)
    lever_income, lever_spending, outside = _lever_lines(run, res, b)
    income = _income(run, res, b) + lever_income
    _compare(res, b, "income_total", income)
    spending = _place_funding(run, res, b) + _fees(run, res, b) + _other_lines(run, res, b) + lever_spending
    _compare(res, b, "spending_total", spending)
    shortfall = _balance(run, res, b, income, spending, outside)
    _manifest_shortfall(run, res, b, (income.abs() + spending.abs())[shortfall > 0].sum())
    _transport(run, res, b)
    return res


def _income(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame) -> pd.Series:
    """Every income line (dsg lines grown after the last published year, the scenario's overrides) and the total."""
    inc = run.reading.income_by_line(run.years)
    for line in inc.columns:
        _compare(res, b, f"{INCOME_PREFIX}{line}", inc[line])
    return inc.sum(axis=1)


def _lever_lines(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The lines the levers and the scenario's extra income add, against the lever tables (checked on their own
    in planner.check.levers) and the scenario: income, spending, and the money outside the budget x lambda."""
    zero = pd.Series(0.0, index=run.years)
    extra = float(run.scenario.extra_income or 0.0)
    extra_income = pd.Series({t: extra if t >= run.target_year else 0.0 for t in run.years})
    if extra:
        _compare(res, b, f"{INCOME_PREFIX}{EXTRA_INCOME_LINE}", extra_income, source="the scenario's extra_income")
    area, money = run.tables.get("levers_by_area"), run.tables.get("lever_money")
    if area is None or money is None:
        return extra_income, zero, zero
    mo = money.set_index("year").reindex(run.years).fillna(0.0)
    by_year = area.groupby("year")[["enhanced_top_ups", "prevention_saving", "team_cost"]].sum().reindex(run.years)
    by_year = by_year.fillna(0.0)
    transfer = mo["transfer_extra"].astype(float)
    _compare(res, b, f"{INCOME_PREFIX}transfer_above_data", transfer, source="lever_money.csv gives")
    _compare(res, b, "mainstream_enhanced_top_ups", by_year["enhanced_top_ups"], source="levers_by_area.csv gives")
    _compare(res, b, "prevention_saving", -by_year["prevention_saving"], source="levers_by_area.csv gives")
    _compare(res, b, "support_teams_general_fund", by_year["team_cost"], source="levers_by_area.csv gives")
    _compare(res, b, "borrowing_charges_general_fund", mo["borrowing_charge"].astype(float),
             source="lever_money.csv gives")  # fmt: skip
    _compare(res, b, "capital_borrowed", mo["borrowed"].astype(float), source="lever_money.csv gives")
    spending = by_year["enhanced_top_ups"] - by_year["prevention_saving"]
    weight = float(run.scenario.outside_money_weight)
    return extra_income + transfer, spending, weight * mo["outside_money"].astype(float)


def _place_funding(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame) -> pd.Series:
    """Place funding of every place the council pays for: all but the existing places of settings whose place
    funding the DfE pays (place_funding_by_la false); committed and new places always."""
    s = run.settings
    places = run.places.assign(type=run.places["setting_id"].map(s["setting_type"]))
    recouped = s["places"].where(~s["place_funding_by_la"] & (s["origin"] == "existing"), 0.0).fillna(0.0)
    charged = places["places"].fillna(0.0) - places["setting_id"].map(recouped).fillna(0.0)
    base_rate = places["type"].map(run.reading.unit_costs["place_funding"]).to_numpy(dtype=float)
    pf = base_rate * places["year"].map(run.place_funding_growth()).to_numpy(dtype=float)
    want = pd.Series(charged.to_numpy() * pf).groupby(places["year"].to_numpy()).sum().reindex(run.years)
    _compare(res, b, "place_funding", want, source="the council's places give")
    return want


def _fees(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame) -> pd.Series:
    """Top-ups and fees of every pupil by setting type, grown at the type's rate."""
    pl, uc, grown = run.tables["placements"], run.reading.unit_costs, run.cost_growth()
    by_type = pl.assign(type=pl["setting_id"].map(run.settings["setting_type"])).groupby(["type", "year"])["pupils"]
    pupils = by_type.sum()
    total = pd.Series(0.0, index=run.years)
    for st in uc.index:
        n = pd.Series({t: float(pupils.get((st, t), 0.0)) for t in run.years})
        fees = n * float(uc.loc[st, "top_up"]) * grown.loc[st]
        _compare(res, b, f"{FEES_PREFIX}{st}", fees)
        total += fees
    return total


def _other_lines(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame) -> pd.Series:
    """Each spending line the model does not place (line_<name>) and their sum (other_high_needs)."""
    lines = spending_lines(run)
    for name in lines.columns:
        col = f"{LINE_PREFIX}{name}"
        if col in b.columns or not run.data.spending_lines.empty:
            _compare(res, b, col, lines[name], source=f"spending line {name} gives")
    for col in sorted(c for c in b.columns if c.startswith(LINE_PREFIX) and c[len(LINE_PREFIX) :] not in lines):
        res.fail(f"year {run.base}: budget.csv has {col}, a spending line the data do not give")
    other = lines.sum(axis=1)
    _compare(res, b, "other_high_needs", other, lines.abs().sum(axis=1))
    return other


def _balance(
    run: RunUnderCheck, res: CheckResult, b: pd.DataFrame, income: pd.Series, spending: pd.Series, outside: pd.Series
) -> pd.Series:
    """The in-year balance, the DfE contributions, the cumulative deficit (less the balance and the contributions)
    and the shortfall in each target year, max(0, -balance + lambda x money outside the budget) (none when planning
    for sufficiency only); returns the shortfall."""
    balance = income - spending
    scale = income.abs() + spending.abs()
    _compare(res, b, "in_year_balance", balance, scale)
    dfe = run.reading.deficit_contributions.reindex(run.years).fillna(0.0)
    if "dfe_deficit_contributions" in b.columns or dfe.abs().sum() > 0:
        _compare(res, b, "dfe_deficit_contributions", dfe, source="deficit_contributions.csv and the scenario give")
    opening = float(run.reading.parameters["opening_deficit"])
    _compare(res, b, "cumulative_deficit", opening - (balance + dfe).cumsum(), opening + (scale + dfe.abs()).cumsum())
    owed = run.target_years if run.reading.balance_test else []
    shortfall = pd.Series({t: max(0.0, -balance[t] + outside[t]) if t in owed else 0.0 for t in run.years})
    source = "the balance gives" if run.reading.balance_test else "sufficiency only (balance_test false) gives"
    _compare(res, b, "shortfall", shortfall, scale, source=source)
    return shortfall


def _manifest_shortfall(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame, scale: float) -> None:
    """The manifest's shortfall (the shortfall solve's objective) and the plan's, within the reported gap."""
    total = float(b["shortfall"].sum())
    stated = float(run.manifest.get("shortfall_gbp", 0.0))
    gap = float(run.manifest.get("phases", {}).get("shortfall", {}).get("gap") or 0.0)
    tol = float(money_tol(scale)) + gap * abs(stated)
    years = f"{run.target_years[0]}-{run.target_years[-1]}" if run.target_years else "(none)"
    res.add(
        [abs(total - stated) / tol],
        lambda _i: (
            f"target years {years}: budget.csv shortfalls add up to {gbp(total)}, "
            f"the manifest's shortfall_gbp is {gbp(stated)} (tolerance {gbp(tol)} with gap {gap:.2g})"
        ),
    )


def _transport(run: RunUnderCheck, res: CheckResult, b: pd.DataFrame) -> None:
    """The transport line: each pupil's journeys at the base-year calibration, grown."""
    tr, years = b["transport_general_fund"].astype(float), run.years
    want = transport(run)
    how = f"distance bands x {want.scale:.6g}" if want.banded else f"GBP {want.scale:.6g} per pupil-km"
    how += " (calibrated to transport_cost_per_pupil in the base year), grown,"
    res.add(
        (np.abs(tr - want.expected) / (money_tol(want.expected.abs()) + RATE_REL * want.expected.abs())).to_numpy(),
        lambda i: (
            f"year {years[i]}: transport {gbp(tr.iloc[i])} for {want.pupil_km.iloc[i]:,.1f} pupil-km, but at "
            f"{how} it comes to {gbp(want.expected.iloc[i])}"
        ),
    )
