"""Settings the model may place children in: existing ones, committed new ones, and those options would create;
which can hold pupils by the horizon, and their places by year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data import PlanningData

SETTING_COLUMNS = [
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


def _new_settings(df: pd.DataFrame, origin: str) -> pd.DataFrame:
    """New settings from commitment or option rows (indexed by their setting id): no places or pupils yet."""
    add = df[[c for c in SETTING_COLUMNS if c in df.columns]].copy()
    add["out_of_county"] = False
    add["journey_km"] = np.nan
    add["places"] = 0.0
    add["base_pupils"] = 0.0
    add["origin"] = origin
    add["place_funding_by_la"] = True  # new places: the council pays, or the DfE deducts the same from its block
    return add


def settings_table(data: PlanningData) -> pd.DataFrame:
    """All settings: existing (origin 'existing'), committed new settings ('commitment'), new settings options
    would create ('option'); indexed by setting_id. `data` has the scenario applied."""
    s = data.settings.set_index("setting_id")[SETTING_COLUMNS + ["places", "base_pupils", "place_funding_by_la"]].copy()
    s["origin"] = "existing"
    com = data.commitments
    new = _new_settings(com[com["project_type"] != "expansion"].set_index("setting_id"), "commitment")
    opt = data.options
    oadd = _new_settings(opt[opt["option_type"] != "expansion"].set_index("option_id"), "option")
    settings = pd.concat([s, new, oadd])
    settings.index.name = "setting_id"
    return settings


def available(settings: pd.DataFrame, data: PlanningData, horizon: int) -> np.ndarray:
    """Settings that can hold pupils by the horizon: existing, committed (opening by then), or options that can
    open by then."""
    ok = settings["origin"].eq("existing").to_numpy().copy()
    com = data.commitments
    com_open = set(com.loc[com["opening_year"] <= horizon, "setting_id"])
    ok |= settings.index.isin(com_open) & settings["origin"].eq("commitment").to_numpy()
    opt = data.options.set_index("option_id")
    for i, (sid, origin) in enumerate(zip(settings.index, settings["origin"], strict=True)):
        if origin == "option":
            o = opt.loc[sid]
            start = max(int(o["earliest_start"]), data.base_year + 1)
            if start + int(o["lead_time_years"]) <= horizon:
                ok[i] = True
    return ok


def places_by_year(settings: pd.DataFrame, commitments: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Places of every setting each year: existing places plus commitments open by then (NaN = unlimited)."""
    rows = []
    for sid, r in settings.iterrows():
        for t in years:
            places = r["places"]
            if pd.notna(places):
                add = commitments[(commitments["setting_id"] == sid) & (commitments["opening_year"] <= t)]
                places = float(places) + float(add["places"].sum())
            rows.append((sid, t, places))
    return pd.DataFrame(rows, columns=["setting_id", "year", "places"])


def journeys(data: PlanningData, settings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Road km and minutes from each zone's children-weighted point to each setting, shape (zones, settings).
    A council's own journeys.csv gives them where it has a row (its zones must be this run's); elsewhere km is the
    straight line x road_circuity (settings without a location, out of county: their journey_km) and minutes are
    unknown (NaN)."""
    zones = data.zones.reset_index(drop=True)
    zx, zy = zones["x"].to_numpy(), zones["y"].to_numpy()
    sx, sy = settings["x"].to_numpy(dtype=float), settings["y"].to_numpy(dtype=float)
    circuity = float(data.parameters["road_circuity"])
    km = np.hypot(zx[:, None] - sx[None, :], zy[:, None] - sy[None, :]) / 1000.0 * circuity
    no_loc = np.isnan(sx)
    km[:, no_loc] = settings["journey_km"].to_numpy(dtype=float)[no_loc][None, :]
    minutes = np.full_like(km, np.nan)
    j = data.journeys
    if len(j):
        z_pos = {z: i for i, z in enumerate(zones["zone_id"])}
        s_pos = {s: i for i, s in enumerate(settings.index)}
        rows = j[j["zone_id"].isin(z_pos) & j["setting_id"].isin(s_pos)]
        zi = rows["zone_id"].map(z_pos).to_numpy(dtype=int)
        si = rows["setting_id"].map(s_pos).to_numpy(dtype=int)
        given = rows["road_km"].notna().to_numpy()
        km[zi[given], si[given]] = rows["road_km"].to_numpy(dtype=float)[given]
        minutes[zi, si] = rows["minutes"].to_numpy(dtype=float)
    return km, minutes
