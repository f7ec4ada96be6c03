"""Checks across the files of a data folder: references, coverage, places, plausibility, and the base-year
reconciliation. Each finds every problem it can (naming the file, row or column and the fix) and records softer
findings as warnings; checks that need a table another check found broken are skipped."""

from __future__ import annotations

from planner.data.errors import Findings
from planner.data.tables import PlanningData
from planner.data.validate import coverage, demand, extras, levers, places
from planner.data.validate.reconcile import MEASURES, reconciliation_table

__all__ = ["MEASURES", "reconciliation_table", "validate_data"]


def validate_data(data: PlanningData, findings: Findings) -> None:
    """Add every cross-file problem of `data` to `findings` (its tables each read cleanly)."""
    coverage.check_parameters(data, findings)
    if findings.has_problems("parameters.csv"):
        return
    coverage.check_phases(data, findings)
    coverage.check_references(data, findings)
    if findings.has_problems():
        return  # later checks assume known need groups, phases and setting types
    coverage.check_plans(data, findings)
    coverage.check_base_placements(data, findings)
    demand.check_specialist_shares(data, findings)
    county = places.county_shape(data)
    districts = set(data.districts["district_id"])
    places.check_settings(data, findings, county, districts)
    places.check_commitments(data, findings, county, districts)
    places.check_options(data, findings, county, districts)
    coverage.check_money(data, findings)
    extras.check_references(data, findings)
    extras.check_suitability(data, findings)
    extras.check_money_tables(data, findings)
    levers.check_levers(data, findings)
    if not findings.has_problems():
        from planner.data.validate.reconcile import check_reconciliation

        check_reconciliation(data, findings)
