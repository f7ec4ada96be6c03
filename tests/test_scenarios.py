"""Scenarios: extends (values replace, tables merge, lists join, cycles refused), the page that documents every
key, and where the target year comes from."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from planner.cli.solve import parse_args
from planner.config import SCENARIO_DIR, Scenario, ScenarioError, apply_scenario, load_scenario
from planner.data import load_data
from tests.instances import Instance, write_instance

ROOT = Path(__file__).resolve().parents[1]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_merges_tables_joins_lists_and_replaces_values(tmp_path: Path) -> None:
    write(tmp_path, "parent", """
demand_scale = 1.2
force_options = ["a", "b"]
[income.grant]
2026 = 1
2027 = 2
[unit_costs.srb]
top_up = 9000
place_funding = 6000
""")  # fmt: skip
    child = write(tmp_path, "child", """
extends = ["parent"]
demand_scale = 1.5
force_options = ["b", "c"]
[income.grant]
2027 = 5
[unit_costs.srb]
top_up = 11000
""")  # fmt: skip
    s = load_scenario(child)
    assert s.name == "child"
    assert s.demand_scale == 1.5
    assert s.force_options == ["a", "b", "c"]
    assert s.income == {"grant": {2026: 1.0, 2027: 5.0}}
    assert s.unit_costs["srb"].top_up == 11000 and s.unit_costs["srb"].place_funding == 6000


def test_extends_in_order_and_by_shipped_name(tmp_path: Path) -> None:
    write(tmp_path, "one", "demand_scale = 1.1\ncancel_commitments = ['x']\n")
    write(tmp_path, "two", "demand_scale = 1.3\n")
    s = load_scenario(write(tmp_path, "both", 'extends = ["one", "two", "no-transfer-from-2027"]\n'))
    assert s.demand_scale == 1.3 and s.cancel_commitments == ["x"]
    assert s.income["schools_block_transfer"][2027] == 0


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a", 'extends = ["b"]\n')
    b = write(tmp_path, "b", 'extends = ["a"]\n')
    with pytest.raises(ScenarioError, match=r"key 'extends': .*cycle \(b -> a -> b\)"):
        load_scenario(b)


def test_extends_unknown_parent(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="nowhere: no such scenario file"):
        load_scenario(write(tmp_path, "c", 'extends = ["nowhere"]\n'))


def test_shipped_scenario_built_on_another() -> None:
    """gy-srbs-instead is gy-srbs-same-capital plus the school's capital."""
    same, instead = load_scenario("gy-srbs-same-capital"), load_scenario("gy-srbs-instead")
    assert instead.force_options == same.force_options and len(same.force_options) == 6
    assert instead.cancel_commitments == same.cancel_commitments == ["lfi-great-yarmouth"]
    assert instead.capital_budget and not same.capital_budget


# --------------------------------------------------------------------------------------------------------------
def documented_keys() -> dict[str, str]:
    """key -> default cell of the keys table in docs/scenarios.md."""
    text = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    table = text.split("## Keys", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|([^\n]*)$", table, flags=re.M)
    return {key: rest.split("|")[2].strip() for key, rest in rows}


def test_scenario_page_lists_every_key_with_its_default() -> None:
    doc = documented_keys()
    fields = {k: f for k, f in Scenario.model_fields.items() if k != "source"}
    assert list(doc) == list(fields), "docs/scenarios.md and planner.config.Scenario list different keys"
    for key, f in fields.items():
        default = f.get_default(call_default_factory=True)
        cell = doc[key]
        if default is None:
            assert cell.startswith("none"), (key, cell)
        elif isinstance(default, bool):
            assert cell.startswith(f"`{str(default).lower()}`"), (key, cell)
        elif isinstance(default, str):
            assert cell.startswith(f'`"{default}"`'), (key, cell)
        elif isinstance(default, list | dict):
            assert cell.startswith("`[]`" if isinstance(default, list) else "`{}`"), (key, cell)
        else:
            assert float(re.match(r"`([^`]+)`", cell).group(1)) == float(default), (key, cell)


# --------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    inst = Instance(plans={y: 5 for y in range(2025, 2032)})
    return load_data(write_instance(tmp_path_factory.mktemp("years") / "i", inst))


def test_target_year_from_the_data_when_nothing_else_says(data) -> None:
    """The instance has no target_year parameter: the run says what to give."""
    with pytest.raises(ScenarioError, match="no target year"):
        apply_scenario(data, Scenario())
    with_year = replace(data, parameters=pd.concat([data.parameters, pd.Series({"target_year": 2027.0})]))
    a = apply_scenario(with_year, Scenario())
    assert (a.target_year, a.horizon_end, a.target_years) == (2027, 2029, [2027, 2028, 2029])


def test_scenario_target_year_takes_effect_and_year_overrides_it(data) -> None:
    scen = Scenario(target_year=2028)
    assert apply_scenario(data, scen).target_year == 2028
    assert apply_scenario(data, scen, 2026).target_year == 2026


def test_year_argument_outside_the_years_is_blamed_on_the_argument(data) -> None:
    with pytest.raises(ScenarioError, match=r"^argument --year: target year 1999"):
        apply_scenario(data, Scenario(target_year=2028), 1999)
    with pytest.raises(ScenarioError, match=r"key 'target_year': target year 2040"):
        apply_scenario(data, Scenario(target_year=2040))


def test_help_shows_where_the_year_comes_from(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "default: the scenario's target_year, else target_year in the data's parameters.csv (2029 for the" in out
    assert parse_args([]).year is None


def test_every_shipped_scenario_loads() -> None:
    for path in sorted(SCENARIO_DIR.glob("*.toml")):
        assert load_scenario(path.stem).name == path.stem
