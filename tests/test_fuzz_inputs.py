"""Fuzzing the inputs: corruptions of the Norfolk folder, of a scenario file and of the command line, generated
here. Each refused one ends in exit 2 with a message naming the file (or key, or argument); each tolerated one
gives the same data as the clean folder and a warning naming the file. Never a traceback, never a silent change.

Data corruptions go through `python -m planner.data` (which reads and checks a folder without solving), the
scenario and argument ones through `python -m planner.solve`, which stops before any solve when an input is bad.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import data as data_cli
from planner.cli import solve as solve_cli
from planner.config import load_scenario
from planner.data.load import read_folder

NORFOLK = Path(__file__).resolve().parents[1] / "data" / "norfolk"
LONDON = (-0.1276, 51.5072)
Corrupt = Callable[[Path], None]


def csv_edit(name: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Corrupt:
    def corrupt(folder: Path) -> None:
        df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        out = change(df)
        (df if out is None else out).to_csv(folder / name, index=False)

    return corrupt


def cell(name: str, column: str, value: str, row: int = 0) -> Corrupt:
    def change(df: pd.DataFrame) -> None:
        df.loc[df.index[row], column] = value

    return csv_edit(name, change)


def where(name: str, key: str, key_value: str, column: str, value: str) -> Corrupt:
    def change(df: pd.DataFrame) -> None:
        df.loc[df[key] == key_value, column] = value

    return csv_edit(name, change)


def text_edit(name: str, change: Callable[[str], str]) -> Corrupt:
    def corrupt(folder: Path) -> None:
        (folder / name).write_text(change((folder / name).read_text(encoding="utf-8")), encoding="utf-8")

    return corrupt


def raw_bytes(name: str, change: Callable[[bytes], bytes]) -> Corrupt:
    def corrupt(folder: Path) -> None:
        (folder / name).write_bytes(change((folder / name).read_bytes()))

    return corrupt


def geojson_edit(name: str, change: Callable[[dict], None]) -> Corrupt:
    def corrupt(folder: Path) -> None:
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
        change(doc)
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")

    return corrupt


def bowtie(doc: dict) -> None:
    """The first district's ring re-ordered into a figure of eight: half of it is lost by any repair."""
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    n = len(ring) // 2
    doc["features"][0]["geometry"]["coordinates"][0] = ring[:n][::-1] + ring[n:-1] + [ring[:n][::-1][0]]


def spike(doc: dict) -> None:
    """A zero-area spike out of one zone's ring and back: invalid, and a zero-width buffer removes it exactly."""
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    (x0, y0), (x1, y1) = ring[0], ring[1]
    out = [x0 + (x1 - x0) * 0.5 + 0.01, y0 + (y1 - y0) * 0.5 + 0.01]
    mid = [x0 + (x1 - x0) * 0.5, y0 + (y1 - y0) * 0.5]
    doc["features"][0]["geometry"]["coordinates"][0] = [ring[0], mid, out, mid, *ring[1:]]


def drop_row(name: str, i: int = 0) -> Corrupt:
    return csv_edit(name, lambda df: df.drop(df.index[i]))


def rows_where(name: str, column: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda df: df[df[column] != value]


def first_option_two_sizes(df: pd.DataFrame) -> None:
    """The larger of an option's two sizes made cheaper than the smaller."""
    counts = df["option_id"].value_counts()
    oid = counts[counts >= 2].index[0]
    rows = df.index[df["option_id"] == oid]
    big = max(rows, key=lambda i: float(df.loc[i, "places"]))
    small = min(rows, key=lambda i: float(df.loc[i, "places"]))
    df.loc[big, "capital_cost"] = str(float(df.loc[small, "capital_cost"]) / 2)


# (id, corruption, the file the message must name)
REFUSED: list[tuple[str, Corrupt, str]] = [
    ("missing file", lambda f: (f / "settings.csv").unlink(), "settings.csv"),
    ("empty file", lambda f: (f / "plans.csv").write_text(""), "plans.csv"),
    ("header only", text_edit("unit_costs.csv", lambda t: t.splitlines()[0] + "\n"), "unit_costs.csv"),
    ("missing column", csv_edit("settings.csv", lambda df: df.drop(columns="places")), "settings.csv"),
    ("words in a number", cell("settings.csv", "places", "12 places"), "settings.csv"),
    ("negative places", cell("settings.csv", "places", "-5"), "settings.csv"),
    ("negative plans", cell("plans.csv", "plans", "-3"), "plans.csv"),
    ("negative lead time", cell("options.csv", "lead_time_years", "-1"), "options.csv"),
    ("currency in a cost", cell("option_sizes.csv", "capital_cost", "£1,000"), "option_sizes.csv"),
    ("not true or false", cell("settings.csv", "out_of_county", "maybe"), "settings.csv"),
    ("unknown setting type", cell("settings.csv", "setting_type", "hospital"), "settings.csv"),
    ("duplicate id", csv_edit("settings.csv", lambda df: pd.concat([df, df.head(1)])), "settings.csv"),
    ("duplicate key row", csv_edit("plans.csv", lambda df: pd.concat([df, df.tail(1)])), "plans.csv"),
    ("unknown need group", cell("settings.csv", "needs", "CI;XYZ"), "settings.csv"),
    ("unknown need group in plans", cell("plans.csv", "need_group", "XYZ"), "plans.csv"),
    (
        "missing parameter",
        csv_edit("parameters.csv", rows_where("parameters.csv", "name", "discount_rate")),
        "parameters.csv",
    ),  # fmt: skip
    ("percent for a rate", where("parameters.csv", "name", "discount_rate", "value", "3.5"), "parameters.csv"),
    ("circuity below one", where("parameters.csv", "name", "road_circuity", "value", "0.5"), "parameters.csv"),
    (
        "expansion of unknown setting",
        where("commitments.csv", "project_type", "expansion", "setting_id", "nope"),
        "commitments.csv",
    ),  # fmt: skip
    (
        "option expanding unknown setting",
        where("options.csv", "option_type", "expansion", "setting_id", "nope"),
        "options.csv",
    ),  # fmt: skip
    ("size of unknown option", cell("option_sizes.csv", "option_id", "nope"), "option_sizes.csv"),
    ("commitment before the base year", cell("commitments.csv", "opening_year", "2020"), "commitments.csv"),
    ("commitment after the last year", cell("commitments.csv", "opening_year", "2045"), "commitments.csv"),
    ("commitment of 100,000 places", cell("commitments.csv", "places", "100000"), "commitments.csv"),
    ("ages reversed", cell("settings.csv", "min_age", "22"), "settings.csv"),
    ("stay rate above one", cell("phases.csv", "stay_rate", "1.5"), "phases.csv"),
    ("income year missing", drop_row("income.csv", 0), "income.csv"),
    ("negative income", cell("income.csv", "amount", "-1000000"), "income.csv"),
    (
        "capital year missing",
        csv_edit("capital_budget.csv", lambda df: df[df["year"] != df["year"].iloc[0]]),
        "capital_budget.csv",
    ),
    ("published figure far off", cell("reconciliation.csv", "published_value", "1"), "reconciliation.csv"),
    (
        "setting in London",
        csv_edit(
            "settings.csv",
            lambda df: df.assign(
                lon=[str(LONDON[0])] + list(df["lon"][1:]), lat=[str(LONDON[1])] + list(df["lat"][1:])
            ),
        ),
        "settings.csv",
    ),  # fmt: skip
    (
        "option in London",
        csv_edit(
            "options.csv",
            lambda df: df.assign(
                lon=[str(LONDON[0])] + list(df["lon"][1:]), lat=[str(LONDON[1])] + list(df["lat"][1:])
            ),
        ),
        "options.csv",
    ),  # fmt: skip
    ("setting without a point", cell("settings.csv", "lon", ""), "settings.csv"),
    ("places empty in the county", cell("settings.csv", "places", ""), "settings.csv"),
    (
        "unit costs of a type missing",
        csv_edit("unit_costs.csv", rows_where("unit_costs.csv", "setting_type", "special")),
        "unit_costs.csv",
    ),  # fmt: skip
    ("larger size cheaper", csv_edit("option_sizes.csv", first_option_two_sizes), "option_sizes.csv"),
    (
        "blank row inside",
        text_edit("need_groups.csv", lambda t: t.replace("\n", "\n\n", 2).replace("\n\n", "\n", 1)),
        "need_groups.csv",
    ),  # fmt: skip
    ("not text", raw_bytes("phases.csv", lambda b: b"\x81\x8d\x8f\x90\x9d" * 20), "phases.csv"),
    ("boundaries not JSON", lambda f: (f / "districts.geojson").write_text("{not json"), "districts.geojson"),
    (
        "zone in unknown district",
        geojson_edit("zones_msoa.geojson", lambda d: d["features"][0]["properties"].update(district_id="E99999999")),
        "zones_msoa.geojson",
    ),  # fmt: skip
    ("boundary crossing itself", geojson_edit("districts.geojson", bowtie), "districts.geojson"),
    (
        "plans fall faster than pupils leave",
        csv_edit(
            "plans.csv",
            lambda df: df.assign(
                plans=np.where((df["year"] == "2027") & (df["phase"] == "secondary"), "0", df["plans"])
            ),
        ),
        "plans.csv",
    ),  # fmt: skip
    ("a plans row missing", csv_edit("plans.csv", lambda df: df.drop(df.index[5])), "plans.csv"),
]


def accented(folder: Path, encoding: str) -> None:
    """A setting's name with an accent, saved in the given encoding."""
    path = folder / "settings.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[df.index[0], "name"] = "École Sidestrand Hall"
    path.write_bytes(df.to_csv(index=False).encode(encoding))


# (id, corruption, the clean edit it must equal (None: the shipped folder), the file the warning names)
TOLERATED: list[tuple[str, Corrupt, Corrupt | None, str]] = [
    ("Windows-1252", lambda f: accented(f, "cp1252"), lambda f: accented(f, "utf-8"), "settings.csv"),
    ("byte-order mark", raw_bytes("plans.csv", lambda b: b"\xef\xbb\xbf" + b), None, "plans.csv"),
    ("Windows line endings", raw_bytes("options.csv", lambda b: b.replace(b"\n", b"\r\n")), None, "options.csv"),
    (
        "mark and line endings",
        raw_bytes("income.csv", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")),
        None,
        "income.csv",
    ),  # fmt: skip
    (
        "header in capitals",
        text_edit("settings.csv", lambda t: t.replace(",places,", ",Places,", 1)),
        None,
        "settings.csv",
    ),  # fmt: skip
    (
        "spaces around a header",
        text_edit("unit_costs.csv", lambda t: t.replace("top_up", " top_up ", 1)),
        None,
        "unit_costs.csv",
    ),  # fmt: skip
    ("blank rows at the end", text_edit("phases.csv", lambda t: t + ",,,,,,,,\n\n"), None, "phases.csv"),
    ("a spike in a boundary", geojson_edit("zones_msoa.geojson", spike), None, "zones_msoa.geojson"),
]


@pytest.fixture(scope="module")
def clean() -> dict:
    data, findings = read_folder(NORFOLK, "district")
    assert data is not None and not findings.warnings
    return tables_of(data)


def tables_of(data) -> dict:
    out = {k: v for k, v in vars(data).items() if isinstance(v, pd.DataFrame | pd.Series) and k not in ("zones",)}
    out["zone_children"] = data.zones.set_index("zone_id")["children_0_15"]
    out["district_area"] = data.districts.set_index("district_id").area.round(0)
    return out


def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "norfolk"
    shutil.copytree(NORFOLK, dest, ignore=shutil.ignore_patterns("zones_lsoa.*"))
    return dest


@pytest.mark.parametrize(("corrupt", "file"), [pytest.param(c, f, id=i) for i, c, f in REFUSED])
def test_refused_data(tmp_path: Path, capsys: pytest.CaptureFixture[str], corrupt: Corrupt, file: str) -> None:
    folder = copy(tmp_path)
    corrupt(folder)
    code = data_cli.main(["--data", str(folder), "--zones", "district"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert f"- {file}" in err, err


@pytest.mark.parametrize(("corrupt", "reference", "file"), [pytest.param(c, r, f, id=i) for i, c, r, f in TOLERATED])
def test_tolerated_data(tmp_path: Path, clean: dict, corrupt: Corrupt, reference: Corrupt | None, file: str) -> None:
    folder = copy(tmp_path)
    corrupt(folder)
    data, findings = read_folder(folder, "district")
    assert data is not None, [str(p) for p in findings.problems]
    assert any(w.startswith(file) for w in findings.warnings), findings.warnings
    want = clean
    if reference is not None:
        ref_folder = copy(tmp_path / "reference")
        reference(ref_folder)
        want = tables_of(read_folder(ref_folder, "district")[0])
    got = tables_of(data)
    for name, table in want.items():
        if isinstance(table, pd.DataFrame):
            pd.testing.assert_frame_equal(got[name].drop(columns=["x", "y"], errors="ignore"),
                                          table.drop(columns=["x", "y"], errors="ignore"), obj=name)  # fmt: skip
        else:
            pd.testing.assert_series_equal(got[name], table, obj=name)


# --------------------------------------------------------------------------------------------------------------
# scenarios: (id, TOML text or bytes, the key the message must name)
SCENARIOS: list[tuple[str, str | bytes, str]] = [
    ("unknown key", 'name = "s"\nbudget = 3\n', "budget"),
    ("a boolean for a number", "demand_scale = true\n", "demand_scale"),
    ("negative scale", "demand_scale = -1.0\n", "demand_scale"),
    ("text for a number", 'capital_budget_scale = "3"\n', "capital_budget_scale"),
    ("unknown projection", 'demand_projection = "medium"\n', "demand_projection"),
    ("cancel typo", 'cancel_commitments = ["lfi-great-yarmuth"]\n', "cancel_commitments"),
    ("delay typo", "[commitment_delays]\nlfi-downham = 2\n", "commitment_delays"),
    ("delay before the base year", "[commitment_delays]\nlfi-downham-market = -6\n", "commitment_delays"),
    ("unknown option forced", 'force_options = ["nowhere"]\n', "force_options"),
    ("unknown income line", "[income.lottery]\n2027 = 5\n", "income.lottery"),
    ("income year outside the file", "[income.schools_block_transfer]\n2050 = 0\n", "income.schools_block_transfer"),
    ("capital year outside the file", "[capital_budget]\n2050 = 5\n", "capital_budget"),
    ("reach of an unknown phase", "[reach_km]\nnursery = 10\n", "reach_km.nursery"),
    ("target year outside the years", "target_year = 1999\n", "target_year"),
    ("horizon before the target", "target_year = 2029\nhorizon_end = 2027\n", "horizon_end"),
    ("percent for a rate", "discount_rate = 3.5\n", "discount_rate"),
    ("unknown parameter", "[parameters]\nfoo = 1.0\n", "parameters.foo"),
    ("implausible parameter", "[parameters]\nroad_circuity = 0.2\n", "parameters.road_circuity"),
    ("unknown unit cost type", "[unit_costs.hospital]\ntop_up = 5.0\n", "unit_costs.hospital"),
    ("not TOML", "demand_scale = = 2\n", "not valid TOML"),
    ("not UTF-8", b'name = "\x81\x8d"\n', "not UTF-8"),
    ("extends nowhere", 'extends = ["nowhere"]\n', "nowhere"),
    ("extends itself", 'extends = ["bad"]\n', "extends"),
    ("a whole number as text", 'state_choices = "4"\n', "state_choices"),
]


@pytest.mark.parametrize(("text", "key"), [pytest.param(t, k, id=i) for i, t, k in SCENARIOS])
def test_refused_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | bytes, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = tmp_path / "run"
    code = solve_cli.main(["--scenario", str(path), "--zones", "district", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "bad.toml" in err and key in err, err
    assert not out.exists() and not list(tmp_path.glob(".run*"))


def test_tolerated_scenario(tmp_path: Path) -> None:
    """A byte-order mark: the same scenario, and a warning naming the file."""
    text = (Path(__file__).resolve().parents[1] / "scenarios" / "lfi-schools-delayed.toml").read_bytes()
    path = tmp_path / "lfi-schools-delayed.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text)
    with pytest.warns(UserWarning, match="lfi-schools-delayed.toml: starts with a byte-order mark"):
        got = load_scenario(path)
    want = load_scenario("lfi-schools-delayed")
    assert got.model_dump() == want.model_dump()


ARGUMENTS = [
    ("gap as a percent", ["--gap", "0.5"], "--gap", "write 0.005 for 0.5%"),
    ("negative gap", ["--gap", "-1"], "--gap", "fraction"),
    ("shortfall gap as a percent", ["--shortfall-gap", "5"], "--shortfall-gap", "0.005"),
    ("negative time limit", ["--time-limit", "-5"], "--time-limit", "of more than 0"),
    ("negative threads", ["--threads", "-3"], "--threads", "a whole number of more than 0"),
    ("unknown zones", ["--zones", "wards"], "--zones", "invalid choice"),
    ("year outside the data", ["--year", "1999"], "--year", "outside the planning years"),
    ("unknown shipped scenario", ["--scenario", "nope"], "nope", "no such scenario"),
]


@pytest.mark.parametrize(("argv", "name", "hint"), [pytest.param(a, n, h, id=i) for i, a, n, h in ARGUMENTS])
def test_refused_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list, name: str, hint: str
) -> None:
    try:
        code = solve_cli.main([*argv, "--zones", "district", "--out", str(tmp_path / "run"), "--quiet"])
    except SystemExit as exc:  # argparse refuses an argument with exit 2
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert name in err and hint in err and "Traceback" not in err, err


def test_time_limit_defaults_to_ten_minutes_and_none_lifts_it() -> None:
    """A default run always ends: 600 s a solve unless --time-limit says otherwise; "none" (any case) lifts it."""
    import argparse

    from planner.cli.common import DEFAULT_TIME_LIMIT, add_solver_arguments, solver_options

    p = argparse.ArgumentParser()
    add_solver_arguments(p)
    assert DEFAULT_TIME_LIMIT == 600 and solver_options(p.parse_args([])).time_limit == 600
    assert solver_options(p.parse_args(["--time-limit", "None"])).time_limit is None
    assert solver_options(p.parse_args(["--time-limit", "45"])).time_limit == 45


def test_out_folder_that_cannot_be_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found before any solve: exit 2 naming the place (a file stands where the folder would go)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    code = solve_cli.main(["--zones", "district", "--out", str(blocker / "run"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot create" in err and str(blocker) in err, err


def test_at_least_forty_kinds() -> None:
    assert len(REFUSED) + len(TOLERATED) + len(SCENARIOS) + len(ARGUMENTS) + 1 >= 40
