"""python -m planner.solve: see planner/cli/solve.py."""

import sys

from planner.cli.solve import main

if __name__ == "__main__":
    sys.exit(main())
