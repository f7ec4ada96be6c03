"""A sweep of scenarios on one data folder: run folders, the summary table, and re-use of the previous plan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.check import check_run
from planner.cli.sweep import main as sweep_main
from planner.data import load_data
from tests.instances import Instance, write_instance
from tests.test_model_instances import deficit_instance, lead_time_instance


def test_sweep_of_hand_instances(tmp_path: Path) -> None:
    """The deficit instance (test_deficit_shortfall) at income 50,000 and then 200,000, as two scenarios that
    change only the money. Expected as derived there: at 50,000 the smallest shortfall is 60,000 (all in S2, cost
    260,000); at 200,000 no shortfall and S1 (cost 250,000). With --start-from-previous the second starts from the
    first's plan; by default both are solved from scratch, to the same answers."""
    folder = write_instance(tmp_path / "data", deficit_instance(50_000))
    rich = tmp_path / "rich.toml"
    rich.write_text('name = "rich"\n[income.grant]\n2026 = 200000\n2027 = 200000\n')
    poor = tmp_path / "poor.toml"
    poor.write_text('name = "poor"\n')
    out = tmp_path / "sweep"
    args = [str(poor), str(rich), "--year", "2026", "--data", str(folder), "--out", str(out), "--quiet"]
    assert sweep_main([*args, "--start-from-previous"]) == 0
    table = pd.read_csv(out / "sweep.csv").set_index("scenario")
    assert table.loc["poor", "shortfall_gbp"] == pytest.approx(60_000, abs=1)
    assert table.loc["poor", "discounted_cost_gbp"] == pytest.approx(260_000, abs=1)
    assert table.loc["rich", "shortfall_gbp"] == pytest.approx(0, abs=1e-6)
    assert table.loc["rich", "discounted_cost_gbp"] == pytest.approx(250_000, abs=1)
    assert list(table["started_from_previous"]) == [False, True]
    assert (table["total_seconds"] > 0).all()
    data = load_data(folder)
    for name in ("poor", "rich"):
        report = check_run(out / name, data)
        assert report.ok, str(report)
    # By default each scenario is solved from scratch, to the same answers.
    assert sweep_main([*args, "--force"]) == 0
    again = pd.read_csv(out / "sweep.csv").set_index("scenario")
    assert list(again["started_from_previous"]) == [False, False]
    assert again["shortfall_gbp"].to_numpy() == pytest.approx(table["shortfall_gbp"].to_numpy(), abs=1e-6)
    assert again["discounted_cost_gbp"].to_numpy() == pytest.approx(table["discounted_cost_gbp"].to_numpy(), abs=1)


def test_sweep_starts_only_from_a_plan_with_the_same_projects(tmp_path: Path) -> None:
    """The lead-time instance (test_lead_time: X opens in 2028, total 456,000), then the same with X forbidden:
    the second model has no project X, so it cannot start from the first plan and says so; its cost is every child
    in the fallback, 3 years x 4 x 52,000 = 624,000."""
    folder = write_instance(tmp_path / "data", lead_time_instance(2))
    with_x, without_x = tmp_path / "with-x.toml", tmp_path / "without-x.toml"
    with_x.write_text('name = "with-x"\n')
    without_x.write_text('name = "without-x"\nforbid_options = ["X"]\n')
    out = tmp_path / "sweep"
    args = [str(with_x), str(without_x), "--year", "2026", "--data", str(folder), "--out", str(out)]
    assert sweep_main([*args, "--quiet", "--start-from-previous"]) == 0
    table = pd.read_csv(out / "sweep.csv").set_index("scenario")
    assert list(table["started_from_previous"]) == [False, False]
    assert table.loc["with-x", "discounted_cost_gbp"] == pytest.approx(456_000, abs=1)
    assert table.loc["without-x", "discounted_cost_gbp"] == pytest.approx(624_000, abs=1)


def test_sweep_refuses_an_existing_folder_and_repeated_names(tmp_path: Path) -> None:
    folder = write_instance(tmp_path / "data", Instance())
    out = tmp_path / "sweep"
    out.mkdir()
    assert sweep_main(["baseline", "--year", "2026", "--data", str(folder), "--out", str(out), "--quiet"]) == 2
    assert sweep_main(["baseline", "baseline", "--year", "2026", "--data", str(folder), "--quiet"]) == 2
