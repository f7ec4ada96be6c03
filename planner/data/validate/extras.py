"""Checks of the optional tables: what each kind of setting may take (suitability, placement shares), a council's
journeys and zone weights, spending lines, DfE deficit contributions, published forecasts and transport costs."""

from __future__ import annotations

import pandas as pd

from planner.data import schema
from planner.data.errors import DataError, Findings
from planner.data.tables import PlanningData
from planner.data.validate.rows import refs, row_problems


def check_suitability(data: PlanningData, findings: Findings) -> None:
    """Every setting, commitment and option takes only the need groups its type and designation may take."""
    suit = data.suitability
    if suit.empty:
        return
    refs(
        findings,
        "suitability.csv",
        suit,
        "need_groups",
        set(data.need_groups["need_group"]),
        "need group",
        "need_groups.csv",
        ("setting_type", "designation"),
    )
    allowed = {(r.setting_type, r.designation): set(r.need_groups) for r in suit.itertuples()}
    for df, spec in (
        (data.settings, schema.SETTINGS),
        (data.commitments, schema.COMMITMENTS),
        (data.options, schema.OPTIONS),
    ):

        def row_allowed(r: pd.Series) -> set[str] | None:
            return allowed.get((r["setting_type"], r["designation"] or "any"), allowed.get((r["setting_type"], "any")))

        may = df.apply(row_allowed, axis=1) if len(df) else pd.Series(dtype=object)
        row_problems(
            findings,
            spec.file,
            df,
            may.isna(),
            key=spec.key[0],
            column="designation",
            problem=lambda r: (
                f"suitability.csv has no row for setting type '{r['setting_type']}' and "
                f"designation '{r['designation']}'"
            ),
            fix="add the row to suitability.csv, or correct the designation",
        )
        beyond = pd.Series(
            [m is not None and not set(n) <= m for n, m in zip(df["needs"], may, strict=True)],
            index=df.index,
            dtype=bool,
        )
        row_problems(
            findings,
            spec.file,
            df,
            beyond,
            key=spec.key[0],
            column="needs",
            problem=lambda r: (
                f"needs {';'.join(r['needs'])} go beyond what suitability.csv lets a "
                f"'{r['setting_type']}' designated '{r['designation']}' take"
            ),
            fix="correct the needs, or the suitability row if the setting really takes them",
        )


def check_references(data: PlanningData, findings: Findings) -> None:
    groups = set(data.need_groups["need_group"])
    refs(findings, "placement_shares.csv", data.placement_shares, "need_group", groups, "need group", "need_groups.csv")
    znw = data.zone_need_weights
    refs(findings, "zone_need_weights.csv", znw, "need_group", groups, "need group", "need_groups.csv")
    j = data.journeys
    settings = set(data.settings["setting_id"]) | set(data.commitments["setting_id"]) | set(data.options["option_id"])
    refs(findings, "journeys.csv", j, "setting_id", settings, "setting", "settings.csv, commitments.csv or options.csv")
    zones = set(data.zones["zone_id"])
    for name, df in (("journeys.csv", j), ("zone_need_weights.csv", znw)):
        unknown = ~df["zone_id"].isin(zones)
        if unknown.all() and len(df):
            findings.warn(f"{name}: its zones are not this run's ({data.zone_level} zones): not used")
        elif unknown.any():
            row_problems(
                findings,
                name,
                df,
                unknown,
                key="zone_id",
                column="zone_id",
                problem=lambda r: f"zone '{r['zone_id']}' is not a {data.zone_level} zone",
                fix="use the zone ids of the zone files",
            )


def check_money_tables(data: PlanningData, findings: Findings) -> None:
    params = data.parameters
    if (data.income["growth"] == "dsg").any():
        for name in ("income_last_published_year", "income_growth_low", "income_growth_central", "income_growth_high"):
            if name not in params.index:
                findings.add(
                    DataError(
                        "parameters.csv",
                        f"the parameter '{name}' is missing (income.csv has lines "
                        "marked dsg, which grow after the last published year)",
                        f"add a row named '{name}'",
                        column="name",
                    )
                )
    lines = data.spending_lines
    if (lines["growth"] == "inflation").any() and "inflation" not in params.index:
        findings.add(
            DataError(
                "parameters.csv",
                "the parameter 'inflation' is missing (spending_lines.csv has lines growing with inflation)",
                "add a row named 'inflation'",
                column="name",
            )
        )
    tc = data.transport_costs.sort_values(["setting_type", "from_km"])
    falls = tc["cost_per_pupil"] < tc.groupby("setting_type")["cost_per_pupil"].shift() - 1e-9
    row_problems(
        findings,
        "transport_costs.csv",
        tc.reset_index(drop=True),
        falls.to_numpy(),
        key="setting_type",
        column="cost_per_pupil",
        problem=lambda r: f"a journey of {r['from_km']:g} km or more costs less than a shorter one",
        fix="make cost_per_pupil rise with distance",
    )
    if len(tc) and not (tc["setting_type"] == "any").any():
        findings.add(
            DataError(
                "transport_costs.csv",
                "no 'any' rows: journeys to other setting types have no cost",
                "add rows for setting_type any",
                column="setting_type",
            )
        )
