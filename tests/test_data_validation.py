"""Bad inputs to the data layer: each gives one DataError naming the file, the row or column, and the fix.

Every test copies the shipped Norfolk folder, makes one corruption and loads it. Rows are counted as a
spreadsheet shows them: the header is row 1, so data row i (from 0) is row i + 2. Features of a boundary
file are counted from 1.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from planner.data import DataError, DataWarning, load_data

NORFOLK = Path(__file__).resolve().parents[1] / "data" / "norfolk"
LONDON = ("-0.127600", "51.507200")  # lon, lat of Charing Cross: well outside Norfolk


# ---------------------------------------------------------------------------------------------------------
# helpers
@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data (without the LSOA zones: the tests load MSOA zones)."""
    dest = tmp_path / "norfolk"
    shutil.copytree(NORFOLK, dest, ignore=shutil.ignore_patterns("zones_lsoa.*"))
    return dest


def read_csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def edit_csv(folder: Path, name: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    df = read_csv(folder, name)
    out = change(df)
    (df if out is None else out).to_csv(folder / name, index=False)


def position(df: pd.DataFrame, column: str, value: str) -> int:
    """The 0-based data row whose column holds value (exactly one)."""
    hits = np.flatnonzero((df[column] == value).to_numpy())
    assert len(hits) == 1, f"expected one row with {column} = {value!r}, found {len(hits)}"
    return int(hits[0])


def set_value(folder: Path, name: str, key: str, key_value: str, column: str, value: str) -> int:
    """Set one cell of the row whose key column holds key_value; return the spreadsheet row number."""
    df = read_csv(folder, name)
    i = position(df, key, key_value)
    df.loc[df.index[i], column] = value
    df.to_csv(folder / name, index=False)
    return i + 2


def expect_error(
    folder: Path,
    file: str,
    *,
    row: int | None = None,
    column: str | None = None,
    problem: str = "",
    zones: str = "msoa",
) -> DataError:
    """Load the folder; check the one DataError names the file, exactly this row and column, the problem and a fix."""
    with pytest.raises(DataError) as info:
        load_data(folder, zones=zones)
    err, msg = info.value, str(info.value)
    assert err.file == file, msg
    assert re.match(rf"{re.escape(file)}[,:]", msg), msg
    assert err.row == row, msg
    assert err.column == column, msg
    if row is not None:
        assert re.search(rf"\brow {row}\b", msg), msg
    if column is not None:
        assert f"column '{column}'" in msg, msg
    assert problem in msg, msg
    assert re.search(r"\. Fix: \S", msg), msg
    return err


def load_zones_msoa(folder: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(folder / "zones_msoa.geojson")


# ---------------------------------------------------------------------------------------------------------
# the shipped data
@pytest.mark.parametrize("level", ["msoa", "lsoa", "district"])
def test_default_data_loads_cleanly(level: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        data = load_data(NORFOLK, zones=level)
    assert data.warnings == []
    assert data.zone_level == level
    assert data.zones.crs == "EPSG:27700"
    assert len(data.zones) > 0 and data.zones["zone_id"].is_unique


def test_district_level_has_seven_zones_with_the_msoa_children() -> None:
    msoa = load_data(NORFOLK, zones="msoa")
    district = load_data(NORFOLK, zones="district")
    assert len(district.zones) == 7
    assert set(district.zones["zone_id"]) == set(msoa.districts["district_id"])
    assert district.zones["children_0_15"].sum() == pytest.approx(msoa.zones["children_0_15"].sum(), abs=1e-6)
    by_district = msoa.zones.groupby("district_id")["children_0_15"].sum()
    got = district.zones.set_index("zone_id")["children_0_15"]
    pd.testing.assert_series_equal(got.sort_index(), by_district.sort_index(), check_names=False)


# ---------------------------------------------------------------------------------------------------------
# whole files
@pytest.mark.parametrize("name", ["plans.csv", "districts.geojson"])
def test_missing_file(folder: Path, name: str) -> None:
    (folder / name).unlink()
    expect_error(folder, name, problem="the file is missing")


def test_empty_file(folder: Path) -> None:
    (folder / "settings.csv").write_bytes(b"")
    expect_error(folder, "settings.csv", problem="the file is empty")


def test_header_only_file(folder: Path) -> None:
    header = (folder / "unit_costs.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "unit_costs.csv").write_text(header + "\n", encoding="utf-8")
    expect_error(folder, "unit_costs.csv", problem="the file has a header but no rows")


def test_missing_column(folder: Path) -> None:
    edit_csv(folder, "settings.csv", lambda df: df.drop(columns=["places"]))
    expect_error(folder, "settings.csv", column="places", problem="the column is missing")


def test_blank_line_inside_a_table_is_reported_at_its_row(folder: Path) -> None:
    # a skipped blank line would shift the row number of every later error by one
    path = folder / "plans.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(10, "\n")  # after the header and 9 data rows: spreadsheet row 11
    path.write_text("".join(lines), encoding="utf-8")
    expect_error(folder, "plans.csv", row=11, problem="blank")


def test_trailing_blank_lines_are_ignored(folder: Path) -> None:
    path = folder / "settings.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    with pytest.warns(DataWarning, match="settings.csv: 2 blank row"):
        data = load_data(folder)
    assert len(data.settings) == len(read_csv(NORFOLK, "settings.csv"))


# ---------------------------------------------------------------------------------------------------------
# one value
def test_negative_plans(folder: Path) -> None:
    plans = read_csv(folder, "plans.csv")
    i = int(np.flatnonzero(((plans["year"] == "2028") & (plans["phase"] == "secondary")).to_numpy())[0])
    plans.loc[plans.index[i], "plans"] = "-5"
    plans.to_csv(folder / "plans.csv", index=False)
    expect_error(folder, "plans.csv", row=i + 2, column="plans", problem="-5 is negative")


def test_negative_lead_time(folder: Path) -> None:
    row = set_value(folder, "options.csv", "option_id", "exp-121257", "lead_time_years", "-1")
    err = expect_error(folder, "options.csv", row=row, column="lead_time_years", problem="-1 is negative")
    assert err.row_id == "option_id 'exp-121257'"


@pytest.mark.parametrize("cost", ["£13,900", "abc"])
def test_non_numeric_cost(folder: Path, cost: str) -> None:
    row = set_value(folder, "unit_costs.csv", "setting_type", "special", "top_up", cost)
    err = expect_error(folder, "unit_costs.csv", row=row, column="top_up", problem=f"'{cost}' is not a number")
    assert "plain number" in err.fix


def test_bool_that_is_not_true_or_false(folder: Path) -> None:
    row = set_value(folder, "settings.csv", "setting_id", "sp-121260", "out_of_county", "maybe")
    expect_error(folder, "settings.csv", row=row, column="out_of_county", problem="'maybe' is not true or false")


def test_setting_type_not_allowed(folder: Path) -> None:
    row = set_value(folder, "settings.csv", "setting_id", "sp-121264", "setting_type", "academy")
    expect_error(folder, "settings.csv", row=row, column="setting_type", problem="'academy' is not one of")


def test_duplicate_setting_id(folder: Path) -> None:
    settings = read_csv(folder, "settings.csv")
    settings.loc[settings.index[10], "setting_id"] = settings["setting_id"].iloc[3]
    settings.to_csv(folder / "settings.csv", index=False)
    expect_error(folder, "settings.csv", row=12, column="setting_id", problem="(first on row 5)")


def test_duplicate_row_of_a_multi_column_key(folder: Path) -> None:
    plans = read_csv(folder, "plans.csv")
    plans = pd.concat([plans, plans.iloc[[7]]], ignore_index=True)
    plans.to_csv(folder / "plans.csv", index=False)
    expect_error(folder, "plans.csv", row=len(plans) + 1, problem="(first on row 9)")


# ---------------------------------------------------------------------------------------------------------
# references between files
def test_unknown_need_group_in_settings_needs(folder: Path) -> None:
    row = set_value(folder, "settings.csv", "setting_id", "sp-121257", "needs", "MLD_SPLD;XX")
    err = expect_error(folder, "settings.csv", row=row, column="needs", problem="unknown need group 'XX'")
    assert err.row_id == "setting_id 'sp-121257'"


def test_unknown_need_group_in_plans(folder: Path) -> None:
    plans = read_csv(folder, "plans.csv")
    i = 123
    plans.loc[plans.index[i], "need_group"] = "CI"
    plans.to_csv(folder / "plans.csv", index=False)
    expect_error(folder, "plans.csv", row=i + 2, column="need_group", problem="unknown need group 'CI'")


def test_missing_parameter(folder: Path) -> None:
    edit_csv(folder, "parameters.csv", lambda df: df[df["name"] != "base_year"])
    expect_error(folder, "parameters.csv", column="name", problem="'base_year' is missing")


def test_expansion_commitment_of_unknown_setting(folder: Path) -> None:
    row = set_value(folder, "commitments.csv", "project_id", "fred-nicholson-225", "setting_id", "sp-999999")
    expect_error(folder, "commitments.csv", row=row, column="setting_id", problem="'sp-999999' is not in settings.csv")


def test_expansion_option_of_unknown_setting(folder: Path) -> None:
    row = set_value(folder, "options.csv", "option_id", "exp-148618", "setting_id", "sp-999999")
    expect_error(folder, "options.csv", row=row, column="setting_id", problem="'sp-999999' is not in settings.csv")


def test_option_size_for_unknown_option(folder: Path) -> None:
    sizes = read_csv(folder, "option_sizes.csv")
    extra = pd.DataFrame([{"option_id": "new-nowhere", "places": "60", "capital_cost": "6600000", "basis": "estimate"}])
    sizes = pd.concat([sizes, extra], ignore_index=True)
    sizes.to_csv(folder / "option_sizes.csv", index=False)
    expect_error(folder, "option_sizes.csv", row=len(sizes) + 1, column="option_id", problem="'new-nowhere'")


# ---------------------------------------------------------------------------------------------------------
# checks across rows and files
@pytest.mark.parametrize("year", ["2025", "2024"])
def test_commitment_opening_in_or_before_the_base_year(folder: Path, year: str) -> None:
    row = set_value(folder, "commitments.csv", "project_id", "srb-138758", "opening_year", year)
    expect_error(
        folder, "commitments.csv", row=row, column="opening_year", problem=f"{year} is not after the base year 2025"
    )


def test_min_age_above_max_age(folder: Path) -> None:
    settings = read_csv(folder, "settings.csv")
    i = position(settings, "setting_id", "sp-121261")
    settings.loc[settings.index[i], ["min_age", "max_age"]] = ["16", "5"]
    settings.to_csv(folder / "settings.csv", index=False)
    expect_error(folder, "settings.csv", row=i + 2, column="min_age", problem="min_age is above max_age")


def test_plans_falling_faster_than_the_stay_rate(folder: Path) -> None:
    plans = read_csv(folder, "plans.csv")
    hit = (plans["year"] == "2027") & (plans["need_group"] == "ASD") & (plans["phase"] == "secondary")
    i = int(np.flatnonzero(hit.to_numpy())[0])
    plans.loc[plans.index[i], "plans"] = "0"
    plans.to_csv(folder / "plans.csv", index=False)
    expect_error(folder, "plans.csv", row=i + 2, column="plans", problem="faster than the phase's stay rate")


def test_budget_year_missing(folder: Path) -> None:
    edit_csv(folder, "income.csv", lambda df: df[~((df["year"] == "2027") & (df["line"] == "council_contribution"))])
    expect_error(folder, "income.csv", column="year", problem="the budget year 2027 has no 'council_contribution' row")


def test_reconciliation_outside_tolerance(folder: Path) -> None:
    row = set_value(folder, "reconciliation.csv", "measure", "children_0_15", "published_value", "140000")
    expect_error(folder, "reconciliation.csv", row=row, column="published_value", problem="(tolerance 0.1%)")


# ---------------------------------------------------------------------------------------------------------
# where settings are
def test_setting_outside_the_county_not_marked_out_of_county(folder: Path) -> None:
    settings = read_csv(folder, "settings.csv")
    i = position(settings, "setting_id", "ind-121229")
    settings.loc[settings.index[i], ["lon", "lat"]] = LONDON
    settings.to_csv(folder / "settings.csv", index=False)
    expect_error(folder, "settings.csv", row=i + 2, column="out_of_county", problem="lies outside the county")


def test_setting_outside_the_county_marked_out_of_county_passes(folder: Path) -> None:
    settings = read_csv(folder, "settings.csv")
    i = position(settings, "setting_id", "ind-121229")
    settings.loc[settings.index[i], ["lon", "lat", "out_of_county", "journey_km"]] = [*LONDON, "True", "180"]
    settings.to_csv(folder / "settings.csv", index=False)
    data = load_data(folder)
    r = data.settings.set_index("setting_id").loc["ind-121229"]
    assert r["out_of_county"] and r["journey_km"] == 180
    assert r["x"] == pytest.approx(530_000, abs=2_000) and r["y"] == pytest.approx(180_500, abs=2_000)


def test_out_of_county_setting_with_neither_location_nor_journey(folder: Path) -> None:
    row = set_value(folder, "settings.csv", "setting_id", "ooc-special", "journey_km", "")
    expect_error(folder, "settings.csv", row=row, column="journey_km", problem="neither lon/lat nor journey_km")


@pytest.mark.parametrize("column", ["lon", "lat"])
def test_setting_in_the_county_without_a_coordinate(folder: Path, column: str) -> None:
    row = set_value(folder, "settings.csv", "setting_id", "srb-121000", column, "")
    expect_error(folder, "settings.csv", row=row, column=column, problem="no lon/lat")


def test_places_below_the_roll_is_a_warning_not_an_error(folder: Path) -> None:
    row = set_value(folder, "settings.csv", "setting_id", "sp-121254", "places", "150")
    with pytest.warns(DataWarning, match="places below the current roll"):
        data = load_data(folder)
    assert len(data.warnings) == 1
    assert data.warnings[0].startswith(f"settings.csv, row {row} (setting_id 'sp-121254')")
    assert "places below the current roll" in data.warnings[0]


# ---------------------------------------------------------------------------------------------------------
# boundaries and their coordinate reference systems
@pytest.mark.parametrize("suffix", [".shp", ".gpkg"])
def test_boundaries_without_a_crs(folder: Path, suffix: str) -> None:
    zones = load_zones_msoa(folder).set_crs(None, allow_override=True)
    (folder / "zones_msoa.geojson").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no CRS, and shapefile column names cut to 10 characters
        zones.to_file(folder / f"zones_msoa{suffix}")
    (folder / "zones_msoa.prj").unlink(missing_ok=True)
    expect_error(folder, f"zones_msoa{suffix}", problem="the file has no CRS")


def test_geojson_in_british_national_grid_without_a_crs_member(folder: Path) -> None:
    path = folder / "zones_msoa.geojson"
    gj = json.loads(load_zones_msoa(folder).to_crs("EPSG:27700").to_json())
    gj.pop("crs", None)
    path.write_text(json.dumps(gj), encoding="utf-8")
    expect_error(folder, "zones_msoa.geojson", problem="no CRS and its coordinates are not longitude/latitude")


def test_geopackage_in_web_mercator_is_reprojected_to_british_national_grid(folder: Path) -> None:
    zones = load_zones_msoa(folder).to_crs("EPSG:3857")
    (folder / "zones_msoa.geojson").unlink()
    zones.to_file(folder / "zones_msoa.gpkg", driver="GPKG")
    data = load_data(folder)
    assert data.zones.crs == "EPSG:27700"
    expected = load_data(NORFOLK).zones
    np.testing.assert_allclose(data.zones.total_bounds, expected.total_bounds, atol=1.0)
    np.testing.assert_allclose(data.zones.geometry.area, expected.geometry.area, rtol=1e-6)


def test_shapefile_with_a_prj_is_accepted(folder: Path) -> None:
    zones = load_zones_msoa(folder).to_crs("EPSG:27700")
    (folder / "zones_msoa.geojson").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shapefile column names cut to 10 characters
        zones.to_file(folder / "zones_msoa.shp")
    data = load_data(folder)
    assert data.zones.crs == "EPSG:27700"
    assert data.zones["children_0_15"].sum() == pytest.approx(zones["children_0_15"].sum())
    assert set(data.zones["district_id"]) == set(data.districts["district_id"])


def test_zone_in_an_unknown_district(folder: Path) -> None:
    path = folder / "zones_msoa.geojson"
    gj = json.loads(path.read_text(encoding="utf-8"))
    k = 17
    gj["features"][k]["properties"]["district_id"] = "E07999999"
    zone_id = gj["features"][k]["properties"]["zone_id"]
    path.write_text(json.dumps(gj), encoding="utf-8")
    err = expect_error(folder, "zones_msoa.geojson", row=k + 1, column="district_id", problem="'E07999999'")
    assert err.row_id == f"zone_id '{zone_id}'"
