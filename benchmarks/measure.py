"""What the benchmark measures: each Norfolk instance in fresh processes, so each peak resident set is its own.

- build: build_inputs, then build_index + build_model (as plan() does); the Pyomo -> HiGHS hand-off as the
  planner makes it by default (the matrix interface: Pyomo's standard-form compiler, then one passModel) and as
  the appsi interface makes it (set_instance, timed only); the size of the matrix HiGHS holds and its LP
  relaxation; and the same matrix built directly with numpy (benchmarks.direct), compared entry by entry and by
  LP optimum. The objective is step 1's (the total shortfall), the one plan() hands to HiGHS first; levers off.
- mip: plan() itself, every solve it makes, through the chosen interface (default matrix), with the time limit
  per solve and THREADS threads.
Data: data/norfolk with the baseline scenario and the data's own target year (parameters.csv).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "norfolk"
ZONES = ("district", "msoa", "lsoa")
PARTS = ("build", "mip")
THREADS = 2
OBJECTIVE = "shortfall"  # step 1: what plan() hands to HiGHS first
JSON_PREFIX = "BENCHMARK-JSON "
PACKAGES = ("pyomo", "highspy", "pandas", "numpy")

T = TypeVar("T")


def peak_mb() -> float:
    """Peak resident set of this process so far, MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Callable[..., T], *args: Any) -> tuple[T, float]:
    """fn(*args) and its wall-clock seconds."""
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def _load(zones: str) -> tuple[Any, Any, float]:
    """The Norfolk data at this zone level, the baseline scenario, and the seconds the data took to load."""
    from planner.config import load_scenario
    from planner.data import load_data

    data, load_s = _timed(load_data, DATA, zones)
    return data, load_scenario(None), load_s


def measure_build(zones: str, time_limit: float, lp_solver: str) -> dict[str, Any]:
    """Build, hand-off and LP relaxation of one instance, Pyomo and direct (run in a fresh process)."""
    from benchmarks.direct import compare, direct_model, pyomo_keys
    from planner.config import apply_scenario
    from planner.highs import appsi_instance, read_matrix, solve_relaxation, to_highs
    from planner.inputs import build_inputs
    from planner.model import build_index, build_model
    from planner.model.matrix import standard_form
    from planner.model.objectives import use_least_shortfall

    data, scenario, load_s = _load(zones)
    scenario = scenario.model_copy(update={"levers": False})  # the direct build has the places model only
    inp, inputs_s = _timed(lambda: build_inputs(apply_scenario(data, scenario)))  # the data's target year
    ix, index_s = _timed(build_index, inp)
    # direct first, while the process holds no Pyomo model (its garbage collections would be charged here)
    dm, arrays_s = _timed(direct_model, ix, OBJECTIVE)
    hd, pass_s = _timed(to_highs, dm.matrix)
    warm_s = min(_timed(lambda: to_highs(direct_model(ix, OBJECTIVE).matrix))[1] for _ in range(2))  # warm code

    m, model_s = _timed(build_model, ix)
    use_least_shortfall(m)
    appsi, appsi_s = _timed(appsi_instance, m)  # the appsi interface's hand-off (kept until the end)
    # the default hand-off, planner.highs.matrix_to_highs in its two steps (the compiled rows name the rows)
    (matrix, columns, constraints, _offset), compile_s = _timed(standard_form, m)
    hm, matrix_pass_s = _timed(to_highs, matrix)
    del matrix

    lp, lp_direct = (solve_relaxation(h, time_limit=time_limit, threads=THREADS, solver=lp_solver) for h in (hm, hd))
    held, built = read_matrix(hm), read_matrix(hd)
    same = compare(held, pyomo_keys(columns, constraints), built, dm.keys())
    del appsi
    return {
        "instance": zones,
        "zones": len(data.zones),
        "target_year": inp.target_year,
        "inputs": inp.summary(),
        "objective": OBJECTIVE,
        "lp_solver": lp_solver,
        "load_s": load_s,
        "inputs_s": inputs_s,
        "index_s": index_s,
        "model_s": model_s,
        "build_s": index_s + model_s,
        "handoff_s": compile_s + matrix_pass_s,
        "appsi_s": appsi_s,
        "pyomo_variables": m.nvariables(),
        "pyomo_constraints": m.nconstraints(),
        **_size(held),
        "binaries": int(held.integer.sum()),  # every integer column is 0-1
        "lp": asdict(lp),
        "direct": {
            "arrays_s": arrays_s,
            "pass_s": pass_s,
            "seconds": arrays_s + pass_s,
            "warm_s": warm_s,
            **_size(built),
            "lp": asdict(lp_direct),
            "lp_rel_diff": abs(lp.objective - lp_direct.objective) / max(1.0, abs(lp.objective)),
            "compare": same,
        },
        "peak_mb": peak_mb(),
    }


def _size(matrix: Any) -> dict[str, int]:
    """Columns, rows and nonzeros of a planner.highs.Matrix."""
    rows, cols = matrix.a.shape
    return {"cols": int(cols), "rows": int(rows), "nnz": int(matrix.a.nnz)}


def measure_mip(zones: str, time_limit: float, interface: str) -> dict[str, Any]:
    """plan() of one instance, every solve it makes (run in a fresh process)."""
    from planner.highs import SolverError, SolverOptions
    from planner.plan import plan

    data, scenario, load_s = _load(zones)
    options = SolverOptions(time_limit=time_limit, threads=THREADS, interface=interface, log=False)
    t = time.perf_counter()
    try:
        out = plan(data, scenario, None, options, progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    except SolverError as exc:
        return {"status": "no plan", "error": str(exc), "plan_s": time.perf_counter() - t, "peak_mb": peak_mb()}
    return {
        "folder": _run_folder_size(out, data, options),
        "status": out.status,
        "gap": out.gap,
        "shortfall_gap": out.shortfall_gap,
        "target_year": out.inputs.target_year,
        "interface": interface,
        "solve_s": out.timings["solve_seconds"],
        "solves": [{k: e.get(k) for k in ("solve", "status", "gap", "seconds")} for e in out.solve_log],
        "shortfall_gbp": out.shortfall,
        "load_s": load_s,
        "plan_s": time.perf_counter() - t,
        "timings": out.timings,
        "peak_mb": peak_mb(),
    }


def _run_folder_size(out: Any, data: Any, options: Any) -> dict[str, Any]:
    """The run folder planner.solve writes for this plan (report, map and workbook included), written to a
    temporary folder: its size and its largest files, MB."""
    import tempfile

    from planner.cli.common import write_run
    from planner.runfolder import RunWriter

    with tempfile.TemporaryDirectory() as tmp:
        writer = RunWriter(Path(tmp) / "run")
        folder = write_run(writer, out, data, options, command="benchmark", started=time.perf_counter(),
                           report=True, progress=lambda _m: None)  # fmt: skip
        sizes = {p.name: p.stat().st_size / 1e6 for p in folder.rglob("*") if p.is_file()}
    largest = dict(sorted(sizes.items(), key=lambda kv: -kv[1])[:5])
    return {"mb": sum(sizes.values()), "files": len(sizes), "largest_mb": largest}


def measure(zones: str, part: str, time_limit: float, lp_solver: str, interface: str) -> dict[str, Any]:
    """One part ("build" or "mip") of one instance, in this process."""
    if part == "build":
        return measure_build(zones, time_limit, lp_solver)
    return measure_mip(zones, time_limit, interface)


def run_child(zones: str, part: str, time_limit: float, lp_solver: str, interface: str) -> dict[str, Any]:
    """Run one part for one instance in a fresh Python process; its JSON result (or an error)."""
    cmd = [sys.executable, "-m", "benchmarks.run", "--one", zones, "--part", part, "--json"]
    cmd += ["--time-limit", str(time_limit), "--lp-solver", lp_solver, "--interface", interface]
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
    cpu = _proc_field("/proc/cpuinfo", "model name", lambda v: v) or platform.processor() or platform.machine()
    versions = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": _proc_field("/proc/meminfo", "MemTotal", lambda v: int(v.split()[0]) / 1024**2) or float("nan"),
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _commit(),
        "versions": versions,
    }


def _proc_field(path: str, name: str, parse: Callable[[str], Any]) -> Any:
    """The parsed value of the first `name: value` line of a /proc file (None if absent or unreadable)."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    value = next((ln.split(":", 1)[1].strip() for ln in lines if ln.lower().startswith(name.lower())), None)
    return None if value is None else parse(value)


def _commit() -> str:
    """The checked-out commit (read-only git), marked if the working tree has changes."""
    git = ["git", "-C", str(ROOT)]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    head_id = head.stdout.strip()
    return f"{head_id} (with uncommitted changes)" if dirty.stdout.strip() else head_id
