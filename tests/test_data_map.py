"""The data CLI: summary, clear data errors, and the data map PNG."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "norfolk"
A4_LANDSCAPE_PX = (1654, 2338)  # rows, columns: 11.69 x 8.27 inches at 200 dpi


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "planner.data", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_map_writes_a_png_of_the_expected_size_that_is_not_blank(tmp_path: Path) -> None:
    # run from an empty folder: the data are found next to the package, the map lands in ./runs/
    result = run_cli("--map", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "runs" / "data-map-msoa.png"
    assert path.exists()
    assert str(Path("runs") / "data-map-msoa.png") in result.stdout

    img = mpimg.imread(path)
    assert img.shape[:2] == A4_LANDSCAPE_PX
    grey = img[..., :3].mean(axis=2)
    rows, cols = grey.shape
    centre = grey[int(rows * 0.25) : int(rows * 0.65), int(cols * 0.2) : int(cols * 0.6)]
    assert centre.var() > 0.005  # shading, boundaries and markers, not an empty canvas
    assert (centre < 0.9).mean() > 0.2  # the county is shaded, not white


def test_no_flags_prints_the_summary() -> None:
    result = run_cli()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in ("Zones: 110 msoa zones", "Settings:", "special", "srb", "independent", "Commitments:", "Options:"):
        assert text in out
    assert "Plan projections: central" in out
    assert "reconciliation" in out and "plans_base_year" in out
    assert "Warnings" in out


def test_bad_folder_exits_2_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "norfolk"
    shutil.copytree(DATA, bad, ignore=shutil.ignore_patterns("zones_lsoa.geojson"))
    (bad / "settings.csv").unlink()
    result = run_cli("--data", str(bad))
    assert result.returncode == 2
    assert "settings.csv" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == ""
