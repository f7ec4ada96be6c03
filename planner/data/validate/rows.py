"""Helpers that turn a mask over a table's rows into problems naming the file, row, row id, column and fix."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from planner.data.errors import DataError, Findings

MAX_ROWS = 5  # problems listed per check; the rest are counted

Text = str | Callable[[pd.Series], str]


def _text(t: Text, row: pd.Series) -> str:
    return t(row) if callable(t) else t


def row_problems(
    findings: Findings,
    file: str,
    df: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    *,
    key: str | None,
    column: str | None,
    problem: Text,
    fix: Text,
) -> None:
    """A problem for each row where `mask` holds (the first MAX_ROWS listed, the rest counted). Rows are numbered
    as a spreadsheet shows them: the header is row 1."""
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    for i in hits[:MAX_ROWS]:
        r = df.iloc[i]
        rid = f"{key} '{r[key]}'" if key else None
        findings.add(DataError(file, _text(problem, r), _text(fix, r), row=int(i) + 2, row_id=rid, column=column))
    if len(hits) > MAX_ROWS:
        findings.add(DataError(file, f"{len(hits) - MAX_ROWS} more rows like these", "correct them too", column=column))


def refs(
    findings: Findings,
    file: str,
    df: pd.DataFrame,
    column: str,
    known: set[str],
    what: str,
    where: str,
    key: tuple[str, ...] = (),
) -> None:
    """Every value (or list item) of `column` is one of `known`."""
    for i, value in enumerate(df[column]):
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if v not in known:
                rid = ", ".join(f"{k} '{df.iloc[i][k]}'" for k in key if k in df.columns) or None
                findings.add(
                    DataError(
                        file,
                        f"unknown {what} '{v}'",
                        f"use one of {', '.join(sorted(known))} (as in {where}), or add it there",
                        row=i + 2,
                        row_id=rid,
                        column=column,
                    )
                )
