"""The report's budget sections on a hand-made run with the newer budget tables (tests/conftest.py
add_budget_tables): every income and spending line, the council's figures beside the model's in words and in a
table, the needs no state setting serves, the occupancy margin, sufficiency only, and the workbook's Budget
reconciliation sheet; a folder without these tables still opens and compares."""

from __future__ import annotations

import html
import re
from pathlib import Path

import matplotlib.image as mpimg
import openpyxl
import pandas as pd
import pytest

from planner.report.budget_tables import budget_statement, places_held_free
from planner.report.run_report import write_run_report
from planner.runfolder import load_run
from tests.conftest import RECONCILIATION, Chromium, add_budget_tables, write_run

BUDGET_PX = (1080, 2338)  # 11.69 x 5.4 inches at 200 dpi


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory, geography) -> dict[str, Path]:
    """A run with the budget tables, the same planning for sufficiency only, and one without them (an older
    folder), each with its report written."""
    base = tmp_path_factory.mktemp("budget-runs")
    data = geography("district")
    out = {
        "new": add_budget_tables(write_run(base / "run-new", data, name="budget-new")),
        "sufficiency": add_budget_tables(write_run(base / "run-suff", data, name="suff"), balance_test=False),
        "old": write_run(base / "run-old", data, name="budget-old"),
    }
    for folder in out.values():
        write_run_report(data.geography, folder)
    return out


def page_text(folder: Path) -> str:
    """The report's text: tags removed, entities unescaped, white space collapsed."""
    raw = (folder / "report.html").read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
    raw = re.sub(r"</?(b|i|span|a)\b[^>]*>", "", raw)  # inline tags: no space
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def test_statement_has_every_line_in_millions(folders: dict[str, Path]) -> None:
    s = budget_statement(load_run(folders["new"])).assign(
        Line=lambda d: d["Line"].str.replace(r"<[^>]+>|&ensp;", "", regex=True)
    )
    s = s.set_index("Line")
    assert list(s.columns) == ["2024/25", "2025/26", "2026/27", "2027/28"]
    assert s.loc["Income", "2024/25"] == pytest.approx(160.0)
    assert s.loc["Transfer from the schools block", "2024/25"] == pytest.approx(9.0)
    assert s.loc["Element 3 top-ups in mainstream schools", "2027/28"] == pytest.approx(60.0)  # 30 + 3 x 10
    assert s.loc["SEN support services", "2025/26"] == pytest.approx(12.0)
    assert s.loc["Children the model does not place", "2027/28"] == pytest.approx(104.0)  # 59 + 3 x 15
    assert s.loc["Spending", "2026/27"] == pytest.approx(220.0)
    assert s.loc["In-year balance (income less spending)", "2026/27"] == pytest.approx(-52.0)
    assert s.loc["DfE contributions to the cumulative deficit", "2026/27"] == pytest.approx(20.0)
    # 100 opening + 30 + 41 + 52 - 20: the contribution lowers the deficit, not the in-year balance
    assert s.loc["Cumulative deficit at the year end", "2026/27"] == pytest.approx(203.0)
    lines = budget_statement(load_run(folders["new"]))["Line"]
    assert "<b>Spending</b>" in set(lines) and "&ensp;&ensp;SEN support services" in set(lines)


def test_budget_section_has_the_lines_and_the_contributions_note(folders: dict[str, Path]) -> None:
    text = page_text(folders["new"])
    for words in (
        "Every income and spending line, £ million",
        "DfE contributions to the deficit lower the cumulative deficit but not the in-year balance",
        "Element 3 top-ups in mainstream schools 30.0 40.0 50.0 60.0",
        "DfE contributions to the cumulative deficit 0.0 0.0 20.0 0.0",
        "Cumulative deficit at the year end 130.0 171.0 203.0 266.0",
        "In-year balance (income less spending) -30.0 -41.0 -52.0 -63.0",
    ):
        assert words in text, words
    assert "Sufficiency only" not in text


def test_council_figures_in_words(folders: dict[str, Path]) -> None:
    text = page_text(folders["new"])
    for sentence in (
        "The council's February 2024 reforecast was an in-year deficit of £11.8m in 2027/28; the model's is £63.0m "
        "(£51.2m higher). Of the difference, the base-year difference adds £2.0m, growth in demand since 2024/25 "
        "adds £40.0m, unit costs add £12.0m, income growth takes off £12.0m; the council's figure implies £9.2m of "
        "change it does not itemise that lowers its deficit (its programme's savings and other assumptions).",
        "The council's August 2025 forecast was a cumulative deficit of £150.0m at the end of 2026/27; the model's "
        "is £203.0m (£53.0m higher). Of the difference, the base-year difference adds £6.0m, growth in demand since "
        "2024/25 adds £30.0m, unit costs add £10.0m, income growth takes off £8.0m, DfE contributions take off "
        "£20.0m; the council's figure implies £35.0m of change it does not itemise",
        "The council's August 2025 figures imply high-needs spending of £210.0m in 2025/26; the model's is £205.0m "
        "(£5.0m lower).",
        "The council's August 2024 outturn was a cumulative deficit of £100.0m at the end of 2023/24; the model's is "
        "£100.0m (the same).",
    ):
        assert sentence in text, sentence
    assert "The council's July 2023 outturn" not in text  # before the base year: in the table only


def test_council_table_has_every_published_row(folders: dict[str, Path]) -> None:
    raw = (folders["new"] / "report.html").read_text(encoding="utf-8")
    table = raw[raw.index('id="reconciliation-table"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == len(RECONCILIATION) + 1  # the header and one row per published figure
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", table)))
    for cells in (
        "2027/28 In-year deficit forecast February 2024 £11.8m £63.0m £51.2m £2.0m £40.0m £12.0m -£12.0m £0.0m £9.2m",
        "2026/27 Cumulative deficit forecast August 2025 £150.0m £203.0m £53.0m £6.0m £30.0m £10.0m -£8.0m -£20.0m "
        "£35.0m",
        "2022/23 In-year deficit outturn July 2023 £25.0m – –",
    ):
        assert cells in text, cells


def test_council_chart_is_drawn(folders: dict[str, Path]) -> None:
    img = mpimg.imread(folders["new"] / "budget-council.png")
    assert img.shape[:2] == BUDGET_PX
    assert img[..., :3].var() > 0.003
    assert not (folders["old"] / "budget-council.png").exists()


def test_needs_no_setting_serves_named_with_demand(folders: dict[str, Path]) -> None:
    text = page_text(folders["new"])
    assert "Needs no state setting serves in 2026/27." in text
    assert "Social, emotional and mental health (SEMH), post-16: 82 pupils" in text
    assert "Autistic spectrum disorder (ASD), post-16: 3 pupils" in text
    assert text.index("(SEMH), post-16") < text.index("(ASD), post-16")  # largest first
    assert text.index("Needs no state setting serves") < text.index("Budget path")  # seen at once
    assert "Needs no state setting serves" not in page_text(folders["old"])


def test_occupancy_margin_and_places_held_free(folders: dict[str, Path]) -> None:
    run = load_run(folders["new"])
    sby = run.settings_by_year
    places = sby[sby["places"].notna()].groupby("year")["places"].sum()
    free = places_held_free(run, 0.9).set_index("")
    for y, label in ((2025, "2024/25"), (2028, "2027/28")):
        assert free.loc["Places in settings with a place limit", label] == pytest.approx(places[y])
        assert free.loc["Held free: all", label] == pytest.approx(0.1 * places[y])
    text = page_text(folders["new"])
    assert "Places are filled to at most 90% (set by the scenario), leaving 10% of every setting's places" in text
    held = " ".join(f"{0.1 * places[y]:,.0f}" for y in sorted(places.index))
    assert f"Held free: all {held}" in text
    # an older folder that neither records it nor has a scenario that sets it: said so, no margin guessed
    assert "This run folder does not record the occupancy margin." in page_text(folders["old"])


def test_sufficiency_only_is_stated(folders: dict[str, Path]) -> None:
    text = page_text(folders["sufficiency"])
    assert "Sufficiency only. This scenario plans for sufficiency only" in text
    assert "Sufficiency only: the high-needs budget path is reported, not held to balance" in text
    assert "sufficiency only: not required" in text  # the headline card
    assert "Target: the high-needs budget balances" not in text


def test_workbook_has_the_reconciliation_sheet(folders: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(folders["new"] / "plan.xlsx")
    assert wb.sheetnames[:4] == ["About", "KPIs", "Budget", "Budget reconciliation"]
    ws = wb["Budget reconciliation"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["year", "measure", "kind", "published", "published_value", "model_value", "difference"]
    assert ws.max_row == len(RECONCILIATION) + 1
    row = [c for c in ws[ws.max_row]]
    cell = {h: c for h, c in zip(header, row, strict=True)}
    assert cell["council_implied_change"].value == pytest.approx(9.2e6)
    assert cell["demand"].number_format == '"£"#,##0'  # money here, pupils on the Sufficiency sheet
    about = {r[0]: r for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert "base-year difference" in about["How the difference is attributed"][1]
    assert about["demand (Budget reconciliation)"][2] == "GBP" and about["demand"][2] == "pupils"
    assert about["dfe_deficit_contributions"][2] == "GBP"
    assert about["line_send_support_services"][2] == "GBP"
    assert "90%" in about["Occupancy margin"][1]
    assert "SEMH post-16: 82 pupils" in about["Needs no state setting serves"][1]
    budget = wb["Budget"]
    cols = [c.value for c in budget[1]]
    assert budget.cell(row=2, column=cols.index("line_element3_mainstream_top_ups") + 1).number_format == '"£"#,##0'


def test_old_folder_opens_without_the_new_tables(folders: dict[str, Path]) -> None:
    run = load_run(folders["old"])
    assert "budget_reconciliation" not in run.tables
    text = page_text(folders["old"])
    assert "This run folder has no budget_reconciliation.csv" in text
    assert "This run folder records no DfE contributions" in text
    assert "Other high-needs spending (children the model does not place)" not in text
    assert "Children the model does not place 59.0 74.0 89.0 104.0" in text
    assert "Budget reconciliation" not in openpyxl.load_workbook(folders["old"] / "plan.xlsx").sheetnames


def test_old_and_new_folders_compare(folders: dict[str, Path], geography, tmp_path: Path) -> None:
    from planner.report.compare_report import write_comparison

    a, b = load_run(folders["old"]), load_run(folders["new"])
    (tmp_path / "cmp").mkdir()
    written = write_comparison(geography("district").geography, a, b, tmp_path / "cmp")
    assert (tmp_path / "cmp" / "compare.html").exists() and written
    bud = pd.read_csv(tmp_path / "cmp" / "budget.csv").set_index("year")
    assert bud.loc[2027, "cumulative_deficit_delta"] == pytest.approx(-20e6)


def test_report_opens_offline_with_the_new_sections(
    folders: dict[str, Path], chromium: Chromium, tmp_path: Path
) -> None:
    r = chromium.render(folders["new"] / "report.html", tmp_path, size=(1400, 5200))
    assert r.errors == [], r.errors
    assert r.probe.get("network") == [], r.probe
    shot = mpimg.imread(r.screenshot)[..., :3]
    assert shot.std() > 0.05
