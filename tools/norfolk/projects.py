"""Committed schemes (commitments.csv): the Local First Inclusion schools, an expansion and resource bases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tools.norfolk.assumptions import (
    CAPEX_PER_PLACE,
    COMMITTED_SRBS,
    FRED_NICHOLSON_OPENING_YEAR,
    FRED_NICHOLSON_PLACES,
    FRED_NICHOLSON_URN,
    LFI_AUTISM_SRB_DISTRICT,
    LFI_AUTISM_SRB_PLACES,
    LFI_CAPITAL,
    LFI_OPENING_YEAR,
    LFI_SCHOOLS,
    LFI_SECONDARY_SRB_NOTE,
    LFI_SECONDARY_SRB_PLACES,
    LFI_SECONDARY_SRBS,
    LFI_SRB_OPENING_YEAR,
    NEEDS_OF,
    SPECIAL_SCHOOLS,
    D,
    E,
    S,
)
from tools.norfolk.common import PHASE_AGES, ages_note, largest_remainder, location, ordered, read_gias, srb_at_host
from tools.norfolk.geography import DISTRICT_NAMES

COMMITMENT_COLUMNS = [
    *("project_id", "name", "project_type", "setting_id", "setting_type", "urn", "designation", "needs"),
    *("min_age", "max_age", "district_id", "lon", "lat", "places", "opening_year", "capital_cost"),
    *("places_basis", "opening_basis", "capital_basis", "source"),
]
SRB_CAPEX = CAPEX_PER_PLACE["srb"][0]
LFI_COMPLEX_SRB = "SRB (complex needs)"


def _commitment(**values: Any) -> dict[str, Any]:
    """A commitments row in column order."""
    return ordered(COMMITMENT_COLUMNS, {"urn": pd.NA}, values)


def build_commitments(src: Path) -> pd.DataFrame:
    """commitments.csv: schemes already agreed (new schools, an expansion, resource bases)."""
    g = read_gias(src)
    sec = g[(g.category == "state_mainstream") & (g.education_phase == "Secondary")]
    rows = [
        *_lfi_school_rows(g),
        _fred_nicholson_row(g),
        *_committed_srb_rows(g),
        *_lfi_secondary_srb_rows(sec),
    ]
    df = pd.DataFrame(rows)
    df["urn"] = df["urn"].astype("Int64")
    return df


def _lfi_school_rows(g: pd.DataFrame) -> list[dict[str, Any]]:
    """The two Local First Inclusion special schools; capital split by places."""
    total_places = sum(s[5] for s in LFI_SCHOOLS)
    return [
        _commitment(
            project_id=pid,
            name=name,
            project_type="new_school",
            setting_id=pid,
            setting_type="special",
            designation=desig,
            needs=NEEDS_OF[("special", desig)],
            min_age=lo,
            max_age=hi,
            **location(g.loc[proxy]),
            places=places,
            opening_year=LFI_OPENING_YEAR,
            capital_cost=round(LFI_CAPITAL * places / total_places),
            places_basis=S,
            opening_basis=E,
            capital_basis=D,
            source="norfolk.gov.uk/newspecialschools (places, needs, ages); about GBP 40m DfE funding for both "
            "schools confirmed Jan 2026 (BBC), split by places (derived); opening Sept 2028 = 2028/29 "
            f"(estimate: target was Sept 2026, then paused); site not published, located at {proxy_name} "
            "(estimate)",
        )
        for pid, name, desig, lo, hi, places, proxy, proxy_name in LFI_SCHOOLS
    ]


def _fred_nicholson_row(g: pd.DataFrame) -> dict[str, Any]:
    """Fred Nicholson School's expansion: the places above its May 2025 roll."""
    urn = FRED_NICHOLSON_URN
    desig, lo, hi, stated, *_x = SPECIAL_SCHOOLS[urn]
    roll = int(g.loc[urn, "number_of_pupils"])
    return _commitment(
        project_id=f"fred-nicholson-{FRED_NICHOLSON_PLACES}",
        name=f"Fred Nicholson School expansion to {FRED_NICHOLSON_PLACES}",
        project_type="expansion",
        setting_id=f"sp-{urn}",
        setting_type="special",
        urn=urn,
        designation=desig,
        needs=NEEDS_OF[("special", desig)],
        min_age=lo,
        max_age=hi,
        **location(g.loc[urn]),
        places=FRED_NICHOLSON_PLACES - roll,
        opening_year=FRED_NICHOLSON_OPENING_YEAR,
        capital_cost=0,
        places_basis=D,
        opening_basis=E,
        capital_basis=E,
        source=f"NCC article 53365: {stated} to {FRED_NICHOLSON_PLACES} places with relocation to Swaffham, "
        f"approved Jul 2023, 'from April 2025' (not verified); places added = {FRED_NICHOLSON_PLACES} minus the "
        f"May 2025 roll of {roll} (derived); opening 2025/26 (estimate); capital not published (0 here)",
    )


def _committed_srb_rows(g: pd.DataFrame) -> list[dict[str, Any]]:
    """Resource bases agreed at named host schools."""
    rows = []
    for urn, desig, places, year, ssrc in COMMITTED_SRBS:
        rows.append(
            _commitment(
                project_id=f"srb-{urn}",
                project_type="srb",
                setting_id=f"srb-{urn}",
                **srb_at_host(g, urn, desig, places),
                opening_year=year,
                capital_cost=places * SRB_CAPEX,
                places_basis=S,
                opening_basis=S,
                capital_basis=E,
                source=f"{ssrc}; {ages_note(g.loc[urn])}; capital {SRB_CAPEX:,} per place (estimate)",
            )
        )
    return rows


def _lfi_srb(project_id: str, name: str, designation: str, places: int, **values: Any) -> dict[str, Any]:
    """One LFI secondary resource base (host not published, so held at a proxy school)."""
    lo, hi = PHASE_AGES["secondary"]
    return _commitment(
        project_id=project_id,
        name=name,
        project_type="srb",
        setting_id=project_id,
        setting_type="srb",
        designation=designation,
        needs=NEEDS_OF[("srb", designation)],
        min_age=lo,
        max_age=hi,
        places=places,
        opening_year=LFI_SRB_OPENING_YEAR,
        capital_cost=places * SRB_CAPEX,
        places_basis=S,
        opening_basis=E,
        capital_basis=E,
        **values,
    )


def _lfi_secondary_srb_rows(sec: pd.DataFrame) -> list[dict[str, Any]]:
    """LFI secondary SRBs, split by district secondary rolls, each at one of the district's largest schools."""
    kids = sec.groupby("LAD13CD")["number_of_pupils"].sum()
    alloc = largest_remainder(kids / kids.sum() * LFI_SECONDARY_SRBS)
    rows = []
    for did, n in alloc.items():
        hosts = sec[did == sec.LAD13CD].sort_values("number_of_pupils", ascending=False)
        for i in range(int(n)):
            r = hosts.iloc[i]
            k = len(rows) + 1
            rows.append(
                _lfi_srb(
                    f"lfi-srb-{k:02d}",
                    f"LFI secondary SRB {k} ({DISTRICT_NAMES[did]})",
                    LFI_COMPLEX_SRB,
                    LFI_SECONDARY_SRB_PLACES,
                    district_id=did,
                    lon=r["longitude"],
                    lat=r["latitude"],
                    source=f"{LFI_SECONDARY_SRB_NOTE}; split by district secondary rolls (estimate) and located at "
                    f"{r['establishment_name']} as a proxy (estimate); opening 2025/26 (estimate)",
                )
            )
    did = LFI_AUTISM_SRB_DISTRICT
    r = sec[sec.LAD13CD.eq(did)].sort_values("number_of_pupils", ascending=False).iloc[1]
    rows.append(
        _lfi_srb(
            "lfi-srb-autism",
            f"LFI secondary autism SRB ({DISTRICT_NAMES[did]})",
            "SRB (autism)",
            LFI_AUTISM_SRB_PLACES,
            district_id=did,
            lon=r["longitude"],
            lat=r["latitude"],
            source=f"{LFI_SECONDARY_SRB_NOTE}; located at {r['establishment_name']} as a proxy "
            "(estimate); opening 2025/26 (estimate)",
        )
    )
    return rows
