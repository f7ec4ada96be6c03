"""python -m planner.compare: see planner/cli/compare.py."""

import sys

from planner.cli.compare import main

if __name__ == "__main__":
    sys.exit(main())
