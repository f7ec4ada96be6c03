"""Districts and home zones (MSOA and LSOA 2011) with Census 2021 population and population-weighted points."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from tools.norfolk.assumptions import D, S
from tools.norfolk.common import BNG, WGS84

# names of the ONS district codes (LAD13NM in norfolk_lad.geojson), for row names
DISTRICT_NAMES = {
    "E07000143": "Breckland",
    "E07000144": "Broadland",
    "E07000145": "Great Yarmouth",
    "E07000146": "King's Lynn and West Norfolk",
    "E07000147": "North Norfolk",
    "E07000148": "Norwich",
    "E07000149": "South Norfolk",
}


def build_geography(src: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """districts, zones_msoa and zones_lsoa."""
    lad = gpd.read_file(src / "norfolk_lad.geojson")
    msoa = gpd.read_file(src / "norfolk_msoa2011.geojson")
    lsoa = _lsoa_in_msoa(gpd.read_file(src / "norfolk_lsoa2011.geojson"), msoa)
    basis = _fill_missing_population(lsoa, msoa)
    return _districts(lad), _zones_msoa(msoa, lsoa), _zones_lsoa(lsoa, basis)


def _districts(lad: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """districts.geojson: the seven districts with Census 2021 population."""
    return gpd.GeoDataFrame(
        {
            "district_id": lad["LAD13CD"],
            "district_name": lad["LAD13NM"],
            "children_0_15": lad["pop_0_15"].astype(int),
            "population": lad["pop_total"].astype(int),
            "basis": S,
            "source": "ONS LAD boundaries (dissolved MSOA 2011 BGC); ONS Census 2021 usual residents",
        },
        geometry=lad.geometry,
        crs=WGS84,
    ).sort_values("district_id")


def _lsoa_in_msoa(lsoa: gpd.GeoDataFrame, msoa: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """LSOAs with their MSOA (by name: "Breckland 010A" lies in "Breckland 010"), area and representative point."""
    lsoa = lsoa.copy()
    lsoa["msoa_name"] = lsoa["LSOA11NM"].str[:-1]
    name_to_msoa = dict(zip(msoa["MSOA11NM"], msoa["MSOA11CD"], strict=True))
    lsoa["msoa_id"] = lsoa["msoa_name"].map(name_to_msoa)
    assert lsoa["msoa_id"].notna().all()
    lsoa_bng = lsoa.to_crs(BNG)
    lsoa["area"] = lsoa_bng.area
    pts = lsoa_bng.representative_point()
    lsoa["x"], lsoa["y"] = pts.x, pts.y
    return lsoa


def _fill_missing_population(lsoa: gpd.GeoDataFrame, msoa: gpd.GeoDataFrame) -> np.ndarray:
    """Set children_0_15 and population on every LSOA; return each LSOA's basis.

    The 9 LSOAs without a 2021 population get the MSOA's exact total minus its known LSOAs, split by area.
    """
    children = lsoa["pop_0_15"].astype(float)
    population = lsoa["pop_total"].astype(float)
    basis = np.where(children.notna(), S, D)
    msoa_kids = dict(zip(msoa["MSOA11CD"], msoa["pop_0_15"], strict=True))
    msoa_pop = dict(zip(msoa["MSOA11CD"], msoa["pop_total"], strict=True))
    for mid, grp in lsoa.groupby("msoa_id"):
        missing = grp.index[grp["pop_0_15"].isna()]
        if len(missing) == 0:
            continue
        rest_kids = msoa_kids[mid] - grp["pop_0_15"].sum()
        rest_pop = msoa_pop[mid] - grp["pop_total"].sum()
        assert rest_kids >= 0 and rest_pop >= 0, mid
        share = grp.loc[missing, "area"] / grp.loc[missing, "area"].sum()
        children.loc[missing] = rest_kids * share
        population.loc[missing] = rest_pop * share
    lsoa["children_0_15"] = children.round(1)
    lsoa["population"] = population.round(1)
    return basis


def _zones_lsoa(lsoa: gpd.GeoDataFrame, basis: np.ndarray) -> gpd.GeoDataFrame:
    """zones_lsoa.geojson: LSOAs with population and their representative points."""
    zones = gpd.GeoDataFrame(
        {
            "zone_id": lsoa["LSOA11CD"],
            "zone_name": lsoa["LSOA11NM"],
            "district_id": lsoa["LAD13CD"],
            "msoa_id": lsoa["msoa_id"],
            "children_0_15": lsoa["children_0_15"],
            "population": lsoa["population"],
            "point_lon": 0.0,
            "point_lat": 0.0,
            "basis": basis,
            "source": np.where(
                basis == S,
                "ONS LSOA 2011 BGC; Census 2021 aged 15 and under (" + lsoa["pop_method"].fillna("") + ")",
                "derived: LSOA merged or changed in 2021; its MSOA's Census 2021 total minus the MSOA's other "
                "LSOAs, split between such LSOAs by area",
            ),
        },
        geometry=lsoa.geometry,
        crs=WGS84,
    )
    ll = gpd.GeoSeries(gpd.points_from_xy(lsoa["x"], lsoa["y"]), crs=BNG).to_crs(WGS84)
    zones["point_lon"] = ll.x.round(6).values
    zones["point_lat"] = ll.y.round(6).values
    return zones


def _msoa_points(msoa: gpd.GeoDataFrame, lsoa: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, pd.Series]:
    """Population-weighted point of each MSOA (children-weighted mean of its LSOAs' representative points),
    or its representative point where that mean falls outside it; and whether the mean was inside."""
    w = lsoa["children_0_15"].clip(lower=0.1)
    agg = (
        pd.DataFrame({"msoa_id": lsoa["msoa_id"], "wx": lsoa["x"] * w, "wy": lsoa["y"] * w, "w": w})
        .groupby("msoa_id")
        .sum()
    )
    agg["x"], agg["y"] = agg["wx"] / agg["w"], agg["wy"] / agg["w"]
    msoa_bng = msoa.to_crs(BNG).set_index("MSOA11CD")
    pt = gpd.GeoSeries(
        gpd.points_from_xy(agg.loc[msoa_bng.index, "x"], agg.loc[msoa_bng.index, "y"]), index=msoa_bng.index, crs=BNG
    )
    inside = pt.within(msoa_bng.geometry)
    rep = msoa_bng.geometry.representative_point()
    return pt.where(inside, rep).to_crs(WGS84), inside


def _zones_msoa(msoa: gpd.GeoDataFrame, lsoa: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """zones_msoa.geojson: the home zones the model uses, with population-weighted points."""
    pt_ll, inside = _msoa_points(msoa, lsoa)
    return gpd.GeoDataFrame(
        {
            "zone_id": msoa["MSOA11CD"].values,
            "zone_name": msoa["MSOA11NM"].values,
            "district_id": msoa["LAD13CD"].values,
            "children_0_15": msoa["pop_0_15"].astype(int).values,
            "population": msoa["pop_total"].astype(int).values,
            "point_lon": pt_ll.loc[msoa["MSOA11CD"]].x.round(6).values,
            "point_lat": pt_ll.loc[msoa["MSOA11CD"]].y.round(6).values,
            "basis": S,
            "source": np.where(
                inside.loc[msoa["MSOA11CD"]].values,
                "ONS MSOA 2011 BGC; Census 2021 aged 15 and under; point = children-weighted mean of LSOA points",
                "ONS MSOA 2011 BGC; Census 2021 aged 15 and under; point = representative point (weighted mean "
                "fell outside the zone)",
            ),
        },
        geometry=msoa.geometry.values,
        crs=WGS84,
    )
