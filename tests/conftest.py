"""Shared fixtures of the report and comparison tests: headless Chromium with no network, the shipped geography,
and small hand-made run folders (the tables planner.solve writes, built by hand so no solve is needed)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "norfolk"
INSTALL_HINT = (
    "headless Chromium is needed to open the HTML report and map: install it with "
    "'sudo apt-get install chromium' (Debian/Ubuntu) and make sure 'chromium' is on the PATH"
)

# Injected first in a page's <head>: records uncaught errors, console.error, failed resource loads and any
# network request; after the DOM is parsed (before bokeh embeds its plots) it wraps the paint method of
# bokeh's MultiPolygons glyph so the number of zone shapes actually drawn is known. The record is written into
# <pre id="render-probe"> for --dump-dom.
PROBE = """<script>
(function () {
  const out = {errors: [], warnings: [], painted: {}, hooked: false, network: []};
  const push = (list, m) => list.push(String(m).slice(0, 300));
  const err = console.error.bind(console), warn = console.warn.bind(console);
  console.error = (...a) => { push(out.errors, "console.error: " + a.join(" ")); err(...a); };
  console.warn = (...a) => { push(out.warnings, a.join(" ")); warn(...a); };
  window.addEventListener("error", (e) => {
    if (e.message) push(out.errors, "uncaught: " + e.message);
    else push(out.errors, "resource failed: " + ((e.target && (e.target.src || e.target.href)) || "?"));
  }, true);
  window.addEventListener("unhandledrejection", (e) => push(out.errors, "unhandled rejection: " + e.reason));
  document.addEventListener("DOMContentLoaded", () => {
    try {
      const view = Bokeh.Models.get("MultiPolygons").prototype.default_view;
      const paint = view.prototype._paint;
      view.prototype._paint = function (ctx, indices, data) {
        const name = (this.parent && this.parent.model && this.parent.model.name) || "?";
        out.painted[name] = Math.max(out.painted[name] || 0, indices.length);
        return paint.call(this, ctx, indices, data);
      };
      out.hooked = true;
    } catch (e) { if (window.Bokeh) push(out.errors, "probe: " + e); }
  });
  const write = () => {
    out.network = performance.getEntriesByType("resource").map((r) => r.name)
      .filter((n) => !n.startsWith("file:") && !n.startsWith("data:") && !n.startsWith("blob:"));
    let el = document.getElementById("render-probe");
    if (!el && document.body) {
      el = document.createElement("pre"); el.id = "render-probe"; document.body.appendChild(el);
    }
    if (el) el.textContent = JSON.stringify(out);
  };
  setInterval(write, 100);
})();
</script>"""


@dataclass
class Rendered:
    """What Chromium made of a page: a screenshot, the probe's record and Chromium's console log."""

    screenshot: Path
    probe: dict
    console: list[str]

    @property
    def errors(self) -> list[str]:
        uncaught = [line for line in self.console if "Uncaught" in line]
        return list(self.probe.get("errors", [])) + uncaught


class Chromium:
    """Headless Chromium with no network: every host resolves to nothing and requests go to a dead proxy."""

    FLAGS = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=20000",
    )

    def __init__(self, binary: str) -> None:
        self.binary = binary

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
            return subprocess.run(
                [self.binary, *self.FLAGS, f"--user-data-dir={profile}", *args],
                capture_output=True,
                text=True,
                timeout=180,
            )

    def render(self, page: Path, out_dir: Path, size: tuple[int, int] = (1400, 1000)) -> Rendered:
        """Open `page` (with the probe injected) and return its screenshot, probe record and console."""
        text = page.read_text(encoding="utf-8")
        head = re.search(r"<head[^>]*>", text)
        i = head.end() if head else 0
        probed = page.with_name(f".probe-{page.name}")
        probed.write_text(text[:i] + PROBE + text[i:], encoding="utf-8")
        shot = out_dir / f"{page.stem}-screenshot.png"
        try:
            r1 = self._run(f"--screenshot={shot}", f"--window-size={size[0]},{size[1]}", probed.as_uri())
            r2 = self._run("--dump-dom", probed.as_uri())
        finally:
            probed.unlink(missing_ok=True)
        dom = r2.stdout
        start = dom.find('<pre id="render-probe">')
        probe: dict = {}
        if start >= 0:
            body = dom[start + len('<pre id="render-probe">') : dom.find("</pre>", start)]
            probe = json.loads(html.unescape(body))
        console = [line for line in (r1.stderr + r2.stderr).splitlines() if "CONSOLE" in line]
        return Rendered(screenshot=shot, probe=probe, console=console)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium() -> Chromium:
    """Headless Chromium, or a skip with an install hint (a failure under CI=true, where it must be present)."""
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(f"CI=true but Chromium is missing: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    return Chromium(binary)


# ---------------------------------------------------------------------------------------------------------
# geography and hand-made runs
@pytest.fixture(scope="session")
def geography() -> Callable[[str], object]:
    """load_data of the shipped data folder at a zone level, cached per level."""
    from planner.data import load_data

    cache: dict[str, object] = {}

    def get(level: str = "msoa") -> object:
        if level not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cache[level] = load_data(DATA, zones=level)
        return cache[level]

    return get


YEARS = [2025, 2026, 2027, 2028]  # base year 2025, target 2027, last 2028
TARGET = 2027
# (project_id, kind, project_type, setting_type, places, places_at_opening, opening_year, capital_cost, lon, lat)
PROJECTS_A = [
    ("com-school", "commitment", "new_school", "special", 100, 100, 2027, 14_000_000, 1.735494, 52.619199),
    ("opt-srb-1", "option", "srb", "srb", 20, 8, 2026, 1_000_000, 1.316854, 52.656226),
    ("opt-srb-2", "option", "srb", "srb", 16, 16, 2027, 800_000, 0.432649, 52.760961),
    ("opt-ap-1", "option", "ap", "ap", 24, 24, 2028, 960_000, 1.117757, 52.575355),
]
NEEDS = ("CI", "SEMH")


def write_run(
    folder: Path,
    data: object,
    projects: list[tuple] = PROJECTS_A,
    *,
    name: str = "test-a",
    deficit_shift: float = 0.0,
) -> Path:
    """Write a small but complete run folder for `data`'s zones: a few real settings and the given projects,
    placements from every zone to its nearest settings, and a simple budget. Returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    s = data.settings  # type: ignore[attr-defined]
    picks = pd.concat(
        [
            s[(s["setting_type"] == "special") & ~s["out_of_county"]].head(3),
            s[(s["setting_type"] == "srb") & ~s["out_of_county"]].head(2),
            s[(s["setting_type"] == "ap") & ~s["out_of_county"]].head(1),
            s[(s["setting_type"] == "independent") & ~s["out_of_county"]].head(2),
            s[s["out_of_county"]].head(1),
        ]
    )
    pr = pd.DataFrame(
        projects,
        columns=[
            "project_id",
            "kind",
            "project_type",
            "setting_type",
            "places",
            "places_at_opening",
            "opening_year",
            "capital_cost",
            "lon",
            "lat",
        ],
    )
    pr["site_id"] = pr["project_id"]
    pr["name"] = [f"Project {p}" for p in pr["project_id"]]
    pr["urn"] = pd.array([100000 + i for i in range(len(pr))], dtype="Int64")
    pr["setting_id"] = pr["project_id"]
    pr["district_id"] = "E07000148"
    pr["needs"] = "CI;SEMH"
    pr["min_age"], pr["max_age"] = 4, 16
    pr["start_year"] = pd.array(
        [pd.NA if k == "commitment" else y - 1 for k, y in zip(pr["kind"], pr["opening_year"], strict=True)],
        dtype="Int64",
    )
    pr["setting_name"] = pr["name"]
    cols = [
        "project_id",
        "site_id",
        "name",
        "urn",
        "kind",
        "project_type",
        "setting_type",
        "setting_id",
        "district_id",
        "lon",
        "lat",
        "needs",
        "min_age",
        "max_age",
        "places",
        "places_at_opening",
        "start_year",
        "opening_year",
        "capital_cost",
        "setting_name",
    ]
    pr[cols].to_csv(folder / "projects.csv", index=False)

    py = []
    for r in pr[pr["kind"] == "option"].itertuples():
        for y in YEARS[1:]:
            places = 0 if y < r.opening_year else (r.places_at_opening if y == r.opening_year else r.places)
            py.append((r.project_id, r.setting_id, y, places, r.capital_cost if y == r.opening_year - 1 else 0.0))
    pd.DataFrame(py, columns=["project_id", "setting_id", "year", "places", "capital_spent"]).to_csv(
        folder / "project_years.csv", index=False
    )

    # settings by year: existing picks and the projects' settings
    rows = []
    for r in picks.itertuples():
        for y in YEARS:
            rows.append(
                dict(
                    setting_id=r.setting_id,
                    name=r.name,
                    urn=r.urn,
                    setting_type=r.setting_type,
                    origin="existing",
                    district_id=r.district_id,
                    out_of_county=bool(r.out_of_county),
                    lon=r.lon,
                    lat=r.lat,
                    year=y,
                    places=r.places,
                )
            )
    for r in pr.itertuples():
        for y in YEARS:
            if y >= r.opening_year:
                rows.append(
                    dict(
                        setting_id=r.setting_id,
                        name=r.name,
                        urn=r.urn,
                        setting_type=r.setting_type,
                        origin=r.kind,
                        district_id=r.district_id,
                        out_of_county=False,
                        lon=r.lon,
                        lat=r.lat,
                        year=y,
                        places=r.places_at_opening if y == r.opening_year else r.places,
                    )
                )
    sby = pd.DataFrame(rows)

    # placements: every zone sends pupils of each need group to up to three settings open that year
    zones = data.zones  # type: ignore[attr-defined]
    from planner.report.summaries import with_xy

    sxy = with_xy(sby.drop_duplicates("setting_id"))
    place = []
    for y in YEARS:
        open_ids = set(sby.loc[sby["year"] == y, "setting_id"])
        cand = sxy[sxy["setting_id"].isin(open_ids)]
        loc = cand[cand["x"].notna()]
        ooc = cand[cand["x"].isna()]
        for z in zones.itertuples():
            d = np.hypot(loc["x"].to_numpy() - z.x, loc["y"].to_numpy() - z.y) / 1000
            near = np.argsort(d)[:3]
            for g in NEEDS:
                for k, j in enumerate(near):
                    st = loc.iloc[j]
                    place.append(
                        (
                            y,
                            z.zone_id,
                            z.district_id,
                            g,
                            "primary",
                            st["setting_id"],
                            st["setting_type"],
                            False,
                            float(rng.uniform(0.5, 3.0)) / (k + 1),
                            float(d[j]) * 1.3,
                            False,
                        )
                    )
                if len(ooc):
                    o = ooc.iloc[0]
                    place.append(
                        (
                            y,
                            z.zone_id,
                            z.district_id,
                            g,
                            "secondary",
                            o["setting_id"],
                            o["setting_type"],
                            True,
                            0.4,
                            60.0,
                            True,
                        )
                    )
    pl = pd.DataFrame(
        place,
        columns=[
            "year",
            "zone_id",
            "district_id",
            "need_group",
            "phase",
            "setting_id",
            "setting_type",
            "out_of_county",
            "pupils",
            "journey_km",
            "legacy",
        ],
    )
    pl.to_csv(folder / "placements.csv", index=False)
    pupils = pl.groupby(["setting_id", "year"])["pupils"].sum()
    sby["pupils"] = [pupils.get((a, b), 0.0) for a, b in zip(sby["setting_id"], sby["year"], strict=True)]
    sby.to_csv(folder / "settings_by_year.csv", index=False)

    state_local = pl["setting_type"].isin(["special", "srb", "ap"]) & ~pl["out_of_county"]
    pl["placed_locally"] = np.where(state_local, pl["pupils"], 0.0)
    pl["placed_independent_or_out_of_county"] = np.where(state_local, 0.0, pl["pupils"])
    suf = pl.groupby(["year", "district_id", "need_group", "phase"], as_index=False)[
        ["pupils", "placed_locally", "placed_independent_or_out_of_county"]
    ].sum()
    suf = suf.rename(columns={"pupils": "demand"})
    suf["state_places_in_district"] = 50.0
    suf["unmet_local_need"] = suf["placed_independent_or_out_of_county"]
    suf.to_csv(folder / "sufficiency.csv", index=False)

    budget = []
    deficit = 100e6 + deficit_shift
    for i, y in enumerate(YEARS):
        income, spending = 160e6 + 4e6 * i, 190e6 + 15e6 * i
        deficit += spending - income
        budget.append(
            dict(
                year=y,
                income_core_high_needs_dsg=income - 9e6,
                income_schools_block_transfer=9e6,
                income_total=income,
                place_funding=30e6,
                top_ups_and_fees_special=40e6,
                top_ups_and_fees_srb=8e6,
                top_ups_and_fees_ap=3e6,
                top_ups_and_fees_independent=50e6,
                other_high_needs=spending - 131e6,
                spending_total=spending,
                in_year_balance=income - spending,
                cumulative_deficit=deficit,
                shortfall=(spending - income) if y >= TARGET else 0.0,
                transport_general_fund=40e6,
                capital_spent_options=float(pr.loc[pr["start_year"] == y, "capital_cost"].sum()),
                capital_budget=12e6 if i else 0.0,
            )
        )
    bud = pd.DataFrame(budget)
    bud.to_csv(folder / "budget.csv", index=False)
    k = []
    for y, b in zip(YEARS, budget, strict=True):
        p = pl[pl["year"] == y]
        spec = float(p["pupils"].sum())
        k.append(
            dict(
                year=y,
                children_with_plans=spec * 3,
                specialist_pupils=spec,
                share_mainstream=0.4,
                share_state_specialist_in_county=float(p.loc[state_local[p.index], "pupils"].sum()) / (spec * 3),
                share_independent=float(p.loc[p["setting_type"] == "independent", "pupils"].sum()) / (spec * 3),
                pupils_out_of_county=float(p.loc[p["out_of_county"], "pupils"].sum()),
                mean_journey_km=float((p["pupils"] * p["journey_km"]).sum()) / spec,
                transport_cost=40e6,
                high_needs_spending=b["spending_total"],
                in_year_balance=b["in_year_balance"],
                cumulative_deficit=b["cumulative_deficit"],
                year_of_balance=pd.NA,
            )
        )
    pd.DataFrame(k).to_csv(folder / "kpis.csv", index=False)
    manifest = {
        "created": "2026-01-01T00:00:00",
        "command": "hand-made test run",
        "data": {"folder": str(DATA), "hash": "test", "zones": data.zone_level},  # type: ignore[attr-defined]
        "target_year": TARGET,
        "years": YEARS,
        "scenario": {"name": name, "description": f"A hand-made run ({name}) for the report tests."},
        "status": "optimal",
        "gap": 0.0,
        "shortfall_gbp": float(bud["shortfall"].sum()),
        "seconds": {"total": 1.0},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


# the budget tables of newer run folders, added to a hand-made run (tests/test_report_budget.py has the numbers by
# hand): spending lines the model does not place, a DfE contribution, the council's published figures
LINES = {  # line_<name>: value in the first year, growth a year (their sum is write_run's other_high_needs)
    "element3_mainstream_top_ups": (30e6, 10e6),
    "send_support_services": (12e6, 0.0),
    "other_high_needs_residual": (17e6, 5e6),
}
CONTRIBUTION = (2027, 20e6)  # year, DfE contribution to the cumulative deficit
# year, measure, kind, published, published_value, model_value, base-year difference, demand, unit costs, income,
# DfE contributions, the council's implied change, source
RECONCILIATION = [
    (2023, "in_year_deficit", "outturn", "2023-07", 25e6, None, None, None, None, None, None, None, "outturn"),
    (2024, "cumulative_deficit", "outturn", "2024-08", 100e6, 100e6, None, None, None, None, None, None, "opening"),
    (2025, "in_year_deficit", "forecast", "2024-08", 28e6, 30e6, 2e6, 0.0, 0.0, 0.0, 0.0, 0.0, "forecast"),
    (2026, "high_needs_spending", "derived", "2025-08", 210e6, 205e6, None, None, None, None, None, None, "derived"),
    (2027, "cumulative_deficit", "forecast", "2025-08", 150e6, 203e6, 6e6, 30e6, 10e6, -8e6, -20e6, 35e6, "news"),
    (2028, "in_year_deficit", "forecast", "2024-02", 11.8e6, 63e6, 2e6, 40e6, 12e6, -12e6, 0.0, 9.2e6,
     "a reforecast months after the agreement"),
]  # fmt: skip
UNSERVED = [{"need_group": "SEMH", "phase": "post16", "demand": 81.6}, {"need_group": "ASD", "phase": "post16",
            "demand": 3.2}]  # fmt: skip


def add_budget_tables(folder: Path, *, balance_test: bool = True, margin: float | None = 0.9) -> Path:
    """Give a write_run folder the budget tables and manifest keys of newer run folders: line_ columns and DfE
    contributions in budget.csv (the cumulative deficit lowered by them), budget_reconciliation.csv, and the
    manifest's balance_test, needs no state setting serves and the scenario's occupancy margin."""
    b = pd.read_csv(folder / "budget.csv")
    i = np.arange(len(b))
    at = list(b.columns).index("other_high_needs")
    for k, (name, (first, growth)) in enumerate(LINES.items()):
        b.insert(at + k, f"line_{name}", first + growth * i)
    year, amount = CONTRIBUTION
    contributions = np.where(b["year"] == year, amount, 0.0)
    b.insert(list(b.columns).index("cumulative_deficit"), "dfe_deficit_contributions", contributions)
    b["cumulative_deficit"] -= np.cumsum(contributions)
    if not balance_test:
        b["shortfall"] = 0.0
    b.to_csv(folder / "budget.csv", index=False)
    k = pd.read_csv(folder / "kpis.csv")
    k["cumulative_deficit"] = b["cumulative_deficit"]
    k.to_csv(folder / "kpis.csv", index=False)
    columns = ["year", "measure", "kind", "published", "published_value", "model_value", "base_year_difference",
               "demand", "unit_costs", "income", "dfe_contributions", "council_implied_change", "source"]  # fmt: skip
    rec = pd.DataFrame(RECONCILIATION, columns=columns)
    rec.insert(6, "difference", rec["model_value"] - rec["published_value"])
    rec.to_csv(folder / "budget_reconciliation.csv", index=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["scenario"]["occupancy_margin"] = margin
    manifest["scenario"]["balance_test"] = balance_test
    manifest |= {"format_version": 2, "balance_test": balance_test, "needs_no_state_setting_serves": UNSERVED}
    manifest["shortfall_gbp"] = float(b["shortfall"].sum())
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder
