"""planner.check fails a run folder that breaks a budget or needs rule: spending lines and the transfer's counterpart,
income growth, place funding the DfE pays, DfE contributions to the deficit, planning for sufficiency only, capital
by source, transport by distance band, a council's journeys, zone weights by need, placement shares, the occupancy
margin, whole places and suitability.csv.

Each test solves a hand instance (tests/instances.py) through the command line, checks that the run passes, then
corrupts the run folder as a faulty model would write it (the totals and tables that follow from the corrupted line
brought in line with it) and checks that exactly the check that owns the rule fails, saying where.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.check import CheckReport, check_run
from planner.cli.solve import main as solve_main
from planner.data import PlanningData, load_data
from planner.runfolder import placements_by_district
from tests.instances import Instance, write_instance
from tests.test_budget_instances import SRB_HERE, band_instance, money_instance
from tests.test_model_instances import deficit_instance


class Run:
    """A solved run folder whose tables can be corrupted."""

    def __init__(self, tmp_path: Path, inst: Instance, scenario: str = "", target: int = 2026) -> None:
        folder = write_instance(tmp_path / "data", inst)
        self.dir = tmp_path / "run"
        args = ["--year", str(target), "--data", str(folder), "--out", str(self.dir), "--quiet", "--no-report"]
        if scenario:
            (tmp_path / "scenario.toml").write_text(scenario)
            args += ["--scenario", str(tmp_path / "scenario.toml")]
        assert solve_main(args) == 0
        self.data: PlanningData = load_data(folder)
        rep = self.check()
        assert rep.ok, str(rep)

    def check(self) -> CheckReport:
        return check_run(self.dir, self.data)

    def read(self, name: str) -> pd.DataFrame:
        if name == "placements":
            return pd.read_parquet(self.dir / "placements.parquet")
        return pd.read_csv(self.dir / f"{name}.csv")

    def write(self, name: str, df: pd.DataFrame) -> None:
        if name == "placements":  # the full table, and the summary by district that agrees with it
            df.to_parquet(self.dir / "placements.parquet", index=False)
            df = placements_by_district(df)
        df.to_csv(self.dir / f"{name}.csv", index=False)

    def edit_manifest(self, key: str, value: float) -> None:
        path = self.dir / "manifest.json"
        m = json.loads(path.read_text())
        m[key] = value
        path.write_text(json.dumps(m, indent=2))

    def set_budget(self, year: int, col: str, value: float, *, total: str = "spending_total") -> None:
        """Write a faulty budget line and carry the change through its total, the in-year balance, the cumulative
        deficit and kpis.csv (the balance stays positive: no shortfall moves)."""
        b, k = self.read("budget"), self.read("kpis")
        at = b["year"] == year
        delta = value - float(b.loc[at, col].iloc[0])
        b.loc[at, col] = value
        if total:
            b.loc[at, total] += delta
            sign = -1.0 if total == "spending_total" else 1.0
            b.loc[at, "in_year_balance"] += sign * delta
            b.loc[b["year"] >= year, "cumulative_deficit"] -= sign * delta
            k["high_needs_spending"] = b["spending_total"].to_numpy()
            k["in_year_balance"] = b["in_year_balance"].to_numpy()
            k["cumulative_deficit"] = b["cumulative_deficit"].to_numpy()
        assert (b["shortfall"] == 0).all() and (b.loc[b["year"] > b["year"].min(), "in_year_balance"] > 0).all()
        self.write("budget", b)
        self.write("kpis", k)

    def move(self, year: int, moves: list[tuple[dict, dict, float]]) -> None:
        """Move pupils between placements rows of one year: the source named by a few of its columns, the destination
        by those it changes (its other columns the source's), created if it has no row; settings_by_year's pupils
        follow."""
        pl = self.read("placements")
        for src, dst, amount in moves:
            i = _row(pl, year, src)
            pl.loc[i, "pupils"] -= amount
            where = {**pl.loc[i, ["zone_id", "need_group", "phase", "setting_id"]].to_dict(), **dst}
            if _has_row(pl, year, where):
                pl.loc[_row(pl, year, where), "pupils"] += amount
            else:
                new = pl.loc[i].copy()
                for k, v in {**dst, "pupils": amount}.items():
                    new[k] = v
                pl = pd.concat([pl, new.to_frame().T.astype(pl.dtypes.to_dict())], ignore_index=True)
        self.write("placements", pl)
        sby = self.read("settings_by_year")
        pupils = pl.groupby(["setting_id", "year"])["pupils"].sum()
        sby["pupils"] = pupils.reindex(pd.MultiIndex.from_frame(sby[["setting_id", "year"]])).fillna(0.0).to_numpy()
        self.write("settings_by_year", sby)


def _match(pl: pd.DataFrame, year: int, cols: dict) -> pd.Series:
    m = (pl["year"] == year) & ~pl["legacy"]
    for k, v in cols.items():
        m &= pl[k] == v
    return m


def _has_row(pl: pd.DataFrame, year: int, cols: dict) -> bool:
    return bool(_match(pl, year, cols).any())


def _row(pl: pd.DataFrame, year: int, cols: dict) -> int:
    m = _match(pl, year, cols)
    assert m.sum() == 1, (year, cols)
    return int(m[m].index[0])


def only_fails(run: Run, name: str, *words: str) -> CheckReport:
    """Exactly check `name` fails, and one of its violations says every word."""
    rep = run.check()
    assert rep.failed == [name], str(rep)
    said = [m for _s, m in rep[name].violations]
    assert any(all(w in m for w in words) for m in said), said
    return rep


def budget(run: Run, year: int, col: str) -> float:
    b = run.read("budget").set_index("year")
    return float(b.loc[year, col])


# ---------------------------------------------------------------------------------------------------------
# money
def rich(inst: Instance) -> Instance:
    """The instance with income enough that no year is short (so a corrupted line moves no shortfall)."""
    inst.income = 1_000_000.0
    return inst


def test_spending_line_changed(tmp_path: Path) -> None:
    """A spending line of spending_lines.csv (Element 3, 35,000 grown at inflation) written GBP 1,000 too high."""
    run = Run(tmp_path, rich(money_instance(1.0)))
    run.set_budget(2027, "line_element3", budget(run, 2027, "line_element3") + 1_000)
    run.set_budget(2027, "other_high_needs", budget(run, 2027, "other_high_needs") + 1_000, total="")
    only_fails(run, "budget", "year 2027", "line_element3", "spending line element3")


def test_transfer_counterpart_ignored(tmp_path: Path) -> None:
    """The scenario ends the schools-block transfer (9,000) in 2027; the Element 3 line should fall by half of it
    (transfer_counterpart 0.5). A model that ignores the counterpart writes the line 4,500 too high."""
    run = Run(tmp_path, rich(money_instance(0.5)), "[income.schools_block_transfer]\n2027 = 0.0\n")
    assert budget(run, 2027, "line_element3") == pytest.approx(42_350 - 4_500)
    run.set_budget(2027, "line_element3", 42_350)
    run.set_budget(2027, "other_high_needs", 42_350, total="")
    only_fails(run, "budget", "year 2027", "line_element3")


def test_income_not_grown(tmp_path: Path) -> None:
    """A dsg line published to 2026 grows 10% in 2027 (110,000); a model that keeps it at 100,000."""
    inst = rich(Instance(plans={2025: 5, 2026: 5, 2027: 5}))
    inst.income_lines = {"hnb": {2025: 100_000.0, 2026: 100_000.0, 2027: 100_000.0, "growth": "dsg"}}
    inst.params = {"income_last_published_year": 2026, "income_growth_low": 0.0, "income_growth_central": 0.1,
                   "income_growth_high": 0.2}  # fmt: skip
    run = Run(tmp_path, inst)
    assert budget(run, 2027, "income_hnb") == pytest.approx(110_000)
    run.set_budget(2027, "income_hnb", 100_000, total="income_total")
    only_fails(run, "budget", "year 2027", "income_hnb")


def test_place_funding_of_an_academy_charged(tmp_path: Path) -> None:
    """S1 (special, 10 places at GBP 10,000) is an academy whose place funding the DfE pays: a model charging the
    council for its existing places writes 100,000 of place funding instead of 0."""
    inst = rich(Instance(settings=[dict(id="S1", type="special", x=0.0, places=10)]))
    inst.place_funding = {"special": 10_000, "srb": 0, "ap": 0}
    inst.setting_columns = {"S1": {"place_funding_by_la": "false"}}
    run = Run(tmp_path, inst)
    assert budget(run, 2026, "place_funding") == 0.0
    run.set_budget(2026, "place_funding", 100_000)
    only_fails(run, "budget", "year 2026", "place_funding", "the council's places")


def contribution_instance() -> Instance:
    inst = rich(Instance(settings=[dict(id="S1", type="srb", x=0.0, places=5)]))
    inst.tables = {"deficit_contributions.csv": [dict(year=2027, line="dfe", amount=12_345)]}
    return inst


def test_deficit_contribution_counted_in_the_balance(tmp_path: Path) -> None:
    """A DfE contribution (12,345 in 2027) counted in the in-year balance (the cumulative deficit ends the same)."""
    run = Run(tmp_path, contribution_instance())
    run.set_budget(2027, "in_year_balance", budget(run, 2027, "in_year_balance") + 12_345, total="")
    k = run.read("kpis")
    k["in_year_balance"] = run.read("budget")["in_year_balance"].to_numpy()
    run.write("kpis", k)
    only_fails(run, "budget", "year 2027", "in_year_balance")


def test_deficit_contribution_left_out_of_the_deficit(tmp_path: Path) -> None:
    """The same contribution not taken off the cumulative deficit."""
    run = Run(tmp_path, contribution_instance())
    b, k = run.read("budget"), run.read("kpis")
    b.loc[b["year"] >= 2027, "cumulative_deficit"] += 12_345
    k["cumulative_deficit"] = b["cumulative_deficit"].to_numpy()
    run.write("budget", b)
    run.write("kpis", k)
    only_fails(run, "budget", "year 2027", "cumulative_deficit")


def test_shortfall_when_planning_for_sufficiency_only(tmp_path: Path) -> None:
    """balance_test = false: no shortfall is owed, though the balance is negative; a model writing the shortfall."""
    run = Run(tmp_path, deficit_instance(50_000), "balance_test = false\n")
    b = run.read("budget")
    assert (b["shortfall"] == 0).all() and (b["in_year_balance"] < 0).all()
    b["shortfall"] = np.where(b["year"] >= 2026, -b["in_year_balance"], 0.0)
    run.write("budget", b)
    run.edit_manifest("shortfall_gbp", float(b["shortfall"].sum()))
    only_fails(run, "budget", "year 2026", "shortfall", "sufficiency only")


def test_capital_of_one_source_only(tmp_path: Path) -> None:
    """Capital from two sources (600,000 + 400,000 in 2026); a model that reads one of them."""
    inst = Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        options=[dict(id="Y", type="srb", x=0.0, sizes=[(5, 600_000)], lead=1)],
        tables={"capital_budget.csv": [dict(year=y, amount=a if y == 2026 else 0, line=line) for y in (2026, 2027)
                                       for line, a in (("dfe", 600_000), ("council", 400_000))]},
    )  # fmt: skip
    run = Run(tmp_path, inst)
    assert budget(run, 2026, "capital_budget") == pytest.approx(1_000_000)
    b = run.read("budget")
    b.loc[b["year"] == 2026, "capital_budget"] = 600_000
    run.write("budget", b)
    only_fails(run, "capital", "year 2026", "capital_budget")


# ---------------------------------------------------------------------------------------------------------
# transport and journeys
def test_transport_without_its_bands(tmp_path: Path) -> None:
    """Transport by distance band (S1 at 5 km in the cheap band); a model that costs it by km instead: the base
    year's GBP 100 per pupil-km x 25 pupil-km x 1.1 = 2,750 in 2026, not 3,666.67."""
    run = Run(tmp_path, band_instance())
    b, k = run.read("budget"), run.read("kpis")
    for t in (2026, 2027):
        b.loc[b["year"] == t, "transport_general_fund"] = 100 * 25 * 1.1 ** (t - 2025)
    k["transport_cost"] = b["transport_general_fund"].to_numpy()
    run.write("budget", b)
    run.write("kpis", k)
    only_fails(run, "budget", "year 2027", "transport", "distance bands")


def journey_instance() -> Instance:
    """Zones A (0 km) and B (16 km), S1 (5 places) at 6 km; the council's journeys: A to S1 35 km (beyond the 30 km
    reach), B to S1 8 km."""
    roads = [dict(zone_id="A", setting_id="S1", road_km=35, minutes=""),
             dict(zone_id="B", setting_id="S1", road_km=8, minutes="")]  # fmt: skip
    return Instance(
        zones={"A": 0.0, "B": 16.0},
        plans={2025: 10, 2026: 10, 2027: 10},
        settings=[dict(id="S1", type="srb", x=6.0, places=5)],
        tables={"journeys.csv": roads},
    )


def follow_transport(run: Run, year: int, extra_pupil_km: float) -> None:
    """The transport line and kpis.csv following more pupil-km in a year (10 pupils, the base year's GBP 100 per
    pupil-km: 10 pupils at 20 km cost 2,000 each)."""
    b, k = run.read("budget"), run.read("kpis").astype({"mean_journey_km": float})
    b.loc[b["year"] == year, "transport_general_fund"] += 100 * extra_pupil_km
    k["transport_cost"] = b["transport_general_fund"].to_numpy()
    k.loc[k["year"] == year, "mean_journey_km"] += extra_pupil_km / 10
    run.write("budget", b)
    run.write("kpis", k)


def test_journey_not_the_councils(tmp_path: Path) -> None:
    """B's journey to S1 written as the straight line (10 km), not the council's 8 road km (transport following)."""
    run = Run(tmp_path, journey_instance())
    pl = run.read("placements")
    at = (pl["zone_id"] == "B") & (pl["setting_id"] == "S1") & (pl["year"] == 2027)
    extra = float(pl.loc[at, "pupils"].sum()) * 2.0
    pl.loc[at, "journey_km"] = 10.0
    run.write("placements", pl)
    follow_transport(run, 2027, extra)
    only_fails(run, "suitability", "year 2027", "zone B", "setting S1", "journey")


def test_placement_beyond_the_councils_reach(tmp_path: Path) -> None:
    """One of A's pupils placed in S1, 35 road km away by the council's journeys (its straight line is 6 km): out of
    reach. B's pupil takes A's place out of county, so every setting keeps its pupils."""
    run = Run(tmp_path, journey_instance())
    run.move(2027, [(dict(zone_id="A", setting_id="ooc"), dict(setting_id="S1", setting_type="srb",
                                                               out_of_county=False, journey_km=35.0), 1.0),
                    (dict(zone_id="B", setting_id="S1"), dict(setting_id="ooc", setting_type="independent",
                                                               out_of_county=True, journey_km=20.0), 1.0)])  # fmt: skip
    follow_transport(run, 2027, 35 - 20 + 20 - 8)
    only_fails(run, "suitability", "year 2027", "zone A", "setting S1", "beyond reach: 35.0 km")


# ---------------------------------------------------------------------------------------------------------
# pupils and places
def test_zone_weights_by_need_ignored(tmp_path: Path) -> None:
    """zone_need_weights.csv gives A 6 of 8 children; a model sharing them by children aged 0-15 (4 and 4) moves one
    of A's pupils out of county to B."""
    inst = Instance(
        zones={"A": 0.0, "B": 16.0},
        plans={2025: 8, 2026: 8, 2027: 8},
        settings=[dict(id="S1", type="srb", x=6.0, places=5)],
        tables={"zone_need_weights.csv": [dict(zone_id="A", need_group="G", weight=3),
                                          dict(zone_id="B", need_group="G", weight=1)]},
    )  # fmt: skip
    run = Run(tmp_path, inst)
    run.move(2027, [(dict(zone_id="A", setting_id="ooc"), dict(zone_id="B"), 1.0)])
    only_fails(run, "demand", "year 2027", "zone A", "demand 6.0000")


def test_placement_share_exceeded(tmp_path: Path) -> None:
    """Zones A and B, 1 km either side of a resource base that may take 40% of a cohort's new entrants: 2 of each
    zone's 5. A pupil of B moved into it, one of A's out (every setting, district and journey keeps its pupils)."""
    inst = Instance(
        zones={"A": -1.0, "B": 1.0},
        plans={2025: 10, 2026: 10, 2027: 10},
        settings=[SRB_HERE],
        tables={"placement_shares.csv": [dict(setting_type="srb", need_group="G", max_share=0.4)]},
    )
    run = Run(tmp_path, inst)
    run.move(2027, [(dict(zone_id="B", setting_id="ooc"), dict(setting_id="S1", setting_type="srb",
                                                               out_of_county=False, journey_km=1.0), 1.0),
                    (dict(zone_id="A", setting_id="S1"), dict(setting_id="ooc", setting_type="independent",
                                                               out_of_county=True, journey_km=20.0), 1.0)])  # fmt: skip
    only_fails(run, "suitability", "year 2027", "zone B", "3.0000 of the cohort's 5.0000 new entrants", "share 0.4")


def test_new_entrants_over_the_margin(tmp_path: Path) -> None:
    """S1 is full in 2025 (10 of 10) with an occupancy margin of 0.9: its 9.025 pupils staying in 2027 are over
    9, so it takes no new entrant; S2 (the same kind of place) takes them. 0.1 of S2's moved into S1."""
    inst = Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        stay_rate=0.95,
        settings=[dict(id="S1", type="srb", x=0.0, places=10, base_pupils=10.0),
                  dict(id="S2", type="srb", x=0.0, places=10)],
        params={"occupancy_margin": 0.9},
    )  # fmt: skip
    run = Run(tmp_path, inst)
    sby = run.read("settings_by_year").set_index(["setting_id", "year"])["pupils"]
    assert sby[("S1", 2027)] == pytest.approx(9.025) and sby[("S2", 2027)] == pytest.approx(0.975)
    run.move(2027, [(dict(setting_id="S2"), dict(setting_id="S1"), 0.1)])
    only_fails(run, "capacity", "year 2027", "setting S1", "occupancy margin 0.9", "9.025 base-year pupils")


WRITTEN = ("projects", "project_years", "settings_by_year", "budget")


def floats(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its places and capital as floats (a corruption writes fractions there)."""
    cols = ("places", "places_at_opening", "capital_cost", "capital_spent", "capital_spent_options")
    return df.astype({c: float for c in cols if c in df.columns})


def test_fractional_project(tmp_path: Path) -> None:
    """A range project of 2-6 places (GBP 100,000 + 100,000 a place) built at 4.5 places for 4.5 children, its
    capital following (550,000): places are whole."""
    inst = Instance(
        plans={2025: 4.5, 2026: 4.5, 2027: 4.5},
        capital={2026: 1_000_000},
        options=[dict(id="X", type="srb", x=0.0, sizes=[(2, 300_000), (6, 700_000)], lead=1, sizing="range")],
    )
    run = Run(tmp_path, inst)
    pr, py, sby, b = (floats(run.read(n)) for n in WRITTEN)
    assert pr.loc[pr["project_id"] == "X", "places"].iloc[0] == 5
    pr.loc[pr["project_id"] == "X", ["places", "places_at_opening", "capital_cost"]] = [4.5, 4.5, 550_000]
    py.loc[py["places"] == 5, "places"] = 4.5
    py.loc[py["capital_spent"] > 0, "capital_spent"] = 550_000
    sby.loc[sby["setting_id"] == "X", "places"] = 4.5
    b.loc[b["year"] == 2026, "capital_spent_options"] = 550_000
    for name, df in zip(WRITTEN, (pr, py, sby, b), strict=True):
        run.write(name, df)
    only_fails(run, "capacity", "year 2027", "project X", "4.5 is not whole")


def test_placement_suitability_forbids(tmp_path: Path) -> None:
    """suitability.csv lets resource bases designated 'test' take G and those designated 'other' take H only. A G
    pupil moved from S1 ('test') into S2 ('other', also a resource base at the same place)."""
    suit = [dict(setting_type="srb", designation="test", need_groups="G"),
            dict(setting_type="srb", designation="other", need_groups="H"),
            dict(setting_type="independent", designation="any", need_groups="G;H")]  # fmt: skip
    inst = Instance(
        groups=("G", "H"),
        settings=[dict(id="S1", type="srb", x=0.0, places=5), dict(id="S2", type="srb", x=0.0, places=5, needs="H")],
        setting_columns={"S2": {"designation": "other"}},
        tables={"suitability.csv": suit},
    )
    run = Run(tmp_path, inst)
    run.move(2027, [(dict(setting_id="S1"), dict(setting_id="S2"), 1.0)])
    only_fails(run, "suitability", "year 2027", "setting S2", "suitability.csv's row (srb, other) does not allow")
