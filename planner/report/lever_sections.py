"""The report's Levers and Why sections, from a run folder's lever and marginal-value tables (none in an older
folder): support teams by area on a map, children supported in mainstream, borrowing and the transfer, the money
outside the budget, and what binds each year with the value of one more place."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402

from planner.formats import fmt_gbp, fmt_gbp2, fmt_num, year_label  # noqa: E402
from planner.report.html import esc, figure_html, table_html  # noqa: E402
from planner.report.mapkit.figure import save_map  # noqa: E402
from planner.runfolder import RunTables  # noqa: E402

if TYPE_CHECKING:
    from planner.data import Geography

TEAMS_PICTURE = "map-teams.png"


def teams_map(geo: Geography, run: RunTables, path: Path) -> Path | None:
    """Extra support teams by area (district) in the target year, with the children they keep from specialist
    places over the planning years."""
    area = run.tables.get("levers_by_area")
    if area is None or area.empty:
        return None
    t = run.target_year
    at = area[area["year"] == t].set_index("area_id")
    kept = area.groupby("area_id")[["prevented_specialist_entrants", "supported_entrants"]].sum().sum(axis=1)
    d = geo.districts.merge(at[["teams"]], left_on="district_id", right_index=True, how="left").fillna({"teams": 0})
    fig, ax = plt.subplots(figsize=(8, 5.6), dpi=150)
    most = max(1.0, float(d["teams"].max()))
    d.plot(ax=ax, column="teams", cmap="Greens", vmin=0, vmax=most * 1.6, edgecolor="#555555", linewidth=0.6,
           legend=True, legend_kwds={"label": f"extra support teams, {year_label(t)}", "shrink": 0.6})  # fmt: skip
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for _, r in d.iterrows():
        p = r.geometry.representative_point()
        n = float(kept.get(r["district_id"], 0.0))
        ax.annotate(f"{r['district_name']}\n{int(r['teams'])} teams, {n:,.0f} kept", (p.x, p.y), ha="center",
                    va="center", fontsize=7, color="#1a1a1a", path_effects=halo)  # fmt: skip
    ax.set_axis_off()
    ax.set_title(f"Support teams by area, {year_label(t)}: {run.scenario_name}", fontsize=11)
    fig.text(0.5, 0.02, "kept: children prevented from needing a specialist place or supported in mainstream, "
             "over the planning years", ha="center", fontsize=8, color="#5a5a5a")  # fmt: skip
    fig.tight_layout()
    return save_map(fig, path, dpi=150)


def levers_html(run: RunTables, pictures: dict[str, Path]) -> list[str]:
    """The Levers section, or nothing for a folder without lever tables."""
    area, money = run.tables.get("levers_by_area"), run.tables.get("lever_money")
    if area is None or money is None:
        return []
    levels = run.scenario.get("prevention", "low"), run.scenario.get("mainstream_support", "low")
    weight = run.scenario.get("outside_money_weight", 1.0)
    out = [
        "<h2 id='levers'>Levers: support teams, mainstream support, borrowing and the transfer</h2>",
        f"<p class='small'>Prevention at its {esc(levels[0])} level and mainstream support at its {esc(levels[1])} "
        f"level (levers.csv). Money from outside the high-needs budget (the teams, borrowing charges, transfer "
        f"above the data's) counts {weight:g} to the pound against the high-needs shortfall (docs/model.md "
        "section 11.4), so no lever is chosen only because another budget pays for it.</p>",
    ]
    if "teams" in pictures:
        out.append(figure_html(pictures["teams"], "Extra support teams by area in the target year."))
    by_area = area.groupby(["area_id", "area_name"], as_index=False).agg(
        teams=("teams", "max"), prevented=("prevented_specialist_entrants", "sum"),
        supported=("supported_entrants", "sum"), team_cost=("team_cost", "sum"),
        saving=("prevention_saving", "sum"), top_ups=("enhanced_top_ups", "sum"))  # fmt: skip
    out += [
        "<h3>By area, over the planning years</h3>",
        table_html(
            by_area.drop(columns="area_id"),
            {
                "prevented": lambda v: fmt_num(v, 1),
                "supported": lambda v: fmt_num(v, 1),
                "team_cost": fmt_gbp2,
                "saving": fmt_gbp2,
                "top_ups": fmt_gbp2,
            },
            headers={
                "area_name": "Area",
                "teams": "Most teams",
                "prevented": "Specialist entrants prevented",
                "supported": "Entrants kept in mainstream",
                "team_cost": "Teams' cost",
                "saving": "Plans prevented save",
                "top_ups": "Enhanced top-ups",
            },
        ),  # fmt: skip
    ]
    m = money.copy()
    m["year"] = m["year"].map(year_label)
    m["transfer_needs_approval"] = m["transfer_needs_approval"].map({True: "yes", False: ""})
    cols = ["year", "borrowed", "borrowing_charge", "transfer_total", "transfer_share_of_schools_block",
            "transfer_needs_approval", "team_costs", "outside_money"]  # fmt: skip
    out += [
        "<h3>Borrowing, the transfer and money outside the budget, by year</h3>",
        table_html(
            m[cols],
            {
                **{
                    c: fmt_gbp2
                    for c in cols
                    if c not in ("year", "transfer_share_of_schools_block", "transfer_needs_approval")
                },
                "transfer_share_of_schools_block": lambda v: f"{float(v):.2%}",
            },
            headers={
                "year": "Year",
                "borrowed": "Borrowed",
                "borrowing_charge": "Borrowing charge",
                "transfer_total": "Transfer",
                "transfer_share_of_schools_block": "Share of schools block",
                "transfer_needs_approval": "Needs approval",
                "team_costs": "Teams",
                "outside_money": "Outside the budget",
            },
        ),  # fmt: skip
    ]
    return out


def why_html(run: RunTables, district_names: dict[str, str], need_names: dict[str, str]) -> list[str]:
    """What binds each year and the value of one more place, or nothing for an older folder."""
    binds, by_need = run.tables.get("what_binds"), run.tables.get("place_values_by_need")
    if binds is None:
        return []
    b = binds.copy()
    b["year"] = b["year"].map(year_label)
    b["binding"] = b["binding"].map({True: "binds", False: ""})
    b["value"] = [
        "" if pd.isna(v) else (fmt_gbp(v, 2) if str(u).startswith("GBP of capital") or "a year" in str(u)
                               else f"{float(v):.3f}")
        for v, u in zip(b["value"], b["unit"], strict=True)
    ]  # fmt: skip
    out = [
        "<h2 id='why'>Why: what binds and what one more place is worth</h2>",
        "<p class='small'>From the plan's LP with its projects, places and teams fixed (docs/model.md section "
        "7.4): a rule binds when relaxing it would make the plan cheaper. The value of a place is what one more "
        "place in that year would save the plan, in that year's pounds: the child it admits stays in later "
        "years where the plan has room, so the saving can be several years' fees.</p>",
        table_html(
            b[["year", "constraint", "binding", "value", "unit", "meaning"]],
            headers={
                "year": "Year",
                "constraint": "Rule",
                "binding": "",
                "value": "Value",
                "unit": "Unit",
                "meaning": "Meaning",
            },
            scroll=True,
        ),  # fmt: skip
    ]
    if by_need is not None and len(by_need):
        t = run.target_year
        top = by_need[(by_need["year"] == t) & (by_need["value_of_a_place"] > 0)]
        top = top.sort_values("value_of_a_place", ascending=False).head(15).copy()
        top["district_id"] = top["district_id"].map(district_names).fillna(top["district_id"])
        top["need_group"] = top["need_group"].map(need_names).fillna(top["need_group"])
        out += [
            f"<h3>Where one more place would save most, {year_label(t)}</h3>",
            table_html(
                top[["district_id", "need_group", "setting_id", "value_of_a_place"]],
                {"value_of_a_place": fmt_gbp2},
                headers={
                    "district_id": "District",
                    "need_group": "Need",
                    "setting_id": "At setting",
                    "value_of_a_place": "Saves a year",
                },
            )  # fmt: skip
            if len(top)
            else "<p class='small'>No setting is full in the target year: one more place would save nothing.</p>",
        ]
    return out
