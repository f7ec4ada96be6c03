"""Model inputs: the validated data and a scenario resolved into the sparse sets and plain numbers the model uses.

This is the seam between data and model (the role spopt's `from_geodataframe` plays): geography becomes
distances, county tables become zone demand, base-year pupils are placed on home-zone to setting arcs, and
options become projects (option x size) that may open in any year they can reach. No Pyomo here, and no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.config import Scenario, ScenarioError
from planner.data.demand import county_demand, specialist_share, zone_weights
from planner.data.load import PlanningData

STATE_TYPES = ("special", "srb", "ap")  # a maximum journey (reach) applies to these
SEED_UNSUITABLE = 0.05  # weight of a base-year pupil in a setting not designated for their need or phase
FURNESS_ITERATIONS = 500


@dataclass
class ModelInputs:
    """Everything the model needs, as tidy tables with plain numbers. Money in GBP, distances in road km."""

    base_year: int
    target_year: int
    years: list[int]  # planning years after the base year
    scenario: Scenario
    cohorts: pd.DataFrame  # cohort: zone_id, district_id, need_group, phase, stay_rate
    demand: pd.DataFrame  # cohort, year, demand (all specialist pupils), legacy (pupils fixed on legacy arcs)
    settings: pd.DataFrame  # index setting_id: name, setting_type, origin, district_id, x, y, out_of_county, ...
    capacity: pd.DataFrame  # setting_id, year, places (existing + committed; NaN = unlimited)
    arcs: pd.DataFrame  # arc: cohort, setting_id, road_km, base_pupils
    legacy: pd.DataFrame  # cohort, setting_id, year, pupils: base-year placements the model would not make now
    projects: pd.DataFrame  # project: an option at one size (menu) or over its size range (range): option_id,
    #   site_id, setting_id, sizing, min_places, places (the largest), capital_fixed, capital_per_place, lead_time,
    #   first_opening; a project opens in one year from first_opening to the horizon, or not at all
    forced_options: list[str]
    unit_costs: pd.DataFrame  # index (setting_type, year): place_funding, top_up
    transport_per_km: pd.Series  # year -> GBP per pupil per road km (one way) per year
    income: pd.DataFrame  # year, line, amount
    other_spending: pd.Series  # year -> GBP of high-needs spending the model does not place
    capital_budget: pd.Series  # year -> GBP
    discount: pd.Series  # year -> factor
    capital_charge_rate: float
    deficit_after_base: float  # cumulative deficit at the end of the base year
    opening_deficit: float  # cumulative deficit at the start of the base year
    phase_ages: dict[str, tuple[int, int]]  # phase -> (min_age, max_age)
    base_budget: dict[str, float] = field(default_factory=dict)
    non_specialist: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, placement_type, pupils
    options_meta: pd.DataFrame = field(default_factory=pd.DataFrame)  # option rows from the data
    commitments: pd.DataFrame = field(default_factory=pd.DataFrame)  # with scenario delays applied

    @property
    def target_years(self) -> list[int]:
        return [t for t in self.years if t >= self.target_year]

    def summary(self) -> dict[str, int]:
        return {
            "cohorts": len(self.cohorts),
            "settings": len(self.settings),
            "arcs": len(self.arcs),
            "years": len(self.years),
            "projects": len(self.projects),
        }


# ---------------------------------------------------------------------------------------------------------
def serves_phase(min_age: np.ndarray, max_age: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """A setting serves a phase when its ages cover at least half of the phase's years."""
    overlap = np.minimum(max_age, hi) - np.maximum(min_age, lo) + 1
    return overlap >= (hi - lo + 1) / 2


def ipf2(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, iterations: int = FURNESS_ITERATIONS) -> np.ndarray:
    """Scale a non-negative matrix to the given row and column sums (Furness / iterative proportional fitting)."""
    t = seed.astype(float).copy()
    for _ in range(iterations):
        rs = t.sum(axis=1)
        t *= np.divide(rows, rs, out=np.zeros_like(rows, dtype=float), where=rs > 0)[:, None]
        cs = t.sum(axis=0)
        t *= np.divide(cols, cs, out=np.zeros_like(cols, dtype=float), where=cs > 0)[None, :]
        if np.allclose(t.sum(axis=1), rows, rtol=1e-9, atol=1e-9):
            break
    return t


def _scenario_error(scen: Scenario, key: str, problem: str, fix: str) -> ScenarioError:
    where = scen.source.rsplit("/", 1)[-1] if scen.source else f"scenario '{scen.name}'"
    return ScenarioError(f"{where}, key '{key}': {problem}. Fix: {fix}")


def _settings_table(data: PlanningData, scen: Scenario, horizon_end: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All settings the model may place in: existing, committed new, and new settings options would create."""
    cols = [
        "name",
        "urn",
        "setting_type",
        "designation",
        "needs",
        "min_age",
        "max_age",
        "district_id",
        "x",
        "y",
        "lon",
        "lat",
        "out_of_county",
        "journey_km",
    ]
    s = data.settings.set_index("setting_id")[cols + ["places", "base_pupils"]].copy()
    s["origin"] = "existing"
    com = data.commitments.copy()
    unknown = set(scen.commitment_delays) | set(scen.cancel_commitments)
    unknown -= set(com["project_id"])
    if unknown:
        raise _scenario_error(
            scen,
            "commitment_delays",
            f"unknown project id(s) {sorted(unknown)}",
            f"use project ids from commitments.csv: {', '.join(com['project_id'])}",
        )
    com = com[~com["project_id"].isin(scen.cancel_commitments)]
    com["opening_year"] = com["opening_year"] + com["project_id"].map(scen.commitment_delays).fillna(0).astype(int)
    new = com[com["project_type"] != "expansion"].set_index("setting_id")
    add = new[[c for c in cols if c in new.columns]].copy()
    add["out_of_county"] = False
    add["journey_km"] = np.nan
    add["places"] = 0.0
    add["base_pupils"] = 0.0
    add["origin"] = "commitment"
    opt = data.options[data.options["option_type"] != "expansion"].set_index("option_id")
    oadd = opt[[c for c in cols if c in opt.columns]].copy()
    oadd["out_of_county"] = False
    oadd["journey_km"] = np.nan
    oadd["places"] = 0.0
    oadd["base_pupils"] = 0.0
    oadd["origin"] = "option"
    settings = pd.concat([s, add, oadd])
    settings.index.name = "setting_id"
    return settings, com


RELAXABLE = ("reach", "suitability")


def _check_demand_against_stay(demand_c: pd.DataFrame, phases: pd.DataFrame, scen: Scenario, relax) -> None:
    """Refuse demand that falls faster than pupils leave: continuity keeps r_p x last year's pupils in place."""
    if "continuity" in relax:
        return
    piv = demand_c.pivot_table(index=["need_group", "phase"], columns="year", values="demand").sort_index(axis=1)
    stay = piv.index.get_level_values("phase").map(phases["stay_rate"]).to_numpy(dtype=float)
    d = piv.to_numpy(dtype=float)
    new = d[:, 1:] - stay[:, None] * d[:, :-1]
    bad = np.argwhere(new < -1e-6 * np.maximum(d[:, :-1], 1.0))
    if len(bad):
        r, i = bad[0]
        g, p = piv.index[r]
        y0, y1 = piv.columns[i], piv.columns[i + 1]
        raise _scenario_error(
            scen,
            "demand_scale" if scen.demand_scale != 1.0 else "demand_projection",
            f"specialist demand for {g} / {p} falls from {d[r, i]:.1f} in {y0} to {d[r, i + 1]:.1f} in {y1}, "
            f"faster than pupils leave (a stay rate of {stay[r]:.4f} keeps {stay[r] * d[r, i]:.1f} in place)",
            "use a demand_scale nearer 1 or a projection that falls no faster than the exit rates in phases.csv",
        )


def build_inputs(
    data: PlanningData, scen: Scenario, target_year: int | None = None, relax: tuple[str, ...] = ()
) -> ModelInputs:
    """Resolve data + scenario into model inputs. Raises ScenarioError for an override that does not fit the data.

    `relax` drops the arc rules named (reach, suitability): for tests that show what each rule does.
    """
    base = data.base_year
    target = target_year if target_year is not None else (scen.target_year or 2029)
    horizon = scen.horizon_end or min(target + 2, data.last_year)
    if not base < target <= horizon <= data.last_year:
        raise _scenario_error(
            scen,
            "target_year",
            f"target year {target} and horizon end {horizon} must satisfy "
            f"{base} < target <= horizon <= {data.last_year} (the last year of plans.csv)",
            f"choose a target year from {base + 1} to {data.last_year}",
        )
    years = list(range(base + 1, horizon + 1))
    params = data.parameters.copy()
    for k, v in scen.parameters.items():
        if k not in params.index:
            raise _scenario_error(
                scen,
                f"parameters.{k}",
                "unknown parameter",
                f"use a name from parameters.csv: {', '.join(params.index)}",
            )
        params[k] = v
    if scen.discount_rate is not None:
        params["discount_rate"] = scen.discount_rate
    if scen.capital_charge_rate is not None:
        params["capital_charge_rate"] = scen.capital_charge_rate

    phases = data.phases.set_index("phase")
    placed = data.placed_phases
    reach = phases["max_journey_km"].copy()
    for p, km in scen.reach_km.items():
        if p not in placed:
            raise _scenario_error(scen, f"reach_km.{p}", "not a phase the model places", f"use one of {placed}")
        reach[p] = km

    # ---- settings and distances
    settings, commitments = _settings_table(data, scen, horizon)
    zones = data.zones.reset_index(drop=True)
    zx, zy = zones["x"].to_numpy(), zones["y"].to_numpy()
    sx, sy = settings["x"].to_numpy(dtype=float), settings["y"].to_numpy(dtype=float)
    circuity = float(params["road_circuity"])
    km = np.hypot(zx[:, None] - sx[None, :], zy[:, None] - sy[None, :]) / 1000.0 * circuity
    no_loc = np.isnan(sx)
    km[:, no_loc] = settings["journey_km"].to_numpy(dtype=float)[no_loc][None, :]
    needs = settings["needs"].tolist()
    s_types = settings["setting_type"].to_numpy()
    s_ids = settings.index.to_numpy()

    # ---- unit costs and transport by year
    all_years = [base, *years]
    uc = data.unit_costs.set_index("setting_type")[["place_funding", "top_up"]].astype(float)
    for st, o in scen.unit_costs.items():
        if st not in uc.index:
            raise _scenario_error(scen, f"unit_costs.{st}", "unknown setting type", f"use one of {', '.join(uc.index)}")
        for fld in ("place_funding", "top_up"):
            if getattr(o, fld) is not None:
                uc.loc[st, fld] = getattr(o, fld)
    g_cost = float(params["unit_cost_growth"])
    unit_costs = (
        pd.concat({t: uc * (1 + g_cost) ** (t - base) for t in all_years}, names=["year", "setting_type"])
        .swaplevel()
        .sort_index()
    )

    # ---- cohorts and demand
    share = specialist_share(data)
    demand_c = county_demand(data, scen.demand_projection, scen.demand_scale)
    _check_demand_against_stay(demand_c, phases, scen, relax)
    w = zone_weights(data)
    groups = data.need_groups["need_group"].tolist()
    bp = data.base_placements
    base_spec = (
        bp[bp["placement_type"].isin(data.specialist_types) & bp["phase"].isin(placed)]
        .groupby(["placement_type", "need_group", "phase"])["pupils"]
        .sum()
    )

    # ---- base-year pupils: settings x (need, phase) by IPF, then home zones x settings by a gravity model
    seed_all = {}
    for p in placed:
        lo, hi = int(phases.loc[p, "min_age"]), int(phases.loc[p, "max_age"])
        ph_ok = serves_phase(settings["min_age"].to_numpy(dtype=int), settings["max_age"].to_numpy(dtype=int), lo, hi)
        for g in groups:
            suit = np.array([g in n for n in needs]) & ph_ok
            seed_all[(g, p)] = suit | ("suitability" in relax)
    base_sgp: dict[tuple[str, str], np.ndarray] = {k: np.zeros(len(settings)) for k in seed_all}
    gp_list = list(seed_all)
    for st in data.specialist_types:
        rows_idx = np.flatnonzero((s_types == st) & (settings["base_pupils"].to_numpy(dtype=float) > 0))
        if len(rows_idx) == 0:
            continue
        col_tot = np.array([base_spec.get((st, g, p), 0.0) for g, p in gp_list])
        row_tot = settings["base_pupils"].to_numpy(dtype=float)[rows_idx]
        row_tot = row_tot * col_tot.sum() / row_tot.sum()
        seed = np.array([[1.0 if seed_all[gp][i] else SEED_UNSUITABLE for gp in gp_list] for i in rows_idx])
        fit = ipf2(seed, row_tot, col_tot)
        for j, gp in enumerate(gp_list):
            base_sgp[gp][rows_idx] += fit[:, j]

    decay = float(params["base_allocation_decay_km"])
    gravity = np.exp(-km / decay)
    tr_g = float(params["transport_cost_growth"])

    cohort_rows, arc_frames, legacy_frames = [], [], []
    cid = 0
    z_ids, z_dist = zones["zone_id"].to_numpy(), zones["district_id"].to_numpy()
    w_arr = w.reindex(zones["zone_id"]).to_numpy()
    top_up0 = uc["top_up"].reindex(s_types).to_numpy()
    unlimited = settings["places"].isna().to_numpy()
    available = _available(settings, commitments, data, scen, horizon)
    x0_total = 0.0
    x0_km = 0.0
    for g, p in gp_list:
        base_dem = (
            float(base_spec.xs((g, p), level=("need_group", "phase")).sum())
            if (g, p) in {(a, b) for _t, a, b in base_spec.index}
            else 0.0
        )
        origins = base_dem * w_arr
        dest = base_sgp[(g, p)]
        x0 = ipf2(gravity * (dest > 0)[None, :], origins, dest) if base_dem > 0 else np.zeros_like(km)
        x0_total += x0.sum()
        x0_km += (x0 * km).sum()
        suit = seed_all[(g, p)] & available
        reach_ok = (km <= reach[p] + 1e-9) | ~np.isin(s_types, STATE_TYPES)[None, :] | ("reach" in relax)
        allowed = suit[None, :] & reach_ok
        # an independent place that costs at least the unlimited fallback in fees and in total is never chosen
        fb = suit & unlimited
        if fb.any():
            f_idx = np.flatnonzero(fb)
            dominated = np.zeros_like(allowed)
            for f in f_idx:
                dominated |= (
                    (top_up0[None, :] >= top_up0[f])
                    & (km >= km[:, [f]])
                    & (s_types == "independent")[None, :]
                    & ~unlimited[None, :]
                )
            allowed &= ~dominated
        # new state placements: the nearest few suitable settings of each kind (scenario state_choices)
        if scen.state_choices:
            for st in STATE_TYPES:
                cand = np.flatnonzero(s_types == st)
                if len(cand) <= scen.state_choices:
                    continue
                d = np.where(allowed[:, cand], km[:, cand], np.inf)
                rank = np.argsort(np.argsort(d, axis=1, kind="stable"), axis=1)
                allowed[:, cand] &= rank < scen.state_choices
        # new independent placements in the county: the nearest few suitable schools (scenario independent_choices)
        k = scen.independent_choices
        ind = np.flatnonzero((s_types == "independent") & ~unlimited & suit)
        if k and len(ind) > k:
            rank = np.argsort(np.argsort(km[:, ind], axis=1, kind="stable"), axis=1)
            far = np.zeros_like(allowed)
            far[:, ind] = rank >= k
            allowed &= ~far
        has_demand = share.get((g, p), 0.0) > 0
        for zi in range(len(zones)):
            if not has_demand and x0[zi].sum() == 0:
                continue
            cohort_rows.append((cid, z_ids[zi], z_dist[zi], g, p, float(phases.loc[p, "stay_rate"])))
            a_idx = np.flatnonzero(allowed[zi])
            arc_frames.append(
                pd.DataFrame(
                    {"cohort": cid, "setting_id": s_ids[a_idx], "road_km": km[zi, a_idx], "base_pupils": x0[zi, a_idx]}
                )
            )
            l_idx = np.flatnonzero(~allowed[zi] & (x0[zi] > 1e-9))
            if len(l_idx):
                legacy_frames.append(
                    pd.DataFrame(
                        {
                            "cohort": cid,
                            "setting_id": s_ids[l_idx],
                            "road_km": km[zi, l_idx],
                            "base_pupils": x0[zi, l_idx],
                        }
                    )
                )
            cid += 1

    cohorts = pd.DataFrame(
        cohort_rows, columns=["cohort", "zone_id", "district_id", "need_group", "phase", "stay_rate"]
    ).set_index("cohort")
    arcs = pd.concat(arc_frames, ignore_index=True)
    arcs.index.name = "arc"
    leg0 = (
        pd.concat(legacy_frames, ignore_index=True)
        if legacy_frames
        else pd.DataFrame(columns=["cohort", "setting_id", "road_km", "base_pupils"])
    )
    stay = cohorts["stay_rate"]
    legacy = pd.concat(
        [leg0.assign(year=t, pupils=leg0["base_pupils"] * leg0["cohort"].map(stay) ** (t - base)) for t in years],
        ignore_index=True,
    )

    # zone demand by cohort and year
    dem = demand_c[demand_c["year"].isin(all_years)]
    cz = cohorts.reset_index().merge(dem, on=["need_group", "phase"])
    cz["demand"] = cz["demand"] * cz["zone_id"].map(w)
    demand = cz[["cohort", "year", "demand"]].copy()
    leg_sum = legacy.groupby(["cohort", "year"])["pupils"].sum()
    demand["legacy"] = pd.MultiIndex.from_frame(demand[["cohort", "year"]]).map(leg_sum.to_dict()).fillna(0.0)
    demand["legacy"] = demand["legacy"].astype(float)

    # transport: per-km rate calibrated so the base year's placements cost the published average per pupil
    rate0 = float(params["transport_cost_per_pupil"]) * x0_total / x0_km if x0_km > 0 else 0.0
    transport_per_km = pd.Series({t: rate0 * (1 + tr_g) ** (t - base) for t in all_years}, name="gbp_per_km")

    # ---- capacity from existing places and commitments
    capacity = _capacity(settings, commitments, years)

    # ---- options -> projects (option x size), each with its possible opening years
    projects, forced = _projects(data, scen, years, horizon)

    # ---- money
    income = _income(data, scen, all_years)
    cap_budget = data.capital_budget.set_index("year")["amount"].astype(float)
    for y, v in scen.capital_budget.items():
        if y not in cap_budget.index:
            raise _scenario_error(
                scen,
                f"capital_budget.{y}",
                "year not in capital_budget.csv",
                f"use years {cap_budget.index.min()}-{cap_budget.index.max()}",
            )
        cap_budget[y] = v
    cap_budget = (cap_budget * scen.capital_budget_scale).reindex(years).fillna(0.0)

    plans_all = data.plans[data.plans["scenario"] == scen.demand_projection].groupby("year")["plans"].sum()
    plans_all = plans_all.copy()
    after = plans_all.index > base
    plans_all[after] *= scen.demand_scale
    spec_by_year = demand_c.groupby("year")["demand"].sum()
    other_rate = float(params["other_high_needs_per_plan"])
    other = pd.Series(
        {t: other_rate * (1 + g_cost) ** (t - base) * (plans_all[t] - spec_by_year[t]) for t in all_years}
    )
    r = float(params["discount_rate"])
    discount = pd.Series({t: 1.0 / (1 + r) ** (t - base) for t in all_years})

    # base-year budget
    s_ex = settings[settings["origin"] == "existing"]
    pf0 = (s_ex["places"].fillna(0) * uc["place_funding"].reindex(s_ex["setting_type"]).to_numpy()).sum()
    tu0 = (s_ex["base_pupils"] * uc["top_up"].reindex(s_ex["setting_type"]).to_numpy()).sum()
    inc0 = float(income[income["year"] == base]["amount"].sum())
    spend0 = float(pf0 + tu0 + other[base])
    base_budget = {
        "income": inc0,
        "place_funding": float(pf0),
        "top_ups_and_fees": float(tu0),
        "other_high_needs": other[base],
        "spending": spend0,
        "in_year_balance": inc0 - spend0,
        "transport": rate0 * x0_km,
        "transport_pupils": x0_total,
    }
    deficit_after_base = float(params["opening_deficit"]) - (inc0 - spend0)

    # non-specialist placements by year (for the share-in-mainstream indicator)
    bp_all = bp.groupby(["placement_type", "need_group", "phase"])["pupils"].sum()
    tot_gp = bp.groupby(["need_group", "phase"])["pupils"].sum()
    ns = []
    pl = data.plans[data.plans["scenario"] == scen.demand_projection]
    for t in all_years:
        pt = pl[pl["year"] == t].set_index(["need_group", "phase"])["plans"] * (scen.demand_scale if t > base else 1)
        for ptype in data.placement_types.loc[~data.placement_types["specialist"], "placement_type"]:
            sh = bp_all.xs(ptype, level="placement_type") / tot_gp
            ns.append((t, ptype, float((pt * sh.reindex(pt.index).fillna(0)).sum())))
        # specialist pupils in phases the model does not place
        mask = ~pt.index.get_level_values("phase").isin(placed)
        spec_share = share.reindex(pt.index).fillna(0)
        ns.append((t, "specialist_not_placed_by_model", float((pt[mask] * spec_share[mask]).sum())))
    non_specialist = pd.DataFrame(ns, columns=["year", "placement_type", "pupils"])

    return ModelInputs(
        base_year=base,
        target_year=target,
        years=years,
        scenario=scen,
        cohorts=cohorts,
        demand=demand,
        settings=settings,
        capacity=capacity,
        arcs=arcs,
        legacy=legacy,
        projects=projects,
        forced_options=forced,
        unit_costs=unit_costs,
        transport_per_km=transport_per_km,
        income=income,
        other_spending=other,
        capital_budget=cap_budget,
        discount=discount,
        capital_charge_rate=float(params["capital_charge_rate"]),
        deficit_after_base=deficit_after_base,
        opening_deficit=float(params["opening_deficit"]),
        phase_ages={p: (int(phases.loc[p, "min_age"]), int(phases.loc[p, "max_age"])) for p in placed},
        base_budget=base_budget,
        non_specialist=non_specialist,
        options_meta=data.options.set_index("option_id"),
        commitments=commitments,
    )


def _available(
    settings: pd.DataFrame, commitments: pd.DataFrame, data: PlanningData, scen: Scenario, horizon: int
) -> np.ndarray:
    """Settings that can hold pupils by the horizon: existing, committed (opening by then), or options."""
    ok = settings["origin"].eq("existing").to_numpy().copy()
    com_open = set(commitments.loc[commitments["opening_year"] <= horizon, "setting_id"])
    ok |= settings.index.isin(com_open) & settings["origin"].eq("commitment").to_numpy()
    opt = data.options.set_index("option_id")
    forbidden = set(scen.forbid_options)
    for i, (sid, origin) in enumerate(zip(settings.index, settings["origin"], strict=True)):
        if origin == "option":
            o = opt.loc[sid]
            start = max(int(o["earliest_start"]), data.base_year + 1)
            if start + int(o["lead_time_years"]) <= horizon and sid not in forbidden and o["site_id"] not in forbidden:
                ok[i] = True
    return ok


def _capacity(settings: pd.DataFrame, commitments: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    rows = []
    for sid, r in settings.iterrows():
        for t in years:
            places = r["places"]
            if pd.notna(places):
                add = commitments[(commitments["setting_id"] == sid) & (commitments["opening_year"] <= t)]
                places = float(places) + float(add["places"].sum())
            rows.append((sid, t, places))
    return pd.DataFrame(rows, columns=["setting_id", "year", "places"])


def _projects(data: PlanningData, scen: Scenario, years: list[int], horizon: int) -> tuple[pd.DataFrame, list[str]]:
    """Each option at each of its sizes, with the opening years it could have within the horizon."""
    opts = data.options.set_index("option_id")
    known_ids = set(opts.index) | set(opts["site_id"])
    for key, ids in (("force_options", scen.force_options), ("forbid_options", scen.forbid_options)):
        bad = [i for i in ids if i not in known_ids]
        if bad:
            raise _scenario_error(
                scen, key, f"unknown option or site id(s) {bad}", "use option_id or site_id values from options.csv"
            )
    forbidden = set(scen.forbid_options)
    rows = []
    for oid, o in opts.iterrows():
        if oid in forbidden or o["site_id"] in forbidden:
            continue
        lead = int(o["lead_time_years"])
        first_open = max(int(o["earliest_start"]), years[0]) + lead
        if first_open > horizon:
            continue
        setting_id = o["setting_id"] if o["option_type"] == "expansion" else oid
        sizes = data.option_sizes[data.option_sizes["option_id"] == oid].sort_values("places")
        base = (oid, o["site_id"], setting_id, o["option_type"], o["setting_type"], o["sizing"], lead, first_open)
        if o["sizing"] == "range" and len(sizes) > 1:
            # any size from the smallest to the largest; capital affine through the two (fixed + per place)
            lo, hi = sizes.iloc[0], sizes.iloc[-1]
            per_place = (hi["capital_cost"] - lo["capital_cost"]) / (hi["places"] - lo["places"])
            fixed = lo["capital_cost"] - per_place * lo["places"]
            rows.append((*base, float(lo["places"]), float(hi["places"]), float(fixed), float(per_place)))
        else:
            for sz in sizes.itertuples():
                rows.append((*base, float(sz.places), float(sz.places), float(sz.capital_cost), 0.0))
    projects = pd.DataFrame(
        rows,
        columns=[
            "option_id",
            "site_id",
            "setting_id",
            "option_type",
            "setting_type",
            "sizing",
            "lead_time",
            "first_opening",
            "min_places",
            "places",
            "capital_fixed",
            "capital_per_place",
        ],
    )
    projects.index.name = "project"
    for oid in scen.force_options:
        ids = {oid} if oid in opts.index else set(opts.index[opts["site_id"] == oid])
        if not projects["option_id"].isin(ids).any():
            raise _scenario_error(
                scen,
                "force_options",
                f"option '{oid}' cannot open within the horizon (lead time too long, or forbidden)",
                "extend horizon_end or drop the option",
            )
    return projects, list(scen.force_options)


def _income(data: PlanningData, scen: Scenario, all_years: list[int]) -> pd.DataFrame:
    inc = data.income[["year", "line", "amount"]].copy()
    lines = set(inc["line"])
    for line, by_year in scen.income.items():
        if line not in lines:
            raise _scenario_error(scen, f"income.{line}", "unknown income line", f"use one of {sorted(lines)}")
        for y, v in by_year.items():
            m = (inc["line"] == line) & (inc["year"] == y)
            if not m.any():
                raise _scenario_error(
                    scen,
                    f"income.{line}.{y}",
                    "year not in income.csv",
                    f"use years {inc['year'].min()}-{inc['year'].max()}",
                )
            inc.loc[m, "amount"] = v
    for line, k in scen.income_scale.items():
        if line not in lines:
            raise _scenario_error(scen, f"income_scale.{line}", "unknown income line", f"use one of {sorted(lines)}")
        inc.loc[inc["line"] == line, "amount"] *= k
    return inc[inc["year"].isin(all_years)].reset_index(drop=True)
