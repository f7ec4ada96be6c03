"""planner.check: a real run passes every check, and each check fails on its own corruption of the run folder.

One small run (district zones, target 2029) is solved once for the module. Each test corrupts a copy of the run
folder. Where a corruption moves pupils, the tables derived from placements.csv (settings_by_year pupils, the
transport line, KPIs, sufficiency) are brought back in line with it, as a faulty model would write them, so
that exactly one check fails.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from planner.check import CHECKS, CheckReport, RunUnderCheck, check_run
from planner.check.spending import transport
from planner.config import ScenarioError
from planner.data import DataWarning, PlanningData, load_data
from planner.runfolder import load_run, placements_by_district

REPO = Path(__file__).resolve().parents[1]
STATE = ("special", "srb", "ap")


# ---------------------------------------------------------------------------------------------------------
# fixtures
def solve(out: Path, *extra: str) -> Path:
    cmd = [sys.executable, "-m", "planner.solve", "--year", "2029", "--zones", "district", "--quiet", "--no-report"]
    done = subprocess.run([*cmd, *extra, "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return solve(tmp_path_factory.mktemp("check") / "run")


@pytest.fixture(scope="module")
def data(run_dir: Path) -> PlanningData:
    manifest = json.loads((run_dir / "manifest.json").read_text())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return load_data(manifest["data"]["folder"], zones=manifest["data"]["zones"])


@pytest.fixture(scope="module")
def report(run_dir: Path, data: PlanningData) -> CheckReport:
    return check_run(run_dir, data)


class RunCopy:
    """A copy of the run folder whose tables can be edited."""

    def __init__(self, src: Path, dst: Path, data: PlanningData) -> None:
        shutil.copytree(src, dst)
        self.dir = dst
        self.data = data
        self.original = self.read("placements")

    def read(self, name: str) -> pd.DataFrame:
        if name == "placements":
            return pd.read_parquet(self.dir / "placements.parquet")
        return pd.read_csv(self.dir / f"{name}.csv")

    def write(self, name: str, df: pd.DataFrame) -> None:
        if name == "placements":  # the full table, and the summary by district that agrees with it
            df.to_parquet(self.dir / "placements.parquet", index=False)
            df = placements_by_district(df)
        df.to_csv(self.dir / f"{name}.csv", index=False)

    @property
    def manifest(self) -> dict:
        return json.loads((self.dir / "manifest.json").read_text())

    @manifest.setter
    def manifest(self, value: dict) -> None:
        (self.dir / "manifest.json").write_text(json.dumps(value, indent=2))

    def sync(self) -> None:
        """Bring the tables derived from placements.csv back in line with it (pupils by setting type unchanged;
        pupils may move between state settings in and out of the county)."""
        new, old = self.read("placements"), self.original
        for col in ("setting_type",):
            a = new.groupby(["year", col])["pupils"].sum()
            b = old.groupby(["year", col])["pupils"].sum()
            assert np.allclose(a.reindex(b.index).fillna(0), b, atol=1e-6), "corruption changed pupils by type"
        sby = self.read("settings_by_year")
        pupils = new.groupby(["setting_id", "year"])["pupils"].sum()
        keys = pd.MultiIndex.from_frame(sby[["setting_id", "year"]])
        assert set(pupils[pupils > 0].index) <= set(keys), "corruption placed pupils in a setting-year not listed"
        sby["pupils"] = pupils.reindex(keys).fillna(0.0).to_numpy()
        self.write("settings_by_year", sby)
        pkm_new = (new["pupils"] * new["journey_km"]).groupby(new["year"]).sum()
        budget, kpis = self.read("budget"), self.read("kpis")
        # transport as the model would cost these journeys (by distance band, the check's own reading)
        run = RunUnderCheck(load_run(self.dir), self.data)
        budget["transport_general_fund"] = budget["year"].map(transport(run).expected).to_numpy()
        kpis["transport_cost"] = budget["transport_general_fund"].to_numpy()
        kpis["mean_journey_km"] = kpis["year"].map(pkm_new / new.groupby("year")["pupils"].sum())
        kpis["pupils_out_of_county"] = kpis["year"].map(new[new["out_of_county"]].groupby("year")["pupils"].sum())
        in_county = [
            pl[pl["setting_type"].isin(STATE) & ~pl["out_of_county"]].groupby("year")["pupils"].sum()
            for pl in (new, old)
        ]
        moved_in = kpis["year"].map(in_county[0].sub(in_county[1], fill_value=0.0)).fillna(0.0)
        kpis["share_state_specialist_in_county"] += moved_in / kpis["children_with_plans"]
        self.write("budget", budget)
        self.write("kpis", kpis)
        suf = self.read("sufficiency")
        local = new["setting_type"].isin(STATE) & ~new["out_of_county"]
        new = new.assign(local=np.where(local, new["pupils"], 0.0), elsewhere=np.where(local, 0.0, new["pupils"]))
        agg = new.groupby(["year", "district_id", "need_group", "phase"])[["pupils", "local", "elsewhere"]].sum()
        idx = pd.MultiIndex.from_frame(suf[["year", "district_id", "need_group", "phase"]])
        assert set(agg.index) <= set(idx)
        a = agg.reindex(idx).fillna(0.0)
        suf["demand"] = a["pupils"].to_numpy()
        suf["placed_locally"] = a["local"].to_numpy()
        suf["placed_independent_or_out_of_county"] = a["elsewhere"].to_numpy()
        suf["unmet_local_need"] = a["elsewhere"].to_numpy()
        self.write("sufficiency", suf)


@pytest.fixture
def copy(run_dir: Path, tmp_path: Path, data: PlanningData) -> RunCopy:
    return RunCopy(run_dir, tmp_path / "run", data)


# ---------------------------------------------------------------------------------------------------------
# helpers to find rows a corruption can use
def stay_rates(data: PlanningData) -> pd.Series:
    return data.phases.set_index("phase")["stay_rate"].astype(float)


def entrants(pl: pd.DataFrame, data: PlanningData, year: int) -> pd.DataFrame:
    """Non-legacy rows of `year` with the new entrants they took that year (pupils - stay x last year's)."""
    keys = ["zone_id", "need_group", "phase", "setting_id"]
    prev = pl[pl["year"] == year - 1].groupby(keys)["pupils"].sum().rename("prev")
    now = pl[(pl["year"] == year) & ~pl["legacy"]].join(prev, on=keys).fillna({"prev": 0.0})
    now["entrants"] = now["pupils"] - now["phase"].map(stay_rates(data)) * now["prev"]
    return now


def slack(copy: RunCopy, year: int) -> pd.Series:
    """Room left in each setting that year: places filled to the occupancy margin the run records, less pupils."""
    sby = copy.read("settings_by_year")
    s = sby[sby["year"] == year].set_index("setting_id")
    margin = float(copy.manifest.get("occupancy_margin") or 1.0)
    return (margin * s["places"] - s["pupils"]).fillna(np.inf)


def setting_attrs(data: PlanningData) -> pd.DataFrame:
    """Needs, ages, type and location of existing settings and of the new settings of commitments and options."""
    cols = ["setting_type", "needs", "min_age", "max_age", "lon", "lat"]
    com = data.commitments[data.commitments["project_type"] != "expansion"].set_index("setting_id")[cols]
    opt = data.options[data.options["option_type"] != "expansion"].set_index("option_id")[cols]
    ex = data.settings.set_index("setting_id")
    return pd.concat(
        [
            ex[cols].assign(new=False, ooc=ex["out_of_county"]),
            com.assign(new=True, ooc=False),
            opt.assign(new=True, ooc=False),
        ]
    )


def journey_km(data: PlanningData, zone: str, setting: str) -> float:
    """Road km from a zone to a setting with a location, computed here from the data."""
    z = data.zones.set_index("zone_id").loc[zone]
    s = setting_attrs(data).loc[setting]
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(s["lon"], s["lat"])
    return float(np.hypot(z["x"] - x, z["y"] - y) / 1000 * float(data.parameters["road_circuity"]))


def move(copy: RunCopy, moves: list[tuple[pd.Series, str, float, float | None]]) -> None:
    """Move pupils of placements rows to other settings (same year and cohort), then sync the derived tables.
    Each move: (row, destination setting, pupils, journey km of a new row)."""
    pl = copy.read("placements")
    for row, setting, amount, km in moves:
        pl.loc[row.name, "pupils"] -= amount
        same = (
            (pl["year"] == row["year"])
            & (pl["zone_id"] == row["zone_id"])
            & (pl["need_group"] == row["need_group"])
            & (pl["phase"] == row["phase"])
            & (pl["setting_id"] == setting)
            & ~pl["legacy"]
        )
        if same.any():
            pl.loc[same[same].index[0], "pupils"] += amount
        else:
            sett = pl[pl["setting_id"] == setting].iloc[0]
            new = row.copy()
            new["setting_id"], new["setting_type"], new["out_of_county"] = setting, sett["setting_type"], False
            new["pupils"], new["journey_km"], new["legacy"] = amount, km, False
            pl = pd.concat([pl, new[pl.columns].to_frame().T], ignore_index=True)
    copy.write("placements", pl)
    copy.sync()


def only_fails(copy: RunCopy, data: PlanningData, name: str, *words: str) -> CheckReport:
    """Check the copy; exactly check `name` fails and its worst violation mentions every word."""
    rep = check_run(copy.dir, data)
    assert rep.failed == [name], str(rep)
    worst = rep[name].worst
    for w in words:
        assert w in worst, worst
    return rep


def last_year(copy: RunCopy) -> int:
    return int(copy.manifest["years"][-1])


# ---------------------------------------------------------------------------------------------------------
# the real run
def test_real_run_passes(report: CheckReport) -> None:
    report.assert_ok()
    assert [r.name for r in report.results] == list(CHECKS)
    assert all(r.checked > 0 and r.largest <= 1.0 for r in report.results)


MODEL_CODE = ("pyomo", "highspy", "planner.model", "planner.inputs", "planner.plan", "planner.results", "planner.highs",
              "planner.solve", "planner.sweep")  # fmt: skip


def test_check_needs_no_model_code() -> None:
    """The check loads none of the model's code, and of planner.config only the Scenario type (never the scenario's
    application): a bug there cannot hide here."""
    code = (
        "import sys, planner.check, planner.cli.check; "
        f"print([m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in {MODEL_CODE!r})])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    for path in (REPO / "planner" / "check").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "planner.config":
                assert {a.name for a in node.names} == {"Scenario"}, path.name
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(m == p or m.startswith(p + ".") for m in modules for p in MODEL_CODE), path.name


def test_cli(run_dir: Path, copy: RunCopy) -> None:
    ok = subprocess.run([sys.executable, "-m", "planner.check", str(run_dir)], cwd=REPO, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    assert "all checks pass" in ok.stdout
    budget = copy.read("budget")
    budget.loc[budget.index[-1], "other_high_needs"] += 1e6
    copy.write("budget", budget)
    bad = subprocess.run(
        [sys.executable, "-m", "planner.check", str(copy.dir)], cwd=REPO, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "FAIL  budget" in bad.stdout
    (copy.dir / "kpis.csv").unlink()
    unreadable = subprocess.run(
        [sys.executable, "-m", "planner.check", str(copy.dir)], cwd=REPO, capture_output=True, text=True
    )
    assert unreadable.returncode == 2 and "kpis.csv is missing" in unreadable.stderr, unreadable.stderr
    m = copy.manifest
    del m["years"]
    copy.manifest = m
    no_years = subprocess.run(
        [sys.executable, "-m", "planner.check", str(copy.dir)], cwd=REPO, capture_output=True, text=True
    )
    assert no_years.returncode == 2 and "manifest.json has no years" in no_years.stderr, no_years.stderr


def test_assert_ok_lists_failures(copy: RunCopy, data: PlanningData) -> None:
    kpis = copy.read("kpis")
    kpis["specialist_pupils"] += 3.0
    copy.write("kpis", kpis)
    rep = check_run(copy.dir, data)
    with pytest.raises(AssertionError, match=r"tables: 7 violation"):
        rep.assert_ok()


def test_folder_written_before_format_2(copy: RunCopy, data: PlanningData) -> None:
    """A run folder from before manifests carried format_version and target_years still checks: the target years
    are then the run's years from target_year on."""
    m = copy.manifest
    assert m["target_years"] == [y for y in m["years"] if y >= m["target_year"]]
    del m["format_version"], m["target_years"]
    copy.manifest = m
    check_run(copy.dir, data).assert_ok()


def test_target_years_from_the_manifest(copy: RunCopy, data: PlanningData) -> None:
    """The shortfall is owed in the manifest's target years: with the year before the target added, that year's
    deficit is a shortfall budget.csv does not show."""
    m = copy.manifest
    before = m["target_year"] - 1
    budget = copy.read("budget").set_index("year")
    assert budget.loc[before, "in_year_balance"] < -1e6, "the year before the target is in balance"
    m["target_years"] = [before, *m["target_years"]]
    copy.manifest = m
    rep = check_run(copy.dir, data)
    assert "budget" in rep.failed
    assert any(f"year {before}: budget.csv shortfall " in msg for _s, msg in rep["budget"].violations), str(rep)


# ---------------------------------------------------------------------------------------------------------
# each check fails on its own corruption
def test_data_changed(copy: RunCopy, data: PlanningData) -> None:
    m = copy.manifest
    m["data"]["hash"] = "0" * 16
    copy.manifest = m
    only_fails(copy, data, "data", "hash")


def test_demand_not_met(copy: RunCopy, data: PlanningData) -> None:
    """5 pupils of one need group recorded as another (same zone, setting and phase): two cohorts are wrong."""
    t = last_year(copy)
    e = entrants(copy.read("placements"), data, t)
    for (_z, _s, _p), grp in e.groupby(["zone_id", "setting_id", "phase"]):
        src = grp[grp["entrants"] >= 6.0]
        if len(grp) > 1 and len(src):
            a = src.iloc[0]
            b = grp[grp["need_group"] != a["need_group"]].iloc[0]
            break
    else:
        pytest.fail("no row to corrupt")
    pl = copy.read("placements")
    pl.loc[a.name, "pupils"] -= 5.0
    pl.loc[b.name, "pupils"] += 5.0
    copy.write("placements", pl)
    copy.sync()
    rep = only_fails(copy, data, "demand", f"year {t}", f"zone {a['zone_id']}")
    assert rep["demand"].n_violations == 2


def test_pupils_above_places(copy: RunCopy, data: PlanningData) -> None:
    """A pupil moved into a full setting (same cohort and setting type) in the last year (earlier, the stay rule
    would fail too)."""
    t = last_year(copy)
    e = entrants(copy.read("placements"), data, t)
    room = slack(copy, t)
    full = set(room[(room < 0.01) & np.isfinite(room)].index)
    for r in e[e["setting_id"].isin(full)].itertuples():
        src = e[
            (e["zone_id"] == r.zone_id)
            & (e["need_group"] == r.need_group)
            & (e["phase"] == r.phase)
            & (e["setting_type"] == r.setting_type)
            & (e["setting_id"] != r.setting_id)
            & (e["entrants"] >= 1.5)
        ]
        if len(src):
            a, dst = src.iloc[0], r.setting_id
            break
    else:
        pytest.fail("no row to corrupt")
    move(copy, [(a, dst, 1.0, None)])
    only_fails(copy, data, "capacity", f"year {t}", f"setting {dst}", "places")


def test_places_wrong(copy: RunCopy, data: PlanningData) -> None:
    """settings_by_year lists fewer places than the data and projects give (and fewer than its pupils)."""
    sby = copy.read("settings_by_year")
    i = sby[(sby["year"] > sby["year"].min()) & (sby["pupils"] >= 10) & sby["places"].notna()].index[0]
    sby.loc[i, "places"] = sby.loc[i, "pupils"] - 5.0
    copy.write("settings_by_year", sby)
    only_fails(copy, data, "capacity", f"year {sby.loc[i, 'year']}", f"setting {sby.loc[i, 'setting_id']}")


def _swap_into(copy: RunCopy, data: PlanningData, wanted: str) -> tuple[int, str, str]:
    """Swap one pupil of cohort A into a new setting s2 that is unsuitable for A ('need') or beyond A's reach
    ('reach') with one pupil of a cohort B placed in s2, who moves to A's setting (an arc of B): every setting keeps
    its pupils. A has no row in s2 in any year (so no legacy row either): new settings first, then existing ones."""
    t = last_year(copy)
    pl = copy.read("placements")
    e = entrants(pl, data, t)
    e = e[e["entrants"] >= 1.5]
    attrs = setting_attrs(data)
    ph = data.phases.set_index("phase")
    used = set(zip(pl["zone_id"], pl["need_group"], pl["phase"], pl["setting_id"], strict=True))
    arcs = set(zip(e["zone_id"], e["need_group"], e["phase"], e["setting_id"], strict=True))
    is_new = e["setting_id"].map(attrs["new"]).fillna(False).astype(bool)
    for b in pd.concat([e[is_new], e[~is_new & e["setting_id"].isin(attrs.index)]]).itertuples():  # new ones first
        s2 = attrs.loc[b.setting_id]
        for a in e[(e["setting_type"] == b.setting_type) & (e["setting_id"] != b.setting_id)].itertuples():
            if (b.zone_id, b.need_group, b.phase, a.setting_id) not in arcs:
                continue
            if (a.zone_id, a.need_group, a.phase, b.setting_id) in used:
                continue
            lo, hi = ph.loc[a.phase, "min_age"], ph.loc[a.phase, "max_age"]
            if min(s2["max_age"], hi) - max(s2["min_age"], lo) + 1 < (hi - lo + 1) / 2:
                continue
            km = journey_km(data, a.zone_id, b.setting_id)
            reach = ph.loc[a.phase, "max_journey_km"]
            state = a.setting_type in STATE
            designated = a.need_group in s2["needs"]
            if (wanted == "need" and not designated and (not state or km <= reach)) or (
                wanted == "reach" and designated and state and km > reach + 1
            ):
                move(copy, [(e.loc[a.Index], b.setting_id, 1.0, km), (e.loc[b.Index], a.setting_id, 1.0, None)])
                return t, a.zone_id, b.setting_id
    if wanted == "reach":
        return _move_beyond_reach(copy, data, t, pl, e, attrs, used)
    pytest.fail("no row to corrupt")


def _move_beyond_reach(copy: RunCopy, data: PlanningData, t: int, pl: pd.DataFrame, e: pd.DataFrame,
                       attrs: pd.DataFrame, used: set) -> tuple[int, str, str]:  # fmt: skip
    """One new entrant of cohort A moved from its state setting to a state setting of the same type with room
    that year, designated for A's need and serving its phase, beyond A's reach, where A has no row in any year
    (when no swap keeps every setting's pupils: the destination has the room)."""
    ph = data.phases.set_index("phase")
    room = slack(copy, t)
    for a in e[(e["entrants"] >= 1.0) & e["setting_type"].isin(STATE) & ~e["out_of_county"]].itertuples():
        lo, hi, reach = ph.loc[a.phase, "min_age"], ph.loc[a.phase, "max_age"], ph.loc[a.phase, "max_journey_km"]
        same = attrs[(attrs["setting_type"] == a.setting_type) & ~attrs["ooc"].astype(bool)]
        for sid, s2 in same.iterrows():
            if sid == a.setting_id or (a.zone_id, a.need_group, a.phase, sid) in used or room.get(sid, 0) < 1.0:
                continue
            if (
                a.need_group not in s2["needs"]
                or min(s2["max_age"], hi) - max(s2["min_age"], lo) + 1 < (hi - lo + 1) / 2
            ):
                continue
            km = journey_km(data, a.zone_id, sid)
            if km > reach + 1:
                move(copy, [(e.loc[a.Index], sid, 1.0, km)])
                return t, a.zone_id, sid
    pytest.fail("no row to corrupt")


def test_unsuitable_setting(copy: RunCopy, data: PlanningData) -> None:
    t, zone, sid = _swap_into(copy, data, "need")
    rep = only_fails(copy, data, "suitability", f"year {t}", f"zone {zone}", f"setting {sid}")
    worst = rep["suitability"].worst  # the setting's designation, or the suitability.csv row behind it
    assert "not designated" in worst or "does not allow" in worst, worst


def test_beyond_reach(copy: RunCopy, data: PlanningData) -> None:
    t, zone, sid = _swap_into(copy, data, "reach")
    only_fails(copy, data, "suitability", f"year {t}", f"zone {zone}", f"setting {sid}", "beyond reach")


def test_journey_wrong(copy: RunCopy, data: PlanningData) -> None:
    """One journey 2 km too short, with the transport line and KPIs following it."""
    pl = copy.read("placements")
    i = pl[(pl["year"] == last_year(copy)) & ~pl["legacy"] & (pl["setting_type"] == "special")].index[0]
    pl.loc[i, "journey_km"] -= 2.0
    copy.write("placements", pl)
    copy.sync()
    only_fails(copy, data, "suitability", f"zone {pl.loc[i, 'zone_id']}", f"setting {pl.loc[i, 'setting_id']}")


def test_continuing_pupils_dropped(copy: RunCopy, data: PlanningData) -> None:
    """A setting loses one more pupil than leave at the stay rate; the cohort's other setting takes them."""
    t = last_year(copy)
    e = entrants(copy.read("placements"), data, t)
    room = slack(copy, t)
    for a in e[(e["prev"] * e["phase"].map(stay_rates(data)) >= 1.5)].itertuples():
        d = a.entrants + 1.0
        dst = e[
            (e["zone_id"] == a.zone_id)
            & (e["need_group"] == a.need_group)
            & (e["phase"] == a.phase)
            & (e["setting_type"] == a.setting_type)
            & (e["setting_id"] != a.setting_id)
            & (e["setting_id"].map(room).fillna(0) >= d)
        ]
        if len(dst):
            move(copy, [(e.loc[a.Index], dst["setting_id"].iloc[0], d, None)])
            only_fails(copy, data, "continuity", f"year {t}", f"zone {a.zone_id}", f"setting {a.setting_id}")
            return
    pytest.fail("no row to corrupt")


def test_legacy_pupils_moved(copy: RunCopy, data: PlanningData) -> None:
    """Half of a legacy placement moved to one of the cohort's arcs: legacy pupils no longer leave at the stay rate."""
    t = last_year(copy)
    pl = copy.read("placements")
    e = entrants(pl, data, t)
    room = slack(copy, t)
    leg = pl[(pl["year"] == t) & pl["legacy"] & (pl["pupils"] >= 0.5)]
    for i, a in leg.iterrows():
        dst = e[
            (e["zone_id"] == a["zone_id"])
            & (e["need_group"] == a["need_group"])
            & (e["phase"] == a["phase"])
            & (e["setting_type"] == a["setting_type"])
            & (e["setting_id"].map(room).fillna(0) >= a["pupils"])
        ]
        if len(dst):
            move(copy, [(pl.loc[i], dst["setting_id"].iloc[0], a["pupils"] / 2, None)])
            only_fails(copy, data, "continuity", f"year {t}", f"setting {a['setting_id']}", "legacy")
            return
    pytest.fail("no row to corrupt")


def test_capital_overspent(copy: RunCopy, data: PlanningData) -> None:
    """GBP 50m more spent on one project in one year (budget.csv agrees): over the capital available."""
    py = copy.read("project_years")
    i = py[py["capital_spent"] > 0].index[0]
    py.loc[i, "capital_spent"] += 50e6
    copy.write("project_years", py)
    t = int(py.loc[i, "year"])
    budget = copy.read("budget")
    budget.loc[budget["year"] == t, "capital_spent_options"] += 50e6
    copy.write("budget", budget)
    rep = only_fails(copy, data, "capital", f"setting {py.loc[i, 'setting_id']}")
    over = [m for _s, m in rep["capital"].violations if "exceeds the capital available" in m]
    assert over and f"year {t}:" in over[0] and f"setting {py.loc[i, 'setting_id']}" in over[0], over


def test_capital_spent_late(copy: RunCopy, data: PlanningData) -> None:
    """One project's spend in a year moved to the next year (same total): the capital budget still holds (spending
    later never exceeds what is available to date; the shipped budget is spent in full most years, so spending
    earlier would), but the lead-time rule is broken."""
    py = copy.read("project_years")
    next_same = py["project_id"].shift(-1) == py["project_id"]
    i = py[(py["capital_spent"] > 0) & next_same].index[0]
    t, amount = int(py.loc[i, "year"]), py.loc[i, "capital_spent"]
    py.loc[i, "capital_spent"] = 0.0
    py.loc[i + 1, "capital_spent"] += amount
    copy.write("project_years", py)
    budget = copy.read("budget")
    budget.loc[budget["year"] == t, "capital_spent_options"] -= amount
    budget.loc[budget["year"] == t + 1, "capital_spent_options"] += amount
    copy.write("budget", budget)
    only_fails(copy, data, "capital", f"setting {py.loc[i, 'setting_id']}", "lead-time rule")


def test_budget_line_wrong(copy: RunCopy, data: PlanningData) -> None:
    budget = copy.read("budget")
    t = int(budget["year"].iloc[-1])
    budget.loc[budget.index[-1], "top_ups_and_fees_special"] += 1e6
    copy.write("budget", budget)
    only_fails(copy, data, "budget", f"year {t}", "top_ups_and_fees_special")


def test_transport_rate_wrong(copy: RunCopy, data: PlanningData) -> None:
    budget, kpis = copy.read("budget"), copy.read("kpis")
    t = int(budget["year"].iloc[3])
    for df, col in ((budget, "transport_general_fund"), (kpis, "transport_cost")):
        df.loc[df["year"] == t, col] *= 1.01
    copy.write("budget", budget)
    copy.write("kpis", kpis)
    only_fails(copy, data, "budget", f"year {t}", "pupil-km")


def test_manifest_shortfall_wrong(copy: RunCopy, data: PlanningData) -> None:
    m = copy.manifest
    m["shortfall_gbp"] += 0.02 * m["shortfall_gbp"] + 1e6  # beyond the shortfall's reported gap (at most 0.5%)
    copy.manifest = m
    only_fails(copy, data, "budget", "shortfall_gbp")


def test_kpi_wrong(copy: RunCopy, data: PlanningData) -> None:
    kpis = copy.read("kpis")
    t = int(kpis["year"].iloc[2])
    kpis.loc[kpis["year"] == t, "mean_journey_km"] *= 1.05
    copy.write("kpis", kpis)
    only_fails(copy, data, "tables", f"year {t}", "mean_journey_km")


def test_settings_pupils_wrong(copy: RunCopy, data: PlanningData) -> None:
    sby = copy.read("settings_by_year")
    i = sby[sby["pupils"] >= 10].index[-1]
    sby.loc[i, "pupils"] -= 1.0
    copy.write("settings_by_year", sby)
    only_fails(copy, data, "tables", f"year {sby.loc[i, 'year']}", f"setting {sby.loc[i, 'setting_id']}")


# ---------------------------------------------------------------------------------------------------------
# inconsistencies found by the check (kept as expected failures until fixed)
def test_placements_summary_wrong(copy: RunCopy, data: PlanningData) -> None:
    """placements.csv (by district) no longer adds up placements.parquet: one row's pupils doubled there only."""
    summary = pd.read_csv(copy.dir / "placements.csv")
    i = summary[summary["pupils"] > 1].index[0]
    summary.loc[i, "pupils"] *= 2
    summary.to_csv(copy.dir / "placements.csv", index=False)
    only_fails(copy, data, "tables", f"placements.csv, year {summary.loc[i, 'year']}")


def test_budget_written_to_the_pound(run_dir: Path) -> None:
    b = pd.read_csv(run_dir / "budget.csv")
    lines = ["place_funding", *[c for c in b.columns if c.startswith("top_ups_and_fees_")], "other_high_needs"]
    assert np.abs(b[lines].sum(axis=1) - b["spending_total"]).max() <= 1.0


def test_base_year_placements_equal_plans(data: PlanningData) -> None:
    bp = data.base_placements
    tot = bp[bp["phase"].isin(data.placed_phases)].groupby(["need_group", "phase"])["pupils"].sum()
    plans = data.plans[(data.plans["scenario"] == "central") & (data.plans["year"] == data.base_year)]
    plans = plans.set_index(["need_group", "phase"])["plans"].reindex(tot.index)
    assert np.abs(tot - plans).max() <= 1e-9


def test_demand_falling_faster_than_leavers_is_refused(tmp_path: Path, data: PlanningData) -> None:
    """demand_scale 0.6 cuts 2026's demand below the pupils who stay from 2025: one clear scenario error."""
    from planner.config import apply_scenario, load_scenario
    from planner.inputs import build_inputs

    scenario = tmp_path / "low.toml"
    scenario.write_text('name = "low"\ndemand_scale = 0.6\n')
    with pytest.raises(ScenarioError, match=r"low.toml, key 'demand_scale': specialist demand for .* falls from"):
        build_inputs(apply_scenario(data, load_scenario(str(scenario)), 2029))
