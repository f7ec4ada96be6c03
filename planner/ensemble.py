"""python -m planner.ensemble: see planner/cli/ensemble.py."""

import sys

from planner.cli.ensemble import main

if __name__ == "__main__":
    sys.exit(main())
