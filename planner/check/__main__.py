"""python -m planner.check RUN_FOLDER: the command line is planner.cli.check."""

import sys

from planner.cli.check import main

sys.exit(main())
