"""Every exit status the README gives, and runs that lose no work: 0 a plan; 1 stopped above the gap; 2 bad input
(tests/test_fuzz_inputs.py); 3 no plan; 4 an unforeseen error, with a log; 130 Ctrl-C, leaving nothing behind;
two runs started in the same second get their own folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.cli import solve as solve_cli
from planner.highs import SolverOptions
from tests.instances import Instance, write_instance

ROOT = Path(__file__).resolve().parents[1]


def tiny(tmp_path: Path, **kw) -> Path:
    inst = Instance(settings=[dict(id="S1", type="special", x=10.0, places=3)], **kw)
    return write_instance(tmp_path / "data", inst)


def args(data: Path, out: Path | None = None) -> list[str]:
    return ["--year", "2026", "--data", str(data), "--quiet", "--no-report"] + (["--out", str(out)] if out else [])


def test_0_a_plan(tmp_path: Path) -> None:
    assert solve_cli.main(args(tiny(tmp_path), tmp_path / "run")) == 0
    assert (tmp_path / "run" / "manifest.json").exists()


def test_1_stopped_above_the_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """HiGHS told to stop at its first plan (district zones: a 31% gap): the folder is written and flagged."""
    real = solve_cli.solver_options

    def first_plan_only(a) -> SolverOptions:
        o = real(a)
        o.highs_options = {"mip_max_improving_sols": 1}
        return o

    monkeypatch.setattr(solve_cli, "solver_options", first_plan_only)
    out = tmp_path / "run"
    assert solve_cli.main(["--zones", "district", "--quiet", "--no-report", "--out", str(out)]) == 1
    assert "not proven" in capsys.readouterr().err
    assert (out / "manifest.json").exists()


def test_3_no_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A forced resource base with no capital to build it: no plan satisfies the rules."""
    data = write_instance(tmp_path / "data", Instance(options=[dict(id="X", type="srb", x=0.0, sizes=[(5, 600_000)],
                                                                    lead=1)]))  # fmt: skip
    scenario = tmp_path / "force.toml"
    scenario.write_text('force_options = ["X"]\n')
    out = tmp_path / "run"
    assert solve_cli.main([*args(data, out), "--scenario", str(scenario)]) == 3
    assert "capital" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".run*"))


def test_4_an_unforeseen_error_and_its_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    def broken(*_a, **_k):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(solve_cli, "plan", broken)
    monkeypatch.setenv("PLANNER_RUNS_DIR", str(tmp_path / "runs"))
    out = tmp_path / "run"
    assert solve_cli.main(args(tiny(tmp_path), out)) == 4
    err = capsys.readouterr().err.strip().splitlines()[-1]  # after the progress lines, one line
    assert err.startswith("unexpected error: ZeroDivisionError: a bug"), err
    log = Path(err.split("The traceback is in ")[1].split(";")[0])
    assert log.exists() and "Traceback" in log.read_text() and "ZeroDivisionError" in log.read_text()
    assert not out.exists() and not list(tmp_path.glob(".run*"))


def test_130_ctrl_c_leaves_nothing(tmp_path: Path) -> None:
    """SIGINT during the solve (district zones: step 1 takes ten seconds or more): exit 130, one line, no folder."""
    out = tmp_path / "run"
    p = subprocess.Popen([sys.executable, "-m", "planner.solve", "--zones", "district", "--quiet", "--no-report",
                          "--out", str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True)  # fmt: skip
    stderr = ""
    deadline = time.time() + 120
    while time.time() < deadline:  # wait for the solve to start
        line = p.stderr.readline()
        stderr += line
        if "step 1:" in line:
            break
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    rest = p.communicate(timeout=120)[1]
    assert p.returncode == 130, stderr + rest
    assert rest.strip().splitlines()[-1].startswith("interrupted"), rest
    assert "Traceback" not in rest
    assert sorted(os.listdir(tmp_path)) == [], os.listdir(tmp_path)


def test_two_runs_in_the_same_second(tmp_path: Path) -> None:
    """Two runs started together with the default run folder name: both succeed, in folders of their own."""
    data = tiny(tmp_path)
    env = {**os.environ, "PLANNER_RUNS_DIR": str(tmp_path / "runs")}
    cmd = [sys.executable, "-m", "planner.solve", *args(data)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in (1, 2)]
    for p in procs:
        p.wait(timeout=120)
    assert [p.returncode for p in procs] == [0, 0], [p.stderr.read() for p in procs]
    folders = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(folders) == 2 and all((tmp_path / "runs" / f / "manifest.json").exists() for f in folders), folders


def test_same_out_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second run given the same --out is refused at once (before solving), not after."""
    data, out = tiny(tmp_path), tmp_path / "run"
    lock = out.with_name(".run.lock")
    lock.write_text("another run")  # as a run in progress holds it
    assert solve_cli.main(args(data, out)) == 2
    assert "another run is writing" in capsys.readouterr().err
    lock.unlink()
    assert solve_cli.main(args(data, out)) == 0
    assert solve_cli.main(args(data, out)) == 2
    assert "already exists" in capsys.readouterr().err


def test_folders_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert solve_cli.main(args(tiny(tmp_path), tmp_path / "run")) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "run" / "budget.csv").stat().st_mode & 0o777 == 0o644
