"""Read one CSV table of a data folder: check its columns, types and ranges, and return it typed.

Tolerated with a warning naming the file (what is safe to read is read): a UTF-8 byte-order mark, Windows-1252
text (Excel's "CSV" on many council PCs), Windows line endings, a column name in another case or with spaces
around it, blank rows at the end. Everything else wrong is a problem naming the file, row, column and fix.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from planner.data import schema
from planner.data.errors import DataError, Findings

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}
_EMPTY = {"", "nan", "na", "none", "null"}
MAX_PROBLEMS_PER_COLUMN = 5  # more bad cells in one column are counted, not listed


def read_text(path: Path, findings: Findings) -> str:
    """A text file's contents: UTF-8, or (with a warning) UTF-8 with a byte-order mark or Windows-1252; Windows
    line endings are read as usual (with a warning)."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        findings.warn(f"{path.name}: starts with a byte-order mark (read as UTF-8)")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise DataError(
                path.name, "the file is neither UTF-8 nor Windows-1252 text", "save it as CSV UTF-8 (comma delimited)"
            ) from None
        findings.warn(f"{path.name}: not UTF-8; read as Windows-1252 (save it as 'CSV UTF-8' to silence this)")
    if "\r\n" in text:
        findings.warn(f"{path.name}: Windows line endings (read as usual)")
    return text


def _row_label(spec: schema.TableSpec, raw: pd.DataFrame, i: int) -> str | None:
    keys = [k for k in spec.key if k in raw.columns]
    if not keys:
        return None
    return ", ".join(f"{k} '{raw.iloc[i][k]}'" for k in keys)


def _cell(col: schema.Column, v: str) -> tuple[object, tuple[str, str] | None]:
    """A cell's typed value, or (None, (problem, fix)) when it is not valid."""
    unit = f" ({col.unit})" if col.unit else ""
    if v.lower() in _EMPTY and col.optional:
        return col.default, None
    if v.lower() in _EMPTY:
        return None, (None if col.nullable else ("the value is empty", f"fill in {col.name}{unit}"))
    if col.kind in ("int", "float"):
        try:
            x = float(v)
        except ValueError:
            return None, (
                f"'{v}' is not a number",
                f"write {col.name} as a plain number"
                + (f" in {col.unit}" if col.unit else "")
                + " (no currency signs, commas or words)",
            )
        if math.isnan(x) or math.isinf(x):
            return None, (f"'{v}' is not a finite number", f"write {col.name} as a plain number")
        if col.kind == "int":
            if x != int(x):
                return None, (f"'{v}' is not a whole number", f"write {col.name} as a whole number")
            x = int(x)
        if col.min is not None and x < col.min:
            problem = f"{v} is negative" if col.min == 0 and x < 0 else f"{v} is below the minimum {col.min:g}"
            return None, (problem, f"give {col.name} of at least {col.min:g}{unit}")
        if col.max is not None and x > col.max:
            return None, (f"{v} is above the maximum {col.max:g}", f"give {col.name} of at most {col.max:g}{unit}")
        return x, None
    if col.kind == "bool":
        if v.lower() in _TRUE | _FALSE:
            return v.lower() in _TRUE, None
        return None, (f"'{v}' is not true or false", "write true or false")
    if col.kind == "list":
        items = tuple(s.strip() for s in v.split(";") if s.strip())
        return (items, None) if items else (None, ("the list is empty", "list one or more values separated by ';'"))
    if col.choices is not None and v not in col.choices:
        return None, (f"'{v}' is not one of {', '.join(col.choices)}", f"write one of {', '.join(col.choices)}")
    return v, None


def _coerce(spec: schema.TableSpec, col: schema.Column, raw: pd.DataFrame, findings: Findings) -> pd.Series:
    values = raw[col.name].astype(str).str.strip()
    out: list[object] = []
    bad = 0
    for i, v in enumerate(values):
        x, problem = _cell(col, v)
        out.append(x)
        if problem is not None:
            bad += 1
            if bad <= MAX_PROBLEMS_PER_COLUMN:
                findings.add(
                    DataError(
                        spec.file,
                        problem[0],
                        col.fix or problem[1],
                        row=i + 2,
                        row_id=_row_label(spec, raw, i),
                        column=col.name,
                    )
                )
    if bad > MAX_PROBLEMS_PER_COLUMN:
        findings.add(
            DataError(
                spec.file,
                f"{bad - MAX_PROBLEMS_PER_COLUMN} more values like these",
                "correct them too",
                column=col.name,
            )
        )
    if col.kind == "int":
        return pd.Series(out, index=raw.index, dtype="Int64")
    if col.kind == "float":
        return pd.Series([np.nan if x is None else x for x in out], index=raw.index, dtype=float)
    if col.kind == "bool":
        return pd.Series([bool(x) for x in out], index=raw.index, dtype=bool)
    return pd.Series(out, index=raw.index, dtype=object)


def _match_columns(spec: schema.TableSpec, raw: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    """Column names stripped; a name in another case is taken (with a warning) when it is the only match."""
    stripped = [c.strip() for c in raw.columns]
    if stripped != list(raw.columns):
        findings.warn(f"{spec.file}: spaces around column names removed")
    raw.columns = stripped
    lower = {c.lower(): c for c in raw.columns}
    renames = {}
    for col in spec.columns:
        found = lower.get(col.name.lower())
        if col.name not in raw.columns and found is not None and found not in renames:
            renames[found] = col.name
            findings.warn(f"{spec.file}: column '{found}' read as '{col.name}' (rename it to silence this)")
    return raw.rename(columns=renames)


def _raw(folder: Path, spec: schema.TableSpec, findings: Findings) -> pd.DataFrame | None:
    """The file's cells as text, or None (with a problem) when it cannot be read as a table."""
    path = folder / spec.file
    if not path.exists() and spec.optional:
        return pd.DataFrame({c.name: pd.Series(dtype=str) for c in spec.columns})
    if not path.exists():
        findings.add(
            DataError(
                spec.file,
                f"the file is missing from {folder}",
                f"add {spec.file} (its columns are listed in docs/data.md)",
            )
        )
        return None
    try:
        text = read_text(path, findings)
    except DataError as exc:
        findings.add(exc)
        return None
    if not text.strip():
        findings.add(
            DataError(spec.file, "the file is empty", "write the header row and the data rows (see docs/data.md)")
        )
        return None
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        findings.add(
            DataError(spec.file, f"the file cannot be read as CSV ({exc})", "save it as comma-separated UTF-8 text")
        )
        return None
    return _match_columns(spec, raw, findings)


def _without_blank_rows(spec: schema.TableSpec, raw: pd.DataFrame, findings: Findings) -> pd.DataFrame | None:
    """Blank rows at the end are harmless; one inside the table would shift the row number of every later error."""
    blank = np.all([raw[c].str.strip().eq("").to_numpy() for c in raw.columns], axis=0) if len(raw.columns) else []
    n = len(blank) - int(np.cumprod(np.asarray(blank)[::-1]).sum())
    if np.asarray(blank)[:n].any():
        row = int(np.flatnonzero(np.asarray(blank)[:n])[0]) + 2
        findings.add(DataError(spec.file, "the row is blank", "delete the blank row, or fill it in", row=row))
        return None
    if n < len(raw):
        findings.warn(f"{spec.file}: {len(raw) - n} blank row(s) at the end ignored")
    return raw.iloc[:n]


def read_table(folder: Path, spec: schema.TableSpec, findings: Findings | None = None) -> pd.DataFrame | None:
    """Read one CSV file, check its columns, types and ranges, and return it typed. Problems go to `findings`
    (and the table is None when it cannot be used); without findings the first problem is raised."""
    found = findings if findings is not None else Findings()
    before = len(found.problems)
    raw = _raw(folder, spec, found)
    raw = _without_blank_rows(spec, raw, found) if raw is not None else None
    if raw is not None and raw.empty and not (spec.may_be_empty or spec.optional):
        found.add(DataError(spec.file, "the file has a header but no rows", "add the data rows"))
        raw = None
    if raw is not None:
        for col in spec.columns:
            if col.name not in raw.columns and col.optional:
                raw[col.name] = ""  # every row takes the column's default
            elif col.name not in raw.columns:
                unit = f" ({col.unit})" if col.unit else ""
                found.add(
                    DataError(
                        spec.file,
                        "the column is missing",
                        f"add a column named '{col.name}'{unit}; see docs/data.md",
                        column=col.name,
                    )
                )
    df = None
    if raw is not None and len(found.problems) == before:
        df = pd.DataFrame({c.name: _coerce(spec, c, raw, found) for c in spec.columns}, index=raw.index)
        _check_key(spec, df, found)
    if findings is None:
        found.raise_first()
    return df if len(found.problems) == before else None


def _check_key(spec: schema.TableSpec, df: pd.DataFrame, findings: Findings) -> None:
    if not spec.key:
        return
    dup = df.duplicated(list(spec.key), keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        first = int(np.flatnonzero((df[list(spec.key)] == df.iloc[i][list(spec.key)]).all(axis=1).to_numpy())[0])
        key = ", ".join(str(df.iloc[i][k]) for k in spec.key)
        findings.add(
            DataError(
                spec.file,
                f"duplicate {' + '.join(spec.key)} '{key}' (first on row {first + 2})",
                "give each row its own id, or remove the repeated row",
                row=i + 2,
                column=spec.key[0] if len(spec.key) == 1 else None,
            )
        )
