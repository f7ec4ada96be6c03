"""Comparing two runs: the difference table, KPI and budget deltas on two small hand-made runs, and the
python -m planner.compare command (files, overwrite protection, the page in headless Chromium)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd
import pytest

from planner.report.compare_tables import budget_comparison, kpi_comparison, project_differences
from planner.runfolder import load_run
from tests.conftest import PROJECTS_A, ROOT, Chromium, write_run

# B against A (tests/conftest.py PROJECTS_A): the committed school cancelled; opt-srb-1 built bigger (20 -> 25
# places); opt-srb-2 a year later; opt-ap-1 the same; opt-exp-1 (an expansion) only in B.
PROJECTS_B = [
    ("opt-srb-1", "option", "srb", "srb", 25, 8, 2026, 1_250_000, 1.316854, 52.656226),
    ("opt-srb-2", "option", "srb", "srb", 16, 16, 2028, 800_000, 0.432649, 52.760961),
    ("opt-ap-1", "option", "ap", "ap", 24, 24, 2028, 960_000, 1.117757, 52.575355),
    ("opt-exp-1", "option", "expansion", "special", 32, 32, 2028, 2_240_000, 1.357855, 52.908448),
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, geography) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("runs")
    data = geography("district")
    a = write_run(base / "run-a", data, PROJECTS_A, name="option-a")
    b = write_run(base / "run-b", data, PROJECTS_B, name="option-b", deficit_shift=-5e6)
    return a, b


def test_difference_table_by_hand(runs: tuple[Path, Path]) -> None:
    a, b = (load_run(p) for p in runs)
    d = project_differences(a.projects, b.projects).set_index("project_id")
    assert list(d.index) == ["com-school", "opt-exp-1", "opt-srb-2", "opt-srb-1"]  # ordered by status; opt-ap-1 same
    assert d.loc["com-school", "status"] == "only in A"
    assert d.loc["com-school", "places_a"] == 100 and pd.isna(d.loc["com-school", "places_b"])
    assert d.loc["opt-exp-1", "status"] == "only in B"
    assert d.loc["opt-exp-1", "opening_year_b"] == 2028 and pd.isna(d.loc["opt-exp-1", "opening_year_a"])
    assert d.loc["opt-srb-1", "status"] == "different size"
    assert (d.loc["opt-srb-1", "places_a"], d.loc["opt-srb-1", "places_b"]) == (20, 25)
    assert d.loc["opt-srb-2", "status"] == "different year"
    assert (d.loc["opt-srb-2", "opening_year_a"], d.loc["opt-srb-2", "opening_year_b"]) == (2027, 2028)


def test_difference_statuses_size_and_year_and_opening_size() -> None:
    cols = [
        "project_id",
        "name",
        "kind",
        "project_type",
        "setting_type",
        "district_id",
        "places",
        "places_at_opening",
        "opening_year",
        "capital_cost",
    ]
    a = pd.DataFrame(
        [
            ("p1", "P1", "option", "srb", "srb", "D", 20, 8, 2027, 1.0),
            ("p2", "P2", "option", "srb", "srb", "D", 25, 8, 2027, 1.0),
            ("p3", "P3", "option", "srb", "srb", "D", 25.2, 8, 2027, 1.0),
        ],
        columns=cols,
    )
    b = pd.DataFrame(
        [
            ("p1", "P1", "option", "srb", "srb", "D", 25, 8, 2028, 1.0),
            ("p2", "P2", "option", "srb", "srb", "D", 25, 16, 2027, 1.0),
            ("p3", "P3", "option", "srb", "srb", "D", 25.0, 8, 2027, 1.0),
        ],
        columns=cols,
    )
    d = project_differences(a, b).set_index("project_id")["status"].to_dict()
    assert d == {"p1": "different size and year", "p2": "different opening size"}  # p3: rounding only


def test_kpi_and_budget_deltas(runs: tuple[Path, Path]) -> None:
    a, b = (load_run(p) for p in runs)
    k = kpi_comparison(a, b)
    row = k[(k["key"] == "cumulative_deficit") & (k["year"] == 2028)].iloc[0]
    assert row["delta"] == pytest.approx(-5e6) and row["b"] - row["a"] == pytest.approx(row["delta"])
    new = k[k["key"] == "new_places"].iloc[0]
    assert (new["a"], new["b"], new["delta"]) == (60, 97, 37)  # 20 + 16 + 24 and 25 + 16 + 24 + 32
    committed = k[k["key"] == "committed_places"].iloc[0]
    assert (committed["a"], committed["b"]) == (100, 0)
    assert set(k.loc[k["year"].notna(), "year"]) == {2027, 2028}  # the target year and the last year
    bud = budget_comparison(a, b).set_index("year")
    assert bud.loc[2025, "cumulative_deficit_delta"] == pytest.approx(-5e6)
    assert bud.loc[2028, "spending_total_delta"] == pytest.approx(0.0)


def run_compare(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner.compare", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_compare_cli_writes_everything_and_protects_its_output(
    runs: tuple[Path, Path], tmp_path: Path, chromium: Chromium
) -> None:
    a, b = runs
    out = tmp_path / "cmp"
    result = run_compare(str(a), str(b), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 only in A" in result.stdout and "1 only in B" in result.stdout
    for name in (
        "plans.png",
        "budget.png",
        "differences.csv",
        "kpis.csv",
        "budget.csv",
        "compare.html",
        "compare.xlsx",
        "manifest.json",
    ):
        assert (out / name).exists(), name
    diff = pd.read_csv(out / "differences.csv")
    assert sorted(diff["status"]) == ["different size", "different year", "only in A", "only in B"]
    img = mpimg.imread(out / "plans.png")
    assert img.shape[:2] == (1654, 2338)
    for half in (img[250:1000, 30:1150, :3], img[250:1000, 1190:2310, :3]):  # both maps drawn
        assert half.var() > 0.003
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cmp")]  # no temporary folder left

    again = run_compare(str(a), str(b), "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    forced = run_compare(str(a), str(b), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr

    r = chromium.render(out / "compare.html", tmp_path, size=(1400, 2000))
    assert r.errors == [], r.errors
    assert r.probe.get("network") == []
    html = (out / "compare.html").read_text(encoding="utf-8")
    for text in ("option-a", "option-b", "only in A", "only in B", "different size", "B − A"):
        assert text in html, text


def test_compare_default_folder_and_bad_input(runs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = runs
    from planner.cli.compare import default_out

    assert default_out(a, b) == a.parent / "compare-run-a-vs-run-b"
    missing = run_compare(str(a), str(tmp_path / "nowhere"), "--out", str(tmp_path / "x"))
    assert missing.returncode == 2 and "no such run folder" in missing.stderr
    assert "Traceback" not in missing.stderr
