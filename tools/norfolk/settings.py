"""Existing settings (special schools, AP, resource bases, independent, out of county) and the SRB rebalancing."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from tools.norfolk.assumptions import (
    AP_AGES,
    AP_DESIGNATION,
    AP_HEADROOM,
    IND_AGES,
    IND_DESIGNATION,
    IND_NORFOLK_FUNDED_SHARE,
    NEEDS_OF,
    OOC_AGES,
    OOC_INDEPENDENT_JOURNEY_KM,
    OOC_STATE_JOURNEY_KM,
    OOC_STATE_PLACE_FUNDING,
    SPECIAL_SCHOOLS,
    SRB_EXISTING,
    SRB_OCCUPANCY,
    SRB_POOL_DESIGNATION,
    SRB_PRIMARY_SHARE,
    SRB_TOTAL_NOTE,
    SRB_TOTAL_PLACES_BASE,
    SRC_PLACE_FUNDING,
    UNKNOWN_PLACES_HEADROOM,
    D,
    E,
    S,
)
from tools.norfolk.common import (
    BNG,
    PHASE_AGES,
    WGS84,
    ages_note,
    is_academy,
    largest_remainder,
    location,
    ordered,
    read_gias,
    srb_at_host,
)
from tools.norfolk.geography import DISTRICT_NAMES

COLUMNS = [
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
    "place_funding_by_la",
]
IN_COUNTY = {"urn": np.nan, "out_of_county": False, "journey_km": np.nan, "place_funding_by_la": True}
OOC_SPECIAL = "state special schools outside Norfolk"
OOC_INDEPENDENT = "independent and non-maintained special schools outside Norfolk"


def _row(**values: Any) -> dict[str, Any]:
    """A settings row in column order (in county unless said otherwise)."""
    return ordered(COLUMNS, IN_COUNTY, values)


def build_settings(src: Path, zones_msoa: gpd.GeoDataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """settings.csv: every setting open in the base year, with places and base-year pupils."""
    g = read_gias(src)
    named_srbs = _named_srb_rows(g)
    pool = SRB_TOTAL_PLACES_BASE - sum(r["places"] for r in named_srbs)
    rows = [
        *_special_school_rows(g),
        *_ap_rows(g, base),
        *named_srbs,
        *_pooled_srb_rows(zones_msoa, pool, g),
        *_independent_rows(g),
    ]
    df = pd.DataFrame(rows)
    df = pd.concat([df, pd.DataFrame(_out_of_county_rows(df, base))], ignore_index=True)
    df["urn"] = df["urn"].astype("Int64")
    return df


def _special_places(roll: int, spec: tuple) -> tuple[int, str, str]:
    """Places of a state special school, their basis, and a note saying where they come from."""
    places, year, pbasis, psrc = spec[3:7]
    if places is None:
        note = f"places: roll {roll} + {UNKNOWN_PLACES_HEADROOM:.0%} headroom ({psrc})"
        return math.ceil(roll * (1 + UNKNOWN_PLACES_HEADROOM)), E, note
    if places < roll:
        return (
            roll,
            D,
            f"places: the stated {places} ({year}; {psrc}) is below the May 2025 roll of {roll}; taken as the roll",
        )
    return places, pbasis, f"places: {places} ({year}; {psrc})"


def _special_school_rows(g: pd.DataFrame) -> list[dict[str, Any]]:
    """State special schools in Norfolk: base pupils = GIAS roll."""
    rows = []
    for urn, spec in SPECIAL_SCHOOLS.items():
        desig, lo, hi, *_x, abasis = spec
        r = g.loc[urn]
        roll = int(r["number_of_pupils"])
        places, pbasis, note = _special_places(roll, spec)
        rows.append(
            _row(
                setting_id=f"sp-{urn}",
                name=r["establishment_name"],
                urn=urn,
                setting_type="special",
                designation=desig,
                needs=NEEDS_OF[("special", desig)],
                min_age=lo,
                max_age=hi,
                **location(r),
                places=places,
                base_pupils=roll,
                place_funding_by_la=not is_academy(r),
                places_basis=pbasis,
                base_pupils_basis=E,
                designation_basis=S,
                source=f"GIAS May 2025 (URN, location, roll); PROVISION.md 1b/2b; designation sourced, "
                f"ages {abasis}; {note}; "
                "base pupils = roll (estimate: all pupils on roll are Norfolk-funded); " + _pf_note(r),
            )
        )
    return rows


def _ap_rows(g: pd.DataFrame, base: pd.DataFrame) -> list[dict[str, Any]]:
    """AP and PRU settings: SEN2's AP/PRU pupils with plans split by GIAS roll."""
    ap = g[g.category == "alternative_provision"]
    ap_total = float(base.query("placement_type == 'ap'")["pupils"].sum())
    ap_roll = float(ap["number_of_pupils"].sum())
    rows = []
    for urn, r in ap.iterrows():
        bp = ap_total * r["number_of_pupils"] / ap_roll
        rows.append(
            _row(
                setting_id=f"ap-{urn}",
                name=r["establishment_name"],
                urn=urn,
                setting_type="ap",
                designation=AP_DESIGNATION,
                needs=NEEDS_OF[("ap", AP_DESIGNATION)],
                min_age=AP_AGES[0],
                max_age=AP_AGES[1],
                **location(r),
                places=math.ceil(bp * (1 + AP_HEADROOM)),
                base_pupils=round(bp, 2),
                places_basis=E,
                base_pupils_basis=D,
                designation_basis=D,
                place_funding_by_la=not is_academy(r),
                source=f"GIAS May 2025; pupils with plans = SEN2 AP/PRU total {ap_total:.0f} split by roll "
                f"(derived); places = pupils + {AP_HEADROOM:.0%} (estimate); needs: the groups SEN2 records in "
                f"AP (derived); ages {AP_AGES[0]}-{AP_AGES[1]} (estimate); " + _pf_note(r),
            )
        )
    return rows


def _pf_note(school: pd.Series) -> str:
    """How the setting's place funding is treated, from its GIAS establishment type."""
    who = "the DfE (academy or free school)" if is_academy(school) else "the council (maintained)"
    return f"place funding paid by {who}: {school['establishment_type']} ({SRC_PLACE_FUNDING})"


def _named_srb_rows(g: pd.DataFrame) -> list[dict[str, Any]]:
    """Resource bases open in the base year at named host schools."""
    rows = []
    for k, (urn, desig, places, opened, ssrc, shared) in enumerate(SRB_EXISTING):
        shared_host = sum(1 for x in SRB_EXISTING if x[0] == urn) > 1
        row = srb_at_host(g, urn, desig, places)
        ages = ages_note(g.loc[urn])
        if shared:
            row |= {"min_age": PHASE_AGES["primary"][0], "max_age": PHASE_AGES["primary"][1]}
            ages = shared
        rows.append(
            _row(
                setting_id=f"srb-{urn}" + (f"-{k}" if shared_host else ""),
                **row,
                base_pupils=round(places * SRB_OCCUPANCY, 2),
                places_basis=S,
                base_pupils_basis=E,
                designation_basis=S,
                place_funding_by_la=not is_academy(g.loc[urn]),
                source=f"{ssrc}, opened {opened}; host from GIAS; {ages}; "
                f"base pupils = {SRB_OCCUPANCY:.0%} of places (estimate); " + _pf_note(g.loc[urn]),
            )
        )
    return rows


def _pool_funding(g: pd.DataFrame) -> dict[tuple[str, str], tuple[bool, str]]:
    """For each district and phase, whether most mainstream schools are maintained (the council pays the pool's
    place funding) or academies (the DfE pays), from GIAS establishment types."""
    main = g[g.category == "state_mainstream"]
    out = {}
    for (did, ph), d in main.groupby(["LAD13CD", "education_phase"]):
        if ph in ("Primary", "Secondary"):
            acad = d.apply(is_academy, axis=1).mean()
            out[(did, ph.lower())] = (
                acad <= 0.5,
                f"place funding: hosts not known; {acad:.0%} of the district's {ph.lower()} schools are academies or "
                f"free schools (GIAS), so the pool is treated as {'academy' if acad > 0.5 else 'maintained'} "
                "(estimate)",
            )
    return out


def _pooled_srb_rows(zones_msoa: gpd.GeoDataFrame, pool: int, g: pd.DataFrame) -> list[dict[str, Any]]:
    """Resource-base places not at a named host, held per district and phase at the district's centre."""
    funding = _pool_funding(g)
    kids = zones_msoa.groupby("district_id")["children_0_15"].sum()
    shares = largest_remainder(kids / kids.sum() * pool)
    zb = zones_msoa.to_crs(BNG)
    rows = []
    for did, n in shares.items():
        z = zb[zb.district_id == did]
        w = z["children_0_15"]
        x = float((z.geometry.representative_point().x * w).sum() / w.sum())
        y = float((z.geometry.representative_point().y * w).sum() / w.sum())
        pt = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=BNG).to_crs(WGS84).iloc[0]
        n_pri = int(round(n * SRB_PRIMARY_SHARE))
        for ph, nn in (("primary", n_pri), ("secondary", n - n_pri)):
            rows.append(
                _row(
                    setting_id=f"srb-pool-{did}-{ph}",
                    name=f"Other {ph} SRBs, {DISTRICT_NAMES[did]}",
                    setting_type="srb",
                    designation=SRB_POOL_DESIGNATION,
                    needs=NEEDS_OF[("srb", SRB_POOL_DESIGNATION)],
                    min_age=PHASE_AGES[ph][0],
                    max_age=PHASE_AGES[ph][1],
                    district_id=did,
                    lon=round(pt.x, 6),
                    lat=round(pt.y, 6),
                    places=nn,
                    base_pupils=round(nn * SRB_OCCUPANCY, 2),
                    places_basis=E,
                    base_pupils_basis=E,
                    designation_basis=E,
                    place_funding_by_la=funding[(did, ph)][0],
                    source=f"{SRB_TOTAL_NOTE}; the {pool} places not at a named host are split by district children "
                    f"aged 0-15 and {SRB_PRIMARY_SHARE:.0%} primary (estimate); located at the district's "
                    f"children-weighted centre (estimate); {funding[(did, ph)][1]}",
                )
            )
    return rows


def _independent_rows(g: pd.DataFrame) -> list[dict[str, Any]]:
    """Independent special schools in Norfolk (places = roll; a share of the roll Norfolk-funded)."""
    rows = []
    for urn, r in g[g.category == "independent_special"].iterrows():
        if pd.isna(r["number_of_pupils"]):
            continue  # West Raynham: no roll in GIAS (see docs/data.md)
        roll = int(r["number_of_pupils"])
        rows.append(
            _row(
                setting_id=f"ind-{urn}",
                name=r["establishment_name"],
                urn=urn,
                setting_type="independent",
                designation=IND_DESIGNATION,
                needs=NEEDS_OF[("independent", IND_DESIGNATION)],
                min_age=IND_AGES[0],
                max_age=IND_AGES[1],
                **location(r),
                places=roll,
                base_pupils=round(roll * IND_NORFOLK_FUNDED_SHARE, 2),
                places_basis=E,
                base_pupils_basis=E,
                designation_basis=E,
                source=f"GIAS May 2025 (roll {roll}, all funding authorities); places available to Norfolk = roll "
                f"(estimate); Norfolk-funded pupils = {IND_NORFOLK_FUNDED_SHARE:.0%} of roll (estimate; an "
                "undated NCC report put 63% of independent placements inside Norfolk); all needs, ages "
                f"{IND_AGES[0]}-{IND_AGES[1]} (estimate)",
            )
        )
    return rows


def _out_of_county_rows(df: pd.DataFrame, base: pd.DataFrame) -> list[dict[str, Any]]:
    """Other councils' special schools, and independent schools outside Norfolk: SEN2 totals minus Norfolk's."""
    special_total = float(base.query("placement_type == 'special'")["pupils"].sum())
    in_county_special = df.loc[df.setting_type == "special", "base_pupils"].sum()
    ooc_state = special_total - in_county_special
    ind_total = float(base.query("placement_type == 'independent'")["pupils"].sum())
    ooc_ind = ind_total - df.loc[df.setting_type == "independent", "base_pupils"].sum()
    common = dict(min_age=OOC_AGES[0], max_age=OOC_AGES[1], district_id="", lon=np.nan, lat=np.nan)
    common |= dict(out_of_county=True, designation_basis=E)
    return [
        _row(
            **common,
            setting_id="ooc-special",
            name="Other councils' special schools (out of county)",
            setting_type="special",
            designation=OOC_SPECIAL,
            needs=NEEDS_OF[("special", OOC_SPECIAL)],
            journey_km=OOC_STATE_JOURNEY_KM,
            place_funding_by_la=False,
            places=round(ooc_state, 2),
            base_pupils=round(ooc_state, 2),
            places_basis=D,
            base_pupils_basis=D,
            source=f"SEN2 Jan 2025 Norfolk-funded state special pupils ({special_total:.0f}) minus the Norfolk "
            f"schools' rolls ({in_county_special:.0f}); places held at that number; journey "
            f"{OOC_STATE_JOURNEY_KM:.0f} km (estimate); {OOC_STATE_PLACE_FUNDING}",
        ),
        _row(
            **common,
            setting_id="ooc-independent",
            name="Independent special schools out of county",
            setting_type="independent",
            designation=OOC_INDEPENDENT,
            needs=NEEDS_OF[("independent", OOC_INDEPENDENT)],
            journey_km=OOC_INDEPENDENT_JOURNEY_KM,
            places=np.nan,
            base_pupils=round(ooc_ind, 2),
            places_basis=E,
            base_pupils_basis=D,
            source=f"SEN2 Jan 2025 independent + non-maintained special ({ind_total:.0f}) minus the Norfolk "
            "independent schools' Norfolk-funded pupils; unlimited places (the fallback); journey "
            f"{OOC_INDEPENDENT_JOURNEY_KM:.0f} km (estimate: most out-of-county placements are in "
            "neighbouring counties)",
        ),
    ]


def rebalance_srb(base: pd.DataFrame, settings: pd.DataFrame) -> pd.DataFrame:
    """Move pupils SEN2 records as mainstream into SRBs so that SRB pupils equal the SRBs' base pupils."""
    base = base.copy()
    target = settings.loc[settings.setting_type == "srb", "base_pupils"].sum()
    srb = base.placement_type == "srb"
    current = base.loc[srb, "pupils"].sum()
    extra = target - current
    prof = base.loc[srb].set_index(["need_group", "phase"])["pupils"] / current
    add = (prof * extra).rename("add")
    b2 = base.set_index(["placement_type", "need_group", "phase"]).sort_index()
    for (g, p), a in add.items():
        b2.loc[("srb", g, p), "pupils"] += a
        b2.loc[("mainstream", g, p), "pupils"] -= a
        assert b2.loc[("mainstream", g, p), "pupils"] >= 0
    base = b2.reset_index()
    note = (
        f"; SRB rows raised from SEN2's {current:.0f} SEN-unit pupils to {target:.0f} ({SRB_OCCUPANCY:.0%} of the "
        "estimated SRB places), the difference taken from mainstream with the SEN-unit need and phase profile "
        "(estimate)"
    )
    base.loc[base.placement_type.isin(["srb", "mainstream"]), "basis"] = E
    base.loc[base.placement_type.isin(["srb", "mainstream"]), "source"] += note
    return base
