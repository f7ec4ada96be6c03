"""The run tables: their names and columns (the one home of them), and placements by district."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FORMAT_VERSION = 2

PROJECT_COLUMNS = (
    "project_id", "site_id", "name", "urn", "kind", "project_type", "setting_type", "setting_id", "district_id",
    "lon", "lat", "needs", "min_age", "max_age", "places", "places_at_opening", "start_year", "opening_year",
    "capital_cost", "setting_name",
)  # fmt: skip
PROJECT_YEAR_COLUMNS = ("project_id", "setting_id", "year", "places", "capital_spent")
PLACEMENT_COLUMNS = (
    "year", "zone_id", "district_id", "need_group", "phase", "setting_id", "setting_type", "out_of_county", "pupils",
    "journey_km", "legacy",
)  # fmt: skip
SETTING_YEAR_COLUMNS = (
    "setting_id", "name", "urn", "setting_type", "origin", "district_id", "out_of_county", "lon", "lat", "year",
    "places", "pupils",
)  # fmt: skip
SUFFICIENCY_COLUMNS = (
    "year", "district_id", "need_group", "phase", "demand", "state_places_in_district", "placed_locally",
    "placed_independent_or_out_of_county", "unmet_local_need",
)  # fmt: skip
KPI_COLUMNS = (
    "year", "children_with_plans", "specialist_pupils", "share_mainstream", "share_state_specialist_in_county",
    "share_independent", "pupils_out_of_county", "mean_journey_km", "transport_cost", "high_needs_spending",
    "in_year_balance", "cumulative_deficit", "year_of_balance",
)  # fmt: skip
# budget.csv: year, income_<line> for each income line, income_total, place_funding, top_ups_and_fees_<setting type>
# for each setting type, line_<line> for each spending line the model does not place, then these
BUDGET_COLUMNS = (
    "other_high_needs", "spending_total", "in_year_balance", "dfe_deficit_contributions", "cumulative_deficit",
    "shortfall",
    "transport_general_fund", "capital_spent_options", "capital_budget",
)  # fmt: skip
INCOME_PREFIX = "income_"
FEES_PREFIX = "top_ups_and_fees_"
LINE_PREFIX = "line_"  # a spending line the model does not place (spending_lines.csv)

# the run's tables, in the order they are written; None: columns that depend on the data (budget lines)
RUN_TABLES: dict[str, tuple[str, ...] | None] = {
    "projects": PROJECT_COLUMNS,
    "project_years": PROJECT_YEAR_COLUMNS,
    "placements": PLACEMENT_COLUMNS,
    "settings_by_year": SETTING_YEAR_COLUMNS,
    "sufficiency": SUFFICIENCY_COLUMNS,
    "budget": None,
    "kpis": KPI_COLUMNS,
}
# placements.parquet holds every row (year x zone x need group x phase x setting); placements.csv the same pupils
# by district, to 0.001 pupil and 0.1 km, the size an officer opens in Excel at any zone level (folders of format 1
# have the full CSV only)
PLACEMENT_SUMMARY_COLUMNS = (
    "year", "district_id", "need_group", "phase", "setting_id", "setting_type", "out_of_county", "pupils",
    "mean_journey_km",
)  # fmt: skip
# tables a run folder has when the data allow (read back only if present)
RECONCILIATION_COLUMNS = (
    "year", "measure", "kind", "published", "published_value", "model_value", "difference", "base_year_difference",
    "demand", "unit_costs", "income", "dfe_contributions", "council_implied_change", "source",
)  # fmt: skip
LEVER_AREA_COLUMNS = (
    "year", "area_id", "area_name", "children", "teams", "coverage", "effect", "team_cost",
    "prevented_specialist_entrants", "prevented_plans_open", "prevention_saving", "supported_entrants",
    "supported_pupils", "enhanced_top_ups",
)  # fmt: skip
LEVER_MONEY_COLUMNS = (
    "year", "borrowed", "borrowed_to_date", "borrowing_charge", "transfer_in_data", "transfer_extra",
    "transfer_total", "transfer_share_of_schools_block", "transfer_needs_approval", "team_costs", "outside_money",
)  # fmt: skip
# the new specialist entrants the levers meet otherwise, by home zone, need group and phase (rows with any)
LEVER_RELIEF_COLUMNS = ("year", "zone_id", "need_group", "phase", "prevented_entrants", "supported_entrants")
# marginal values: the LP with the plan's decisions fixed (docs/model.md section 7.4)
PLACE_VALUE_COLUMNS = ("year", "setting_id", "setting_name", "setting_type", "district_id", "full", "value_of_a_place")
PLACE_NEED_COLUMNS = ("year", "district_id", "need_group", "setting_id", "value_of_a_place")
WHAT_BINDS_COLUMNS = ("year", "constraint", "binding", "value", "unit", "meaning")
OPTIONAL_RUN_TABLES: dict[str, tuple[str, ...]] = {
    "budget_reconciliation": RECONCILIATION_COLUMNS,
    "levers_by_area": LEVER_AREA_COLUMNS,
    "lever_money": LEVER_MONEY_COLUMNS,
    "lever_relief": LEVER_RELIEF_COLUMNS,
    "place_values": PLACE_VALUE_COLUMNS,
    "place_values_by_need": PLACE_NEED_COLUMNS,
    "what_binds": WHAT_BINDS_COLUMNS,
}
BOOL_COLUMNS = ("out_of_county", "legacy", "transfer_needs_approval", "full", "binding")
ID_COLUMNS = (
    "needs", "name", "setting_name", "site_id", "project_id", "setting_id", "zone_id", "district_id", "area_id",
    "area_name",
)  # fmt: skip
WHOLE_COLUMNS = ("urn", "start_year", "year_of_balance")


class RunFolderError(ValueError):
    """A run folder that cannot be written or read; the message says what is wrong and the fix."""


def placements_by_district(placements: pd.DataFrame) -> pd.DataFrame:
    """Pupils by year, home district, need group, phase and setting (to 0.001 pupil; smaller rows left out), with
    their mean journey (road km, to 0.1 km)."""
    keys = list(PLACEMENT_SUMMARY_COLUMNS[:7])
    p = placements.assign(pupil_km=placements["pupils"] * placements["journey_km"])
    out = p.groupby(keys, sort=True)[["pupils", "pupil_km"]].sum().reset_index()
    out["mean_journey_km"] = (out["pupil_km"] / out["pupils"].where(out["pupils"] > 0)).round(1)
    out["pupils"] = out["pupils"].round(3)
    return out.loc[out["pupils"] > 0, list(PLACEMENT_SUMMARY_COLUMNS)].reset_index(drop=True)


# placements.parquet: a setting's rows stored together (neighbouring values alike, so they compress: 4.7 MB to
# 2.4 MB at MSOA zones, lossless), read back in the order the model writes them
PLACEMENT_KEYS = ("year", "zone_id", "district_id", "need_group", "phase", "setting_id")
PARQUET_ORDER = ("setting_id", "zone_id", "need_group", "phase", "year")
PARQUET_FLOATS = ("pupils", "journey_km")  # float32: 7 digits, ample for pupils and km


def write_placements_parquet(placements: pd.DataFrame, path: Path) -> None:
    """The placements in full: floats byte-stream split, text dictionary-encoded, zstd."""
    df = placements.astype(dict.fromkeys(PARQUET_FLOATS, "float32"))
    df = df.iloc[_lexsort(df, PARQUET_ORDER)]
    text = [c for c in df.columns if c not in PARQUET_FLOATS]
    df.to_parquet(path, index=False, compression="zstd", compression_level=15, use_dictionary=text,
                  column_encoding=dict.fromkeys(PARQUET_FLOATS, "BYTE_STREAM_SPLIT"))  # fmt: skip


def read_placements_parquet(path: Path) -> pd.DataFrame:
    """placements.parquet in the model's order (year, zone, district, need group, phase, setting)."""
    df = pd.read_parquet(path)
    keys = [k for k in PLACEMENT_KEYS if k in df.columns]
    return df.iloc[_lexsort(df, keys)].reset_index(drop=True)


def _lexsort(df: pd.DataFrame, keys: tuple[str, ...] | list[str]) -> np.ndarray:
    """Row positions sorting `df` by `keys` (text in code-point order), stable."""
    codes = [df[k].to_numpy() if pd.api.types.is_numeric_dtype(df[k]) else pd.Categorical(df[k]).codes for k in keys]
    return np.lexsort(codes[::-1])
