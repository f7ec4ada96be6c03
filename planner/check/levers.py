"""The check on the levers (support teams, prevention, mainstream support, borrowing, the transfer), worked out
again from levers.csv, the data and the scenario the manifest records, not from the model's inputs.

Teams are whole, at most extra_teams_per_zone x children / children_per_team (at least 1) in an area, never fewer
than the year before and none before the base year + 1 + team_lead_time; each costs team_cost at the scenario's
level grown at inflation. An area's effect is at most the curve through (0, 0), (0.5, effect_at_half_coverage) and
(1, 1) at its coverage (teams x children_per_team / children). The new entrants prevented or supported
(lever_relief) add up to the area's; supported pupils stay at their phase's stay rate and are at most
mainstream_per_team a team; enhanced top-ups are enhanced_top_up a pupil grown at unit_cost_growth. Prevented
plans still open: sum over k <= t of (1 - plan_ceasing_rate)^(t-k) x prevention_new_plans x the county's new
plans in year k that are not specialist x the area's share of children x effect; each saves the plan-driven
spending lines a year over the children with plans not in specialist places. Borrowing is within its limit and
charged borrowing_charge a year from the year after; the transfer is within transfer_max_share of the schools
block and needs approval above transfer_approval_share; the money outside the budget is the teams, the charges and
the extra transfer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.check.context import RunUnderCheck
from planner.check.result import FAILED, MONEY_ABS, MONEY_REL, PUPILS_ABS, PUPILS_REL, CheckResult, ratio
from planner.check.spending import drivers, spending_lines

# spending-line drivers that count children with plans outside specialist places: prevention saves these lines
PLAN_DRIVERS = ("mainstream", "further_education", "educated_elsewhere", "early_years_setting", "not_recorded",
                "not_placed")  # fmt: skip
EFFECT_TOL = 1e-6


def _figure(run: RunUnderCheck, name: str, level: str = "central") -> float:
    return float(run.data.levers.set_index("name").at[name, level])


def _money_tol(x: pd.Series | np.ndarray) -> np.ndarray:
    return MONEY_ABS + MONEY_REL * np.abs(np.asarray(x, dtype=float))


def _pupil_tol(x: pd.Series | np.ndarray) -> np.ndarray:
    return PUPILS_ABS + PUPILS_REL * np.abs(np.asarray(x, dtype=float))


def relief_stock(run: RunUnderCheck) -> pd.DataFrame:
    """(year, zone_id, need_group, phase) -> pupils the levers keep out of specialist places that year: the
    prevented and supported entrants of lever_relief carried on at the phase's stay rate."""
    keys = ["zone_id", "need_group", "phase"]
    rel = run.tables.get("lever_relief")
    if rel is None or rel.empty:
        return pd.DataFrame(columns=["year", *keys, "relief"])
    r = rel.assign(entrants=rel["prevented_entrants"] + rel["supported_entrants"])
    wide = r.pivot_table(index=keys, columns="year", values="entrants", aggfunc="sum", fill_value=0.0)
    df = carried(run, wide).rename_axis(columns="year").stack().rename("relief").reset_index()
    return df[["year", *keys, "relief"]]


def carried(run: RunUnderCheck, entrants: pd.DataFrame) -> pd.DataFrame:
    """Entrants by row (an index with a 'phase' level) and year carried on at the phase's stay rate: the children
    still out of specialist places (prevented) or in mainstream (supported) each year, s_t = r s_(t-1) + n_t."""
    wide = entrants.reindex(columns=run.years, fill_value=0.0)
    stay = wide.index.get_level_values("phase").map(run.stay).to_numpy(dtype=float)
    stock, out = np.zeros(len(wide)), {}
    for t in run.years:
        stock = stay * stock + wide[t].to_numpy(dtype=float)
        out[t] = stock
    return pd.DataFrame(out, index=wide.index)


def check_levers(run: RunUnderCheck) -> CheckResult:
    res = CheckResult(
        "levers",
        "support teams (whole, limits, growth, cost, effect), prevented and supported children, enhanced top-ups, "
        "prevention's saving, borrowing, the transfer and the money outside the budget",
        f"pupils {PUPILS_ABS:g} + {PUPILS_REL:g} x value; money GBP {MONEY_ABS:g} + {MONEY_REL:g} x value",
    )
    area, money = run.tables.get("levers_by_area"), run.tables.get("lever_money")
    if area is None or money is None:
        if not run.data.levers.empty and run.scenario.levers:
            res.fail("the data have levers.csv and the scenario uses levers, but the run folder has no lever tables")
        return res
    area = area.reset_index(drop=True)
    _teams(run, res, area)
    _relief_by_area(run, res, area)
    _supported(run, res, area)
    _prevention_saving(run, res, area)
    _money(run, res, area, money.reset_index(drop=True))
    return res


def _teams(run: RunUnderCheck, res: CheckResult, a: pd.DataFrame) -> None:
    scen, base = run.scenario, run.base
    per_team = _figure(run, "children_per_team")
    children = run.data.zones.groupby("district_id")["children_0_15"].sum().astype(float)
    kids = a["area_id"].map(children).to_numpy(dtype=float)
    most = np.maximum(1, np.round(_figure(run, "extra_teams_per_zone") * kids / per_team))
    teams = a["teams"].to_numpy(dtype=float)
    first = base + 1 + int(round(_figure(run, "team_lead_time")))
    bad = (np.abs(teams - np.round(teams)) > 1e-6) | (teams < -1e-6) | (teams > most + 1e-6)
    bad |= (a["year"].to_numpy() < first) & (teams > 1e-6)
    res.add(np.where(bad, FAILED, 0.0), lambda i: (
        f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: {teams[i]:g} teams; whole, 0 to "
        f"{most[i]:g}, none before {first}"))  # fmt: skip
    prev = a.sort_values("year").groupby("area_id")["teams"].shift().reindex(a.index)
    fell = (teams < prev.to_numpy(dtype=float) - 1e-6) & prev.notna().to_numpy()
    res.add(
        np.where(fell, FAILED, 0.0),
        lambda i: f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: fewer teams than the year before",
    )
    infl = float(run.reading.parameters.get("inflation", run.reading.parameters["unit_cost_growth"]))
    cost = teams * _figure(run, "team_cost", scen.team_cost) * (1 + infl) ** (a["year"].to_numpy() - base)
    got = a["team_cost"].to_numpy(dtype=float)
    res.add(ratio(got, cost, _money_tol(cost)),
            lambda i: f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: team_cost {got[i]:,.0f}, "
                      f"{teams[i]:g} teams at the scenario's cost give {cost[i]:,.0f}")  # fmt: skip
    half = _figure(run, "effect_at_half_coverage")
    cov = teams * per_team / kids
    curve = np.interp(np.clip(cov, 0, 1), [0.0, 0.5, 1.0], [0.0, half, 1.0])
    over = a["effect"].to_numpy(dtype=float) - curve
    res.add(np.where(over > EFFECT_TOL, FAILED, 0.0),
            lambda i: f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: effect {a['effect'][i]:.6f} "
                      f"above the curve's {curve[i]:.6f} at coverage {cov[i]:.4f}")  # fmt: skip


def _relief_by_area(run: RunUnderCheck, res: CheckResult, a: pd.DataFrame) -> None:
    """lever_relief's entrants, added up by the district of their zone, are levers_by_area's."""
    rel = run.tables.get("lever_relief")
    rel = rel if rel is not None else pd.DataFrame(columns=["year", "zone_id", "prevented_entrants",
                                                               "supported_entrants"])  # fmt: skip
    district = run.data.zones.set_index("zone_id")["district_id"]
    by = rel.assign(area_id=rel["zone_id"].map(district)).groupby(["year", "area_id"])
    for col in ("prevented_entrants", "supported_entrants"):
        want = by[col].sum().reindex(pd.MultiIndex.from_frame(a[["year", "area_id"]])).fillna(0.0).to_numpy()
        got = a["prevented_specialist_entrants" if col == "prevented_entrants" else col].to_numpy(dtype=float)
        res.add(ratio(got, want, _pupil_tol(want)),
                lambda i, col=col, got=got, want=want: (
                    f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: {col} {got[i]:.4f}, "
                    f"lever_relief.csv adds up to {want[i]:.4f}"))  # fmt: skip


def _supported(run: RunUnderCheck, res: CheckResult, a: pd.DataFrame) -> None:
    """Supported pupils: the supported entrants carried on at their phase's stay rate; at most mainstream_per_team
    a team; each costs the enhanced top-up, grown."""
    rel = run.tables.get("lever_relief")
    district = run.data.zones.set_index("zone_id")["district_id"]
    stock = pd.Series(0.0, index=pd.MultiIndex.from_frame(a[["year", "area_id"]]))
    if rel is not None and len(rel):
        r = rel.assign(area_id=rel["zone_id"].map(district))
        wide = r.pivot_table(index=["area_id", "phase"], columns="year", values="supported_entrants",
                             aggfunc="sum", fill_value=0.0)  # fmt: skip
        by_area = carried(run, wide).groupby(level="area_id").sum()
        stock = by_area.rename_axis(columns="year").stack().swaplevel().reindex(stock.index).fillna(0.0)
    got, want = a["supported_pupils"].to_numpy(dtype=float), stock.to_numpy(dtype=float)
    res.add(ratio(got, want, _pupil_tol(want)),
            lambda i: f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: supported_pupils {got[i]:.4f}, "
                      f"the supported entrants carried on give {want[i]:.4f}")  # fmt: skip
    most = _figure(run, "mainstream_per_team", run.scenario.mainstream_support) * a["teams"].to_numpy(dtype=float)
    res.add(np.where(got > most + _pupil_tol(most), FAILED, 0.0),
            lambda i: f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: {got[i]:.4f} pupils supported "
                      f"in mainstream, more than the teams support ({most[i]:.4f})")  # fmt: skip
    g = float(run.reading.parameters["unit_cost_growth"])
    top = want * _figure(run, "enhanced_top_up") * (1 + g) ** (a["year"].to_numpy() - run.base)
    tg = a["enhanced_top_ups"].to_numpy(dtype=float)
    res.add(ratio(tg, top, _money_tol(top)),
            lambda i: f"levers_by_area.csv, year {a['year'][i]}, {a['area_id'][i]}: enhanced_top_ups {tg[i]:,.0f}, "
                      f"the supported pupils give {top[i]:,.0f}")  # fmt: skip


def plan_saving(run: RunUnderCheck) -> pd.Series:
    """Year -> GBP a year that one plan outside specialist places costs in the plan-driven spending lines."""
    lines, d = spending_lines(run), drivers(run)
    data_lines = run.data.spending_lines
    if data_lines.empty:
        driven = lines.sum(axis=1)
    else:
        names = [r.line for r in data_lines.itertuples() if r.driver in PLAN_DRIVERS and r.line in lines.columns]
        driven = lines[names].sum(axis=1)
    count = d["not_placed"] - d["specialist_not_placed"]
    return (driven / count.where(count > 0)).fillna(0.0)


def _prevention_saving(run: RunUnderCheck, res: CheckResult, a: pd.DataFrame) -> None:
    scen, years = run.scenario, run.plan_years
    q = _figure(run, "plan_ceasing_rate")
    plans = run.plans.groupby("year")["plans"].sum()
    spec = run.county_demand  # year -> the county's specialist pupils in the placed phases
    p_plans = _figure(run, "prevention_new_plans", scen.prevention)
    first = run.base + 1 + int(round(_figure(run, "team_lead_time")))
    children = run.data.zones.groupby("district_id")["children_0_15"].sum().astype(float)
    share = children / children.sum()
    saving = plan_saving(run)
    idx = a.set_index(["area_id", "year"])
    for area_id in a["area_id"].unique():
        stock = 0.0
        for t in years:  # the planning years (levers_by_area has no base-year rows)
            new = max(0.0, float(plans.get(t, 0.0)) - (1 - q) * float(plans.get(t - 1, 0.0))) if t - 1 in plans else 0
            non_spec = 1 - min(1.0, max(0.0, float(spec.get(t, 0.0)) / float(plans[t]))) if t in plans else 0.0
            effect = float(idx.at[(area_id, t), "effect"]) if t >= first else 0.0
            stock = (1 - q) * stock + p_plans * new * non_spec * float(share[area_id]) * effect
            got = float(idx.at[(area_id, t), "prevented_plans_open"])
            res.add([abs(got - stock) / float(_pupil_tol(np.array([stock]))[0])],
                    lambda _i, t=t, got=got, stock=stock, area_id=area_id: (
                        f"levers_by_area.csv, year {t}, {area_id}: prevented_plans_open {got:.4f}, the data give "
                        f"{stock:.4f}"))  # fmt: skip
            want = stock * float(saving.get(t, 0.0))
            gs = float(idx.at[(area_id, t), "prevention_saving"])
            res.add([abs(gs - want) / float(_money_tol(np.array([want]))[0] + 1e-9 * abs(want))],
                    lambda _i, t=t, gs=gs, want=want, area_id=area_id: (
                        f"levers_by_area.csv, year {t}, {area_id}: prevention_saving {gs:,.0f}, the plans prevented "
                        f"at the plan-driven spending a plan give {want:,.0f}"))  # fmt: skip


def _money(run: RunUnderCheck, res: CheckResult, a: pd.DataFrame, mo: pd.DataFrame) -> None:
    scen = run.scenario
    limit = _figure(run, "borrowing_limit", scen.borrowing)
    rate = _figure(run, "borrowing_charge", scen.borrowing)
    borrowed = mo["borrowed"].to_numpy(dtype=float)
    if borrowed.sum() > limit + MONEY_ABS + MONEY_REL * limit:
        res.fail(f"lever_money.csv: GBP {borrowed.sum():,.0f} borrowed, above the limit of GBP {limit:,.0f}")
    charge = rate * (np.cumsum(borrowed) - borrowed)
    got = mo["borrowing_charge"].to_numpy(dtype=float)
    res.add(ratio(got, charge, _money_tol(charge)),
            lambda i: f"lever_money.csv, year {mo['year'][i]}: borrowing_charge {got[i]:,.0f}, {rate:g} x the "
                      f"borrowing of the years before gives {charge[i]:,.0f}")  # fmt: skip
    block = _figure(run, "schools_block")
    total = mo["transfer_total"].to_numpy(dtype=float)
    most = _figure(run, "transfer_max_share") * block
    res.add(np.where(total > most + _money_tol(most), FAILED, 0.0),
            lambda i: f"lever_money.csv, year {mo['year'][i]}: transfer GBP {total[i]:,.0f} above the most allowed "
                      f"({most:,.0f})")  # fmt: skip
    needs = total > _figure(run, "transfer_approval_share") * block + 1.0
    flag = mo["transfer_needs_approval"].astype(bool).to_numpy()
    res.add(
        np.where(needs != flag, FAILED, 0.0),
        lambda i: f"lever_money.csv, year {mo['year'][i]}: transfer_needs_approval is {flag[i]}",
    )
    teams = a.groupby("year")["team_cost"].sum().reindex(mo["year"]).fillna(0.0).to_numpy()
    outside = teams + charge + mo["transfer_extra"].to_numpy(dtype=float)
    go = mo["outside_money"].to_numpy(dtype=float)
    res.add(ratio(go, outside, _money_tol(outside)),
            lambda i: f"lever_money.csv, year {mo['year'][i]}: outside_money {go[i]:,.0f}, teams, charges and the "
                      f"extra transfer give {outside[i]:,.0f}")  # fmt: skip
