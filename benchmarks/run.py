"""python -m benchmarks.run: model size, build, hand-off, LP and MIP times of the Norfolk instances.

For each zone level (district, msoa, lsoa; target year 2029, baseline scenario) two fresh processes are run, so
each peak resident set is the process's own:
  1. build: build_inputs, then build_index + build_model (as plan() does), the Pyomo -> HiGHS hand-off (appsi
     set_instance, as planner.solver does), the size of the matrix HiGHS holds, its LP relaxation; and the same
     matrix built directly with numpy (planner.model.direct), compared entry by entry and by LP optimum.
  2. mip (unless --skip-mip): plan() itself, every solve it makes, with the time limit per solve and 2 threads.
The objective of the hand-off, the LP relaxations and the direct build is phase 1's (100 x shortfall + cost), the
one plan() hands to HiGHS. Results are printed and written to docs/performance.md (unless --no-write); the prose
after the `<!-- notes -->` marker there is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "norfolk"
DOC = ROOT / "docs" / "performance.md"
ZONES = ("district", "msoa", "lsoa")
TARGET_YEAR = 2029
THREADS = 2
OBJECTIVE = "shortfall"  # phase 1: what plan() hands to HiGHS first
MARKER = "<!-- notes -->"
JSON_PREFIX = "BENCHMARK-JSON "
PACKAGES = ("pyomo", "highspy", "pandas", "numpy")
LP_SOLVERS = ("ipm", "simplex", "choose", "pdlp")
LP_TOLERANCE = 1e-6  # relative difference of the two builds' LP optima that counts as equal


def peak_mb() -> float:
    """Peak resident set of this process so far, MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(zones: str) -> tuple[Any, Any, float]:
    from planner.config import load_scenario
    from planner.data import load_data

    t = time.perf_counter()
    data = load_data(DATA, zones)
    return data, load_scenario(None), time.perf_counter() - t


def measure_build(zones: str, time_limit: float, lp_solver: str) -> dict[str, Any]:
    """Build, hand-off and LP relaxation of one instance, Pyomo and direct (run in a fresh process)."""
    from dataclasses import asdict

    import highspy
    from pyomo.contrib.appsi.solvers import Highs

    from planner.config import apply_scenario
    from planner.highs import matrix_to_highs
    from planner.inputs import build_inputs
    from planner.model import build_index, build_model
    from planner.model.direct import appsi_keys, compare_models, direct_model, solve_relaxation, to_highs
    from planner.model.objectives import use_shortfall_then_cost

    data, scenario, load_s = _load(zones)
    t = time.perf_counter()
    inp = build_inputs(apply_scenario(data, scenario, TARGET_YEAR))
    inputs_s = time.perf_counter() - t
    t = time.perf_counter()
    ix = build_index(inp)
    index_s = time.perf_counter() - t

    # direct first, while the process holds no Pyomo model (its garbage collections would be charged here)
    t = time.perf_counter()
    dm = direct_model(ix, OBJECTIVE)
    arrays_s = time.perf_counter() - t
    t = time.perf_counter()
    hd = to_highs(dm)
    pass_s = time.perf_counter() - t
    warm_s = min(_timed(lambda: to_highs(direct_model(ix, OBJECTIVE))) for _ in range(2))  # once the code is warm

    t = time.perf_counter()
    m = build_model(ix)
    model_s = time.perf_counter() - t
    use_shortfall_then_cost(m)
    # the hand-off as HighsSolver makes it (planner/solver.py): a fresh appsi Highs, set_instance
    t = time.perf_counter()
    opt = Highs()
    opt.config.stream_solver = False
    opt.config.load_solution = False
    opt.set_instance(m)
    appsi_s = time.perf_counter() - t
    h = opt._solver_model
    # the default hand-off (planner.solver, interface "matrix"): Pyomo's standard-form compiler, one passModel
    t = time.perf_counter()
    hm, _, _ = matrix_to_highs(m)
    handoff_s = time.perf_counter() - t
    matrix_size = (hm.getNumCol(), hm.getNumRow(), hm.getNumNz())
    del hm

    lp = solve_relaxation(h, time_limit=time_limit, threads=THREADS, solver=lp_solver)
    lp_direct = solve_relaxation(hd, time_limit=time_limit, threads=THREADS, solver=lp_solver)
    cmp = compare_models(h, appsi_keys(opt, m), hd, (dm.col_keys(), dm.row_keys()))
    integrality = h.getLp().integrality_
    return {
        "instance": zones,
        "zones": len(data.zones),
        "inputs": inp.summary(),
        "objective": OBJECTIVE,
        "lp_solver": lp_solver,
        "load_s": load_s,
        "inputs_s": inputs_s,
        "index_s": index_s,
        "model_s": model_s,
        "build_s": index_s + model_s,
        "handoff_s": handoff_s,
        "appsi_s": appsi_s,
        "matrix_size": matrix_size,
        "pyomo_variables": m.nvariables(),
        "pyomo_constraints": m.nconstraints(),
        "cols": h.getNumCol(),
        "rows": h.getNumRow(),
        "nnz": h.getNumNz(),
        "binaries": sum(1 for v in integrality if v == highspy.HighsVarType.kInteger),  # all are 0-1
        "lp": asdict(lp),
        "direct": {
            "arrays_s": arrays_s,
            "pass_s": pass_s,
            "seconds": arrays_s + pass_s,
            "warm_s": warm_s,
            "cols": hd.getNumCol(),
            "rows": hd.getNumRow(),
            "nnz": hd.getNumNz(),
            "lp": asdict(lp_direct),
            "lp_rel_diff": abs(lp.objective - lp_direct.objective) / max(1.0, abs(lp.objective)),
            "compare": cmp,
        },
        "peak_mb": peak_mb(),
    }


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure_mip(zones: str, time_limit: float, lp_solver: str = "") -> dict[str, Any]:
    """plan() of one instance, every solve it makes (run in a fresh process)."""
    from planner.highs import SolverError, SolverOptions
    from planner.plan import plan

    data, scenario, load_s = _load(zones)
    options = SolverOptions(time_limit=time_limit, threads=THREADS, log=False)
    t = time.perf_counter()
    try:
        out = plan(data, scenario, TARGET_YEAR, options, progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    except SolverError as exc:
        return {"status": "no plan", "error": str(exc), "plan_s": time.perf_counter() - t, "peak_mb": peak_mb()}
    log = getattr(out, "solve_log", None) or [
        {"solve": name, "status": r.status, "gap": r.gap, "seconds": r.solve_seconds}
        for name, r in (("shortfall", out.shortfall_solve), ("cost", out.cost_solve))
    ]  # one entry per solve plan() made (PlanOutcome.solve_log)
    return {
        "status": out.status,
        "gap": out.gap,
        "shortfall_gap": getattr(out, "shortfall_gap", None),
        "solve_s": out.timings["solve_seconds"],
        "solves": [{k: e.get(k) for k in ("solve", "status", "gap", "seconds")} for e in log],
        "shortfall_gbp": out.shortfall,
        "load_s": load_s,
        "plan_s": time.perf_counter() - t,
        "timings": out.timings,
        "peak_mb": peak_mb(),
    }


# ------------------------------------------------------------------------------------------------------------
def run_child(zones: str, part: str, time_limit: float, lp_solver: str) -> dict[str, Any]:
    """Run one part for one instance in a fresh Python process; its JSON result (or an error)."""
    cmd = [sys.executable, "-m", "benchmarks.run", "--one", zones, "--part", part, "--json"]
    cmd += ["--time-limit", str(time_limit), "--lp-solver", lp_solver]
    # the LP relaxations and each MIP phase stop at the time limit; the build itself cannot be limited
    timeout = 2 * time_limit + 3600
    print(f"[{zones}] {part} ...", file=sys.stderr, flush=True)
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "killed", "error": f"no result after {timeout:.0f} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(JSON_PREFIX)]
    if proc.returncode != 0 or not lines:
        return {"status": "error", "error": f"exit status {proc.returncode}: {proc.stdout[-500:]}"}
    print(f"[{zones}] {part} done ({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
    return json.loads(lines[-1][len(JSON_PREFIX) :])


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, load average, date, commit and package versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024**2
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _commit(),
        "versions": versions,
    }


def _commit() -> str:
    """The checked-out commit (read-only git), marked if the working tree has changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


# ------------------------------------------------------------------------------------------------------------
def _s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def _n(x: int | None) -> str:
    return "–" if x is None else f"{x:,}"


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list[Any]], right: int = 1) -> str:
    align = ["---"] * right + ["---:"] * (len(head) - right)
    return "\n".join([_row(head), _row(align), *(_row(r) for r in rows)])


def main_table(results: list[dict[str, Any]]) -> str:
    head = ["instance", "zones", "variables", "constraints", "nonzeros", "binaries", "build s", "hand-off s"]
    head += ["LP relaxation s", "MIP solve s", "status", "gap", "peak MB"]
    rows = []
    for r in results:
        b, mip = r["build"], r.get("mip")
        if "error" in b:
            rows.append([r["instance"], *["–"] * 9, b["status"], "–", "–"])
            continue
        if mip is None:
            solve, status, gap, peak = "–", "not run", "–", f"{b['peak_mb']:.0f}\\*"
        elif "solve_s" in mip:
            solve, status, gap, peak = _s(mip["solve_s"]), mip["status"], f"{mip['gap']:.1e}", f"{mip['peak_mb']:.0f}"
        else:
            solve, status, gap = "–", mip["status"], "–"
            peak = f"{mip['peak_mb']:.0f}" if "peak_mb" in mip else "–"
        rows.append(
            [
                r["instance"],
                _n(b["zones"]),
                _n(b["cols"]),
                _n(b["rows"]),
                _n(b["nnz"]),
                _n(b["binaries"]),
                _s(b["build_s"]),
                _s(b["handoff_s"]),
                _s(b["lp"]["seconds"]),
                solve,
                status,
                gap,
                peak,
            ]
        )
    return _table(head, rows)


def inputs_table(results: list[dict[str, Any]]) -> str:
    head = ["instance", "cohorts", "settings", "arcs", "years", "projects", "load data s", "build_inputs s"]
    head += ["LP optimum (GBP m)", "LP status", "LP iterations"]
    rows = []
    for r in results:
        b = r["build"]
        if "error" in b:
            continue
        i = b["inputs"]
        rows.append(
            [
                r["instance"],
                _n(i["cohorts"]),
                _n(i["settings"]),
                _n(i["arcs"]),
                i["years"],
                _n(i["projects"]),
                _s(b["load_s"]),
                _s(b["inputs_s"]),
                f"{b['lp']['objective']:,.4f}",
                b["lp"]["status"],
                _n(b["lp"]["iterations"]),
            ]
        )
    return _table(head, rows)


def mip_table(results: list[dict[str, Any]]) -> str:
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
            first = n == 0
            rows.append(
                [
                    r["instance"] if first else "",
                    e["solve"],
                    _s(e["seconds"]),
                    e["status"],
                    "–" if e["gap"] is None else f"{e['gap']:.1e}",
                    f"{mip['shortfall_gbp'] / 1e6:,.2f}" if first else "",
                    _s(mip["timings"]["build_seconds"]) if first else "",
                    _s(mip["timings"]["handoff_seconds"]) if first else "",
                ]
            )
    return _table(head, rows, right=2)


def same_model(b: dict[str, Any]) -> tuple[bool, str]:
    """Whether the direct build is the Pyomo build: counts, every entry, and LP optima (when both were solved)."""
    d, c = b["direct"], b["direct"]["compare"]
    counts = (b["rows"], b["cols"], b["nnz"]) == (d["rows"], d["cols"], d["nnz"])
    entries = c["same_cols"] and c["same_rows"] and c["same_pattern"] and c["max_rel_diff"] == 0.0
    solved = b["lp"]["status"] == d["lp"]["status"] == "Optimal"
    lp_equal = solved and d["lp_rel_diff"] < LP_TOLERANCE
    matrix_counts = tuple(b.get("matrix_size", ())) == (b["cols"], b["rows"], b["nnz"])
    why = []
    if not counts:
        why.append("counts differ")
    if not matrix_counts:
        why.append(f"the matrix hand-off's counts differ ({b.get('matrix_size')})")
    if not entries:
        why.append(f"entries differ (max rel. diff {c['max_rel_diff']:.1e})")
    if not solved:
        why.append(f"LP not solved ({b['lp']['status']} / {d['lp']['status']})")
    elif not lp_equal:
        why.append("LP optima differ")
    return counts and matrix_counts and entries and lp_equal, "same" if not why else "; ".join(why)


def direct_table(results: list[dict[str, Any]]) -> str:
    head = ["instance", "rows Pyomo / direct", "columns Pyomo / direct", "nonzeros Pyomo / direct", "entries"]
    head += ["LP optimum Pyomo", "LP optimum direct", "rel. diff", "verdict", "build_model s", "hand-off s"]
    head += ["appsi hand-off s", "direct s", "direct s, warm", "build ratio", "build + hand-off ratio"]
    head += ["with appsi"]
    rows = []
    for r in results:
        b = r["build"]
        if "error" in b:
            continue
        d, c = b["direct"], b["direct"]["compare"]
        same_entries = c["same_cols"] and c["same_rows"] and c["same_pattern"]
        rows.append(
            [
                r["instance"],
                f"{b['rows']:,} / {d['rows']:,}",
                f"{b['cols']:,} / {d['cols']:,}",
                f"{b['nnz']:,} / {d['nnz']:,}",
                f"max rel. diff {c['max_rel_diff']:.0e}" if same_entries else "different keys or pattern",
                f"{b['lp']['objective']:,.6f}",
                f"{d['lp']['objective']:,.6f}",
                f"{d['lp_rel_diff']:.1e}",
                same_model(b)[1],
                _s(b["model_s"]),
                _s(b["handoff_s"]),
                _s(b["appsi_s"]),
                f"{d['seconds']:.3f}",
                f"{d['warm_s']:.3f}",
                f"{b['model_s'] / d['seconds']:.0f}x",
                f"{(b['model_s'] + b['handoff_s']) / d['seconds']:.0f}x",
                f"{(b['model_s'] + b['appsi_s']) / d['seconds']:.0f}x",
            ]
        )
    return _table(head, rows)


def render(results: list[dict[str, Any]], info: dict[str, Any], args: argparse.Namespace, command: str) -> str:
    v = info["versions"]
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
        f"## Norfolk instances: target year {TARGET_YEAR}, baseline scenario",
        "",
        main_table(results),
        "",
        "- instance: the home-zone level (`--zones`); zones: how many home zones.",
        "- variables, constraints, nonzeros, binaries: of the matrix HiGHS holds after the hand-off "
        "(`getNumCol`, `getNumRow`, `getNumNz`, integer columns).",
        "- build s: `build_index` + `build_model`, as `plan()` times them (`build_inputs` is in the table below).",
        "- hand-off s: Pyomo to HiGHS as `planner.solver` makes it by default (interface `matrix`: Pyomo's "
        "standard-form compiler, then one `passModel`), with phase 1's objective (100 x shortfall + cost) active. "
        "The sizes, the LP relaxation and the entry-by-entry comparison below are of the matrix that Pyomo's appsi "
        'interface hands over (`set_instance`, timed as "appsi hand-off s" below); the matrix hand-off gives the '
        "same number of columns, rows and nonzeros (checked: see the verdict).",
        f"- LP relaxation s: HiGHS `run()` on that matrix with integrality dropped, solver "
        f"`{args.lp_solver}` ({THREADS} threads, the time limit).",
        f"- MIP solve s, status, gap: `plan()` with `SolverOptions(time_limit={args.time_limit:g}, "
        f"threads={THREADS})`, every solve it makes (phase 1, then 1b and 2 when the budget cannot balance): the "
        "sum of their solve seconds, the worse status and the gap proven on the plan's cost (`PlanOutcome.status`, "
        "`.gap`; the shortfall's own gap is in the MIP table).",
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
    lines += [
        "## Direct build (numpy, no Pyomo) against the Pyomo build",
        "",
        "`planner.model.direct` builds the same matrix straight from the `ModelIndex` with numpy and hands it to "
        "HiGHS with one `passModel`. Both builds have phase 1's objective. Entries: every column and row is keyed "
        "by the Pyomo component and index it stands for, and costs, bounds, integrality and matrix entries are "
        "compared once the direct build is put in the Pyomo build's order. The LP optimum (GBP m) is each build's "
        'LP relaxation solved by HiGHS. Verdict: "same" when rows, columns and nonzeros are equal, every entry '
        f"is identical and the LP optima differ by less than {LP_TOLERANCE:g} (relative). Ratios: Pyomo's "
        "`build_model` (then `build_model` + hand-off) over the direct build (arrays + `passModel`), each timed "
        "once, cold, in the same fresh process (the direct build first); `build_index` comes before both and is "
        'not counted. "direct s, warm": the best of two more direct builds, for scale (the ratios use the cold '
        "one).",
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


# ------------------------------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--zones", default=",".join(ZONES), help=f"comma-separated zone levels (default {','.join(ZONES)})")
    p.add_argument("--time-limit", type=float, default=600.0, help="seconds per solve: each LP and MIP phase")
    p.add_argument(
        "--lp-solver",
        choices=LP_SOLVERS,
        default="ipm",
        help="HiGHS solver for the LP relaxations (default ipm; dual simplex took over 600 s for the LSOA LP)",
    )
    p.add_argument("--skip-mip", action="store_true", help="measure build, hand-off and LP only (no plan())")
    p.add_argument("--no-write", action="store_true", help="print only; do not write the performance page")
    p.add_argument("--out", type=Path, default=DOC, help="the page to write (default docs/performance.md)")
    p.add_argument("--one", choices=ZONES, help=argparse.SUPPRESS)  # child process: one instance
    p.add_argument("--part", choices=("build", "mip"), default="build", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    zones = [z.strip() for z in args.zones.split(",") if z.strip()]
    bad = [z for z in zones if z not in ZONES]
    if bad or not zones:
        p.error(f"--zones: unknown level(s) {bad}; choose from {','.join(ZONES)}")
    args.zone_list = zones
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.one:
        measure = measure_build if args.part == "build" else measure_mip
        result = measure(args.one, args.time_limit, args.lp_solver)
        print(JSON_PREFIX + json.dumps(result) if args.json else json.dumps(result, indent=2), flush=True)
        return 0

    info = machine()
    command = "python -m benchmarks.run " + shlex.join(sys.argv[1:] if argv is None else argv)
    results = []
    for zones in args.zone_list:
        r: dict[str, Any] = {"instance": zones, "build": run_child(zones, "build", args.time_limit, args.lp_solver)}
        if not args.skip_mip:
            r["mip"] = run_child(zones, "mip", args.time_limit, args.lp_solver)
        results.append(r)
    text = render(results, info, args, command.strip())
    print(text)
    for r in results:
        for part in ("build", "mip"):
            if r.get(part, {}).get("error"):
                print(f"[{r['instance']}] {part}: {r[part]['error']}", file=sys.stderr)
    if not args.no_write:
        write_doc(text, args.out)
        print(f"written: {args.out}", file=sys.stderr)
    failed = [r["instance"] for r in results if any("error" in r.get(part, {}) for part in ("build", "mip"))]
    differ = [r for r in results if "error" not in r["build"] and not same_model(r["build"])[0]]
    for r in differ:
        print(f"[{r['instance']}] direct build vs Pyomo build: {same_model(r['build'])[1]}", file=sys.stderr)
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
