"""python -m planner.levers: see planner/cli/levers.py."""

import sys

from planner.cli.levers import main

if __name__ == "__main__":
    sys.exit(main())
