"""Tiny data folders for tests whose optimum is derived by hand.

One need group (G), one placed phase (primary, ages 4-10), zones and settings on a line in British National
Grid (x in km from a point in Norfolk), straight-line distances (circuity 1), no growth, no discounting.
Every base-year pupil is in the out-of-county independent fallback unless a test says otherwise, so the
transport rate calibrated at run time is transport_cost_per_pupil / fallback journey.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import Transformer
from shapely.geometry import box

X0, Y0 = 600_000.0, 300_000.0  # a point in Norfolk (metres, EPSG:27700)
DISTRICT = "D1"
BASE = 2025


def lonlat(x_km: float, y_km: float = 0.0) -> tuple[float, float]:
    t = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = t.transform(X0 + x_km * 1000, Y0 + y_km * 1000)
    return round(lon, 7), round(lat, 7)


@dataclass
class Instance:
    """What a tiny instance holds; defaults give a fallback at 20 km, GBP 50k a year, and transport of GBP 100
    per pupil per km a year (2,000 per pupil at 20 km)."""

    zones: dict[str, float] = field(default_factory=lambda: {"A": 0.0})  # zone -> x km (children equal)
    plans: dict[int, float] = field(default_factory=lambda: {2025: 5, 2026: 5, 2027: 5})  # county, by year
    settings: list[dict] = field(default_factory=list)  # extra settings: id, type, x, places, base_pupils, ...
    options: list[dict] = field(default_factory=list)  # id, type, x, sizes [(places, capex)], lead, sizing
    commitments: list[dict] = field(default_factory=list)
    stay_rate: float = 0.0
    reach_km: float = 30.0
    fallback_km: float = 20.0
    fallback_fee: float = 50_000.0
    top_up: dict[str, float] = field(default_factory=lambda: {"special": 10_000, "srb": 10_000, "ap": 10_000})
    place_funding: dict[str, float] = field(default_factory=lambda: {"special": 0, "srb": 0, "ap": 0})
    transport_cost_per_pupil: float = 2_000.0
    income: float = 1e9  # GBP a year
    capital: dict[int, float] = field(default_factory=dict)  # year -> GBP (default 0)
    other_per_plan: float = 0.0
    groups: tuple[str, ...] = ("G",)  # need groups: G has the plans; the others none
    income_lines: dict[str, dict] = field(default_factory=dict)  # line -> {year: GBP} (besides 'grant')
    params: dict[str, float] = field(default_factory=dict)  # more rows of parameters.csv (or replacements)
    tables: dict[str, list[dict]] = field(default_factory=dict)  # optional tables: file -> rows (basis, source added)
    setting_columns: dict[str, dict] = field(default_factory=dict)  # setting id -> more columns of settings.csv
    mainstream_share: float = 0.0  # share of the plans in mainstream schools (no specialist place)


def write_instance(folder: Path, inst: Instance) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    years = sorted(inst.plans)
    xs = list(inst.zones.values()) + [s.get("x", 0.0) for s in inst.settings + inst.options + inst.commitments]
    lo, hi = min(xs) - 10, max(xs) + 10
    county = box(X0 + lo * 1000, Y0 - 10_000, X0 + hi * 1000, Y0 + 10_000)
    gpd.GeoDataFrame(
        {"district_id": [DISTRICT], "district_name": ["Test district"]}, geometry=[county], crs="EPSG:27700"
    ).to_file(folder / "districts.geojson", driver="GeoJSON")
    zrows, geoms = [], []
    for zid, x in inst.zones.items():
        lon, lat = lonlat(x)
        zrows.append(
            dict(
                zone_id=zid,
                zone_name=f"Zone {zid}",
                district_id=DISTRICT,
                children_0_15=1000.0,
                point_lon=lon,
                point_lat=lat,
            )
        )
        geoms.append(box(X0 + (x - 0.4) * 1000, Y0 - 400, X0 + (x + 0.4) * 1000, Y0 + 400))
    gpd.GeoDataFrame(zrows, geometry=geoms, crs="EPSG:27700").to_file(folder / "zones_msoa.geojson", driver="GeoJSON")

    def csv(name: str, rows: list[dict], columns: list[str]) -> None:
        pd.DataFrame(rows, columns=columns).to_csv(folder / name, index=False)

    csv(
        "need_groups.csv",
        [
            dict(need_group=g, name=f"Test need {g}", sen2_primary_needs="ASD", basis="estimate", source="test")
            for g in inst.groups
        ],
        ["need_group", "name", "sen2_primary_needs", "basis", "source"],
    )
    csv(
        "phases.csv",
        [
            dict(
                phase="primary",
                name="Primary",
                min_age=4,
                max_age=10,
                placed_by_model=True,
                stay_rate=inst.stay_rate,
                max_journey_km=inst.reach_km,
                basis="estimate",
                source="test",
            )
        ],
        ["phase", "name", "min_age", "max_age", "placed_by_model", "stay_rate", "max_journey_km", "basis", "source"],
    )
    csv(
        "placement_types.csv",
        [dict(placement_type=t, name=t, specialist=True) for t in ("special", "srb", "ap", "independent")]
        + ([dict(placement_type="mainstream", name="mainstream", specialist=False)] if inst.mainstream_share else []),
        ["placement_type", "name", "specialist"],
    )
    csv(
        "plans.csv",
        [
            dict(
                scenario="central",
                year=y,
                need_group=g,
                phase="primary",
                plans=inst.plans[y] if g == "G" else 0.0,
                basis="estimate",
                source="test",
            )
            for y in years
            for g in inst.groups
        ],
        ["scenario", "year", "need_group", "phase", "plans", "basis", "source"],
    )

    settings = []
    for s in inst.settings:
        lon, lat = lonlat(s.get("x", 0.0))
        settings.append(
            dict(
                setting_id=s["id"],
                name=s.get("name", s["id"]),
                urn="",
                setting_type=s["type"],
                designation="test",
                needs=s.get("needs", "G"),
                min_age=s.get("min_age", 4),
                max_age=s.get("max_age", 10),
                district_id=DISTRICT,
                lon=lon,
                lat=lat,
                out_of_county=False,
                journey_km="",
                places=s["places"],
                base_pupils=s.get("base_pupils", 0.0),
                places_basis="estimate",
                base_pupils_basis="estimate",
                designation_basis="estimate",
                source="test",
            )
        )
    in_county = {}
    for s in settings:
        in_county[s["setting_type"]] = in_county.get(s["setting_type"], 0.0) + float(s["base_pupils"])
    fallback_base = inst.plans[BASE] * (1 - inst.mainstream_share) - sum(in_county.values())
    settings.append(
        dict(
            setting_id="ooc",
            name="Out of county",
            urn="",
            setting_type="independent",
            designation="fallback",
            needs=";".join(inst.groups),
            min_age=4,
            max_age=19,
            district_id="",
            lon="",
            lat="",
            out_of_county=True,
            journey_km=inst.fallback_km,
            places="",
            base_pupils=fallback_base,
            places_basis="estimate",
            base_pupils_basis="estimate",
            designation_basis="estimate",
            source="test",
        )
    )
    scols = [
        "setting_id",
        "name",
        "urn",
        "setting_type",
        "designation",
        "needs",
        "min_age",
        "max_age",
        "district_id",
        "lon",
        "lat",
        "out_of_county",
        "journey_km",
        "places",
        "base_pupils",
        "places_basis",
        "base_pupils_basis",
        "designation_basis",
        "source",
    ]
    for row in settings:
        row.update(inst.setting_columns.get(row["setting_id"], {}))
    extra_cols = sorted({k for cols in inst.setting_columns.values() for k in cols})
    csv("settings.csv", settings, scols + extra_cols)
    by_type = {t: in_county.get(t, 0.0) for t in ("special", "srb", "ap")}
    by_type["independent"] = in_county.get("independent", 0.0) + fallback_base
    if inst.mainstream_share:
        by_type["mainstream"] = inst.plans[BASE] * inst.mainstream_share
    csv(
        "base_placements.csv",
        [
            dict(
                placement_type=t,
                need_group=g,
                phase="primary",
                pupils=v if g == "G" else 0.0,
                basis="estimate",
                source="test",
            )
            for t, v in by_type.items()
            for g in inst.groups
        ],
        ["placement_type", "need_group", "phase", "pupils", "basis", "source"],
    )

    crow = []
    for c in inst.commitments:
        lon, lat = lonlat(c.get("x", 0.0))
        crow.append(
            dict(
                project_id=c["id"],
                name=c["id"],
                project_type=c.get("project_type", "srb"),
                setting_id=c.get("setting_id", c["id"]),
                setting_type=c["type"],
                urn="",
                designation="test",
                needs="G",
                min_age=4,
                max_age=10,
                district_id=DISTRICT,
                lon=lon,
                lat=lat,
                places=c["places"],
                opening_year=c["opening_year"],
                capital_cost=c.get("capital", 0),
                places_basis="estimate",
                opening_basis="estimate",
                capital_basis="estimate",
                source="test",
            )
        )
    csv(
        "commitments.csv",
        crow,
        [
            "project_id",
            "name",
            "project_type",
            "setting_id",
            "setting_type",
            "urn",
            "designation",
            "needs",
            "min_age",
            "max_age",
            "district_id",
            "lon",
            "lat",
            "places",
            "opening_year",
            "capital_cost",
            "places_basis",
            "opening_basis",
            "capital_basis",
            "source",
        ],
    )
    orow, srow = [], []
    for o in inst.options:
        lon, lat = lonlat(o.get("x", 0.0))
        orow.append(
            dict(
                option_id=o["id"],
                site_id=o.get("site", o["id"]),
                name=o["id"],
                option_type=o.get("option_type", "srb"),
                setting_type=o["type"],
                setting_id=o.get("setting_id", ""),
                urn="",
                designation="test",
                needs="G",
                min_age=4,
                max_age=10,
                district_id=DISTRICT,
                lon=lon,
                lat=lat,
                source="test",
                lead_time_years=o.get("lead", 1),
                earliest_start=o.get("earliest_start", BASE + 1),
                lead_time_basis="estimate",
                sizing=o.get("sizing", "menu"),
            )
        )
        for places, capex in o["sizes"]:
            srow.append(dict(option_id=o["id"], places=places, capital_cost=capex, basis="estimate"))
    csv(
        "options.csv",
        orow,
        [
            "option_id",
            "site_id",
            "name",
            "option_type",
            "setting_type",
            "setting_id",
            "urn",
            "designation",
            "needs",
            "min_age",
            "max_age",
            "district_id",
            "lon",
            "lat",
            "source",
            "lead_time_years",
            "earliest_start",
            "lead_time_basis",
            "sizing",
        ],
    )
    csv("option_sizes.csv", srow, ["option_id", "places", "capital_cost", "basis"])

    tops = {**inst.top_up, "independent": inst.fallback_fee}
    pfs = {**inst.place_funding, "independent": 0}
    csv(
        "unit_costs.csv",
        [
            dict(setting_type=t, place_funding=pfs[t], top_up=tops[t], basis="estimate", source="test")
            for t in ("special", "srb", "ap", "independent")
        ],
        ["setting_type", "place_funding", "top_up", "basis", "source"],
    )
    income = [dict(year=y, line="grant", amount=inst.income, basis="estimate", source="test") for y in years]
    for line, by_year in inst.income_lines.items():
        growth = by_year.get("growth", "fixed")
        income += [
            dict(year=y, line=line, amount=by_year.get(y, 0.0), basis="estimate", source="test", growth=growth)
            for y in years
        ]
    csv("income.csv", income, ["year", "line", "amount", "basis", "source", "growth"])

    csv(
        "capital_budget.csv",
        [dict(year=y, amount=inst.capital.get(y, 0.0), basis="estimate", source="test") for y in years if y > BASE],
        ["year", "amount", "basis", "source"],
    )
    params = dict(
        base_year=BASE,
        opening_deficit=0.0,
        other_high_needs_per_plan=inst.other_per_plan,
        unit_cost_growth=inst.params.get("unit_cost_growth", 0.0),
        transport_cost_per_pupil=inst.transport_cost_per_pupil,
        transport_cost_growth=inst.params.get("transport_cost_growth", 0.0),
        road_circuity=1.0,
        base_allocation_decay_km=15.0,
        discount_rate=0.0,
        capital_charge_rate=0.0,
    )
    params.update(inst.params)
    csv(
        "parameters.csv",
        [dict(name=k, value=v, unit="", basis="estimate", source="test") for k, v in params.items()],
        ["name", "value", "unit", "basis", "source"],
    )
    csv(
        "reconciliation.csv",
        [
            dict(
                measure="children_0_15",
                published_value=1000.0 * len(inst.zones),
                tolerance_pct=0.1,
                source="test",
                data_value_is="sum of zone children",
            )
        ],
        ["measure", "published_value", "tolerance_pct", "source", "data_value_is"],
    )
    for name, rows in inst.tables.items():  # optional tables, or replacements of the ones above
        full = [{"basis": "estimate", "source": "test", **r} for r in rows]
        pd.DataFrame(full).to_csv(folder / name, index=False)
    return folder
