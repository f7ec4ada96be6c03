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


class DataProblems(DataError):
    """Every problem found in a data folder; reads as the first (a run stops at the first problem)."""

    def __init__(self, problems: list[DataError]) -> None:
        first = problems[0]
        super().__init__(first.file, first.problem, first.fix, row=first.row, row_id=first.row_id, column=first.column)
        self.problems = problems


class Findings:
    """Problems and warnings found while reading and checking a data folder, in the order found."""

    def __init__(self) -> None:
        self.problems: list[DataError] = []
        self.warnings: list[str] = []

    def add(self, error: DataError) -> None:
        self.problems.append(error)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def has_problems(self, *files: str) -> bool:
        """Any problem at all, or (with files) any problem in those files."""
        return any(not files or p.file in files for p in self.problems)

    def raise_first(self) -> None:
        if self.problems:
            raise DataProblems(self.problems)
