"""One clear error per bad input: the file, the row or column, what is wrong and how to fix it."""

from __future__ import annotations


class DataError(ValueError):
    """A data folder that cannot be planned with. The message names file, row/column, problem and fix."""

    def __init__(
        self,
        file: str,
        problem: str,
        fix: str,
        *,
        row: int | None = None,
        row_id: str | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.problem, self.fix = file, problem, fix
        self.row, self.row_id, self.column = row, row_id, column
        where = [file]
        if row is not None:
            where.append(f"row {row}" + (f" ({row_id})" if row_id else ""))
        elif row_id:
            where.append(row_id)
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {problem}. Fix: {fix}")


class DataWarning(UserWarning):
    """Something a planner should look at that does not stop a run (places below the current roll, say)."""
