"""python -m planner.data: see planner/cli/data.py."""

import sys

from planner.cli.data import main

if __name__ == "__main__":
    sys.exit(main())
