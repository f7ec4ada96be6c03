"""The robust plan's two-stage program (docs/model.md section 13): one planning model a demand future, joined by
the decisions that start before the futures part (the first stage), under one objective.

Futures f with probability p_f, each its own planning model (planner/model/build.py) as a block: its placements,
later projects, shortfall S_f (GBP m, the first aim) and cost C_f are its own. The first stage, common to all:

    v_f[j,i] = V[j,i - d_fj]   (0 when i - d_fj is before j can open)      for (j,i) in F: works start by year
    w_f[j,i] = W[j,i - d_fj]                                                            first + span - 1
    v_f[j,i + d_fj] >= V[j,i],  w_f[j,i + d_fj] >= W[j,i]                  where i + d_fj is after F
    teams, borrowing and extra transfer of the first `span` years equal in every future

d_fj: the years project j's site opens late in future f (build delays; 0 on time). The objective:

    min  sum_f p_f (C_f + H_f) + omega CVaR_alpha(H),   H_f = pi S_f + kappa L_f
    CVaR_alpha(H) = min_eta  eta + sum_f p_f max(0, H_f - eta) / (1 - alpha)

H_f is the priced harm: the shortfall at pi pounds of cost a pound, and L_f the pupil-years in independent
settings from the target year at kappa (GBP m) each. With `link=False` each future chooses its own first stage:
the wait-and-see program whose value, against the linked one's, is the expected value of perfect information.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo

from planner.model.index import ModelIndex


@dataclass
class FutureBlock:
    """One future's planning model and what the extensive form needs of it."""

    name: str
    probability: float
    index: ModelIndex
    model: pyo.ConcreteModel
    outside: list[int] = field(default_factory=list)  # positions of independent settings (unmet local need)
    delay: dict[int, int] = field(default_factory=dict)  # project -> years late in this future


@dataclass(frozen=True)
class RobustWeights:
    span: int = 2  # first-stage years
    shortfall_price: float = 10.0  # pi
    local_need_price: float = 0.0  # kappa, GBP m a pupil-year
    cvar_level: float = 0.8  # alpha
    cvar_weight: float = 1.0  # omega


def first_stage_projects(ix: ModelIndex, span: int) -> list[tuple[int, int]]:
    """(j, i) of Open whose works start within the first `span` planning years: years[i] - L_j < years[0] + span."""
    start = ix.years[0] + span
    return [(j, i) for j, i in ix.open_index if ix.years[i] - int(ix.project_lead[j]) < start]


def _first_stage_levers(m: pyo.ConcreteModel, span: int) -> dict[str, list]:
    """The lever variables of the first `span` year positions, by component name."""
    out: dict[str, list] = {}
    if hasattr(m, "Teams"):
        out["Teams"] = [k for k in m.Teams if k[1] < span]
    for name in ("Borrow", "Extra_Transfer"):
        if hasattr(m, name):
            out[name] = [k for k in getattr(m, name) if k < span]
    return out


def same_first_stage(a: ModelIndex, b: ModelIndex) -> bool:
    """The two futures' models have the same years and projects (so their first stages can be joined)."""
    return a.years == b.years and a.open_index == b.open_index and a.project_option == b.project_option


def priced_harm(blk: pyo.ConcreteModel, fb: FutureBlock, w: RobustWeights) -> pyo.Expression:
    """H_f = pi S_f + kappa L_f (GBP m)."""
    ix = fb.index
    harm = w.shortfall_price * blk.first_aim
    if w.local_need_price and fb.outside:
        target = [ix.years.index(t) for t in ix.target_years]
        outside = set(fb.outside)
        pupils = sum(blk.Pupils[q, i] for q, (s, _p) in enumerate(ix.setting_phases) if s in outside for i in target)
        harm = harm + w.local_need_price * pupils
    return harm


def build_extensive_form(futures: list[FutureBlock], w: RobustWeights, *, link: bool = True) -> pyo.ConcreteModel:
    """The two-stage program of the module docstring over the futures' (already built) models, which become its
    blocks future_0, future_1, ...; their own objectives are switched off."""
    if not futures:
        raise ValueError("a robust plan needs at least one future")
    base = futures[0].index
    for fb in futures[1:]:
        if not same_first_stage(base, fb.index):
            raise ValueError(f"future {fb.name}: its model's projects or years differ from {futures[0].name}'s")
    root = pyo.ConcreteModel(name="robust_send_place_plan")
    for k, fb in enumerate(futures):
        for o in (fb.model.cost, fb.model.least_shortfall):
            o.deactivate()
        if hasattr(fb.model, "Shortfall_Cap"):
            fb.model.del_component("Shortfall_Cap")
        root.add_component(f"future_{k}", fb.model)
    if link:
        root.first = pyo.Block()
        _link_first_stage(root.first, futures, w.span)
    else:  # each future its own first stage (with its own delays)
        for k, fb in enumerate(futures):
            root.add_component(f"first_{k}", pyo.Block())
            _link_first_stage(getattr(root, f"first_{k}"), [fb], w.span)
    root.Harm = pyo.Expression(range(len(futures)), rule=lambda r, k: priced_harm(futures[k].model, futures[k], w))
    expected = sum(fb.probability * (fb.model.cost.expr + root.Harm[k]) for k, fb in enumerate(futures))
    if w.cvar_weight:
        root.Eta = pyo.Var(domain=pyo.Reals)
        root.Excess = pyo.Var(range(len(futures)), domain=pyo.NonNegativeReals)
        root.Tail = pyo.Constraint(range(len(futures)), rule=lambda r, k: r.Excess[k] - r.Harm[k] + r.Eta >= 0)
        root.CVaR = pyo.Expression(
            expr=root.Eta + sum(fb.probability * root.Excess[k] for k, fb in enumerate(futures)) / (1 - w.cvar_level)
        )
        expected = expected + w.cvar_weight * root.CVaR
    root.objective = pyo.Objective(expr=expected, sense=pyo.minimize)
    return root


def _link_first_stage(root: pyo.Block, futures: list[FutureBlock], span: int) -> None:
    """The first-stage variables on block `root` (Open, Places and the levers' variables), and the rows that tie
    every future's to them."""
    ix = futures[0].index
    first = first_stage_projects(ix, span)
    in_first = set(first)
    ranged = [(j, i) for j, i in first if ix.project_range[j]]
    root.First_Open = pyo.Var(first, domain=pyo.Binary)
    root.First_Places = pyo.Var(ranged, domain=pyo.NonNegativeIntegers)
    levers = _first_stage_levers(futures[0].model, span)
    for name, keys in levers.items():
        var = getattr(futures[0].model, name)
        root.add_component(
            f"First_{name}",
            pyo.Var(
                keys,
                domain=var[keys[0]].domain if keys else pyo.Reals,
                bounds=var[keys[0]].bounds if keys else (None, None),
            ),
        )
    # the first stage keeps the projects' own rules where a delay may leave it untied to any future's model
    last: dict[int, int] = {}
    for j, i in first:
        last[j] = max(i, last.get(j, i))
    root.First_Rules = pyo.ConstraintList()
    for j, i in first:
        if (j, i - 1) in in_first:
            root.First_Rules.add(root.First_Open[j, i] - root.First_Open[j, i - 1] >= 0)
    sites: dict[str, list[int]] = {}
    for j in last:
        sites.setdefault(ix.project_site[j], []).append(j)
    for js in sites.values():
        if len(js) > 1:
            root.First_Rules.add(sum(root.First_Open[j, last[j]] for j in js) <= 1)
    root.Same_First_Stage = pyo.ConstraintList()
    add = root.Same_First_Stage.add
    T = len(ix.years)
    for fb in futures:
        m = fb.model
        for var, shared, keys in ((m.Open, root.First_Open, first), (m.Places, root.First_Places, ranged)):
            for j, i in keys:
                d = fb.delay.get(j, 0)
                add(var[j, i] == (shared[j, i - d] if (j, i - d) in shared else 0))  # noqa: SIM401 - a Pyomo Var
                if d and i + d < T and (j, i + d) not in in_first:
                    add(var[j, i + d] - shared[j, i] >= 0)
        for name, keys in levers.items():
            mine, shared = getattr(m, name), getattr(root, f"First_{name}")
            for k in keys:
                add(mine[k] == shared[k])


FIRST_STAGE = ("First_Open", "First_Places", "First_Teams", "First_Borrow", "First_Extra_Transfer")


def first_stage_values(root: pyo.ConcreteModel) -> dict[str, dict]:
    """The solved common first stage: component name -> {key: value}."""
    return {n: {k: v.value for k, v in getattr(root.first, n).items()} for n in FIRST_STAGE if hasattr(root.first, n)}


def fix_first_stage(root: pyo.ConcreteModel, values: dict[str, dict]) -> None:
    """Fix the common first stage at given values (rounded where integer): one plan evaluated in every future."""
    for name, vals in values.items():
        var = getattr(root.first, name)
        for k, v in var.items():
            x = vals.get(k) or 0.0
            v.fix(round(x) if v.is_integer() else x)


def unfix_first_stage(root: pyo.ConcreteModel) -> None:
    """Free the common first stage again."""
    for name in FIRST_STAGE:
        for v in getattr(root.first, name).values() if hasattr(root.first, name) else ():
            v.unfix()


def fix_later_decisions(root: pyo.ConcreteModel, source: pyo.ConcreteModel) -> list[pyo.Var]:
    """Fix every future's project, places and team decisions outside the first stage at those of `source` (a
    planning model of the same projects, solved): with the first stage fixed too, what is left is an LP whose
    plan starts the two-stage program. Returns the variables fixed (to free them again)."""
    fixed = []
    k = 0
    while hasattr(root, f"future_{k}"):
        m = getattr(root, f"future_{k}")
        for name in ("Open", "Places", "Teams"):
            if not hasattr(m, name):
                continue
            first = getattr(root.first, f"First_{name}", None)
            linked = set(first.keys()) if first is not None else set()
            src = getattr(source, name)
            for key, v in getattr(m, name).items():
                if key not in linked and not v.fixed:
                    v.fix(round(src[key].value or 0.0))
                    fixed.append(v)
        k += 1
    return fixed


def copy_plan(source: pyo.ConcreteModel, target: pyo.ConcreteModel) -> None:
    """Load the plan of one two-stage program into another over the same futures (the robust plan into the
    wait-and-see program, where it is a plan too): every future's variables, and each future's own first stage
    from the common one."""
    k = 0
    while hasattr(source, f"future_{k}"):
        a, b = getattr(source, f"future_{k}"), getattr(target, f"future_{k}")
        for va, vb in zip(a.component_data_objects(pyo.Var, sort=True), b.component_data_objects(pyo.Var, sort=True),
                          strict=True):  # fmt: skip
            vb.set_value(va.value, skip_validation=True)
        own = getattr(target, f"first_{k}", None)
        if own is not None:
            for name in FIRST_STAGE:
                if hasattr(own, name):
                    for key, v in getattr(own, name).items():
                        v.set_value(getattr(source.first, name)[key].value, skip_validation=True)
        k += 1
