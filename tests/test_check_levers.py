"""planner.check on the levers: a solved lever instance (tests/test_levers.py) passes every check, and a run folder
corrupted as a faulty model would write it fails the check that owns the rule, saying where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_check_budget import Run
from tests.test_levers import borrowing_instance, lever_instance, transfer_instance


@pytest.fixture(scope="module")
def teams_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A team that prevents half the specialist entrants and supports 2 children in mainstream (test_levers)."""
    inst = lever_instance(team_cost=100_000, prevention_specialist=0.5, mainstream_per_team=2.0, shares=0.5)
    return Run(tmp_path_factory.mktemp("teams"), inst)


@pytest.fixture(scope="module")
def borrowing_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return Run(tmp_path_factory.mktemp("borrow"), borrowing_instance(0.1))


def failing(run: Run) -> list[str]:
    return [r.name for r in run.check().results if not r.passed]


def test_the_lever_runs_use_their_levers(teams_run: Run, borrowing_run: Run) -> None:
    area = teams_run.read("levers_by_area")
    assert area["teams"].max() == 1 and area["prevented_specialist_entrants"].sum() > 0
    assert area["supported_pupils"].sum() > 0
    assert borrowing_run.read("lever_money")["borrowed"].sum() == pytest.approx(1_000_000)


def test_a_transfer_run_passes(tmp_path: Path) -> None:
    run = Run(tmp_path, transfer_instance(), scenario="outside_money_weight = 0.5\n")
    assert run.read("lever_money")["transfer_needs_approval"].any()


def copy_of(run: Run, tmp_path: Path) -> Run:
    shutil.copytree(run.dir, tmp_path / "run")
    c = Run.__new__(Run)
    c.dir, c.data = tmp_path / "run", run.data
    return c


def test_teams_above_the_limit(teams_run: Run, tmp_path: Path) -> None:
    c = copy_of(teams_run, tmp_path)
    area = c.read("levers_by_area")
    area["teams"] = area["teams"] + 1
    c.write("levers_by_area", area)
    assert "levers" in failing(c)
    assert "levers_by_area.csv, year 2026, " in str(c.check())


def test_more_prevented_than_recorded_fails_demand_and_levers(teams_run: Run, tmp_path: Path) -> None:
    """Entrants said to be prevented that the area's table does not hold: the children they leave unplaced are
    unmet demand no longer, so the pupils placed exceed what is left (demand), and the areas disagree (levers)."""
    c = copy_of(teams_run, tmp_path)
    rel = c.read("lever_relief")
    rel["prevented_entrants"] = rel["prevented_entrants"] + 1.0
    c.write("lever_relief", rel)
    assert {"demand", "levers"} <= set(failing(c))


def test_supported_pupils_beyond_the_teams(teams_run: Run, tmp_path: Path) -> None:
    c = copy_of(teams_run, tmp_path)
    area = c.read("levers_by_area")
    area["supported_pupils"] = area["supported_pupils"] * 3
    c.write("levers_by_area", area)
    rep = c.check()
    assert [r.name for r in rep.results if not r.passed] == ["levers"]
    text = str(rep)  # three times the pupils: not the entrants carried on, and more than 10 a team holds
    assert "supported_pupils" in text and "more than the teams support" in text


def test_borrowing_charge_wrong(borrowing_run: Run, tmp_path: Path) -> None:
    """A charge a year early: the levers check and the budget's charge line both fail."""
    c = copy_of(borrowing_run, tmp_path)
    mo = c.read("lever_money")
    mo.loc[mo["year"] == 2026, "borrowing_charge"] = 100_000.0
    c.write("lever_money", mo)
    assert "levers" in failing(c) and "budget" in failing(c)
    assert "lever_money.csv, year 2026: borrowing_charge 100,000" in str(c.check())


def test_team_costs_left_out_of_the_budget(teams_run: Run, tmp_path: Path) -> None:
    """The budget's general-fund line without the teams' cost: the budget check fails on that line."""
    c = copy_of(teams_run, tmp_path)
    b = c.read("budget")
    assert b["support_teams_general_fund"].sum() > 0
    b["support_teams_general_fund"] = 0.0
    c.write("budget", b)
    assert failing(c) == ["budget"]
    assert "support_teams_general_fund" in str(c.check())


def test_the_report_shows_the_levers_and_why(teams_run: Run, tmp_path: Path) -> None:
    """The run's report has the Levers section (teams map and tables) and the Why section, and its workbook a
    sheet for each new table."""
    import openpyxl

    from planner.report.run_report import write_run_report

    c = copy_of(teams_run, tmp_path)
    written = write_run_report(c.data.geography, c.dir)
    page = (c.dir / "report.html").read_text(encoding="utf-8")
    assert "Levers: support teams, mainstream support, borrowing and the transfer" in page
    assert "Why: what binds and what one more place is worth" in page
    assert "teams" in written and written["teams"].stat().st_size > 10_000
    sheets = openpyxl.load_workbook(c.dir / "plan.xlsx", read_only=True).sheetnames
    assert {"Levers by area", "Lever money", "Lever relief", "What binds"} <= set(sheets)  # no setting has a limit
