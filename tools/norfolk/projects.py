"""Projects: committed schemes (commitments.csv) and the options the model may choose (options, option_sizes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tools.norfolk.assumptions import (
    AP_OPTION_NEEDS,
    AP_SIZES,
    CAPEX_PER_PLACE,
    COMMITTED_SRBS,
    EARLIEST_START,
    EXPANSION_SIZES,
    FRED_NICHOLSON_OPENING_YEAR,
    FRED_NICHOLSON_PLACES,
    FRED_NICHOLSON_URN,
    LEAD_TIME,
    LFI_AUTISM_SRB_DISTRICT,
    LFI_AUTISM_SRB_PLACES,
    LFI_CAPITAL,
    LFI_OPENING_YEAR,
    LFI_SCHOOLS,
    LFI_SECONDARY_SRB_NOTE,
    LFI_SECONDARY_SRB_PLACES,
    LFI_SECONDARY_SRBS,
    LFI_SRB_OPENING_YEAR,
    NEW_SCHOOL_DESIGNATIONS,
    NEW_SCHOOL_SITES,
    NEW_SCHOOL_SIZES,
    SPECIAL_SCHOOLS,
    SRB_MIXED_NEEDS,
    SRB_OPTION_SPECIALISMS,
    SRB_SIZES,
    D,
    E,
    S,
)
from tools.norfolk.common import PHASE_AGES, host_ages, largest_remainder, location, ordered, read_gias, srb_at_host
from tools.norfolk.geography import DISTRICT_NAMES

COMMITMENT_COLUMNS = [
    *("project_id", "name", "project_type", "setting_id", "setting_type", "urn", "designation", "needs"),
    *("min_age", "max_age", "district_id", "lon", "lat", "places", "opening_year", "capital_cost"),
    *("places_basis", "opening_basis", "capital_basis", "source"),
]
OPTION_COLUMNS = [
    *("option_id", "site_id", "name", "option_type", "setting_type", "setting_id", "urn", "designation", "needs"),
    *("min_age", "max_age", "district_id", "lon", "lat", "source"),
]
SRB_CAPEX = CAPEX_PER_PLACE["srb"][0]
Candidate = tuple[dict[str, Any], list[int], str]  # an option's row values, its sizes, its kind


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
    total_places = sum(s[6] for s in LFI_SCHOOLS)
    return [
        _commitment(
            project_id=pid,
            name=name,
            project_type="new_school",
            setting_id=pid,
            setting_type="special",
            designation=desig,
            needs=needs,
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
        for pid, name, needs, desig, lo, hi, places, proxy, proxy_name in LFI_SCHOOLS
    ]


def _fred_nicholson_row(g: pd.DataFrame) -> dict[str, Any]:
    """Fred Nicholson School's expansion: the places above its May 2025 roll."""
    urn = FRED_NICHOLSON_URN
    desig, needs, lo, hi, stated, *_x = SPECIAL_SCHOOLS[urn]
    roll = int(g.loc[urn, "number_of_pupils"])
    return _commitment(
        project_id=f"fred-nicholson-{FRED_NICHOLSON_PLACES}",
        name=f"Fred Nicholson School expansion to {FRED_NICHOLSON_PLACES}",
        project_type="expansion",
        setting_id=f"sp-{urn}",
        setting_type="special",
        urn=urn,
        designation=desig,
        needs=needs,
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
    for urn, needs, places, year, ssrc in COMMITTED_SRBS:
        rows.append(
            _commitment(
                project_id=f"srb-{urn}",
                project_type="srb",
                setting_id=f"srb-{urn}",
                **srb_at_host(g, urn, needs, places),
                opening_year=year,
                capital_cost=places * SRB_CAPEX,
                places_basis=S,
                opening_basis=S,
                capital_basis=E,
                source=f"{ssrc}; capital {SRB_CAPEX:,} per place (estimate)",
            )
        )
    return rows


def _lfi_srb(project_id: str, name: str, designation: str, needs: str, places: int, **values: Any) -> dict[str, Any]:
    """One LFI secondary resource base (host not published, so held at a proxy school)."""
    lo, hi = PHASE_AGES["secondary"]
    return _commitment(
        project_id=project_id,
        name=name,
        project_type="srb",
        setting_id=project_id,
        setting_type="srb",
        designation=designation,
        needs=needs,
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
                    "SRB (complex needs)",
                    SRB_MIXED_NEEDS,
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
            "CI",
            LFI_AUTISM_SRB_PLACES,
            district_id=did,
            lon=r["longitude"],
            lat=r["latitude"],
            source=f"{LFI_SECONDARY_SRB_NOTE}; located at {r['establishment_name']} as a proxy "
            "(estimate); opening 2025/26 (estimate)",
        )
    )
    return rows


# ---------------------------------------------------------------------------------------------------------
def build_options(src: Path, settings: pd.DataFrame, commitments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """options.csv and option_sizes.csv: new schools, expansions, resource bases and school-led AP."""
    g = read_gias(src)
    taken = _taken_hosts(g, settings, commitments)
    main = g[(g.category == "state_mainstream") & g.number_of_pupils.notna()]
    candidates = [
        *_new_school_options(g),
        *_expansion_options(g),
        *_srb_options(main, taken),
        *_ap_options(main, taken),
    ]
    opts, sizes = [], []
    for values, size_list, kind in candidates:
        opt, opt_sizes = _option(values, size_list, kind)
        opts.append(opt)
        sizes.extend(opt_sizes)
    o = pd.DataFrame(opts)
    o["urn"] = o["urn"].astype("Int64")
    return o, pd.DataFrame(sizes)


def _option(values: dict[str, Any], size_list: list[int], kind: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An options row with its lead time and capital noted, and its option_sizes rows."""
    lead, lbasis, lsrc = LEAD_TIME[kind]
    cpp, cbasis, csrc = CAPEX_PER_PLACE[kind]
    opt = ordered(OPTION_COLUMNS, {"setting_id": "", "urn": pd.NA}, values)
    opt["source"] += f"; lead time {lead} years ({lsrc}); capital {cpp:,}/place ({csrc})"
    sizing = "menu" if kind == "new_school" else "range"
    opt.update(lead_time_years=lead, earliest_start=EARLIEST_START, lead_time_basis=lbasis, sizing=sizing)
    sizes = [dict(option_id=opt["option_id"], places=s, capital_cost=s * cpp, basis=cbasis) for s in size_list]
    return opt, sizes


def _taken_hosts(g: pd.DataFrame, settings: pd.DataFrame, commitments: pd.DataFrame) -> set[int]:
    """Schools that are already a setting, a commitment or a proxy site (no SRB or AP option there)."""
    taken = set(settings["urn"].dropna().astype(int)) | set(commitments["urn"].dropna().astype(int))
    taken |= {u for *_x, u in NEW_SCHOOL_SITES}
    taken |= {s[7] for s in LFI_SCHOOLS}  # proxy locations of the two LFI schools
    for c in commitments.itertuples():
        if c.project_id.startswith("lfi-srb"):
            near = g[(g.longitude == c.lon) & (g.latitude == c.lat)]
            taken |= set(near.index)
    return taken


def _new_school_options(g: pd.DataFrame) -> list[Candidate]:
    """A new special school of each designation at each candidate town."""
    out = []
    for site, town, urn in NEW_SCHOOL_SITES:
        for code, desig, needs, lo, hi in NEW_SCHOOL_DESIGNATIONS:
            values = dict(
                option_id=f"new-{site}-{code}",
                site_id=f"new-{site}",
                name=f"New {desig} school, {town}",
                option_type="new_school",
                setting_type="special",
                designation=desig,
                needs=needs,
                min_age=lo,
                max_age=hi,
                **location(g.loc[urn]),
                source=f"candidate site (estimate): {town}, located at {g.loc[urn, 'establishment_name']} "
                "as a proxy; sizes within the 88-170 places of the new special schools of 2018-26 "
                "(PROVISION.md 2b; estimate)",
            )
            out.append((values, NEW_SCHOOL_SIZES, "new_school"))
    return out


def _expansion_options(g: pd.DataFrame) -> list[Candidate]:
    """An expansion of each state special school."""
    out = []
    for urn, (desig, needs, lo, hi, *_rest) in SPECIAL_SCHOOLS.items():
        r = g.loc[urn]
        values = dict(
            option_id=f"exp-{urn}",
            site_id=f"sp-{urn}",
            name=f"Expand {r['establishment_name']}",
            option_type="expansion",
            setting_type="special",
            setting_id=f"sp-{urn}",
            urn=urn,
            designation=desig,
            needs=needs,
            min_age=lo,
            max_age=hi,
            **location(r),
            source="expansion of an existing special school (sizes: estimate)",
        )
        out.append((values, EXPANSION_SIZES, "expansion"))
    return out


def _srb_options(main: pd.DataFrame, taken: set[int]) -> list[Candidate]:
    """Resource bases at each district's largest free primary and secondary schools, specialism in turn."""
    out = []
    for did in sorted(main.LAD13CD.unique()):
        for ph in ("Primary", "Secondary"):
            lo, hi = host_ages(ph)
            hosts = main[(did == main.LAD13CD) & (main.education_phase == ph) & ~main.index.isin(taken)]
            hosts = hosts.sort_values("number_of_pupils", ascending=False).head(len(SRB_OPTION_SPECIALISMS))
            for (_code, desig, needs), (urn, r) in zip(SRB_OPTION_SPECIALISMS, hosts.iterrows(), strict=False):
                values = dict(
                    option_id=f"srb-opt-{urn}",
                    site_id=f"host-{urn}",
                    name=f"{desig} SRB at {r['establishment_name']}",
                    option_type="srb",
                    setting_type="srb",
                    urn=urn,
                    designation=f"SRB ({desig})",
                    needs=needs,
                    min_age=lo,
                    max_age=hi,
                    **location(r),
                    source=f"host: one of the district's three largest {ph.lower()} schools (GIAS roll "
                    f"{int(r['number_of_pupils'])}); specialism assigned in turn (estimate)",
                )
                out.append((values, SRB_SIZES, "srb"))
    return out


def _ap_options(main: pd.DataFrame, taken: set[int]) -> list[Candidate]:
    """School-led AP at each district's largest secondary school that is not taken."""
    out = []
    lo, hi = PHASE_AGES["secondary"]
    for did in sorted(main.LAD13CD.unique()):
        hosts = main[(did == main.LAD13CD) & (main.education_phase == "Secondary") & ~main.index.isin(taken)]
        r = hosts.sort_values("number_of_pupils", ascending=False).iloc[0]
        urn = r.name
        values = dict(
            option_id=f"ap-opt-{urn}",
            site_id=f"ap-host-{urn}",
            name=f"School-led AP at {r['establishment_name']}",
            option_type="ap",
            setting_type="ap",
            urn=urn,
            designation=f"school-led AP ({AP_OPTION_NEEDS})",
            needs=AP_OPTION_NEEDS,
            min_age=lo,
            max_age=hi,
            **location(r),
            source="school-led AP (LFI programme) at the district's largest secondary school that is not "
            "already a setting, commitment or new-school proxy site (estimate)",
        )
        out.append((values, AP_SIZES, "ap"))
    return out
