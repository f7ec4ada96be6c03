"""docs/performance.md from the benchmark's figures: tables of what benchmarks.measure returned, and what they mean.

Everything above the notes marker is rewritten on each run; the prose after it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.measure import THREADS

MARKER = "<!-- notes -->"
LP_TOLERANCE = 1e-6  # relative difference of the two builds' LP optima that counts as equal
Result = dict[str, Any]  # one instance: {"instance": ..., "build": {...}, "mip": {...} (unless --skip-mip)}


def _s(x: float | None) -> str:
    """Seconds to three significant figures or so."""
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def _n(x: int | None) -> str:
    return "–" if x is None else f"{x:,}"


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list[Any]], left: int = 1) -> str:
    """A Markdown table, the first `left` columns left-aligned and the rest right-aligned."""
    align = ["---"] * left + ["---:"] * (len(head) - left)
    return "\n".join([_row(head), _row(align), *(_row(r) for r in rows)])


def _built(results: list[Result]) -> Iterator[tuple[str, Result]]:
    """(instance, build figures) of each instance whose build was measured."""
    for r in results:
        if "error" not in r["build"]:
            yield r["instance"], r["build"]


def _mip_cells(b: Result, mip: Result | None) -> list[str]:
    """MIP solve s, status, gap and peak MB of one instance."""
    if mip is None:
        return ["–", "not run", "–", f"{b['peak_mb']:.0f}\\*"]
    peak = f"{mip['peak_mb']:.0f}" if "peak_mb" in mip else "–"
    if "solve_s" not in mip:
        return ["–", mip["status"], "–", peak]
    return [_s(mip["solve_s"]), mip["status"], f"{mip['gap']:.1e}", peak]


def main_table(results: list[Result]) -> str:
    head = ["instance", "zones", "variables", "constraints", "nonzeros", "binaries", "build s", "hand-off s"]
    head += ["LP relaxation s", "MIP solve s", "status", "gap", "peak MB"]
    rows = []
    for r in results:
        b = r["build"]
        if "error" in b:
            rows.append([r["instance"], *["–"] * 9, b["status"], "–", "–"])
            continue
        sizes = [_n(b[k]) for k in ("zones", "cols", "rows", "nnz", "binaries")]
        times = [_s(b["build_s"]), _s(b["handoff_s"]), _s(b["lp"]["seconds"])]
        rows.append([r["instance"], *sizes, *times, *_mip_cells(b, r.get("mip"))])
    return _table(head, rows)


def inputs_table(results: list[Result]) -> str:
    head = ["instance", "cohorts", "settings", "arcs", "years", "projects", "load data s", "build_inputs s"]
    head += ["LP optimum (GBP m)", "LP status", "LP iterations"]
    rows = []
    for instance, b in _built(results):
        i, lp = b["inputs"], b["lp"]
        counts = [_n(i["cohorts"]), _n(i["settings"]), _n(i["arcs"]), i["years"], _n(i["projects"])]
        lp_cells = [f"{lp['objective']:,.4f}", lp["status"], _n(lp["iterations"])]
        rows.append([instance, *counts, _s(b["load_s"]), _s(b["inputs_s"]), *lp_cells])
    return _table(head, rows)


def mip_table(results: list[Result]) -> str:
    head = ["instance", "solve", "seconds", "status", "gap", "shortfall GBP m", "plan() build s", "plan() hand-off s"]
    rows = []
    for r in results:
        mip = r.get("mip")
        if not mip:
            continue
        if "solves" not in mip:
            rows.append([r["instance"], "–", "–", mip["status"], *["–"] * 4])
            continue
        for n, e in enumerate(mip["solves"]):
            gap = "–" if e["gap"] is None else f"{e['gap']:.1e}"
            first = [f"{mip['shortfall_gbp'] / 1e6:,.2f}", _s(mip["timings"]["build_seconds"])]
            first += [_s(mip["timings"]["handoff_seconds"])]
            once = first if n == 0 else [""] * len(first)
            rows.append([r["instance"] if n == 0 else "", e["solve"], _s(e["seconds"]), e["status"], gap, *once])
    return _table(head, rows, left=2)


def folder_table(results: list[Result]) -> str:
    """The run folder planner.solve writes for each instance's plan (report, map, workbook included)."""
    rows = []
    for r in results:
        f = (r.get("mip") or {}).get("folder")
        if f:
            big = ", ".join(f"{k} {v:.1f}" for k, v in f["largest_mb"].items())
            rows.append([r["instance"], f"{f['mb']:.1f}", str(f["files"]), big])
    return _table(["instance", "run folder MB", "files", "largest files, MB"], rows) if rows else ""


def same_model(b: Result) -> tuple[bool, str]:
    """Whether the direct build is the Pyomo build: counts, every entry, and LP optima (when both were solved)."""
    d, c = b["direct"], b["direct"]["compare"]
    counts = (b["rows"], b["cols"], b["nnz"]) == (d["rows"], d["cols"], d["nnz"])
    entries = c["same_cols"] and c["same_rows"] and c["same_pattern"] and c["max_rel_diff"] == 0.0
    solved = b["lp"]["status"] == d["lp"]["status"] == "Optimal"
    lp_equal = solved and d["lp_rel_diff"] < LP_TOLERANCE
    why = [] if counts else ["counts differ"]
    if not entries:
        why.append(f"entries differ (max rel. diff {c['max_rel_diff']:.1e})")
    if not solved:
        why.append(f"LP not solved ({b['lp']['status']} / {d['lp']['status']})")
    elif not lp_equal:
        why.append("LP optima differ")
    return counts and entries and lp_equal, "; ".join(why) or "same"


def direct_table(results: list[Result]) -> str:
    head = ["instance", "rows Pyomo / direct", "columns Pyomo / direct", "nonzeros Pyomo / direct", "entries"]
    head += ["LP optimum Pyomo", "LP optimum direct", "rel. diff", "verdict", "build_model s", "hand-off s"]
    head += ["appsi hand-off s", "direct s", "direct s, warm", "build ratio", "build + hand-off ratio"]
    head += ["with appsi"]
    rows = []
    for instance, b in _built(results):
        d, c = b["direct"], b["direct"]["compare"]
        same_entries = c["same_cols"] and c["same_rows"] and c["same_pattern"]
        counts = [f"{b[k]:,} / {d[k]:,}" for k in ("rows", "cols", "nnz")]
        entries = f"max rel. diff {c['max_rel_diff']:.0e}" if same_entries else "different keys or pattern"
        lps = [f"{b['lp']['objective']:,.6f}", f"{d['lp']['objective']:,.6f}", f"{d['lp_rel_diff']:.1e}"]
        times = [_s(b["model_s"]), _s(b["handoff_s"]), _s(b["appsi_s"]), f"{d['seconds']:.3f}", f"{d['warm_s']:.3f}"]
        pyomo = (b["model_s"], b["model_s"] + b["handoff_s"], b["model_s"] + b["appsi_s"])
        ratios = [f"{p / d['seconds']:.0f}x" for p in pyomo]
        rows.append([instance, *counts, entries, *lps, same_model(b)[1], *times, *ratios])
    return _table(head, rows)


def _target_years(results: list[Result]) -> str:
    """The target year(s) the instances were planned to, as the data set them."""
    years = sorted(
        {p["target_year"] for r in results for p in r.values() if isinstance(p, dict) and "target_year" in p}
    )
    return "target year " + (", ".join(map(str, years)) or "–") + " (the data's)"


def render(results: list[Result], info: dict[str, Any], options: dict[str, Any], command: str) -> str:
    """The page above the notes marker. options: the run's time_limit, lp_solver and interface."""
    v, lp_solver, interface = info["versions"], options["lp_solver"], options["interface"]
    lines = [
        "# Performance",
        "",
        f"Every figure on this page is printed by `python -m benchmarks.run` and written here by it, never "
        f"hand-copied; rerun it to refresh them (this run: `{command}`). Everything above the notes marker (an "
        "HTML comment, not shown when rendered) is rewritten on each run; notes after it are kept.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}; cores (os.cpu_count): {info['cores']}; RAM: {info['ram_gb']:.1f} GiB",
        f"- Load average (1 min) at the start: {info['load']:.2f} (other processes running slow the figures)",
        f"- Date: {info['date']}; commit: {info['commit']}",
        f"- Python {v['python']}, Pyomo {v['pyomo']}, highspy {v['highspy']}, pandas {v['pandas']}, numpy {v['numpy']}",
        "",
        f"## Norfolk instances: {_target_years(results)}, baseline scenario",
        "",
        main_table(results),
        "",
        "- instance: the home-zone level (`--zones`); zones: how many home zones.",
        "- variables, constraints, nonzeros, binaries: of the matrix HiGHS holds after the hand-off (read back "
        "from HiGHS: columns, rows, nonzeros, integer columns).",
        "- build s: `build_index` + `build_model`, as `plan()` times them (`build_inputs` is in the table below).",
        "- hand-off s: Pyomo to HiGHS as `planner.highs` makes it by default (interface `matrix`: Pyomo's "
        "standard-form compiler, then one `passModel`), with step 1's objective (the total shortfall) active and "
        "the levers off (the direct build has the places model only). "
        "The sizes, the LP relaxation and the entry-by-entry comparison below are of the matrix this hand-off "
        'gives HiGHS; the appsi interface\'s hand-off (`set_instance`) is timed as "appsi hand-off s" below.',
        f"- LP relaxation s: HiGHS `run()` on that matrix with integrality dropped, solver "
        f"`{lp_solver}` ({THREADS} threads, the time limit).",
        f"- MIP solve s, status, gap: `plan()` with `SolverOptions(time_limit={options['time_limit']:g}, "
        f'threads={THREADS}, interface="{interface}")`, every solve it makes (step 1, the least shortfall; step 2, '
        "the cheapest plan with it; step 3, whole places; and the marginal-values LP), with the levers of the "
        "baseline scenario: the sum of their solve seconds, the worst status and the gap proven on the plan's "
        "cost (`PlanOutcome.status`, `.gap`; the shortfall's own gap is in the MIP table).",
        "- peak MB: peak resident set (`ru_maxrss`) of a fresh process that loads the data and runs `plan()`. "
        "\\* with `--skip-mip`: of the fresh process that measured build, hand-off and LP (it holds both builds).",
        "",
        "### Inputs and LP relaxation",
        "",
        inputs_table(results),
        "",
    ]
    if any(r.get("mip") for r in results):
        lines += ["### MIP: the solves of plan()", "", mip_table(results), ""]
        lines += ["### The run folder", "", "What `python -m planner.solve` writes for that plan (tables, Parquet, "
                  "GeoPackage, plan.png, report.html, the interactive map and plan.xlsx); MSOA is the default run. "
                  "Target: under 15 MB.", "", folder_table(results), ""]  # fmt: skip
    lines += [
        "## Direct build (numpy, no Pyomo) against the Pyomo build",
        "",
        "`benchmarks.direct` builds the same matrix straight from the `ModelIndex` with numpy and hands it to "
        "HiGHS with one `passModel`. Both builds have step 1's objective, levers off. Entries: every column and "
        "row is keyed by the Pyomo component and index it stands for, and costs, bounds, integrality and matrix "
        "entries, as HiGHS holds them, are compared once the direct build is put in the Pyomo build's order. The LP "
        'optimum (GBP m) is each build\'s LP relaxation solved by HiGHS. Verdict: "same" when rows, columns and '
        f"nonzeros are equal, every entry is identical and the LP optima differ by less than {LP_TOLERANCE:g} "
        "(relative). Ratios: Pyomo's `build_model` (then `build_model` + hand-off, or + the appsi hand-off) over "
        "the direct build (arrays + `passModel`), each timed once, cold, in the same fresh process (the direct "
        'build first); `build_index` comes before both and is not counted. "direct s, warm": the best of two more '
        "direct builds, for scale (the ratios use the cold one).",
        "",
        direct_table(results),
        "",
    ]
    return "\n".join(lines)


def write_doc(text: str, path: Path) -> None:
    """Write text, then the notes marker and whatever followed it in the existing file (all of it if unmarked)."""
    notes = "\n\nNotes on these figures go here; they are kept when the benchmark rewrites the page.\n"
    if path.exists():
        old = path.read_text(encoding="utf-8")
        marker = re.search(rf"^{re.escape(MARKER)}[ \t]*$", old, flags=re.MULTILINE)  # on a line of its own
        notes = old[marker.end() :] if marker else "\n\n" + old
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n" + MARKER + notes, encoding="utf-8")
