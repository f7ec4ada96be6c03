"""Result tables of the levers: support teams, prevention and mainstream support by area and year; borrowing, the
transfer and the money outside the high-needs budget by year. Money in GBP."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from planner.inputs import ModelInputs
from planner.model.index import MONEY, ModelIndex
from planner.model.levers import prevented_plans
from planner.runfolder.tables import LEVER_AREA_COLUMNS, LEVER_MONEY_COLUMNS, LEVER_RELIEF_COLUMNS

AREA_COLUMNS, MONEY_COLUMNS = LEVER_AREA_COLUMNS, LEVER_MONEY_COLUMNS


def _v(x: object) -> float:
    return float(pyo.value(x)) if x is not None else 0.0


def lever_tables(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> dict[str, pd.DataFrame]:
    """levers_by_area and lever_money (empty dict without levers)."""
    lx, lv = ix.levers, inp.levers
    if lx is None or lv is None:
        return {}
    years = list(ix.years)
    teams = getattr(m, "Teams", {})
    effect = getattr(m, "Effect", {})
    prevented: dict[tuple[int, int], float] = {}
    for k, (_r, a, i, _c) in enumerate(lx.prevent_rows):
        prevented[a, i] = prevented.get((a, i), 0.0) + _v(m.Prevented[k])
    supported: dict[tuple[int, int], float] = {}
    for k, (_r, q, i, _u) in enumerate(lx.support_rows):
        a = lx.support_pairs[q][0]
        supported[a, i] = supported.get((a, i), 0.0) + _v(m.Supported[k])
    pupils: dict[tuple[int, int], float] = {}
    for q, (a, _p) in enumerate(lx.support_pairs):
        for i in range(len(years)):
            pupils[a, i] = pupils.get((a, i), 0.0) + _v(m.Supported_Pupils[q, i])
    rows = []
    for a, area in enumerate(lx.areas):
        for i, t in enumerate(years):
            n = round(_v(teams[a, i])) if (a, i) in teams else 0
            e = _v(effect[a, i]) if (a, i) in effect else 0.0
            stock = _v(prevented_plans(m, lx, a, i)) if hasattr(m, "Effect") else 0.0
            rows.append({
                "year": t, "area_id": area, "area_name": lv.areas.at[area, "name"],
                "children": float(lv.areas.at[area, "children"]), "teams": n,
                "coverage": n * float(lx.coverage_per_team[a]), "effect": e,
                "team_cost": n * float(lx.team_cost[i]) * MONEY,
                "prevented_specialist_entrants": prevented.get((a, i), 0.0), "prevented_plans_open": stock,
                "prevention_saving": stock * float(lx.plan_saving[i]) * MONEY,
                "supported_entrants": supported.get((a, i), 0.0), "supported_pupils": pupils.get((a, i), 0.0),
                "enhanced_top_ups": pupils.get((a, i), 0.0) * float(lx.enhanced_top_up[i]) * MONEY,
            })  # fmt: skip
    by_area = pd.DataFrame(rows, columns=list(AREA_COLUMNS))
    return {"levers_by_area": by_area, "lever_money": _money(inp, ix, m, by_area), "lever_relief": _relief(inp, ix, m)}


def _relief(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel) -> pd.DataFrame:
    """New specialist entrants prevented or supported in mainstream, by demand row (cohort and year)."""
    lx = ix.levers
    assert lx is not None
    got: dict[int, list[float]] = {}
    for k, (r, *_rest) in enumerate(lx.prevent_rows):
        got.setdefault(r, [0.0, 0.0])[0] += _v(m.Prevented[k])
    for k, (r, *_rest) in enumerate(lx.support_rows):
        got.setdefault(r, [0.0, 0.0])[1] += _v(m.Supported[k])
    coh, years = inp.cohorts, list(ix.years)
    rows = []
    for r, (prevented, supported) in sorted(got.items()):
        if prevented + supported <= 1e-9:
            continue
        c, i = ix.demand_rows[r]
        rows.append(
            {
                "year": years[i],
                "zone_id": coh.at[c, "zone_id"],
                "need_group": coh.at[c, "need_group"],
                "phase": coh.at[c, "phase"],
                "prevented_entrants": prevented,
                "supported_entrants": supported,
            }
        )
    return pd.DataFrame(rows, columns=list(LEVER_RELIEF_COLUMNS))


def _money(inp: ModelInputs, ix: ModelIndex, m: pyo.ConcreteModel, by_area: pd.DataFrame) -> pd.DataFrame:
    lx, lv = ix.levers, inp.levers
    assert lx is not None and lv is not None
    rows, to_date = [], 0.0
    for i, t in enumerate(ix.years):
        borrowed = _v(m.Borrow[i]) * MONEY if i in m.Borrow else 0.0
        charge = lx.borrow_charge * to_date
        to_date += borrowed
        extra = _v(m.Extra_Transfer[i]) * MONEY if i in m.Extra_Transfer else 0.0
        base = float(lv.transfer_base.get(t, 0.0))
        team_costs = float(by_area.loc[by_area["year"] == t, "team_cost"].sum())
        rows.append({
            "year": t, "borrowed": borrowed, "borrowed_to_date": to_date, "borrowing_charge": charge,
            "transfer_in_data": base, "transfer_extra": extra, "transfer_total": base + extra,
            "transfer_share_of_schools_block": (base + extra) / lv.schools_block if lv.schools_block else 0.0,
            "transfer_needs_approval": base + extra > lv.transfer_approval + 1e-6,
            "team_costs": team_costs,
            "outside_money": team_costs + charge + extra,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(MONEY_COLUMNS))
