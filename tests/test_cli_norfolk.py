"""End to end on the shipped Norfolk data: the README's command, its run folder, and the independent re-check.

The default run (110 MSOA zones, baseline scenario, target 2029) is solved once through the command line with a
time limit per solve and --accept-gap, so the test fits CI on two cores whatever the machine; the gap reached is
in the manifest and is checked against what the command reports.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from planner.check import check_run
from planner.data import DataWarning, load_data

REPO = Path(__file__).resolve().parents[1]
TIME_LIMIT = "150"  # seconds per solve


@pytest.fixture(scope="module")
def norfolk_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("cli") / "norfolk"
    cmd = [sys.executable, "-m", "planner.solve", "--year", "2029", "--out", str(out)]
    cmd += ["--time-limit", TIME_LIMIT, "--accept-gap", "--threads", "2"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


def test_run_folder_is_complete(norfolk_run: tuple[Path, subprocess.CompletedProcess]) -> None:
    out, done = norfolk_run
    for name in ("projects", "placements", "sufficiency", "budget", "kpis", "settings_by_year", "project_years"):
        assert (out / f"{name}.csv").stat().st_size > 0, name
    for name in ("manifest.json", "plan.png", "report.html", "map.html", "plan.xlsx", "budget.png"):
        assert (out / name).stat().st_size > 0, name
    man = json.loads((out / "manifest.json").read_text())
    assert man["data"]["zones"] == "msoa" and man["target_year"] == 2029
    assert man["status"] in ("optimal", "time_limit")
    assert f"gap {man['gap']:.2e}" in done.stdout  # the summary states the gap the manifest records
    assert "Projects chosen:" in done.stdout and "Run folder:" in done.stdout
    assert [s["solve"] for s in man["solves"]][0] == "least shortfall (relaxation)"
    # the report names the run by its folder, not by the temporary name it was written under
    assert f"Run folder <b>{out.name}</b>" in (out / "report.html").read_text(encoding="utf-8")


def test_norfolk_plan_passes_the_independent_check(norfolk_run: tuple[Path, subprocess.CompletedProcess]) -> None:
    out, _ = norfolk_run
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        data = load_data(REPO / "data" / "norfolk", zones="msoa")
    report = check_run(out, data)
    assert report.ok, str(report)


def test_norfolk_plan_reads_right(norfolk_run: tuple[Path, subprocess.CompletedProcess]) -> None:
    """Figures a planner would look at first: every zone placed, both LFI schools open in 2029, a budget path."""
    out, _ = norfolk_run
    pl = pd.read_parquet(out / "placements.parquet")
    assert pl["zone_id"].nunique() == 110
    pr = pd.read_csv(out / "projects.csv")
    lfi = pr[pr["project_id"].str.startswith("lfi-") & (pr["project_type"] == "new_school")]  # not the LFI SRBs
    assert set(lfi["opening_year"]) == {2029} and len(lfi) == 2
    budget = pd.read_csv(out / "budget.csv")
    assert list(budget["year"]) == list(range(2025, 2032))
    kpis = pd.read_csv(out / "kpis.csv")
    assert kpis["share_state_specialist_in_county"].between(0, 1).all()


def test_an_existing_run_folder_is_refused(norfolk_run: tuple[Path, subprocess.CompletedProcess]) -> None:
    out, _ = norfolk_run
    before = (out / "manifest.json").read_text()
    cmd = [sys.executable, "-m", "planner.solve", "--year", "2029", "--zones", "district", "--out", str(out)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert (out / "manifest.json").read_text() == before
