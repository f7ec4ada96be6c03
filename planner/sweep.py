"""python -m planner.sweep: see planner/cli/sweep.py."""

import sys

from planner.cli.sweep import main

if __name__ == "__main__":
    sys.exit(main())
