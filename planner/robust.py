"""A robust plan across demand futures: data + scenario + futures -> one planning model a future -> the two-stage
program (planner/model/robust.py) -> solved -> each future's result tables, and the measures that say what
planning for many futures is worth (docs/model.md section 13):

- RP: the robust plan's objective (expected cost and priced harm, plus the weighted CVaR);
- WS (wait and see): the same objective when every future may choose its own first stage;
  EVPI = RP - WS, what knowing the future would be worth;
- EEV: the objective of the mean-value plan's first stage (planned for the futures' mean demand) kept in every
  future, the rest re-planned; VSS = EEV - RP, what planning for the spread rather than the mean is worth.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.config import Scenario, apply_scenario
from planner.data import PlanningData
from planner.data.demand import projection_plans
from planner.highs import HighsSolver, SolverError, SolverOptions
from planner.inputs import ModelInputs, build_inputs
from planner.lexicographic import objective_from_model
from planner.model import ModelIndex, build_index, build_model
from planner.model.index import MONEY
from planner.model.robust import (
    FutureBlock,
    RobustWeights,
    build_extensive_form,
    copy_plan,
    first_stage_values,
    fix_first_stage,
    fix_later_decisions,
    unfix_first_stage,
)
from planner.progress import announce
from planner.results import result_tables

MEAN_FUTURE = "futures-mean"
ROBUST_SOLVE = "robust plan"
MEAN_PLAN_SOLVE = "mean-value plan's first stage in every future"


@dataclass
class FuturePlan:
    """One future's part of the robust plan."""

    name: str
    probability: float
    inputs: ModelInputs
    index: ModelIndex
    model: pyo.ConcreteModel  # its block of the solved two-stage program
    tables: dict[str, pd.DataFrame]


@dataclass
class RobustOutcome:
    weights: RobustWeights
    futures: list[FuturePlan]
    by_future: pd.DataFrame  # one row a future: cost, shortfall, harm, objective under each plan, regret
    first_stage: pd.DataFrame  # projects whose works start in the first stage
    summary: dict[str, float | str | None]  # RP, WS, EEV, VSS, EVPI, CVaR, expectations (GBP), proof, seconds
    solves: list[dict]
    first_stage_years: pd.DataFrame = field(default_factory=pd.DataFrame)  # option, year, places of the first stage

    @property
    def robust_solve(self) -> dict:
        """The robust program's solve: status, objective and bound (GBP m), gap, seconds."""
        return next(e for e in self.solves if e["solve"] == ROBUST_SOLVE)

    @property
    def status(self) -> str:
        """optimal when every solve reached its gap, else the first other status."""
        return next((s["status"] for s in self.solves if s["status"] != "optimal"), "optimal")


def weights_of(scenario: Scenario) -> RobustWeights:
    return RobustWeights(
        span=scenario.first_stage_years,
        shortfall_price=scenario.shortfall_price,
        local_need_price=scenario.local_need_price / MONEY,
        cvar_level=scenario.cvar_level,
        cvar_weight=scenario.cvar_weight,
    )


def with_mean_future(data: PlanningData, names: list[str]) -> PlanningData:
    """The data with one more projection in plans.csv: the futures' mean plans by year, need group and phase."""
    rows = pd.concat([projection_plans(data, n) for n in names])
    mean = rows.groupby(["year", "need_group", "phase"], as_index=False)["plans"].sum()
    mean["plans"] /= len(names)
    mean["scenario"] = MEAN_FUTURE
    for col in data.plans.columns.difference(mean.columns):
        mean[col] = "derived" if col == "basis" else f"mean of {len(names)} futures" if col == "source" else ""
    return replace(data, plans=pd.concat([data.plans, mean[data.plans.columns]], ignore_index=True))


def _future_model(
    data: PlanningData, scenario: Scenario, name: str, target_year: int | None
) -> tuple[ModelInputs, ModelIndex]:
    applied = apply_scenario(data, scenario.model_copy(update={"demand_projection": name}), target_year)
    inp = build_inputs(applied)
    return inp, build_index(inp)


def _blocks(
    prepared: list[tuple[str, float, ModelInputs, ModelIndex]], delays: dict[str, dict[int, int]]
) -> list[FutureBlock]:
    """Fresh planning models of the futures (a model is a block of one two-stage program only)."""
    out = []
    for name, p, inp, ix in prepared:
        m = build_model(ix, drop=[] if inp.balance_test else ["high_needs_balance"])
        outside = [k for k, s in enumerate(ix.settings) if inp.settings.loc[s, "setting_type"] == "independent"]
        out.append(FutureBlock(name, p, ix, m, outside, delays.get(name, {})))
    return out


def draw_delays(ix: ModelIndex, names: list[str], scenario: Scenario, seed: int) -> dict[str, dict[int, int]]:
    """Future -> {project: years late}: each site's projects late by build_delay_years with build_delay_probability,
    drawn for every site and future (future k's draws from its own stream)."""
    q = scenario.build_delay_probability
    sites = sorted(set(ix.project_site))
    out: dict[str, dict[int, int]] = {}
    for k, name in enumerate(names):
        rng = np.random.default_rng([seed, k])
        late = {s for s, u in zip(sites, rng.random(len(sites)), strict=True) if u < q}
        out[name] = {j: scenario.build_delay_years for j, s in enumerate(ix.project_site) if s in late}
    return out


def robust_plan(
    data: PlanningData,
    scenario: Scenario,
    futures: list[str],
    target_year: int | None = None,
    options: SolverOptions | None = None,
    probabilities: list[float] | None = None,
    progress: Callable[[str], None] = announce,
    evaluate: bool = True,
) -> RobustOutcome:
    """Plan once for all `futures` (projections of plans.csv or futures of futures.csv, equally likely unless
    `probabilities` say otherwise). Solves, each from the last's plan: the mean-value plan; its projects in every
    future (an LP); its first stage in every future (EEV); the robust plan; with `evaluate`, wait and see (WS)."""
    options = options or SolverOptions()
    if len(set(futures)) != len(futures):
        raise ValueError("each future may be named once")
    probs = probabilities or [1.0 / len(futures)] * len(futures)
    if len(probs) != len(futures) or min(probs) < 0 or abs(sum(probs) - 1.0) > 1e-9:
        raise ValueError("give one probability a future, none negative, summing to 1")
    w = weights_of(scenario)
    solver = HighsSolver(options)
    solves: list[dict] = []
    t0 = time.perf_counter()
    prepared = []
    for k, name in enumerate(futures, 1):
        t = time.perf_counter()
        inp, ix = _future_model(data, scenario, name, target_year)
        prepared.append((name, probs[k - 1], inp, ix))
        progress(f"[{k}/{len(futures)}] {name}: model inputs ({time.perf_counter() - t:.1f} s)")
    delays = draw_delays(prepared[0][3], futures, scenario, options.seed)

    def solve(label: str, root: pyo.ConcreteModel, warm: bool = False) -> float:
        progress(f"{label}: {root.nvariables()} variables, {root.nconstraints()} constraints")
        r = solver.solve(root, warm_start=warm)
        if not r.has_solution:
            raise SolverError(f"the {label} found no plan (status {r.status}); raise --time-limit")
        r = objective_from_model(r, root)
        bound = -math.inf if r.bound is None else r.bound
        solves.append({"solve": label, "status": r.status, "objective_gbp_m": r.objective, "bound_gbp_m": bound,
                       "gap": r.gap, "seconds": r.solve_seconds})  # fmt: skip
        return float(r.objective)

    # 1. the mean-value plan: one future, the futures' mean demand (small; a start for the rest, and EEV's plan)
    inp_m, ix_m = _future_model(with_mean_future(data, futures), scenario, MEAN_FUTURE, target_year)
    ev_root = build_extensive_form(_blocks([(MEAN_FUTURE, 1.0, inp_m, ix_m)], {}), w)
    solve("mean-value plan (the futures' mean demand)", ev_root)
    # 2. its projects in every future, only placements re-planned (an LP: a plan of the robust program to start
    # from); then its first stage only, the later decisions re-planned: EEV
    blocks = _blocks(prepared, delays)
    root = build_extensive_form(blocks, w)
    fix_first_stage(root, first_stage_values(ev_root))
    later = fix_later_decisions(root, ev_root.future_0)
    solve("start: the mean-value plan's projects in every future", root)
    for v in later:
        v.unfix()
    eev = solve(MEAN_PLAN_SOLVE, root, warm=True)
    mean_rows = _future_rows(root, None, w, "mean_plan")[["mean_plan_objective_gbp"]]
    # 3. the robust plan, from there
    unfix_first_stage(root)
    rp = solve(ROBUST_SOLVE, root, warm=True)
    plans = [
        FuturePlan(name, p, inp, ix, fb.model, result_tables(inp, ix, fb.model))
        for (name, p, inp, ix), fb in zip(prepared, blocks, strict=True)
    ]
    by_future = _future_rows(root, blocks, w, "robust").join(mean_rows)
    got = {e["solve"]: e for e in solves}
    summary: dict[str, float | str | None] = {
        "futures": len(futures),
        "robust_objective_gbp": rp * MONEY,
        "robust_bound_gbp": got[ROBUST_SOLVE]["bound_gbp_m"] * MONEY,
        "robust_gap": got[ROBUST_SOLVE]["gap"],
        "expected_cost_gbp": float((by_future["probability"] * by_future["robust_cost_gbp"]).sum()),
        "expected_shortfall_gbp": float((by_future["probability"] * by_future["robust_shortfall_gbp"]).sum()),
        "cvar_priced_harm_gbp": cvar(by_future["robust_harm_gbp"], by_future["probability"], w.cvar_level),
        "mean_plan_in_every_future_gbp": eev * MONEY,
        "vss_gbp": (eev - rp) * MONEY,
        # what the solves prove: each optimum lies between its bound and its plan's objective
        "vss_proven_low_gbp": (got[MEAN_PLAN_SOLVE]["bound_gbp_m"] - rp) * MONEY,
        "vss_proven_high_gbp": (eev - got[ROBUST_SOLVE]["bound_gbp_m"]) * MONEY,
    }
    if evaluate:  # 4. wait and see: each future its own first stage, from the robust plan
        ws_root = build_extensive_form(_blocks(prepared, delays), w, link=False)
        copy_plan(root, ws_root)
        ws = solve("wait-and-see (each future its own first stage)", ws_root, warm=True)
        by_future = by_future.join(_future_rows(ws_root, None, w, "own_best")[["own_best_objective_gbp"]])
        by_future["regret_gbp"] = by_future["robust_objective_gbp"] - by_future["own_best_objective_gbp"]
        ws_lo = solves[-1]["bound_gbp_m"]
        summary.update({
            "wait_and_see_gbp": ws * MONEY, "evpi_gbp": (rp - ws) * MONEY,
            "evpi_proven_low_gbp": (got[ROBUST_SOLVE]["bound_gbp_m"] - ws) * MONEY,
            "evpi_proven_high_gbp": (rp - ws_lo) * MONEY,
        })  # fmt: skip
    summary["seconds"] = time.perf_counter() - t0
    by_year = first_stage_by_year(root, prepared[0][3])
    first = first_stage_table(by_year, prepared[0][2], plans)
    return RobustOutcome(w, plans, by_future.reset_index(), first, summary, solves, by_year)


def first_stage_by_year(root: pyo.ConcreteModel, ix: ModelIndex) -> pd.DataFrame:
    """The first stage's projects by year: option, year, places open (what holding the plan elsewhere needs)."""
    vals = first_stage_values(root)
    places = vals.get("First_Places", {})
    rows = [{"option_id": ix.project_option[j], "year": ix.years[i],
             "places": float(places.get((j, i), 0.0) if ix.project_range[j] else ix.project_places[j])}
            for (j, i), v in sorted(vals.get("First_Open", {}).items()) if (v or 0) > 0.5]  # fmt: skip
    return pd.DataFrame(rows, columns=["option_id", "year", "places"])


def cvar(values: pd.Series, probabilities: pd.Series, level: float) -> float:
    """CVaR_level of a discrete distribution: the mean of its worst (1 - level) probability mass."""
    order = np.argsort(-values.to_numpy(dtype=float))
    v, p = values.to_numpy(dtype=float)[order], probabilities.to_numpy(dtype=float)[order]
    tail = 1.0 - level
    take = np.minimum(p, np.maximum(0.0, tail - np.concatenate([[0.0], np.cumsum(p)[:-1]])))
    return float((take * v).sum() / tail)


def _future_rows(
    root: pyo.ConcreteModel, blocks: list[FutureBlock] | None, w: RobustWeights, label: str
) -> pd.DataFrame:
    """Each future's cost C_f, shortfall S_f, priced harm H_f and C_f + H_f under the plan solved in `root`
    (GBP)."""
    rows = []
    k = 0
    while hasattr(root, f"future_{k}"):
        m = getattr(root, f"future_{k}")
        cost, harm = float(pyo.value(m.cost.expr)), float(pyo.value(root.Harm[k]))
        row = {
            "future_position": k,
            f"{label}_cost_gbp": cost * MONEY,
            f"{label}_shortfall_gbp": max(0.0, float(pyo.value(m.first_aim))) * MONEY,
            f"{label}_harm_gbp": harm * MONEY,
            f"{label}_objective_gbp": (cost + harm) * MONEY,
        }
        if blocks is not None:
            row = {
                "future": blocks[k].name,
                "probability": blocks[k].probability,
                **row,
                "delayed_sites": ";".join(sorted({blocks[k].index.project_site[j] for j in blocks[k].delay})),
            }
        rows.append(row)
        k += 1
    return pd.DataFrame(rows).set_index("future_position")


def first_stage_table(by_year: pd.DataFrame, inp: ModelInputs, plans: list[FuturePlan]) -> pd.DataFrame:
    """The projects the robust plan starts in the first stage (their opening year on time and their places at the
    end of it, from `by_year`), and, for every option any future's plan builds, the share of futures whose plan
    builds it (later ones chosen there), the spread of its opening year and its mean places at the horizon."""
    site = inp.projects.drop_duplicates("option_id").set_index("option_id")["site_id"]
    g0 = by_year.sort_values("year").groupby("option_id")
    first = pd.DataFrame({"opening_year": g0["year"].first(), "first_stage_places": g0["places"].last()}).reset_index()
    first.insert(1, "site_id", first["option_id"].map(site))
    first.insert(2, "stage", "first")
    built = []
    for fp in plans:
        pr = fp.tables["projects"]
        if len(pr):
            built += [
                (fp.name, fp.probability, r.project_id, int(r.opening_year), float(r.places))
                for r in pr[pr["kind"] == "option"].itertuples()
            ]
    b = pd.DataFrame(built, columns=["future", "probability", "option_id", "opening_year", "places"])
    g = b.groupby("option_id")
    later = pd.DataFrame(
        {
            "share_of_futures": g["probability"].sum(),
            "opening_year_min": g["opening_year"].min(),
            "opening_year_max": g["opening_year"].max(),
            "mean_places_at_horizon": g["places"].mean(),
        }
    ).reset_index()
    later["site_id"] = later["option_id"].map(site)
    later["stage"] = np.where(later["option_id"].isin(first["option_id"]), "first", "later")
    out = first.merge(later, on=["option_id", "site_id", "stage"], how="outer")
    for col in ("opening_year", "opening_year_min", "opening_year_max"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["stage", "option_id"]).reset_index(drop=True)
