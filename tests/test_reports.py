"""Run reports: the static maps, the interactive map, the HTML report and the workbook, from a hand-made run
folder (no solve). The HTML pages are opened in headless Chromium with no network."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import openpyxl
import pytest

from planner.report.run_report import write_run_report
from planner.runfolder import load_run
from tests.conftest import ROOT, Chromium, write_run

A4_LANDSCAPE_PX = (1654, 2338)  # rows, columns: 11.69 x 8.27 inches at 200 dpi
BUDGET_PX = (1080, 2338)  # 11.69 x 5.4 inches
MAPS = ("plan.png", "map-independent.png", "map-journeys.png", "flows-CI.png")


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory, geography) -> Path:
    """A hand-made MSOA run with its full report written (once for the module)."""
    folder = write_run(tmp_path_factory.mktemp("runs") / "run-a", geography("msoa"))
    write_run_report(geography("msoa").geography, folder)
    return folder


def map_region(path: Path) -> np.ndarray:
    """The grey levels of the map area of an A4 map (left of the key, above the footer)."""
    img = mpimg.imread(path)[..., :3].mean(axis=2)
    rows, cols = img.shape
    return img[int(rows * 0.12) : int(rows * 0.7), int(cols * 0.03) : int(cols * 0.7)]


def test_every_output_is_written(run_folder: Path) -> None:
    names = {p.name for p in run_folder.iterdir()}
    for name in (*MAPS, "budget.png", "map.html", "report.html", "plan.xlsx"):
        assert name in names, name


@pytest.mark.parametrize("name", MAPS)
def test_maps_are_a4_at_200_dpi_and_not_blank(run_folder: Path, name: str) -> None:
    img = mpimg.imread(run_folder / name)
    assert img.shape[:2] == A4_LANDSCAPE_PX
    region = map_region(run_folder / name)
    assert region.var() > 0.003  # zones, boundaries, markers: not an empty canvas
    assert (region < 0.97).mean() > 0.2  # the county is drawn, not white


def test_budget_chart_size_and_content(run_folder: Path) -> None:
    img = mpimg.imread(run_folder / "budget.png")
    assert img.shape[:2] == BUDGET_PX
    assert img[..., :3].var() > 0.003


class _Links(HTMLParser):
    """Collects src and href attributes of the page's tags (not text inside scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("src", "href") and v]


@pytest.mark.parametrize("page", ["report.html", "map.html"])
def test_pages_load_nothing_from_a_network(run_folder: Path, page: str) -> None:
    parser = _Links()
    parser.feed((run_folder / page).read_text(encoding="utf-8"))
    remote = [u for u in parser.links if u.startswith(("http:", "https:", "//"))]
    assert remote == []
    if page == "report.html":
        assert sum(u.startswith("data:image/png;base64,") for u in parser.links) >= 5  # the pictures, embedded


def test_map_html_draws_every_zone_offline(run_folder: Path, chromium: Chromium, tmp_path: Path) -> None:
    r = chromium.render(run_folder / "map.html", tmp_path)
    assert r.errors == [], r.errors
    assert r.probe.get("network") == [], r.probe
    assert r.probe.get("hooked"), r.probe
    assert r.probe["painted"].get("zones") == 110  # every MSOA drawn, not just the page
    shot = mpimg.imread(r.screenshot)[..., :3]
    area = shot[260:760, 60:1300]  # the map, under the title and controls
    assert area.std() > 0.05
    assert len(np.unique((area * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 50  # zone shades, markers


def test_report_html_opens_offline(run_folder: Path, chromium: Chromium, tmp_path: Path) -> None:
    r = chromium.render(run_folder / "report.html", tmp_path, size=(1400, 2400))
    assert r.errors == [], r.errors
    assert r.probe.get("network") == [], r.probe
    shot = mpimg.imread(r.screenshot)[..., :3]
    assert shot.std() > 0.05  # headline cards and the budget chart, not a blank page


def test_report_has_headline_projects_and_budget(run_folder: Path) -> None:
    html = (run_folder / "report.html").read_text(encoding="utf-8")
    for text in (
        "Headline",
        "Budget balances in-year",
        "not by 2027/28",
        "Projects",
        "Project com-school",
        "the target year 2026/27 marked",
        "Interactive map",
        "Contains OS data",
    ):
        assert text in html, text
    assert html.count('id="projects-table"') == 1


def test_workbook_has_a_sheet_per_table_and_units(run_folder: Path) -> None:
    wb = openpyxl.load_workbook(run_folder / "plan.xlsx")
    assert wb.sheetnames == [
        "About",
        "KPIs",
        "Budget",
        "Projects",
        "Project years",
        "Settings by year",
        "Sufficiency",
        "Placements",
    ]
    about = [r for r in wb["About"].iter_rows(values_only=True)]
    assert any(r[0] == "Units" and "GBP" in r[1] for r in about)
    assert any(r[0] == "capital_cost" and r[2] == "GBP" for r in about)
    ws = wb["Projects"]
    header = [c.value for c in ws[1]]
    assert header[0] == "ref" and "capital_cost" in header
    cap = ws.cell(row=2, column=header.index("capital_cost") + 1)
    assert cap.number_format == '"£"#,##0'
    run = load_run(run_folder)
    assert ws.max_row == len(run.projects) + 1


@pytest.mark.parametrize("level, zones", [("district", 7), ("lsoa", 538)])
def test_maps_handle_other_zone_levels(tmp_path: Path, geography, chromium: Chromium, level: str, zones: int) -> None:
    from planner.report.interactive import write_map_html
    from planner.report.run_maps import zone_map

    data = geography(level)
    folder = write_run(tmp_path / f"run-{level}", data)
    run = load_run(folder)
    path = zone_map(data.geography, run, folder / "map-journeys.png", "journey")
    assert mpimg.imread(path).shape[:2] == A4_LANDSCAPE_PX
    assert map_region(path).var() > 0.003
    page = write_map_html(data.geography, run, folder / "map.html")
    r = chromium.render(page, tmp_path)
    assert r.errors == [], r.errors
    assert r.probe["painted"].get("zones") == zones


def test_report_links_the_interactive_map_and_does_not_embed_it(tmp_path: Path, geography) -> None:
    """map.html holds the interactive map; report.html links to it and carries no copy (2 MB of map and its
    JavaScript, kept out of the report so that the run folder stays small enough to share)."""
    data = geography("district")
    folder = write_run(tmp_path / "run-once", data)
    write_run_report(data.geography, folder, workbook=False)
    map_html, report = ((folder / name).read_text(encoding="utf-8") for name in ("map.html", "report.html"))
    assert '"name":"zones"' in map_html and '"height":760' in map_html
    parser = _Links()
    parser.feed(report)
    assert "map.html" in parser.links
    assert '"name":"zones"' not in report and "Bokeh" not in report


def test_report_cli_rewrites_a_folder_and_rejects_bad_input(tmp_path: Path, geography) -> None:
    folder = write_run(tmp_path / "run-d", geography("district"))
    cmd = [sys.executable, "-m", "planner.report", str(folder), "--flows", "SEMH", "--no-workbook"]
    ok = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert (folder / "flows-SEMH.png").exists() and (folder / "report.html").exists()
    assert not (folder / "plan.xlsx").exists()
    bad = subprocess.run([*cmd[:4], "--flows", "XYZ"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown need group XYZ" in bad.stderr
    (folder / "budget.csv").unlink()
    missing = subprocess.run(cmd[:4], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "budget.csv is missing" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_reports_never_import_the_model() -> None:
    code = (
        "import sys, planner.report.run_report, planner.report.compare_report, planner.compare;"
        "import planner.report.__main__;"
        "bad = [m for m in sys.modules if m == 'pyomo' or m.startswith(('pyomo.', 'planner.model', 'planner.plan',"
        " 'planner.inputs'))]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_workbook_needs_no_plotting_library() -> None:
    code = "import sys, planner.report.excel; print([m for m in ('matplotlib', 'bokeh') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
