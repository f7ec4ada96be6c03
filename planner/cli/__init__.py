"""The command lines: python -m planner.solve, .sweep, .compare, .check, .report and .data (each a thin entry
that calls main() here). Arguments, messages, exit codes and run folders live here; the work is done below."""
