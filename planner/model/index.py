"""Sparse index sets and plain-number coefficients, computed once (with numpy) from ModelInputs.

Nothing here creates Pyomo components. The formulation places each year's new entrants: with x[a,t] the pupils
of cohort c in setting s (arc a = (c,s)) and r_p the phase's stay rate,

    x[a,t] = r_p x[a,t-1] + n[a,t],   n[a,t] >= 0                                            (continuity)

so sum_s x[c,s,t] = D[c,t] for every t is the same as sum_s n[c,s,t] = D[c,t] - r_p D[c,t-1] = N[c,t] (the new
plans and phase transitions of year t). Continuity holds by construction and needs no rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.inputs import ModelInputs
from planner.model.levers import LeverIndex, lever_index

MONEY = 1e6  # model money unit: GBP million


@dataclass
class ModelIndex:
    """Arrays and lookups the constraint builders read. Money in GBP million."""

    years: list[int]
    target_years: list[int]
    n_arcs: int
    settings: list[str]
    phases: list[str]
    # arcs (a): cohort, setting position, phase position, stay rate, base pupils, road km
    arc_cohort: np.ndarray
    arc_setting: np.ndarray
    arc_phase: np.ndarray
    arc_stay: np.ndarray
    arc_km: np.ndarray
    # demand rows: (cohort, year position) -> arcs and new entrants N
    demand_rows: list[tuple[int, int]]
    demand_arcs: list[np.ndarray]
    demand_rhs: np.ndarray
    # pupils in setting s of phase p: (s, p) pairs, their arcs, stay rate and base-year pupils
    setting_phases: list[tuple[int, int]]
    setting_phase_arcs: list[np.ndarray]
    setting_phase_stay: np.ndarray
    setting_phase_base: np.ndarray
    # capacity: settings with finite places (and pupils or projects), places by year (existing + committed)
    limited_settings: list[int]
    fixed_places: np.ndarray  # (settings, years), NaN = unlimited
    margin: float  # occupancy margin m: places are filled to at most m x places
    over_margin: np.ndarray  # (settings, years): base-year pupils still there above m x places (0 if none)
    # placement shares: rows sum_{a in arcs} n[a, i] <= share x N[cohort, i]
    share_rows: list[tuple[np.ndarray, int, float, int]]  # (arcs, year position, share, demand row)
    # projects p = (option, size): places, setting, site; Open[p,i] = 1 if open by years[i] (monotone)
    n_projects: int
    project_setting: np.ndarray  # setting position
    project_site: list[str]
    project_option: list[str]
    project_places: np.ndarray  # the size (menu) or the largest size (range)
    project_min: np.ndarray  # the smallest size of a range project
    project_range: np.ndarray  # bool: any size in [min, max], growing over time (else one fixed size)
    project_first: np.ndarray  # position of the first year it could be open
    project_lead: np.ndarray  # years of works before it opens (lead time)
    open_index: list[tuple[int, int]]  # (p, i) for every year i it could be open
    places_index: list[tuple[int, int]]  # (p, i) of range projects: Places[p,i] is a variable
    forced_sites: set[str]
    forced_options: dict[str, list[int]]
    capital_use: dict[int, list[tuple[float, str, int, int]]]  # year i -> [(GBP m, "Open"|"Places", p, i')]
    capital_cum_budget: np.ndarray  # (years,) GBP m available by the end of each year
    # money
    top_up: np.ndarray  # (settings, years) GBP m per pupil per year
    place_funding: np.ndarray  # (settings, years) GBP m per commissioned place per year
    budget_rhs: dict[int, float]  # target year -> income - spending the model cannot change, GBP m
    discount: np.ndarray  # (years,)
    new_cost: np.ndarray  # (arcs, years) objective coefficient of n[a,t]: discounted transport of its stay
    pupils_cost: np.ndarray  # (sp pairs, years) objective coefficient of pupils: discounted top-up / fee
    open_cost: dict[tuple[int, int], float]  # (p, i) -> objective coefficient of Open[p,i]
    places_cost: dict[tuple[int, int], float]  # (p, i) -> objective coefficient of Places[p,i]
    levers: LeverIndex | None = None  # support teams, mainstream support, borrowing, transfer (planner/model/levers)

    def pairs_by_setting(self) -> dict[int, list[int]]:
        """Setting -> positions q of its (setting, phase) pairs in setting_phases."""
        out: dict[int, list[int]] = {}
        for q, (s, _p) in enumerate(self.setting_phases):
            out.setdefault(s, []).append(q)
        return out

    def projects_by_setting(self) -> dict[int, list[int]]:
        """Setting -> the projects that add places to it."""
        out: dict[int, list[int]] = {}
        for j, s in enumerate(self.project_setting):
            out.setdefault(int(s), []).append(j)
        return out


def build_index(inp: ModelInputs, *, continuity: bool = True) -> ModelIndex:
    """Index the inputs. continuity=False treats every pupil as re-placeable each year (a relaxation for tests)."""
    years = list(inp.years)
    settings = list(inp.settings.index)
    phases = sorted(inp.cohorts["phase"].unique())
    s_pos = {s: i for i, s in enumerate(settings)}
    p_pos = {p: i for i, p in enumerate(phases)}
    stay_c = inp.cohorts["stay_rate"].astype(float) if continuity else inp.cohorts["stay_rate"] * 0.0
    arcs = _arcs(inp, s_pos, p_pos, stay_c)
    base_pupils = inp.arcs["base_pupils"].to_numpy(dtype=float) if continuity else np.zeros(len(inp.arcs))
    pairs = _setting_phases(inp, arcs, base_pupils, s_pos, p_pos, stay_c, continuity)
    projects = _projects(inp, s_pos, arcs["arc_setting"], pairs["setting_phases"])
    demand = _demand_rows(inp, arcs["arc_cohort"], stay_c)
    money = _money(inp, arcs, pairs["setting_phases"], projects)
    return ModelIndex(
        years=years,
        target_years=list(inp.target_years),
        n_arcs=len(inp.arcs),
        settings=settings,
        phases=phases,
        **arcs,
        **demand,
        **pairs,
        **projects,
        **money,
        **_margin(inp, pairs, projects["fixed_places"]),
        share_rows=_share_rows(inp, arcs, demand),
        levers=lever_index(inp, demand["demand_rows"], demand["demand_rhs"]),
    )


def _margin(inp: ModelInputs, pairs: dict, fixed_places: np.ndarray) -> dict:
    """The occupancy margin m, and the base-year pupils above m x places that stay on each year (a setting over
    its margin takes no new entrants until its pupils fall below it): E[s,i] = sum_p r_p^(i+1) base[s,p]."""
    m = float(inp.occupancy_margin)
    T, n_settings = len(inp.years), fixed_places.shape[0]
    staying = np.zeros((n_settings, T))
    steps = np.arange(1, T + 1)
    for (s, _p), r, base in zip(pairs["setting_phases"], pairs["setting_phase_stay"], pairs["setting_phase_base"],
                                strict=True):  # fmt: skip
        staying[s] += base * np.power(r, steps)
    over = np.maximum(0.0, staying - m * np.nan_to_num(fixed_places, nan=np.inf))
    return {"margin": m, "over_margin": np.where(np.isnan(fixed_places), 0.0, over)}


def _share_rows(inp: ModelInputs, arcs: dict, demand: dict) -> list[tuple[np.ndarray, int, float, int]]:
    """Placement shares: of a cohort's new entrants each year, at most max_share go to settings of a type
    (placement_shares.csv, by setting type and need group)."""
    shares = inp.placement_shares
    if shares.empty:
        return []
    share = {(r.setting_type, r.need_group): float(r.max_share) for r in shares.itertuples() if r.max_share < 1}
    s_type = inp.settings["setting_type"].to_numpy()[arcs["arc_setting"]]
    group = inp.cohorts["need_group"]
    rows = []
    for r, (c, i) in enumerate(demand["demand_rows"]):
        arcs_c = demand["demand_arcs"][r]
        for st in np.unique(s_type[arcs_c]):
            k = share.get((st, group[c]))
            if k is not None:
                rows.append((arcs_c[s_type[arcs_c] == st], i, k, r))
    return rows


def _arcs(inp: ModelInputs, s_pos: dict, p_pos: dict, stay_c: pd.Series) -> dict[str, np.ndarray]:
    a_cohort = inp.arcs["cohort"].to_numpy(dtype=np.int64)
    return {
        "arc_cohort": a_cohort,
        "arc_setting": inp.arcs["setting_id"].map(s_pos).to_numpy(dtype=np.int64),
        "arc_phase": inp.cohorts["phase"].map(p_pos).reindex(a_cohort).to_numpy(dtype=np.int64),
        "arc_stay": stay_c.reindex(a_cohort).to_numpy(dtype=float),
        "arc_km": inp.arcs["road_km"].to_numpy(dtype=float),
    }


def _demand_rows(inp: ModelInputs, a_cohort: np.ndarray, stay_c: pd.Series) -> dict:
    """New entrants N[c,t] = D[c,t] - r D[c,t-1] per cohort and year, and the arcs that can take them."""
    T = len(inp.years)
    dem = inp.demand.pivot(index="cohort", columns="year", values="demand")
    d_all = dem[[inp.base_year, *inp.years]].to_numpy(dtype=float)
    stay_rows = stay_c.reindex(dem.index).to_numpy(dtype=float)
    new_entrants = d_all[:, 1:] - stay_rows[:, None] * d_all[:, :-1]
    new_entrants = np.where(new_entrants < 1e-9, 0.0, new_entrants)
    order = np.argsort(a_cohort, kind="stable")
    bounds = np.searchsorted(a_cohort[order], dem.index.to_numpy())
    ends = np.append(bounds[1:], len(order))
    demand_rows, demand_arcs, rhs = [], [], []
    for r, c in enumerate(dem.index):
        arcs_c = order[bounds[r] : ends[r]]
        for i in range(T):
            demand_rows.append((int(c), i))
            demand_arcs.append(arcs_c)
            rhs.append(new_entrants[r, i])
    return {"demand_rows": demand_rows, "demand_arcs": demand_arcs, "demand_rhs": np.asarray(rhs)}


def _setting_phases(
    inp: ModelInputs, arcs: dict, base_pupils: np.ndarray, s_pos: dict, p_pos: dict, stay_c: pd.Series, continuity: bool
) -> dict:
    """Pupils by setting and phase: the (s, p) pairs, their arcs, stay rate and base-year pupils (allowed arcs and
    legacy alike)."""
    a_setting, a_phase = arcs["arc_setting"], arcs["arc_phase"]
    coh, n_phases = inp.cohorts, len(p_pos)
    leg = inp.legacy[inp.legacy["year"] == inp.years[0]]
    base_by_pair: dict[tuple[int, int], float] = {}
    for s, p, x in zip(a_setting, a_phase, base_pupils, strict=True):
        base_by_pair[(s, p)] = base_by_pair.get((s, p), 0.0) + x
    if continuity and len(leg):
        leg_phase = coh["phase"].reindex(leg["cohort"]).map(p_pos).to_numpy()
        leg_stay = stay_c.reindex(leg["cohort"]).to_numpy(dtype=float)
        for s, p, x, r in zip(leg["setting_id"].map(s_pos), leg_phase, leg["pupils"], leg_stay, strict=True):
            base_by_pair[(int(s), int(p))] = base_by_pair.get((int(s), int(p)), 0.0) + (x / r if r > 0 else 0.0)
    key = a_setting * n_phases + a_phase
    order = np.argsort(key, kind="stable")
    pairs = sorted(set(zip(a_setting.tolist(), a_phase.tolist(), strict=True)) | set(base_by_pair))
    pair_key = np.array([s * n_phases + p for s, p in pairs], dtype=np.int64)
    lo = np.searchsorted(key[order], pair_key, side="left")
    hi = np.searchsorted(key[order], pair_key, side="right")
    phase_stay = {p_pos[p]: float(stay_c[coh["phase"] == p].iloc[0]) for p in p_pos}
    return {
        "setting_phases": pairs,
        "setting_phase_arcs": [order[a:b] for a, b in zip(lo, hi, strict=True)],
        "setting_phase_stay": np.array([phase_stay[p] for _s, p in pairs]),
        "setting_phase_base": np.array([base_by_pair.get(sp, 0.0) for sp in pairs]),
    }


def _projects(inp: ModelInputs, s_pos: dict, a_setting: np.ndarray, pairs: list[tuple[int, int]]) -> dict:
    """Places of settings by year, projects, the years each could be open, forced ones, and capital use."""
    years, T = list(inp.years), len(inp.years)
    settings = list(inp.settings.index)
    cap = inp.capacity.pivot(index="setting_id", columns="year", values="places").reindex(settings)[years]
    fixed_places = cap.to_numpy(dtype=float)
    pr = inp.projects
    p_setting = pr["setting_id"].map(s_pos).to_numpy(dtype=np.int64)
    year_pos = {t: i for i, t in enumerate(years)}
    p_first = pr["first_opening"].map(year_pos).to_numpy(dtype=np.int64)
    open_index = [(p, i) for p in range(len(pr)) for i in range(int(p_first[p]), T)]
    has_place = set(a_setting.tolist()) | {s for s, _p in pairs} | set(p_setting.tolist())
    forced_options: dict[str, list[int]] = {}
    forced_sites: set[str] = set()
    for oid in inp.forced_options:
        ps = np.flatnonzero((pr["option_id"] == oid).to_numpy()).tolist()
        if ps:
            forced_options[oid] = ps
        else:
            forced_sites.add(oid)
    p_range = (pr["sizing"] == "range").to_numpy()
    budget = inp.capital_budget.reindex(years).fillna(0.0).to_numpy(dtype=float) / MONEY
    return {
        "limited_settings": [s for s in range(len(settings)) if not np.isnan(fixed_places[s, 0]) and s in has_place],
        "fixed_places": fixed_places,
        "n_projects": len(pr),
        "project_setting": p_setting,
        "project_site": pr["site_id"].tolist(),
        "project_option": pr["option_id"].tolist(),
        "project_places": pr["places"].to_numpy(dtype=float),
        "project_min": pr["min_places"].to_numpy(dtype=float),
        "project_range": p_range,
        "project_first": p_first,
        "project_lead": pr["lead_time"].to_numpy(dtype=np.int64),
        "open_index": open_index,
        "places_index": [(p, i) for p, i in open_index if p_range[p]],
        "forced_sites": forced_sites,
        "forced_options": forced_options,
        "capital_use": _capital_use(pr, p_first, p_range, T),
        "capital_cum_budget": np.cumsum(budget),
    }


def _capital_use(pr: pd.DataFrame, p_first: np.ndarray, p_range: np.ndarray, T: int) -> dict:
    """Capital spent by the end of year i. Places open in year z are paid for evenly over the L build years before
    z, so by the end of i a project has paid (1/L) sum_{z=i+1}^{i+L} of its capital as open in z (capacity beyond
    the horizon = at the horizon); with no lead time, its capital as open in i."""
    capital_use: dict[int, list[tuple[float, str, int, int]]] = {i: [] for i in range(T)}
    for p, (fixed, per_place, lead, first) in enumerate(
        zip(pr["capital_fixed"], pr["capital_per_place"], pr["lead_time"], p_first, strict=True)
    ):
        lead = int(lead)
        for i in range(T):
            zs = [i] if lead == 0 else [min(z, T - 1) for z in range(i + 1, i + lead + 1)]
            share = 1.0 if lead == 0 else 1.0 / lead
            for z in zs:
                if z < first:
                    continue
                if fixed:
                    capital_use[i].append((fixed * share / MONEY, "Open", p, z))
                if p_range[p] and per_place:
                    capital_use[i].append((per_place * share / MONEY, "Places", p, z))
    return capital_use


def _money(inp: ModelInputs, arcs: dict, pairs: list[tuple[int, int]], projects: dict) -> dict:
    """Unit costs by setting and year, the budget's right-hand sides, and the objective's coefficients."""
    years, T = list(inp.years), len(inp.years)
    settings = list(inp.settings.index)
    st = inp.settings["setting_type"]
    uc = inp.unit_costs
    top_up = np.array([[uc.loc[(st[s], t), "top_up"] for t in years] for s in settings]) / MONEY
    pf = np.array([[uc.loc[(st[s], t), "place_funding"] for t in years] for s in settings]) / MONEY
    disc = inp.discount.reindex(years).to_numpy(dtype=float)
    growth = inp.transport.growth.reindex(years).to_numpy(dtype=float) / MONEY
    # n[a,j] stays, decaying at r, in years i >= j: discounted transport sum_i delta_i c_a g_i r^(i-j), where c_a is
    # the yearly cost of arc a's journeys at base-year prices and g_i its growth
    a_stay, a_cost = arcs["arc_stay"], inp.arcs["transport_gbp"].to_numpy(dtype=float)
    gap = np.arange(T)[:, None] - np.arange(T)[None, :]  # i - j
    new_cost = np.zeros((len(a_stay), T))
    for r in np.unique(a_stay):
        decay = np.where(gap >= 0, np.power(r, np.clip(gap, 0, None)), 0.0)  # (i, j)
        w = (disc * growth) @ decay  # (j,)
        sel = a_stay == r
        new_cost[sel] = a_cost[sel, None] * w[None, :]
    pair_setting = np.array([s for s, _p in pairs], dtype=np.int64)
    # places the plan does not change: existing (the council's place funding only: the DfE deducts and pays the
    # academies' own) and committed
    by_la = inp.settings["place_funding_by_la"].astype(bool).to_numpy()[:, None]
    existing = np.nan_to_num(inp.settings["places"].to_numpy(dtype=float))[:, None]
    committed = np.nan_to_num(projects["fixed_places"]) - existing
    fixed_pf = np.sum((existing * by_la + committed) * pf, axis=0)
    income = inp.income.groupby("year")["amount"].sum()
    budget_rhs = {
        t: float(income[t] / MONEY - inp.other_spending[t] / MONEY - fixed_pf[i])
        for i, t in enumerate(years)
        if t in inp.target_years
    }
    open_cost, places_cost = _project_costs(inp, projects, pf, disc)
    return {
        "top_up": top_up,
        "place_funding": pf,
        "budget_rhs": budget_rhs,
        "discount": disc,
        "new_cost": new_cost,
        "pupils_cost": top_up[pair_setting] * disc[None, :],
        "open_cost": open_cost,
        "places_cost": places_cost,
    }


def _project_costs(inp: ModelInputs, projects: dict, pf: np.ndarray, disc: np.ndarray) -> tuple[dict, dict]:
    """Objective coefficients of Open and Places: discounted place funding, and the optional capital charge."""
    pr, T = inp.projects, len(inp.years)
    p_setting, p_range, p_first = projects["project_setting"], projects["project_range"], projects["project_first"]
    p_places = projects["project_places"]
    open_cost: dict[tuple[int, int], float] = {}
    places_cost: dict[tuple[int, int], float] = {}
    for p, i in projects["open_index"]:
        if p_range[p]:
            places_cost[p, i] = float(disc[i] * pf[p_setting[p], i])
        else:
            open_cost[p, i] = float(disc[i] * pf[p_setting[p], i] * p_places[p])
    rho = inp.capital_charge_rate
    if rho:  # a capital charge runs from the start of works: started by i <=> open by i + lead
        for p, (fixed, per_place, lead) in enumerate(
            zip(pr["capital_fixed"], pr["capital_per_place"], pr["lead_time"], strict=True)
        ):
            for i in range(T):
                z = min(i + int(lead), T - 1)
                if z < p_first[p]:
                    continue
                if fixed:
                    open_cost[p, z] = open_cost.get((p, z), 0.0) + float(disc[i] * rho * fixed / MONEY)
                if p_range[p] and per_place:
                    places_cost[p, z] = places_cost.get((p, z), 0.0) + float(disc[i] * rho * per_place / MONEY)
    return open_cost, places_cost


def placements_from_new(ix: ModelIndex, inp: ModelInputs, new: np.ndarray) -> pd.DataFrame:
    """Pupils on each arc each year, x[a,t] = r x[a,t-1] + n[a,t] from the base-year pupils (results, checks)."""
    T = len(ix.years)
    n = new.reshape(ix.n_arcs, T)
    x = np.zeros_like(n)
    prev = inp.arcs["base_pupils"].to_numpy(dtype=float) * (ix.arc_stay > 0)
    for i in range(T):
        x[:, i] = ix.arc_stay * prev + n[:, i]
        prev = x[:, i]
    out = pd.DataFrame(x, columns=ix.years, index=inp.arcs.index)
    return out
