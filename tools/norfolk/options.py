"""The options the model may choose (options.csv, option_sizes.csv): new special schools, expansions, resource
bases and school-led AP. One base per host: a school's SRB and AP options share its site_id, and the model builds
at most one project per site. A host's options serve only the ages the school teaches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tools.norfolk.assumptions import (
    AP_OPTION_DESIGNATION,
    AP_SIZES,
    CAPEX_PER_PLACE,
    EARLIEST_START,
    EXPANSION_SIZES,
    LEAD_TIME,
    LFI_SCHOOLS,
    NEEDS_OF,
    NEW_SCHOOL_DESIGNATIONS,
    NEW_SCHOOL_SITES,
    NEW_SCHOOL_SIZES,
    SPECIAL_SCHOOLS,
    SRB_OPTION_SPECIALISMS,
    SRB_SIZES,
    SRB_SIZES_SOURCE,
)
from tools.norfolk.common import ages_note, host_ages, location, ordered, read_gias

OPTION_COLUMNS = [
    *("option_id", "site_id", "name", "option_type", "setting_type", "setting_id", "urn", "designation", "needs"),
    *("min_age", "max_age", "district_id", "lon", "lat", "source"),
]
Candidate = tuple[dict[str, Any], list[int], str]  # an option's row values, its sizes, its kind
HOSTS_PER_PHASE = 3  # candidate SRB hosts per district and phase (the largest schools not already taken)


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
    values = values | {"needs": NEEDS_OF[(values["setting_type"], values["designation"])]}
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
    taken |= {s[6] for s in LFI_SCHOOLS}  # proxy locations of the two LFI schools
    for c in commitments.itertuples():
        if c.project_id.startswith("lfi-srb"):
            near = g[(g.longitude == c.lon) & (g.latitude == c.lat)]
            taken |= set(near.index)
    return taken


def _new_school_options(g: pd.DataFrame) -> list[Candidate]:
    """A new special school of each designation at each candidate town."""
    out = []
    for site, town, urn in NEW_SCHOOL_SITES:
        for code, desig, lo, hi in NEW_SCHOOL_DESIGNATIONS:
            values = dict(
                option_id=f"new-{site}-{code}",
                site_id=f"new-{site}",
                name=f"New {desig} school, {town}",
                option_type="new_school",
                setting_type="special",
                designation=desig,
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
    for urn, (desig, lo, hi, *_rest) in SPECIAL_SCHOOLS.items():
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
            min_age=lo,
            max_age=hi,
            **location(r),
            source="expansion of an existing special school (sizes: estimate)",
        )
        out.append((values, EXPANSION_SIZES, "expansion"))
    return out


def _srb_options(main: pd.DataFrame, taken: set[int]) -> list[Candidate]:
    """Resource bases at each district's largest free primary and secondary schools, specialism in turn; each base
    serves the ages its host teaches and is sized as the phase's bases are."""
    out = []
    for did in sorted(main.LAD13CD.unique()):
        for ph, specialisms in SRB_OPTION_SPECIALISMS.items():
            hosts = main[(did == main.LAD13CD) & (main.education_phase == ph) & ~main.index.isin(taken)]
            hosts = hosts.sort_values("number_of_pupils", ascending=False).head(HOSTS_PER_PHASE)
            for desig, (urn, r) in zip(specialisms, hosts.iterrows(), strict=False):
                lo, hi = host_ages(r)
                values = dict(
                    option_id=f"srb-opt-{urn}",
                    site_id=f"host-{urn}",
                    name=f"{desig} at {r['establishment_name']}",
                    option_type="srb",
                    setting_type="srb",
                    urn=urn,
                    designation=desig,
                    min_age=lo,
                    max_age=hi,
                    **location(r),
                    source=f"host: one of the district's three largest {ph.lower()} schools (GIAS roll "
                    f"{int(r['number_of_pupils'])}); specialism assigned in turn (estimate); {ages_note(r)}; "
                    f"{SRB_SIZES_SOURCE[ph]}",
                )
                out.append((values, SRB_SIZES[ph], "srb"))
    return out


def _ap_options(main: pd.DataFrame, taken: set[int]) -> list[Candidate]:
    """School-led AP at each district's largest secondary school that is not taken; it shares the school's site with
    any SRB option there (one base per host)."""
    out = []
    lo, hi = host_ages(pd.Series({"education_phase": "Secondary", "establishment_name": ""}))
    for did in sorted(main.LAD13CD.unique()):
        hosts = main[(did == main.LAD13CD) & (main.education_phase == "Secondary") & ~main.index.isin(taken)]
        r = hosts.sort_values("number_of_pupils", ascending=False).iloc[0]
        urn = r.name
        values = dict(
            option_id=f"ap-opt-{urn}",
            site_id=f"host-{urn}",
            name=f"School-led AP at {r['establishment_name']}",
            option_type="ap",
            setting_type="ap",
            urn=urn,
            designation=AP_OPTION_DESIGNATION,
            min_age=lo,
            max_age=hi,
            **location(r),
            source="school-led AP hubs at mainstream secondaries are part of Local First Inclusion (NCC article "
            "57340); host: the district's largest secondary school that is not already a setting, commitment or "
            "new-school proxy site (estimate); one base per host: shares the site with the SRB option there",
        )
        out.append((values, AP_SIZES, "ap"))
    return out
