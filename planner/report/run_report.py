"""Everything a person reads of one run, written into its run folder from the folder's own tables and manifest:
the static maps (PNG), the interactive map (map.html), the report (report.html) and the workbook (plan.xlsx).

The data folder is read only for geography (zones, districts) and need-group names; nothing here touches the
optimisation model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from planner.report.charts import budget_chart
from planner.report.excel import write_workbook
from planner.report.html import bokeh_parts, cards_html, esc, figure_html, page, table_html
from planner.report.interactive import interactive_map, write_map_html
from planner.report.maps import year_label
from planner.report.plan_map import plan_map
from planner.report.run_data import (
    PROJECT_TYPE_LABELS,
    ZONE_LEVEL_NAMES,
    RunTables,
    district_names,
    fmt_gbp,
    fmt_num,
    fmt_pct,
    load_run,
    need_group_names,
    project_refs,
)
from planner.report.run_maps import flow_map, zone_map

if TYPE_CHECKING:
    from planner.data import Geography as PlanningData

# the files a report writes into a run folder (flow maps are flows-<need group>.png)
PICTURES = {
    "plan": "plan.png",
    "independent": "map-independent.png",
    "journeys": "map-journeys.png",
    "budget": "budget.png",
}
REPORT_FILES = ("report.html", "map.html", "plan.xlsx")


def largest_need_group(run: RunTables) -> str:
    """The need group with the most specialist pupils in the target year."""
    p = run.placements
    p = p[p["year"] == run.target_year]
    return str(p.groupby("need_group")["pupils"].sum().idxmax()) if len(p) else "CI"


def write_pictures(
    data: PlanningData, run: RunTables, folder: Path, *, flow_needs: Sequence[str] = (), redraw_plan: bool = False
) -> dict[str, Path]:
    """Draw the static maps and the budget chart into `folder`; returns their paths by key."""
    out: dict[str, Path] = {}
    plan = folder / PICTURES["plan"]
    if redraw_plan or not plan.exists():
        plan_map(data, run.tables, plan, title_year=run.target_year)
    out["plan"] = plan
    out["independent"] = zone_map(data, run, folder / PICTURES["independent"], "independent")
    out["journeys"] = zone_map(data, run, folder / PICTURES["journeys"], "journey")
    for g in flow_needs or [largest_need_group(run)]:
        out[f"flows-{g}"] = flow_map(data, run, folder / f"flows-{g}.png", g)
    out["budget"] = budget_chart(
        run.budget, run.target_year, folder / PICTURES["budget"], title=f"High-needs budget path: {run.scenario_name}"
    )
    return out


# ---------------------------------------------------------------------------------------------------------
# the pieces of the report
def headline_cards(run: RunTables) -> list[tuple[str, str, str, str]]:
    """KPI cards: (label, value, note, tone)."""
    k = run.kpis.set_index("year")
    b = run.budget.set_index("year")
    t, base, last = run.target_year, run.base_year, run.last_year
    kt, k0 = k.loc[t], k.loc[base]
    pr = run.projects
    opt = pr[pr["kind"] == "option"]
    com = pr[pr["kind"] == "commitment"]
    yb = k["year_of_balance"].dropna()
    short = float(b["shortfall"].sum())
    target_years = [y for y in run.years if y >= t]
    if len(yb):
        balance = ("Budget balances in-year", f"from {year_label(int(yb.iloc[0]))}", f"target {year_label(t)}", "good")
    else:
        balance = (
            "Budget balances in-year",
            f"not by {year_label(last)}",
            f"shortfall {fmt_gbp(short)} over {year_label(target_years[0])}-{year_label(target_years[-1])[-2:]}",
            "bad",
        )
    bal_t = float(b.loc[t, "in_year_balance"])
    return [
        balance,
        (
            f"In-year balance {year_label(t)}",
            fmt_gbp(bal_t),
            f"{year_label(base)}: {fmt_gbp(b.loc[base, 'in_year_balance'])}",
            "bad" if bal_t < -0.5 else "good",
        ),
        (
            f"Cumulative deficit, end {year_label(last)}",
            fmt_gbp(b.loc[last, "cumulative_deficit"]),
            f"end {year_label(base)}: {fmt_gbp(b.loc[base, 'cumulative_deficit'])}",
            "",
        ),
        (
            f"High-needs spending {year_label(t)}",
            fmt_gbp(b.loc[t, "spending_total"]),
            f"income {fmt_gbp(b.loc[t, 'income_total'])}",
            "",
        ),
        (
            "New places the plan builds",
            fmt_num(opt["places"].sum()),
            f"{len(opt)} projects; capital {fmt_gbp(opt['capital_cost'].sum())}",
            "",
        ),
        (
            "Committed new places",
            fmt_num(com["places"].sum()),
            f"{len(com)} projects; capital {fmt_gbp(com['capital_cost'].sum())}",
            "",
        ),
        (
            f"Specialist pupils {year_label(t)}",
            fmt_num(kt["specialist_pupils"]),
            f"{year_label(base)}: {fmt_num(k0['specialist_pupils'])}",
            "",
        ),
        (
            "In state specialist settings in Norfolk",
            fmt_pct(kt["share_state_specialist_in_county"]),
            f"of children with plans; {year_label(base)}: {fmt_pct(k0['share_state_specialist_in_county'])}",
            "",
        ),
        (
            "In independent special schools",
            fmt_pct(kt["share_independent"]),
            f"of children with plans; {year_label(base)}: {fmt_pct(k0['share_independent'])}",
            "",
        ),
        (
            f"Pupils out of county {year_label(t)}",
            fmt_num(kt["pupils_out_of_county"]),
            f"{year_label(base)}: {fmt_num(k0['pupils_out_of_county'])}",
            "",
        ),
        (
            f"Mean journey {year_label(t)}",
            f"{kt['mean_journey_km']:.1f} km",
            f"{year_label(base)}: {k0['mean_journey_km']:.1f} km",
            "",
        ),
        (
            f"Home-to-school transport {year_label(t)}",
            fmt_gbp(kt["transport_cost"]),
            f"general fund; {year_label(base)}: {fmt_gbp(k0['transport_cost'])}",
            "",
        ),
    ]


def projects_frame(run: RunTables, dnames: dict[str, str]) -> pd.DataFrame:
    """The projects table as officers read it: numbered as on the maps."""
    pr = project_refs(run.projects)
    if pr.empty:
        return pd.DataFrame(
            columns=[
                "No.",
                "Project",
                "Kind",
                "Type",
                "District",
                "Needs",
                "Ages",
                "Places at opening",
                "Places",
                "Opens",
                "Capital",
            ]
        )
    return pd.DataFrame(
        {
            "No.": pr["ref"].astype(int),
            "Project": pr["name"],
            "Kind": pr["kind"].map({"commitment": "committed", "option": "plan"}).fillna(pr["kind"]),
            "Type": pr["project_type"].map(PROJECT_TYPE_LABELS).fillna(pr["project_type"]),
            "District": pr["district_id"].map(dnames).fillna(pr["district_id"]),
            "Needs": pr["needs"].str.replace(";", ", "),
            "Ages": [
                f"{int(a)}-{int(b)}" if pd.notna(a) and pd.notna(b) else ""
                for a, b in zip(pr["min_age"], pr["max_age"], strict=True)
            ],
            "Places at opening": pr["places_at_opening"],
            "Places": pr["places"],
            "Opens": pr["opening_year"].map(lambda y: year_label(int(y)) if pd.notna(y) else ""),
            "Capital": pr["capital_cost"],
        }
    )


def budget_frame(run: RunTables) -> pd.DataFrame:
    b = run.budget.sort_values("year")
    return pd.DataFrame(
        {
            "Year": b["year"].map(lambda y: year_label(int(y))),
            "Income": b["income_total"],
            "Spending": b["spending_total"],
            "In-year balance": b["in_year_balance"],
            "Cumulative deficit": b["cumulative_deficit"],
            "Shortfall": b["shortfall"],
            "Capital budget": b["capital_budget"],
            "Capital spent (options)": b["capital_spent_options"],
            "Transport (general fund)": b["transport_general_fund"],
        }
    )


def kpi_frame(run: RunTables) -> pd.DataFrame:
    k = run.kpis.sort_values("year")
    return pd.DataFrame(
        {
            "Year": k["year"].map(lambda y: year_label(int(y))),
            "Children with plans": k["children_with_plans"],
            "Specialist pupils": k["specialist_pupils"],
            "Mainstream": k["share_mainstream"],
            "State specialist in Norfolk": k["share_state_specialist_in_county"],
            "Independent": k["share_independent"],
            "Out of county (pupils)": k["pupils_out_of_county"],
            "Mean journey (km)": k["mean_journey_km"],
            "Transport": k["transport_cost"],
            "High-needs spending": k["high_needs_spending"],
        }
    )


def sufficiency_frame(run: RunTables, dnames: dict[str, str], year: int) -> pd.DataFrame:
    s = run.sufficiency
    s = s[s["year"] == year]
    g = s.groupby("district_id")[["demand", "placed_locally", "placed_independent_or_out_of_county"]].sum()
    g = g.sort_values("demand", ascending=False)
    return pd.DataFrame(
        {
            "District": [dnames.get(d, d) for d in g.index],
            "Specialist pupils": g["demand"].to_numpy(),
            "In state settings in Norfolk": g["placed_locally"].to_numpy(),
            "Independent or out of county": g["placed_independent_or_out_of_county"].to_numpy(),
            "Share not met locally": (
                g["placed_independent_or_out_of_county"] / g["demand"].where(g["demand"] > 0)
            ).to_numpy(),
        }
    )


def _num(d: int = 0):  # noqa: ANN202 - a formatter factory
    return lambda v: fmt_num(v, d)


def report_html(data: PlanningData, run: RunTables, pictures: dict[str, Path]) -> str:
    """The report page: headline KPIs, budget path, plan map and projects, the other maps (static and
    interactive), tables by year, and how the run was made."""
    dnames = district_names(data)
    gnames = need_group_names(data)
    t, last = run.target_year, run.last_year
    m = run.manifest
    scen = run.scenario
    level = ZONE_LEVEL_NAMES.get(run.zone_level, run.zone_level)
    status = str(m.get("status", "?"))
    gap = m.get("gap")
    status_note = (
        "proven optimal within the gap asked for"
        if status == "optimal"
        else f"stopped at the time limit with gap {gap:.2%}: the best plan found, not proven optimal"
        if gap is not None
        else status
    )
    head_js, map_script, map_div = bokeh_parts(interactive_map(data, run, height=700))

    gbp = {
        c: (lambda v: fmt_gbp(v, 1))
        for c in (
            "Income",
            "Spending",
            "In-year balance",
            "Cumulative deficit",
            "Shortfall",
            "Capital budget",
            "Capital spent (options)",
            "Transport (general fund)",
            "Transport",
            "High-needs spending",
        )
    }
    pct = {c: fmt_pct for c in ("Mainstream", "State specialist in Norfolk", "Independent", "Share not met locally")}
    body = [
        f"<h1>SEND place plan to {year_label(last)}: {esc(run.scenario_name)}</h1>",
        f"<p class='lead'>{esc(str(scen.get('description', '')).replace(chr(10), ' '))}</p>",
        f"<p class='small'>Target: the high-needs budget balances in-year from {year_label(t)}. Run folder "
        f"<b>{esc(run.folder.name)}</b>; {esc(status_note)}; home zones: {level}s. Money in pounds, years are "
        f"academic/financial years (2028/29 = 2029 in the tables).</p>",
        "<nav><a href='#headline'>Headline</a><a href='#budget'>Budget</a><a href='#plan'>Plan</a>"
        "<a href='#projects'>Projects</a><a href='#maps'>Maps</a><a href='#interactive'>Interactive map</a>"
        "<a href='#years'>By year</a><a href='#about'>About</a></nav>",
        "<h2 id='headline'>Headline</h2>",
        cards_html(headline_cards(run)),
        "<h2 id='budget'>Budget path</h2>",
        figure_html(
            pictures["budget"],
            f"Income and spending by year, the cumulative deficit, the target year "
            f"{year_label(t)} marked and any shortfall hatched. Transport and capital are outside the "
            "high-needs balance (table below).",
        ),
        table_html(budget_frame(run), gbp),
        "<h2 id='plan'>The plan</h2>",
        figure_html(
            pictures["plan"],
            "Existing provision in grey; new places coloured by opening year, sized by "
            "places and numbered as in the projects table.",
        ),
        "<h3 id='projects'>Projects</h3>",
        "<p class='small'>Committed projects are decided; plan projects are the options the model chose. Places: "
        f"in {year_label(last)} (resource bases and AP may open smaller and grow). Capital in pounds.</p>",
        table_html(
            projects_frame(run, dnames),
            {"Places at opening": _num(), "Places": _num(), "Capital": lambda v: fmt_gbp(v, 2)},
            numeric=("No.",),
            scroll=True,
            table_id="projects-table",
        ),
        "<h2 id='maps'>Where children are placed</h2>",
        figure_html(
            pictures["independent"],
            f"Children of each {level} in independent or out-of-county settings in {year_label(t)}.",
        ),
        figure_html(pictures["journeys"], f"Mean journey to school by home {level}, {year_label(t)}."),
    ]
    for key, path in pictures.items():
        if key.startswith("flows-"):
            g = key[6:]
            body.append(
                figure_html(
                    path,
                    f"Where children with {gnames.get(g, g).lower()} needs go to school, "
                    f"{year_label(t)} (line width = pupils).",
                )
            )
    body += [
        f"<h3>Districts in {year_label(t)}</h3>",
        table_html(
            sufficiency_frame(run, dnames, t),
            {
                **pct,
                **{
                    c: _num()
                    for c in ("Specialist pupils", "In state settings in Norfolk", "Independent or out of county")
                },
            },
        ),
        "<h2 id='interactive'>Interactive map</h2>",
        "<p class='small'>Hover over a setting or zone for details; click a legend entry to hide or show a layer; "
        "scroll to zoom. The same map is in map.html.</p>",
        map_div,
        "<h2 id='years'>By year</h2>",
        table_html(
            kpi_frame(run),
            {
                **gbp,
                **pct,
                "Children with plans": _num(),
                "Specialist pupils": _num(),
                "Out of county (pupils)": _num(),
                "Mean journey (km)": _num(1),
            },
        ),
        "<h2 id='about'>About this run</h2>",
        _about_html(run),
        "<footer>Contains OS data © Crown copyright and database right; Contains ONS data © Crown copyright; "
        "Contains public sector information licensed under the Open Government Licence v3.0.</footer>",
    ]
    title = f"Plan to {year_label(last)}: {run.scenario_name}"
    return page(title, "\n".join(body), head=head_js + map_script)


def _about_html(run: RunTables) -> str:
    m = run.manifest
    secs = (m.get("seconds") or {}).get("total")
    rows = [
        ("Command", m.get("command", "")),
        ("Created", m.get("created", "")),
        ("Scenario file", (run.scenario.get("file") and Path(str(run.scenario.get("file"))).name) or ""),
        (
            "Data",
            f"{Path(str((m.get('data') or {}).get('folder', ''))).name} (hash {(m.get('data') or {}).get('hash', '')})",
        ),
        (
            "Solver",
            f"{m.get('status', '')}, gap {m.get('gap', float('nan')):.2e}" + (f", {secs:.0f} s" if secs else ""),
        ),
        (
            "Files",
            "tables: projects.csv, project_years.csv, placements.csv, settings_by_year.csv, sufficiency.csv, "
            "budget.csv, kpis.csv; pictures: plan.png, map-independent.png, map-journeys.png, flows-*.png, "
            "budget.png; map.html (interactive); plan.xlsx (every table, with units)",
        ),
    ]
    return table_html(pd.DataFrame(rows, columns=["", "Value"]))


def write_run_report(
    data: PlanningData,
    folder: Path,
    *,
    flow_needs: Sequence[str] = (),
    redraw_plan: bool = False,
    workbook: bool = True,
    folder_name: str | None = None,
) -> dict[str, Path]:
    """Write the static maps, map.html, report.html and plan.xlsx into a run folder, from the folder's tables and
    manifest.json. `flow_needs`: need groups to draw flow maps for (default: the largest). `folder_name`: the
    name the folder will have, when it is written under a temporary name. Returns the paths."""
    folder = Path(folder)
    run = load_run(folder)
    if folder_name:
        run.folder = folder.parent / folder_name  # the reports name the run by its final folder
    written = write_pictures(data, run, folder, flow_needs=flow_needs, redraw_plan=redraw_plan)
    written["map.html"] = write_map_html(data, run, folder / "map.html")
    report = folder / "report.html"
    report.write_text(report_html(data, run, written), encoding="utf-8")
    written["report.html"] = report
    if workbook:
        written["plan.xlsx"] = write_workbook(run, folder / "plan.xlsx", district_names=district_names(data))
    return written
