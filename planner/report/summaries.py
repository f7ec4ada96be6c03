"""The small summaries of a run's tables every report shares: project map references, zone measures, pupils by
setting and need group, the settings of a year, and map coordinates from lon/lat."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Transformer

from planner.data.schema import STATE_TYPES

_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
_TO_WEB = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def with_xy(df: pd.DataFrame, crs: str = "EPSG:27700") -> pd.DataFrame:
    """`df` with x/y columns (BNG metres, or web Mercator for crs='EPSG:3857') from lon/lat; NaN if unknown."""
    t = _TO_BNG if crs == "EPSG:27700" else _TO_WEB
    lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float)
    has = ~(np.isnan(lon) | np.isnan(lat))
    x, y = np.full(len(df), np.nan), np.full(len(df), np.nan)
    if has.any():
        x[has], y[has] = t.transform(lon[has], lat[has])
    return df.assign(x=x, y=y)


# ---------------------------------------------------------------------------------------------------------
# summaries
def project_refs(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects in map order (opening year, then commitments before options, then name) with a `ref` column:
    the number that labels each project on the plan maps and in the projects tables."""
    if projects.empty:
        return projects.assign(ref=pd.Series(dtype=int))
    order = projects.assign(_k=(projects["kind"] != "commitment").astype(int)).sort_values(
        ["opening_year", "_k", "district_id", "name"], kind="stable"
    )
    return order.drop(columns="_k").assign(ref=np.arange(1, len(order) + 1)).reset_index(drop=True)


def zone_measures(placements: pd.DataFrame, year: int, zone_ids: pd.Series | list[str]) -> pd.DataFrame:
    """By home zone in `year`: specialist pupils, pupils in independent or out-of-county settings, and their
    mean journey (road km, pupil-weighted; out-of-county journeys as recorded)."""
    p = placements[placements["year"] == year]
    state_local = p["setting_type"].isin(STATE_TYPES) & ~p["out_of_county"].astype(bool)
    km = pd.to_numeric(p["journey_km"], errors="coerce")
    g = pd.DataFrame(
        {
            "zone_id": p["zone_id"],
            "pupils": p["pupils"],
            "independent_or_ooc": np.where(state_local, 0.0, p["pupils"]),
            "out_of_county": np.where(p["out_of_county"].astype(bool), p["pupils"], 0.0),
            "independent": np.where(p["setting_type"] == "independent", p["pupils"], 0.0),
            "pupil_km": (p["pupils"] * km).fillna(0.0),
            "known": np.where(km.notna(), p["pupils"], 0.0),
        }
    )
    agg = g.groupby("zone_id").sum(numeric_only=True).reindex(pd.Index(list(zone_ids), name="zone_id")).fillna(0.0)
    agg["mean_journey_km"] = np.where(agg["known"] > 0, agg["pupil_km"] / agg["known"].where(agg["known"] > 0), np.nan)
    agg["share_independent_or_ooc"] = np.where(
        agg["pupils"] > 0, agg["independent_or_ooc"] / agg["pupils"].where(agg["pupils"] > 0), np.nan
    )
    return agg.drop(columns=["pupil_km", "known"])


def pupils_by_need(placements: pd.DataFrame, year: int) -> pd.DataFrame:
    """Pupils of every setting in `year` by need group (settings x need groups)."""
    p = placements[placements["year"] == year]
    return p.pivot_table(index="setting_id", columns="need_group", values="pupils", aggfunc="sum", fill_value=0.0)


def settings_in_year(sby: pd.DataFrame, year: int) -> pd.DataFrame:
    """Settings with a place or pupil in `year`, with x/y (BNG); out-of-county ones have no location."""
    s = sby[sby["year"] == year].copy()
    return with_xy(s) if len(s) else s.assign(x=pd.Series(dtype=float), y=pd.Series(dtype=float))


def existing_settings(sby: pd.DataFrame, year: int) -> pd.DataFrame:
    """Settings that existed before the plan (origin 'existing'), their places in `year`, with x/y."""
    s = settings_in_year(sby, year)
    return s[s["origin"] == "existing"] if "origin" in s.columns else s
