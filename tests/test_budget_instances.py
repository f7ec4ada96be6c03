"""Hand-derived instances of the budget and needs rules: placement shares, the occupancy margin, transport by
distance band, whole places, spending lines and the transfer's counterpart, DfE contributions to the deficit,
income growth, a council's journeys, zone weights by need, a school opening in phases, place funding the DfE pays,
capital by source and sufficiency-only planning. Each full solve also passes the independent re-check through the
command line (tests/test_model_instances.py `solve`).

Conventions of tests/instances.py: one zone A at x = 0 km, the out-of-county fallback 20 km away at GBP 50,000 a
year in fees, no discounting, no growth, stay rate 0 unless a test sets them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.config import Scenario
from planner.data import DataError, load_data
from planner.highs import SolverOptions
from planner.plan import plan
from tests.instances import Instance, write_instance
from tests.test_model_instances import pupils, solve, total

SRB_HERE = dict(id="S1", type="srb", x=0.0, places=10)


def share_instance() -> Instance:
    return Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        settings=[SRB_HERE],
        tables={"placement_shares.csv": [dict(setting_type="srb", need_group="G", max_share=0.4)]},
    )


def test_placement_share(tmp_path: Path) -> None:
    """10 children a year, a resource base with 10 places in the zone (0 km, GBP 10,000) that may take at most 40% of
    a cohort's new entrants: 4 in S1 (40,000) and 6 out of county at 52,000 (50,000 fees + 100/km x 20 km),
    352,000 a year, 704,000 over 2026-2027."""
    out = solve(tmp_path, share_instance())
    assert pupils(out, "S1") == {2025: 0.0, 2026: 4.0, 2027: 4.0}
    assert total(out) == pytest.approx(704_000, abs=1)


def test_placement_share_dropped(tmp_path: Path) -> None:
    """Without the share all 10 go to S1: 100,000 a year."""
    out = solve(tmp_path, share_instance(), without=("placement_share",))
    assert total(out) == pytest.approx(200_000, abs=1)


def margin_instance(margin: float) -> Instance:
    return Instance(
        plans={2025: 10, 2026: 10, 2027: 10, 2028: 10},
        stay_rate=0.95,
        settings=[dict(id="S1", type="srb", x=0.0, places=10, base_pupils=10.0)],
        params={"occupancy_margin": margin},
    )


def test_occupancy_margin(tmp_path: Path) -> None:
    """S1 is full in 2025 (10 of 10 places) and its pupils stay at 0.95: 9.5 in 2026, 9.025 in 2027, both above the
    margin of 0.9 x 10 = 9, so S1 takes no new entrant (the 0.5 a year who need a place go out of county); in 2028
    its 8.57 staying fall below 9 and it fills to 9."""
    out = solve(tmp_path, margin_instance(0.9), target=2026)
    assert pupils(out, "S1") == pytest.approx({2025: 10.0, 2026: 9.5, 2027: 9.025, 2028: 9.0}, abs=1e-6)


def test_occupancy_margin_off(tmp_path: Path) -> None:
    """With a margin of 1, S1 takes the new entrants into the places its leavers free: 10 pupils every year."""
    out = solve(tmp_path, margin_instance(1.0), target=2026)
    assert pupils(out, "S1") == pytest.approx({2025: 10.0, 2026: 10.0, 2027: 10.0, 2028: 10.0}, abs=1e-6)


def band_instance() -> Instance:
    return Instance(
        plans={2025: 5, 2026: 5, 2027: 5},
        settings=[dict(id="S1", type="srb", x=5.0, places=5)],
        params={"transport_cost_growth": 0.1},
        tables={
            "transport_costs.csv": [
                dict(setting_type="any", from_km=0, to_km=10, cost_per_pupil=1000),
                dict(setting_type="any", from_km=10, to_km="", cost_per_pupil=3000),
            ]
        },
    )


def test_transport_by_distance_band(tmp_path: Path) -> None:
    """Bands: under 10 km GBP 1,000, from 10 km 3,000. The base year's 5 pupils are out of county (20 km: 3,000
    each), scaled so they cost transport_cost_per_pupil (2,000): scale 2/3. S1 is 5 km away: 1,000 x 2/3 = 666.67 a
    pupil at base-year prices, grown 10% a year: 2026 5 x 733.33 = 3,666.67, 2027 5 x 806.67 = 4,033.33.
    Cost: 2 x 5 x 10,000 + 3,666.67 + 4,033.33 = 107,700."""
    out = solve(tmp_path, band_instance())
    b = out.tables["budget"].set_index("year")["transport_general_fund"]
    assert b[2025] == pytest.approx(10_000, abs=1e-6)
    assert b[2026] == pytest.approx(3_666.6667, abs=1e-3)
    assert b[2027] == pytest.approx(4_033.3333, abs=1e-3)
    assert total(out) == pytest.approx(107_700, abs=1e-3)


def test_whole_places(tmp_path: Path) -> None:
    """4.5 children a year and a resource base of 2-6 places costing GBP 100,000 + 100,000 a place (built from 2026,
    open 2027): its size is a whole number, 5 places (4.5 would not do), in every output."""
    inst = Instance(
        plans={2025: 4.5, 2026: 4.5, 2027: 4.5},
        capital={2026: 1_000_000},
        options=[dict(id="X", type="srb", x=0.0, sizes=[(2, 300_000), (6, 700_000)], lead=1, sizing="range")],
    )
    out = solve(tmp_path, inst)
    pr = out.tables["projects"].set_index("project_id")
    assert pr.loc["X", "places"] == 5.0 and pr.loc["X", "places_at_opening"] == 5.0
    assert set(out.tables["project_years"]["places"]) <= {0.0, 5.0}


# --------------------------------------------------------------------------------------------------------------
def money_instance(counterpart: float, transfer_2027: float = 9_000.0) -> Instance:
    return Instance(
        plans={2025: 5, 2026: 5, 2027: 5},
        income=100_000.0,
        income_lines={"schools_block_transfer": {2025: 9_000.0, 2026: 9_000.0, 2027: transfer_2027}},
        params={"inflation": 0.1},
        tables={
            "spending_lines.csv": [
                dict(line="element3", base_amount=35_000, driver="fixed", growth="inflation",
                     transfer_counterpart=counterpart),
            ]
        },
    )  # fmt: skip


@pytest.mark.parametrize("counterpart", [1.0, 0.5])
def test_transfer_ends_with_its_counterpart(tmp_path: Path, counterpart: float) -> None:
    """The transfer (9,000) ends in 2027. The Element 3 line (35,000 in 2025, +10% a year: 42,350 in 2027) is cut by
    its counterpart share of the transfer lost: the in-year balance changes by exactly -(1 - share) x 9,000."""
    data_on = load_data(write_instance(tmp_path / "on", money_instance(counterpart)))
    ended = Scenario(income={"schools_block_transfer": {2027: 0.0}})
    opts = SolverOptions(log=False)
    on = plan(data_on, Scenario(), 2026, opts, progress=lambda _m: None).tables["budget"].set_index("year")
    off = plan(data_on, ended, 2026, opts, progress=lambda _m: None).tables["budget"].set_index("year")
    assert on.loc[2027, "line_element3"] == pytest.approx(42_350)
    assert off.loc[2027, "line_element3"] == pytest.approx(42_350 - counterpart * 9_000)
    change = off.loc[2027, "in_year_balance"] - on.loc[2027, "in_year_balance"]
    assert change == pytest.approx(-(1 - counterpart) * 9_000)
    assert off.loc[2026, "in_year_balance"] == pytest.approx(on.loc[2026, "in_year_balance"])


def test_deficit_contribution_lowers_the_deficit_not_the_in_year_test(tmp_path: Path) -> None:
    """Income 50,000, spending 5 x 10,000 in S1 + 35,000 of other spending: 35,000 short in 2026 and 2027 (the
    shortfall, 70,000). A DfE contribution of 100,000 in 2026 lowers the cumulative deficit by 100,000 from 2026 on,
    and the shortfall stays 70,000."""

    def inst(contribution: float) -> Instance:
        return Instance(
            plans={2025: 5, 2026: 5, 2027: 5},
            income=50_000.0,
            settings=[dict(id="S1", type="srb", x=0.0, places=5)],
            tables={
                "spending_lines.csv": [dict(line="other", base_amount=35_000, driver="fixed", growth="flat")],
                "deficit_contributions.csv": [dict(year=2026, line="dfe", amount=contribution)],
            },
        )

    without = solve(tmp_path, inst(0.0), name="without")
    with_it = solve(tmp_path, inst(100_000.0), name="with")
    a, b = (o.tables["budget"].set_index("year") for o in (without, with_it))
    assert without.shortfall == with_it.shortfall == pytest.approx(70_000, abs=1)
    assert (a["in_year_balance"] - b["in_year_balance"]).abs().max() < 1e-6
    assert (a["cumulative_deficit"] - b["cumulative_deficit"]).loc[[2026, 2027]].tolist() == pytest.approx(
        [100_000, 100_000]
    )
    assert a.loc[2025, "cumulative_deficit"] == b.loc[2025, "cumulative_deficit"]


def test_income_grows_after_the_last_published_year(tmp_path: Path) -> None:
    """A line marked dsg, 100,000 a year as written; published to 2026; growth 10% (central): 2027 is 110,000; the
    low rate (0) keeps it at 100,000."""
    inst = Instance(
        plans={2025: 5, 2026: 5, 2027: 5},
        income_lines={"hnb": {2025: 100_000.0, 2026: 100_000.0, 2027: 100_000.0, "growth": "dsg"}},
        params={"income_last_published_year": 2026, "income_growth_low": 0.0, "income_growth_central": 0.1,
                "income_growth_high": 0.2},
    )  # fmt: skip
    data = load_data(write_instance(tmp_path / "i", inst))
    opts = SolverOptions(log=False)
    for growth, want in (("central", 110_000), ("low", 100_000), ("high", 120_000)):
        b = plan(data, Scenario(income_growth=growth), 2026, opts, progress=lambda _m: None).tables["budget"]
        assert b.set_index("year").loc[2027, "income_hnb"] == pytest.approx(want), growth


# --------------------------------------------------------------------------------------------------------------
def journey_instance(journeys: list[dict]) -> Instance:
    return Instance(
        zones={"A": 0.0, "B": 16.0},
        plans={2025: 10, 2026: 10, 2027: 10},
        reach_km=30.0,
        settings=[dict(id="S1", type="srb", x=6.0, places=5)],
        tables={"journeys.csv": journeys} if journeys else {},
    )


def home_zones(out, setting: str, year: int) -> dict[str, float]:
    p = out.tables["placements"]
    p = p[(p["setting_id"] == setting) & (p["year"] == year)]
    return p.groupby("zone_id")["pupils"].sum().round(6).to_dict()


def test_journeys_change_the_plan(tmp_path: Path) -> None:
    """Zones A (0 km) and B (16 km), 5 children a year each; S1 (5 places) at 6 km: 6 km from A, 10 from B in a
    straight line, so A's children take it. The council's journeys.csv says A to S1 is 35 road km (over the 30 km
    reach) and B to S1 8 km: B's children take it instead."""
    straight = solve(tmp_path, journey_instance([]), name="straight")
    assert home_zones(straight, "S1", 2026) == {"A": 5.0}
    roads = [dict(zone_id="A", setting_id="S1", road_km=35, minutes=""),
             dict(zone_id="B", setting_id="S1", road_km=8, minutes="")]  # fmt: skip
    council = solve(tmp_path, journey_instance(roads), name="roads")
    assert home_zones(council, "S1", 2026) == {"B": 5.0}


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (dict(zone_id="A", setting_id="nowhere", road_km=5, minutes=""), "unknown setting 'nowhere'"),
        (dict(zone_id="A", setting_id="S1", road_km=-5, minutes=""), "negative"),
        (dict(zone_id="A", setting_id="S1", road_km="far", minutes=""), "not a number"),
        (dict(zone_id="Z", setting_id="S1", road_km=5, minutes=""), "zone 'Z' is not"),
    ],
)
def test_bad_journeys_rows(tmp_path: Path, row: dict, problem: str) -> None:
    rows = [dict(zone_id="B", setting_id="S1", road_km=8, minutes=""), row]
    with pytest.raises(DataError, match=f"journeys.csv.*{problem}"):
        load_data(write_instance(tmp_path / "i", journey_instance(rows)))


def test_zone_weights_by_need(tmp_path: Path) -> None:
    """zone_need_weights.csv gives need group G 3 children in A for 1 in B: of 8 children, 6 live in A."""
    inst = journey_instance([])
    inst.plans = {2025: 8, 2026: 8, 2027: 8}
    inst.tables = {"zone_need_weights.csv": [dict(zone_id="A", need_group="G", weight=3),
                                             dict(zone_id="B", need_group="G", weight=1)]}  # fmt: skip
    out = solve(tmp_path, inst)
    p = out.tables["placements"]
    by_zone = p[p["year"] == 2026].groupby("zone_id")["pupils"].sum()
    assert by_zone.to_dict() == pytest.approx({"A": 6.0, "B": 2.0})


# --------------------------------------------------------------------------------------------------------------
def test_school_opening_in_phases(tmp_path: Path) -> None:
    """A new resource base committed for 2026 with 4 places and a second phase of 4 more in 2027: 10 children a
    year, 4 in it in 2026 and 8 in 2027."""
    inst = Instance(
        plans={2025: 10, 2026: 10, 2027: 10},
        commitments=[dict(id="N1", type="srb", x=0.0, places=4, opening_year=2026),
                     dict(id="N1b", type="srb", x=0.0, places=4, opening_year=2027, project_type="expansion",
                          setting_id="N1")],
    )  # fmt: skip
    out = solve(tmp_path, inst)
    assert pupils(out, "N1") == {2026: 4.0, 2027: 8.0}


def test_place_funding_the_dfe_pays(tmp_path: Path) -> None:
    """S1 (special, 10 places, place funding 10,000) is an academy: the DfE deducts its place funding from the
    block and pays it directly, so it is on neither side of the council's budget: place funding 0 in the budget (100,000
    if the council paid it)."""

    def inst(by_la: bool) -> Instance:
        return Instance(
            plans={2025: 5, 2026: 5, 2027: 5},
            settings=[dict(id="S1", type="special", x=0.0, places=10)],
            place_funding={"special": 10_000, "srb": 0, "ap": 0},
            setting_columns={"S1": {"place_funding_by_la": str(by_la).lower()}},
        )

    academy = solve(tmp_path, inst(False), name="academy")
    council = solve(tmp_path, inst(True), name="council")
    assert academy.tables["budget"].set_index("year").loc[2026, "place_funding"] == 0.0
    assert council.tables["budget"].set_index("year").loc[2026, "place_funding"] == pytest.approx(100_000)


def test_capital_by_source(tmp_path: Path) -> None:
    """Capital from two sources (600,000 + 400,000 in 2026) pays for X (10 places, 1m): the capital instance of
    tests/test_model_instances.py built X only with 1m in one line."""
    from tests.test_model_instances import capital_instance

    inst = capital_instance()
    inst.capital = {}
    inst.tables = {"capital_budget.csv": [
        dict(year=y, amount=a, line=line) for y in (2026, 2027)
        for line, a in (("dfe", 600_000 if y == 2026 else 0), ("council", 400_000 if y == 2026 else 0))
    ]}  # fmt: skip
    inst.options[0]["sizes"] = [(10, 1_000_000)]
    out = solve(tmp_path, inst)
    assert set(out.tables["projects"]["project_id"]) == {"X"}
    assert out.tables["budget"].set_index("year").loc[2026, "capital_budget"] == pytest.approx(1_000_000)


def test_sufficiency_only(tmp_path: Path) -> None:
    """The deficit instance (income 50,000) with balance_test = false: no shortfall is held, and the cheapest plan
    uses S1 (12,500 a pupil with transport) as when the balance is dropped: 250,000."""
    from tests.test_model_instances import deficit_instance

    data = load_data(write_instance(tmp_path / "i", deficit_instance(50_000)))
    out = plan(data, Scenario(balance_test=False), 2026, SolverOptions(log=False), progress=lambda _m: None)
    assert out.shortfall == 0 and total(out) == pytest.approx(250_000, abs=1)
    assert out.tables["budget"]["shortfall"].sum() == 0.0
    assert out.tables["budget"].set_index("year").loc[2027, "in_year_balance"] == pytest.approx(-70_000, abs=1)


def test_suitability_refuses_a_setting_taking_what_it_may_not(tmp_path: Path) -> None:
    """Resource bases may take need group H only: S1, listed as taking G, is refused (so an SRB never gets an arc,
    nor a pupil, of a group the table forbids)."""
    inst = Instance(groups=("G", "H"), settings=[dict(id="S1", type="srb", x=0.0, places=3)],
                    tables={"suitability.csv": [dict(setting_type="srb", designation="any", need_groups="H"),
                                                dict(setting_type="independent", designation="any",
                                                     need_groups="G;H")]})  # fmt: skip
    with pytest.raises(DataError, match=r"settings.csv.*S1.*needs G go beyond what suitability.csv"):
        load_data(write_instance(tmp_path / "i", inst))


def test_check_reads_the_same_budget(tmp_path: Path) -> None:
    """The re-check recomputes every budget line of a run using every new rule at once."""
    inst = money_instance(1.0)
    inst.settings = [dict(id="S1", type="special", x=5.0, places=5)]
    inst.setting_columns = {"S1": {"place_funding_by_la": "false"}}
    inst.place_funding = {"special": 10_000, "srb": 0, "ap": 0}
    inst.params.update(transport_cost_growth=0.1, occupancy_margin=0.8)
    inst.tables.update(band_instance().tables)
    inst.tables["deficit_contributions.csv"] = [dict(year=2027, line="dfe", amount=12_345)]
    out = solve(tmp_path, inst)
    b = out.tables["budget"].set_index("year")
    assert pupils(out, "S1") == {2025: 0.0, 2026: 4.0, 2027: 4.0}  # 0.8 x 5 places
    assert b.loc[2027, "dfe_deficit_contributions"] == 12_345
    assert isinstance(out.tables["budget"], pd.DataFrame)
