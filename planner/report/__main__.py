"""python -m planner.report: see planner/cli/report.py."""

import sys

from planner.cli.report import main

if __name__ == "__main__":
    sys.exit(main())
