"""Everything a person reads of one run, written into its run folder from the folder's own tables and manifest:
the static maps (PNG), the interactive map (map.html), the report (report.html) and the workbook (plan.xlsx).

The geography (zones, districts, need-group names) is handed in; nothing here reads a data folder or touches
the optimisation model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.data.schema import ZONE_LEVEL_NAMES
from planner.formats import fmt_gbp, fmt_num, fmt_pct, year_label
from planner.report.budget_sections import budget_html, council_html, margin_html, unserved_html
from planner.report.budget_tables import balance_tested, reconciliation
from planner.report.charts import budget_chart
from planner.report.deficit_chart import deficit_chart
from planner.report.excel import write_workbook
from planner.report.html import cards_html, esc, figure_html, footer_html, page, table_html
from planner.report.interactive import write_map_html
from planner.report.lever_sections import TEAMS_PICTURE, levers_html, teams_map, why_html
from planner.report.plan_map import plan_map
from planner.report.run_maps import flow_map, zone_map
from planner.report.run_tables import (
    BUDGET_HEADERS,
    KPI_HEADERS,
    headline_cards,
    kpi_frame,
    projects_frame,
    sufficiency_frame,
)
from planner.runfolder import RUN_TABLES, RunTables, load_run
from planner.runfolder.tables import OPTIONAL_RUN_TABLES

if TYPE_CHECKING:
    from planner.data import Geography

# the files a report writes into a run folder (flow maps are flows-<need group>.png)
PICTURES = {
    "plan": "plan.png",
    "independent": "map-independent.png",
    "journeys": "map-journeys.png",
    "budget": "budget.png",
    "council": "budget-council.png",  # when the run folder has budget_reconciliation.csv
}


def largest_need_group(run: RunTables) -> str:
    """The need group with the most specialist pupils in the target year."""
    p = run.placements
    p = p[p["year"] == run.target_year]
    return str(p.groupby("need_group")["pupils"].sum().idxmax()) if len(p) else "CI"


def write_pictures(
    geo: Geography, run: RunTables, folder: Path, *, flow_needs: Sequence[str] = (), redraw_plan: bool = False
) -> dict[str, Path]:
    """Draw the static maps and the budget chart into `folder`; returns their paths by key."""
    out: dict[str, Path] = {}
    plan = folder / PICTURES["plan"]
    if redraw_plan or not plan.exists():
        plan_map(geo, run.tables, plan, title_year=run.target_year)
    out["plan"] = plan
    out["independent"] = zone_map(geo, run, folder / PICTURES["independent"], "independent")
    out["journeys"] = zone_map(geo, run, folder / PICTURES["journeys"], "journey")
    for g in flow_needs or [largest_need_group(run)]:
        out[f"flows-{g}"] = flow_map(geo, run, folder / f"flows-{g}.png", g)
    teams = teams_map(geo, run, folder / TEAMS_PICTURE)
    if teams is not None:
        out["teams"] = teams
    tested = balance_tested(run)
    out["budget"] = budget_chart(
        run.budget,
        run.target_year,
        folder / PICTURES["budget"],
        title=f"High-needs budget path: {run.scenario_name}",
        balance_test=tested,
    )
    rec = reconciliation(run)
    if not rec.empty:
        out["council"] = deficit_chart(
            run.budget,
            rec,
            run.target_year,
            folder / PICTURES["council"],
            title=f"The model's deficits beside the council's published figures: {run.scenario_name}",
            balance_test=tested,
        )
    return out


# ---------------------------------------------------------------------------------------------------------
# the report page
def _num(d: int = 0) -> Callable[[Any], str]:
    return lambda v: fmt_num(v, d)


def _gbp(v: Any) -> str:
    return fmt_gbp(v, 1)


GBP_FORMATS = {
    h: _gbp for h in (*BUDGET_HEADERS.values(), KPI_HEADERS["transport_cost"], KPI_HEADERS["high_needs_spending"])
}
PCT_FORMATS = {
    c: fmt_pct for c in ("Mainstream", "State specialist in Norfolk", "Independent", "Share not met locally")
}
SUFFICIENCY_FORMATS = {
    **PCT_FORMATS,
    **{c: _num() for c in ("Specialist pupils", "In state settings in Norfolk", "Independent or out of county")},
}
KPI_FORMATS = {
    **GBP_FORMATS,
    **PCT_FORMATS,
    **{KPI_HEADERS[c]: _num() for c in ("children_with_plans", "specialist_pupils", "pupils_out_of_county")},
    "Mean journey (km)": _num(1),
}
PROJECT_FORMATS = {"Places at opening": _num(), "Places": _num(), "Capital": lambda v: fmt_gbp(v, 2)}


def _status_note(run: RunTables) -> str:
    """How the solve ended, in words."""
    status = str(run.manifest.get("status", "?"))
    gap = run.manifest.get("gap")
    if status == "optimal":
        return "proven optimal within the gap asked for"
    if gap is not None:
        return f"stopped at the time limit with gap {gap:.2%}: the best plan found, not proven optimal"
    return status


def _intro_html(run: RunTables) -> list[str]:
    """The title, the scenario, how to read the page, and the page's contents."""
    level = ZONE_LEVEL_NAMES.get(run.zone_level, run.zone_level)
    description = str(run.scenario.get("description", "")).replace(chr(10), " ")
    return [
        f"<h1>SEND place plan to {year_label(run.last_year)}: {esc(run.scenario_name)}</h1>",
        f"<p class='lead'>{esc(description)}</p>",
        f"<p class='small'>{_target_words(run)} Run folder <b>{esc(run.folder.name)}</b>; "
        f"{esc(_status_note(run))}; home zones: {level}s. Money in pounds, "
        f"years are academic/financial years (2028/29 = 2029 in the tables).</p>",
        "<nav><a href='#headline'>Headline</a><a href='#budget'>Budget</a><a href='#council'>Council's figures</a>"
        "<a href='#plan'>Plan</a>"
        "<a href='#projects'>Projects</a><a href='#maps'>Maps</a><a href='#interactive'>Interactive map</a>"
        "<a href='#years'>By year</a><a href='#about'>About</a></nav>",
    ]


def _target_words(run: RunTables) -> str:
    t = year_label(run.target_year)
    if balance_tested(run):
        return f"Target: the high-needs budget balances in-year from {t}."
    return f"Sufficiency only: the high-needs budget path is reported, not held to balance (target year {t})."


def _plan_html(geo: Geography, run: RunTables, pictures: dict[str, Path]) -> list[str]:
    """Headline cards and the needs no setting serves, the budget path and the council's figures, and the plan
    with its projects and the places the occupancy margin holds free."""
    return [
        "<h2 id='headline'>Headline</h2>",
        cards_html(headline_cards(run)),
        *unserved_html(run, geo.need_group_names),
        *budget_html(run, pictures),
        *council_html(run, pictures),
        "<h2 id='plan'>The plan</h2>",
        figure_html(
            pictures["plan"],
            "Existing provision in grey; new places coloured by opening year, sized by places and numbered as in "
            "the projects table.",
        ),
        "<h3 id='projects'>Projects</h3>",
        "<p class='small'>Committed projects are decided; plan projects are the options the model chose. Places: "
        f"in {year_label(run.last_year)} (resource bases and AP may open smaller and grow). Capital in pounds.</p>",
        table_html(
            projects_frame(run, geo.district_names),
            PROJECT_FORMATS,
            numeric=("No.",),
            scroll=True,
            table_id="projects-table",
        ),
        *margin_html(run),
    ]


def _maps_html(geo: Geography, run: RunTables, pictures: dict[str, Path]) -> list[str]:
    """The zone and flow maps, and the districts' table."""
    t = run.target_year
    level = ZONE_LEVEL_NAMES.get(run.zone_level, run.zone_level)
    gnames = geo.need_group_names
    out = [
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
            caption = (
                f"Where children with {gnames.get(g, g).lower()} needs go to school, {year_label(t)} (line width = "
                "pupils)."
            )
            out.append(figure_html(path, caption))
    return [
        *out,
        f"<h3>Districts in {year_label(t)}</h3>",
        table_html(sufficiency_frame(run, geo.district_names, t), SUFFICIENCY_FORMATS),
    ]


def report_html(geo: Geography, run: RunTables, pictures: dict[str, Path]) -> str:
    """The report page: headline KPIs, budget path, plan map and projects, the other maps, a link to the
    interactive map (map.html, beside it), tables by year, and how the run was made."""
    body = [
        *_intro_html(run),
        *_plan_html(geo, run, pictures),
        *levers_html(run, pictures),
        *why_html(run, geo.district_names, geo.need_group_names),
        *_maps_html(geo, run, pictures),
        "<h2 id='interactive'>Interactive map</h2>",
        "<p>The interactive map of this run is <a href='map.html'>map.html</a>, beside this report in the run "
        "folder: hover over a setting or zone for details, click a legend entry to hide or show a layer, scroll to "
        "zoom. It works with no network. It is a file of its own (about 2 MB) so that this report stays small "
        "enough to e-mail; send both to share both.</p>",
        "<h2 id='years'>By year</h2>",
        table_html(kpi_frame(run), KPI_FORMATS),
        "<h2 id='about'>About this run</h2>",
        _about_html(run),
        footer_html(),
    ]
    title = f"Plan to {year_label(run.last_year)}: {run.scenario_name}"
    return page(title, "\n".join(body))


def _about_html(run: RunTables) -> str:
    m = run.manifest
    data = m.get("data") or {}
    secs = (m.get("seconds") or {}).get("total")
    scenario_file = run.scenario.get("file")
    pictures = [PICTURES["plan"], PICTURES["independent"], PICTURES["journeys"], "flows-*.png", PICTURES["budget"]]
    if "council" in PICTURES and not reconciliation(run).empty:
        pictures.append(PICTURES["council"])
    tables = [*RUN_TABLES, *(name for name in OPTIONAL_RUN_TABLES if name in run.tables)]
    rows = [
        ("Command", m.get("command", "")),
        ("Created", m.get("created", "")),
        ("Scenario file", (scenario_file and Path(str(scenario_file)).name) or ""),
        ("Data", f"{Path(str(data.get('folder', ''))).name} (hash {data.get('hash', '')})"),
        (
            "Solver",
            f"{m.get('status', '')}, gap {m.get('gap', float('nan')):.2e}" + (f", {secs:.0f} s" if secs else ""),
        ),
        (
            "Files",
            f"tables: {', '.join(f'{name}.csv' for name in tables)}; pictures: {', '.join(pictures)}; map.html "
            "(interactive); plan.xlsx (every table, with units)",
        ),
    ]
    return table_html(pd.DataFrame(rows, columns=["", "Value"]))


def write_run_report(
    geo: Geography,
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
    written = write_pictures(geo, run, folder, flow_needs=flow_needs, redraw_plan=redraw_plan)
    written["map.html"] = write_map_html(geo, run, folder / "map.html")
    report = folder / "report.html"
    report.write_text(report_html(geo, run, written), encoding="utf-8")
    written["report.html"] = report
    if workbook:
        written["plan.xlsx"] = write_workbook(run, folder / "plan.xlsx", district_names=geo.district_names)
    return written
