"""spending_lines.csv: the high-needs spending the model does not place, by lines that behave differently, the
residual calibrated so that base-year spending equals the published position; and the held-out check of the
drivers (calibrated to 2023/24, projected to 2024/25).

Base-year spending on the settings the model places counts place funding only where the council pays it
(settings.place_funding_by_la), as the core block is taken net of the DfE's academy deductions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tools.norfolk.assumptions import (
    BASE_YEAR,
    BASE_YEAR_DEFICIT_END,
    EARLY_YEARS_TOP_UP_PER_PLAN,
    ELEMENT3_2025,
    FE_TOP_UP_PER_PLAN,
    HELD_OUT_DEFICIT,
    HELD_OUT_INCOME,
    HELD_OUT_SRB_PLACES_OPENED,
    INFLATION,
    OPENING_DEFICIT,
    SEND_SERVICES_2025,
    UNIT_COST_GROWTH,
    D,
)
from tools.norfolk.cohort import CASELOAD, SPECIALIST_TYPES

COLUMNS = ["line", "base_amount", "driver", "growth", "transfer_counterpart", "basis", "source"]
NOT_PLACED_TYPES = ["mainstream", "further_education", "educated_elsewhere", "early_years_setting", "not_recorded"]


def base_year_spending(income: pd.DataFrame) -> tuple[float, float]:
    """Base-year high-needs spending (income plus the in-year deficit) and the base-year income."""
    inc = float(income[income.year == BASE_YEAR]["amount"].sum())
    return inc + (BASE_YEAR_DEFICIT_END - OPENING_DEFICIT), inc


def placed_spending(settings: pd.DataFrame, unit_costs: pd.DataFrame, la_only: bool) -> dict[str, float]:
    """Base-year place funding (every setting's, or only where the council pays it) and top-ups, by setting type."""
    uc = unit_costs.set_index("setting_type")
    pays = settings["place_funding_by_la"] if la_only else True
    pf = settings["places"].fillna(0) * settings["setting_type"].map(uc["place_funding"]) * pays
    tu = settings["base_pupils"] * settings["setting_type"].map(uc["top_up"])
    out = {}
    for t in uc.index:
        m = settings["setting_type"] == t
        out[f"{t}_place_funding"], out[f"{t}_top_ups"] = float(pf[m].sum()), float(tu[m].sum())
    return out


def driver_counts(base: pd.DataFrame, placed_phases: set[str]) -> dict[str, float]:
    """Base-year pupils behind each driver of spending_lines.csv."""
    by_type = base.groupby("placement_type")["pupils"].sum()
    out = {t: float(by_type[t]) for t in NOT_PLACED_TYPES}
    spec = base.placement_type.isin(SPECIALIST_TYPES)
    out["specialist_not_placed"] = float(base.loc[spec & ~base.phase.isin(placed_phases), "pupils"].sum())
    out["not_placed"] = sum(out.values())
    out["fixed"] = 1.0
    return out


def build_spending_lines(
    settings: pd.DataFrame, base: pd.DataFrame, placed_phases: set[str], unit_costs: pd.DataFrame, spend25: float
) -> pd.DataFrame:
    """The spending lines with their 2024/25 amounts; the residual makes base-year spending equal `spend25`."""
    n = driver_counts(base, placed_phases)
    uc = unit_costs.set_index("setting_type")["top_up"]
    spec = base[base.placement_type.isin(SPECIALIST_TYPES) & ~base.phase.isin(placed_phases)]
    spec_cost = float((spec["pupils"] * spec["placement_type"].map(uc)).sum())
    fe, fe_b, fe_src = FE_TOP_UP_PER_PLAN
    ey, ey_b, ey_src = EARLY_YEARS_TOP_UP_PER_PLAN
    lines = [
        ("element3_mainstream_top_ups", ELEMENT3_2025[0], "mainstream", "unit_cost", 1.0, *ELEMENT3_2025[1:]),
        (
            "fe_post16_post19_top_ups",
            round(fe * n["further_education"], -3),
            "further_education",
            "unit_cost",
            0.0,
            fe_b,
            f"{fe_src}: {fe:,} x {n['further_education']:,.0f} FE plans (ages 16-25; post-19 plans in FE are here)",
        ),
        (
            "early_years_top_ups",
            round(ey * n["early_years_setting"], -3),
            "early_years_setting",
            "unit_cost",
            0.0,
            ey_b,
            f"{ey_src}: {ey:,} x {n['early_years_setting']:,.0f} plans",
        ),
        (
            "specialist_not_placed_top_ups",
            round(spec_cost, -3),
            "specialist_not_placed",
            "unit_cost",
            0.0,
            D,
            f"top-ups of the {n['specialist_not_placed']:.1f} specialist pupils in phases the model does not place "
            "(early years, post-19) at unit_costs.csv rates; in the base year these pupils are also in the "
            "settings' base pupils",
        ),
        ("send_support_services", SEND_SERVICES_2025[0], "fixed", "inflation", 0.0, *SEND_SERVICES_2025[1:]),
    ]
    placed = sum(placed_spending(settings, unit_costs, la_only=True).values())
    residual = round(spend25 - placed - sum(r[1] for r in lines))
    assert residual > 0, residual
    lines.append(
        (
            "other_high_needs_residual",
            residual,
            "not_placed",
            "unit_cost",
            0.0,
            D,
            f"calibrated: base-year spending {spend25 / 1e6:.2f}m (income + the in-year deficit 33.5m implied by "
            f"81.5m -> 115m forecast) minus place funding paid by the council and top-ups of the settings "
            f"({placed / 1e6:.2f}m) minus the lines above; covers packages for children educated elsewhere, "
            f"targeted funding, therapies, direct payments and anything the estimates miss "
            f"({residual / n['not_placed']:,.0f} per plan not placed by the model)",
        )
    )
    df = pd.DataFrame(lines, columns=COLUMNS)
    df["base_amount"] = df["base_amount"].round(0)
    return df


def _count(r: pd.Series, column: str) -> float:
    v = pd.to_numeric(r[column], errors="coerce")
    return 0.0 if pd.isna(v) else float(v)


def _sen2_counts(src: Path, period: int) -> dict[str, float]:
    """SEN2 'All EHC plans' counts by placement type in January of a year (202324 = Jan 2024)."""
    c = pd.read_csv(src / CASELOAD)
    r = c[(c.la_name == "Norfolk") & (c.breakdown_topic == "All EHC plans") & (c.time_period == period)].iloc[0]
    units = sum(_count(r, k) for k in r.index if k.endswith("senunit"))
    out = {
        "special": _count(r, "special_la_maintained") + _count(r, "special_academy_free"),
        "independent": _count(r, "special_independent") + _count(r, "special_non_maintained"),
        "ap": _count(r, "ap_pru_total"),
        "mainstream": _count(r, "mainstream_total") - units,
        "further_education": _count(r, "fe_total"),
        "educated_elsewhere": _count(r, "ed_elsewhere"),
        "early_years_setting": _count(r, "nm_early_years"),
        "not_recorded": _count(r, "placement_unknown"),
    }
    out["not_placed"] = sum(out[t] for t in NOT_PLACED_TYPES)
    out["specialist_not_placed"] = out["special"] + out["independent"]
    out["plans"] = _count(r, "ehcplans")
    out["fixed"] = 1.0
    return out


def held_out_check(
    src: Path, settings: pd.DataFrame, unit_costs: pd.DataFrame, lines: pd.DataFrame, income25: float
) -> dict[str, float]:
    """Calibrate to 2023/24 (income 149.5m + outturn deficit 43.1m), project to 2024/25 with the model's drivers and
    growth rates, and compare with the base-year spending the data are calibrated to.

    Every component of 2024/25 spending is taken back a year by its driver (SEN2 January 2024 against January 2025
    counts; resource-base places for SRBs) and its growth; the residual line takes whatever 2023/24 spending that
    leaves, and is carried forward again by its driver and growth."""
    d24, d25 = _sen2_counts(src, 202324), _sen2_counts(src, 202425)
    srb_places = float(settings.loc[settings.setting_type == "srb", "places"].sum())
    d24["srb"], d25["srb"] = srb_places - HELD_OUT_SRB_PLACES_OPENED, srb_places
    g_unit = UNIT_COST_GROWTH[0]
    own = unit_costs.set_index("setting_type")["growth"].fillna(g_unit)
    comps = []  # (2024/25 amount, driver ratio 2025/2024, growth)
    for key, amount in placed_spending(settings, unit_costs, la_only=True).items():
        t = key.rsplit("_", 2)[0]  # setting type of 'special_place_funding', 'special_top_ups'
        comps.append((amount, d25[t] / d24[t], 1 + float(own[t])))
    growth = {"unit_cost": 1 + g_unit, "inflation": 1 + INFLATION[0], "none": 1.0}
    for r in lines[lines.line != "other_high_needs_residual"].itertuples():
        comps.append((r.base_amount, d25[r.driver] / d24[r.driver], growth[r.growth]))
    res = lines.set_index("line").loc["other_high_needs_residual"]
    spend24 = HELD_OUT_INCOME + HELD_OUT_DEFICIT
    residual24 = spend24 - sum(a / (r * g) for a, r, g in comps)
    spend25 = sum(a for a, _r, _g in comps) + float(res.base_amount)
    predicted = sum(a for a, _r, _g in comps) + residual24 * d25[res.driver] / d24[res.driver] * growth[res.growth]
    return {
        "spending_2024": spend24,
        "residual_2024": residual24,
        "predicted_2025": predicted,
        "calibrated_2025": spend25,
        "error": predicted - spend25,
        "error_pct": (predicted - spend25) / spend25 * 100,
        "predicted_in_year_deficit_2025": predicted - income25,
        "plans_growth_pct": (d25["plans"] / d24["plans"] - 1) * 100,
    }
