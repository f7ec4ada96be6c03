"""The shipped data/norfolk folder is exactly what `python -m tools.norfolk` writes from data/sources/norfolk."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rebuild_gives_the_shipped_folder(tmp_path: Path) -> None:
    out = tmp_path / "norfolk"
    subprocess.run([sys.executable, "-m", "tools.norfolk", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    shipped = ROOT / "data" / "norfolk"
    names = sorted(p.name for p in shipped.iterdir())
    assert sorted(p.name for p in out.iterdir()) == names
    match, mismatch, errors = filecmp.cmpfiles(shipped, out, names, shallow=False)
    assert not mismatch and not errors, f"rebuilt files differ from data/norfolk: {mismatch + errors}"
