"""The comparison of two runs, written into a folder: plans.png, budget.png, differences.csv, kpis.csv,
budget.csv, compare.xlsx and compare.html (self-contained, showing both plans)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook

from planner.data.schema import PROJECT_TYPE_LABELS
from planner.formats import fmt_gbp, year_label
from planner.report.charts import budget_compare_chart
from planner.report.compare_figures import plans_side_by_side
from planner.report.compare_tables import budget_comparison, fmt_measure, kpi_comparison, project_differences
from planner.report.excel import write_sheet
from planner.report.html import cards_html, esc, figure_html, footer_html, page, table_html
from planner.report.run_tables import KIND_WORDS

if TYPE_CHECKING:
    from planner.data import Geography
    from planner.runfolder import RunTables


def run_names(a: RunTables, b: RunTables) -> tuple[str, str]:
    """Short names for the two runs: their scenarios, or their folders if the scenarios share a name."""
    na, nb = a.scenario_name, b.scenario_name
    return (a.folder.name, b.folder.name) if na == nb else (na, nb)


def kpi_frame(kpis: pd.DataFrame, names: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Measure": kpis["measure"],
            "Year": kpis["year"].map(lambda y: year_label(int(y)) if pd.notna(y) else "whole plan"),
            f"A: {names[0]}": [fmt_measure(v, u) for v, u in zip(kpis["a"], kpis["unit"], strict=True)],
            f"B: {names[1]}": [fmt_measure(v, u) for v, u in zip(kpis["b"], kpis["unit"], strict=True)],
            "B − A": [fmt_measure(v, u, delta=True) for v, u in zip(kpis["delta"], kpis["unit"], strict=True)],
        }
    )


def diff_frame(diff: pd.DataFrame, dnames: dict[str, str]) -> pd.DataFrame:
    def cell(a: object, b: object, fmt) -> str:  # noqa: ANN001
        fa = fmt(a) if pd.notna(a) else "–"
        fb = fmt(b) if pd.notna(b) else "–"
        return fa if fa == fb else f"{fa} → {fb}"

    cls = {"only in A": "a", "only in B": "b"}
    return pd.DataFrame(
        {
            "Difference": [f'<span class="tag {cls.get(s, "both")}">{esc(s)}</span>' for s in diff["status"]],
            "Project": diff["name"],
            "Kind": diff["kind"].map(KIND_WORDS).fillna(""),
            "Type": diff["project_type"].map(PROJECT_TYPE_LABELS).fillna(diff["project_type"]),
            "District": diff["district_id"].map(dnames).fillna(diff["district_id"]),
            "Places (A → B)": [
                cell(a, b, lambda v: f"{v:,.0f}") for a, b in zip(diff["places_a"], diff["places_b"], strict=True)
            ],
            "At opening (A → B)": [
                cell(a, b, lambda v: f"{v:,.0f}")
                for a, b in zip(diff["places_at_opening_a"], diff["places_at_opening_b"], strict=True)
            ],
            "Opens (A → B)": [
                cell(a, b, lambda v: year_label(int(v)))
                for a, b in zip(diff["opening_year_a"], diff["opening_year_b"], strict=True)
            ],
            "Capital (A → B)": [
                cell(a, b, lambda v: fmt_gbp(v, 2))
                for a, b in zip(diff["capital_cost_a"], diff["capital_cost_b"], strict=True)
            ],
        }
    )


def budget_frame(bud: pd.DataFrame) -> pd.DataFrame:
    out = {"Year": bud["year"].map(lambda y: year_label(int(y)))}
    for col, label in (
        ("spending_total", "Spending"),
        ("in_year_balance", "In-year balance"),
        ("cumulative_deficit", "Cumulative deficit"),
        ("shortfall", "Shortfall"),
        ("capital_spent_options", "Capital spent"),
    ):
        out[f"{label} A"] = bud[f"{col}_a"]
        out[f"{label} B"] = bud[f"{col}_b"]
        out[f"{label} B − A"] = bud[f"{col}_delta"]
    return pd.DataFrame(out)


def _link(target: Path, base: Path) -> str | None:
    if not target.exists():
        return None
    try:
        return Path(os.path.relpath(target.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive
        return target.resolve().as_uri()


def compare_html(
    a: RunTables,
    b: RunTables,
    names: tuple[str, str],
    kpis: pd.DataFrame,
    diff: pd.DataFrame,
    bud: pd.DataFrame,
    pictures: dict[str, Path],
    dnames: dict[str, str],
    out: Path,
) -> str:
    """The comparison page: headline deltas, both plans side by side, the differences, KPIs and budget paths,
    and each plan's own map."""
    t = a.target_year

    def delta_card(key: str, label: str, better_if_lower: bool = True) -> tuple[str, str, str, str]:
        rows = kpis[kpis["key"] == key]
        r = rows.iloc[-1]
        d = r["delta"]
        tone = "" if pd.isna(d) or abs(float(d)) < 1e-9 else ("good" if (float(d) < 0) == better_if_lower else "bad")
        when = f" ({year_label(int(r['year']))})" if pd.notna(r["year"]) else ""
        return (
            f"{label}{when}, B − A",
            fmt_measure(d, r["unit"], delta=True),
            f"A {fmt_measure(r['a'], r['unit'])}; B {fmt_measure(r['b'], r['unit'])}",
            tone,
        )

    cards = [
        delta_card("cumulative_deficit", "Cumulative deficit"),
        delta_card("shortfall_total", "Total shortfall"),
        delta_card("high_needs_spending", "High-needs spending"),
        delta_card("share_independent", "Independent share"),
        delta_card("mean_journey_km", "Mean journey"),
        delta_card("new_places", "New places built", better_if_lower=False),
        delta_card("new_capital", "Capital of new projects"),
        delta_card("transport_cost", "Transport"),
    ]
    gbp = {c: (lambda v: fmt_gbp(v, 1)) for c in budget_frame(bud).columns if c != "Year"}
    links = []
    for run, name, side in ((a, names[0], "A"), (b, names[1], "B")):
        rep = _link(run.folder / "report.html", out)
        links.append(
            f"<li><b>{side}: {esc(name)}</b> — {esc(str(run.scenario.get('description', '')))}"
            + (f" <a href='{esc(rep)}'>Open its report</a>" if rep else "")
            + "</li>"
        )
    body = [
        f"<h1>Two plans compared: {esc(names[0])} (A) and {esc(names[1])} (B)</h1>",
        f"<ul class='lead'>{''.join(links)}</ul>",
        f"<p class='small'>B − A: positive means B is higher. Target: the budget balances in-year from "
        f"{year_label(t)}. Money in pounds.</p>",
        "<nav><a href='#headline'>Headline</a><a href='#plans'>Plans</a><a href='#differences'>Differences</a>"
        "<a href='#kpis'>KPIs</a><a href='#budget'>Budget</a><a href='#each'>Each plan</a></nav>",
        "<h2 id='headline'>Headline</h2>",
        cards_html(cards),
        "<h2 id='plans'>The two plans</h2>",
        figure_html(
            pictures["plans"],
            "Both plans with the same scale and colours; the projects that differ are ringed and named.",
        ),
        "<h2 id='differences'>Projects that differ</h2>",
        f"<p class='small'>{len(diff)} projects: only in A, only in B, or in both with a different size (places in "
        "the last year), opening year, or size at opening. Projects the same in both are not listed.</p>",
        table_html(diff_frame(diff, dnames), raw=("Difference",), scroll=True, table_id="differences-table"),
        "<h2 id='kpis'>KPIs, A and B</h2>",
        table_html(kpi_frame(kpis, names), table_id="kpi-table"),
        "<h2 id='budget'>Budget paths</h2>",
        figure_html(pictures["budget"], "In-year balance and cumulative deficit of each plan, and B minus A."),
        table_html(budget_frame(bud), gbp, scroll=True),
    ]
    each = [(a, names[0], "A"), (b, names[1], "B")]
    body.append("<h2 id='each'>Each plan</h2><div class='two'>")
    for run, name, side in each:
        img = run.folder / "plan.png"
        body.append("<div>" + (figure_html(img, f"{side}: {esc(name)}") if img.exists() else "") + "</div>")
    body.append("</div>")
    body.append(footer_html())
    return page(f"Compare: {names[0]} vs {names[1]}", "\n".join(body))


def write_comparison(geo: Geography, a: RunTables, b: RunTables, out: Path) -> dict[str, Path]:
    """Write the comparison of runs A and B into the folder `out` (which must exist); returns the paths."""
    names = run_names(a, b)
    dnames = geo.district_names
    diff = project_differences(a.projects, b.projects)
    kpis = kpi_comparison(a, b)
    bud = budget_comparison(a, b)
    written: dict[str, Path] = {}
    for name, df in (("differences", diff), ("kpis", kpis.drop(columns="key")), ("budget", bud)):
        path = out / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written[f"{name}.csv"] = path
    written["plans"] = plans_side_by_side(geo, a, b, diff, out / "plans.png", names=names)
    written["budget"] = budget_compare_chart(
        [a.budget, b.budget],
        [f"A: {names[0]}", f"B: {names[1]}"],
        a.target_year,
        out / "budget.png",
        title=f"Budget paths: {names[0]} (A) and {names[1]} (B)",
    )
    wb = Workbook(write_only=True)
    for title, df in (("Differences", diff), ("KPIs", kpis.drop(columns="key")), ("Budget", bud)):
        write_sheet(wb, title, df, {"name": 44, "measure": 44, "project_id": 20})
    wb.save(out / "compare.xlsx")
    written["compare.xlsx"] = out / "compare.xlsx"
    html = compare_html(a, b, names, kpis, diff, bud, written, dnames, out)
    (out / "compare.html").write_text(html, encoding="utf-8")
    written["compare.html"] = out / "compare.html"
    return written


def summary_text(name_a: str, name_b: str, folder: Path) -> str:
    """A few lines for the terminal: the differences by kind and the main KPI deltas."""
    diff = pd.read_csv(folder / "differences.csv")
    kpis = pd.read_csv(folder / "kpis.csv")
    lines = [f"A: {name_a}", f"B: {name_b}"]
    counts = diff["status"].value_counts()
    lines.append("Projects that differ: " + ("; ".join(f"{n} {s}" for s, n in counts.items()) or "none"))
    for measure in (
        "Cumulative deficit at the year end",
        "Total shortfall over the target years",
        "New places the plan builds (last year)",
        "Mean journey",
    ):
        rows = kpis[kpis["measure"] == measure]
        if len(rows):
            r = rows.iloc[-1]
            when = f" {int(r['year'])}" if pd.notna(r["year"]) else ""
            lines.append(
                f"  {measure}{when}: A {fmt_measure(r['a'], r['unit'])}, B {fmt_measure(r['b'], r['unit'])}, "
                f"B - A {fmt_measure(r['delta'], r['unit'], delta=True)}"
            )
    lines.append(f"Written: {folder} (open compare.html)")
    return "\n".join(lines)
