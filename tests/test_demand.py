"""The demand model (planner.demand): a tiny transition model derived by hand, the rate model, seeded futures, the
quantiles, the back-test, the specialist share and the files it writes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.data import DataError, load_data
from planner.data.demand import county_demand, projection_plans, read_futures, specialist_shares
from planner.demand.backtest import backtest
from planner.demand.fit import fit, local_level
from planner.demand.futures import simulate
from planner.demand.run import project_demand
from planner.demand.shares import share_trend
from planner.demand.sources import Sources, read_sources
from planner.demand.transition import Structure, project, step, to_phases

ROOT = Path(__file__).resolve().parents[1]
NORFOLK = ROOT / "data" / "norfolk"
SOURCES = ROOT / "data" / "sources" / "norfolk"


def tiny(held: bool = False) -> Structure:
    """Two age bands (young, old) and two need groups (A, B)."""
    return Structure(
        ageing=np.array([0.25, 0.0]),
        leave_shape=np.array([0.5, 1.5]),
        new_age=np.array([0.6, 0.4]),
        new_need=np.array([[0.5, 0.5], [0.75, 0.25]]),
        need_shares=np.array([[0.5, 0.5], [0.25, 0.75]]) if held else None,
    )


START = np.array([[60.0, 40.0], [30.0, 70.0]])  # rows: young, old; columns: need A, need B (200 plans)


def test_tiny_model_by_hand() -> None:
    """New-plan rate 0.2, county leaving rate 0.1: the young leave at 0.5 x 0.1 = 0.05, the old at 0.15.

    Year 1. Survivors: young [57, 38], old [25.5, 59.5]. A quarter of the young survivors age: [14.25, 9.5]; the
    young keep [42.75, 28.5] and the old become [25.5 + 14.25, 59.5 + 9.5] = [39.75, 69]. New plans 0.2 x 200 = 40:
    young 0.6 x 40 = 24 -> [12, 12], old 16 -> [12, 4]. Stock: young [54.75, 40.5], old [51.75, 73]: 220 plans
    (200 - 10 leaving + 40 new; leavers 0.05 x 100 + 0.15 x 100).

    Year 2 (220 plans). Survivors: young x 0.95 = [52.0125, 38.475], of which [13.003125, 9.61875] age; old x 0.85
    = [43.9875, 62.05]. New plans 44: young 26.4 -> [13.2, 13.2], old 17.6 -> [13.2, 4.4]. Stock: young
    [39.009375 + 13.2, 28.85625 + 13.2] = [52.209375, 42.05625]; old [43.9875 + 13.003125 + 13.2,
    62.05 + 9.61875 + 4.4] = [70.190625, 76.06875]: 240.525 plans (220 - 23.475 leaving + 44).

    With need shares held (young 50/50, old 25/75), year 1's bands (95.25 and 124.75 plans) are split by them:
    young [47.625, 47.625], old [31.1875, 93.5625].
    """
    one = step(tiny(), START, 0.2, 0.1)
    np.testing.assert_allclose(one, [[54.75, 40.5], [51.75, 73.0]], rtol=0, atol=1e-12)
    two = project(tiny(), START, np.array([0.2, 0.2]), np.array([0.1, 0.1]))
    np.testing.assert_allclose(two[1], [[52.209375, 42.05625], [70.190625, 76.06875]], rtol=0, atol=1e-12)
    assert two[1].sum() == pytest.approx(240.525, abs=1e-12)
    held = step(tiny(held=True), START, 0.2, 0.1)
    np.testing.assert_allclose(held, [[47.625, 47.625], [31.1875, 93.5625]], rtol=0, atol=1e-12)


def test_tiny_model_to_phases() -> None:
    """Phases P and Q: the young are all in P; the old of need A are 40% P and 60% Q, of need B all Q. Year 1 of the
    hand derivation gives P: A 54.75 + 0.4 x 51.75 = 75.45, B 40.5; Q: A 0.6 x 51.75 = 31.05, B 73."""
    split = np.zeros((2, 2, 2))
    split[0, :, 0] = 1.0
    split[1, 0] = [0.4, 0.6]
    split[1, 1] = [0.0, 1.0]
    got = to_phases(step(tiny(), START, 0.2, 0.1), split)  # (need, phase)
    np.testing.assert_allclose(got, [[75.45, 31.05], [40.5, 73.0]], rtol=0, atol=1e-12)


def test_local_level_by_hand() -> None:
    """x = 0, 1, 0, 1, 0: the changes +1, -1, +1, -1 have variance 4/3 and lag-one autocovariance -1, so the noise
    variance is min(1, 4/3 / 2) = 2/3 and the walk's 4/3 - 2 x 2/3 = 0: the filter is then the running mean, 0.4,
    with variance (2/3) / 5."""
    r = local_level(np.array([0.0, 1.0, 0.0, 1.0, 0.0]))
    assert r.sd_walk == pytest.approx(0.0, abs=1e-12)
    assert r.sd_noise == pytest.approx(np.sqrt(2 / 3))
    assert r.level == pytest.approx(0.4)
    assert r.level_sd == pytest.approx(np.sqrt(2 / 15))
    assert (r.low, r.high) == (pytest.approx(1.0), pytest.approx(np.e))


def test_share_trend_by_hand() -> None:
    """Log-odds 0, 0.1, 0.2 in three Januaries: a slope of 0.1 a year with no residual."""
    odds = np.array([0.0, 0.1, 0.2])
    series = pd.DataFrame({"january": [2019, 2020, 2021], "share": 1 / (1 + np.exp(-odds))})
    slope, se = share_trend(series)
    assert slope == pytest.approx(0.1)
    assert se == pytest.approx(0.0, abs=1e-9)


@pytest.fixture(scope="module")
def src() -> Sources:
    return read_sources(SOURCES)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(NORFOLK / f"{name}.csv") for name in ("need_groups", "phases")}


def test_seeded_futures_are_reproducible(src: Sources) -> None:
    f = fit(src, 2022)
    start = src.caseload.loc[2022].to_numpy()[:, None]
    a = simulate(f, start, [2023, 2024], 20, seed=7)
    b = simulate(f, start, [2023, 2024], 20, seed=7)
    c = simulate(f, start, [2023, 2024], 5, seed=7)
    d = simulate(f, start, [2023, 2024], 5, seed=8)
    np.testing.assert_array_equal(a.stocks, b.stocks)
    np.testing.assert_array_equal(a.stocks[:5], c.stocks)  # future i does not depend on how many are drawn
    assert not np.allclose(c.stocks, d.stocks)


def test_projection_quantiles_ordered_and_base_year_observed(tables: dict[str, pd.DataFrame]) -> None:
    p = project_demand(SOURCES, tables["need_groups"], tables["phases"], futures=10, draws=200)
    wide = p.plans.pivot_table(index=["year", "need_group", "phase"], columns="scenario", values="plans")
    assert (wide["low"] <= wide["central"] + 1e-9).all() and (wide["central"] <= wide["high"] + 1e-9).all()
    base = wide.xs(2025, level="year")
    assert (base["low"] == base["high"]).all() and base["central"].sum() == pytest.approx(12147)
    assert sorted(p.futures_table["scenario"].unique()) == [f"future-{i:03d}" for i in range(1, 11)]
    assert p.futures_table.groupby("year")["plans"].sum().loc[2025] == pytest.approx(10 * 12147)
    assert set(p.plans["year"]) == set(range(2025, 2033))


def test_backtest_runs_and_meets_the_total_targets(src: Sources) -> None:
    f, table = backtest(src, futures=300, seed=20250626)
    assert f.last_january == 2022
    assert set(table["year"]) == {2023, 2024, 2025}
    assert (table.loc[table["year"] == 2023, "band"] == "total").all()  # January 2023 has a total only
    total = table[table["band"] == "total"].set_index("year")
    assert abs(total.loc[2025, "error_pct"]) < 5
    assert total.loc[[2024, 2025], "inside"].all()
    assert ((table["low"] <= table["central"]) & (table["central"] <= table["high"])).all()


def test_command_writes_the_shipped_files(tmp_path: Path) -> None:
    """python -m planner.demand with its defaults writes the three files the data build ships."""
    subprocess.run([sys.executable, "-m", "planner.demand", "--out", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    for name in ("plans.csv", "futures.csv", "specialist_shares.csv"):
        assert (tmp_path / name).read_bytes() == (NORFOLK / name).read_bytes(), name


def test_specialist_shares_trend_from_the_observed_base() -> None:
    data = load_data(NORFOLK, "district")
    shares = specialist_shares(data)
    base = shares.xs(2025, level="year")
    spec = data.base_placements[data.base_placements["placement_type"].isin(data.specialist_types)]
    asd_sec = spec[(spec.need_group == "ASD") & (spec.phase == "secondary")]["pupils"].sum()
    total = data.base_placements[(data.base_placements.need_group == "ASD")
                                 & (data.base_placements.phase == "secondary")]["pupils"].sum()  # fmt: skip
    assert base[("ASD", "secondary")] == pytest.approx(asd_sec / total, abs=1e-6)
    later = shares.xs(("ASD", "secondary"), level=("need_group", "phase"))
    assert later.is_monotonic_decreasing and later.iloc[-1] < later.iloc[0]  # the observed trend is downward
    held = county_demand(data, "central")
    trend = county_demand(data, "central", shares=shares)
    assert held[held.year == 2025]["demand"].sum() == pytest.approx(trend[trend.year == 2025]["demand"].sum())


def test_futures_read_and_checked() -> None:
    data = load_data(NORFOLK, "district")
    fut = read_futures(data)
    assert fut["scenario"].nunique() == 100
    one = projection_plans(data, "future-042", fut)
    assert set(one["year"]) == set(range(2025, 2033)) and len(one) == 8 * 35


def test_specialist_shares_base_year_must_match(tmp_path: Path) -> None:
    folder = tmp_path / "norfolk"
    shutil.copytree(NORFOLK, folder, ignore=shutil.ignore_patterns("zones_lsoa.*", "futures.csv"))
    ss = pd.read_csv(folder / "specialist_shares.csv")
    ss.loc[(ss.year == 2025) & (ss.need_group == "SEMH") & (ss.phase == "primary"), "share"] = 0.9
    ss.to_csv(folder / "specialist_shares.csv", index=False)
    with pytest.raises(DataError) as err:
        load_data(folder)
    assert err.value.file == "specialist_shares.csv" and "base placements" in str(err.value)
