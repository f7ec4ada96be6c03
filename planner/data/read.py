"""Read one CSV table of a data folder: check its columns, types and ranges, and return it typed."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from planner.data import schema
from planner.data.errors import DataError

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _row_label(spec: schema.TableSpec, raw: pd.DataFrame, i: int) -> str | None:
    keys = [k for k in spec.key if k in raw.columns]
    if not keys:
        return None
    return ", ".join(f"{k} '{raw.iloc[i][k]}'" for k in keys)


def _coerce(spec: schema.TableSpec, col: schema.Column, raw: pd.DataFrame) -> pd.Series:
    values = raw[col.name].astype(str).str.strip()
    out: list[object] = []
    for i, v in enumerate(values):

        def fail(problem: str, fix: str, i: int = i) -> DataError:
            return DataError(
                spec.file, problem, col.fix or fix, row=i + 2, row_id=_row_label(spec, raw, i), column=col.name
            )

        if v == "" or v.lower() in {"nan", "na", "none", "null"}:
            if not col.nullable:
                raise fail("the value is empty", f"fill in {col.name}" + (f" ({col.unit})" if col.unit else ""))
            out.append(None)
            continue
        if col.kind in ("int", "float"):
            try:
                x = float(v)
            except ValueError:
                raise fail(
                    f"'{v}' is not a number",
                    f"write {col.name} as a plain number"
                    + (f" in {col.unit}" if col.unit else "")
                    + " (no currency signs, commas or words)",
                ) from None
            if math.isnan(x) or math.isinf(x):
                raise fail(f"'{v}' is not a finite number", f"write {col.name} as a plain number")
            if col.kind == "int":
                if x != int(x):
                    raise fail(f"'{v}' is not a whole number", f"write {col.name} as a whole number")
                x = int(x)
            if col.min is not None and x < col.min:
                problem = f"{v} is negative" if col.min == 0 and x < 0 else f"{v} is below the minimum {col.min:g}"
                raise fail(problem, f"give {col.name} of at least {col.min:g}" + (f" ({col.unit})" if col.unit else ""))
            if col.max is not None and x > col.max:
                raise fail(f"{v} is above the maximum {col.max:g}", f"give {col.name} of at most {col.max:g}")
            out.append(x)
        elif col.kind == "bool":
            if v.lower() in _TRUE:
                out.append(True)
            elif v.lower() in _FALSE:
                out.append(False)
            else:
                raise fail(f"'{v}' is not true or false", "write true or false")
        elif col.kind == "list":
            items = tuple(s.strip() for s in v.split(";") if s.strip())
            if not items:
                raise fail("the list is empty", "list one or more values separated by ';'")
            out.append(items)
        else:
            if col.choices is not None and v not in col.choices:
                raise fail(f"'{v}' is not one of {', '.join(col.choices)}", f"write one of {', '.join(col.choices)}")
            out.append(v)
    if col.kind == "int":
        return pd.Series(out, index=raw.index, dtype="Int64")
    if col.kind == "float":
        return pd.Series([np.nan if x is None else x for x in out], index=raw.index, dtype=float)
    if col.kind == "bool":
        return pd.Series(out, index=raw.index, dtype=bool)
    return pd.Series(out, index=raw.index, dtype=object)


def read_table(folder: Path, spec: schema.TableSpec) -> pd.DataFrame:
    """Read one CSV file, check its columns, types and ranges, and return it typed."""
    path = folder / spec.file
    if not path.exists():
        raise DataError(
            spec.file, f"the file is missing from {folder}", f"add {spec.file} (its columns are listed in docs/data.md)"
        )
    if not path.read_text(encoding="utf-8-sig").strip():
        raise DataError(spec.file, "the file is empty", "write the header row and the data rows (see docs/data.md)")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(
            spec.file, f"the file cannot be read as CSV ({exc})", "save it as comma-separated UTF-8 text"
        ) from None
    raw.columns = [c.strip() for c in raw.columns]
    # blank rows at the end are harmless; one inside the table would shift the row number of every later error
    blank = np.all([raw[c].str.strip().eq("").to_numpy() for c in raw.columns], axis=0)
    n = len(blank) - int(np.cumprod(blank[::-1]).sum())
    raw = raw.iloc[:n]
    if blank[:n].any():
        raise DataError(
            spec.file,
            "the row is blank",
            "delete the blank row, or fill it in",
            row=int(np.flatnonzero(blank[:n])[0]) + 2,
        )
    if raw.empty and not spec.may_be_empty:
        raise DataError(spec.file, "the file has a header but no rows", "add the data rows")
    for col in spec.columns:
        if col.name not in raw.columns:
            raise DataError(
                spec.file,
                "the column is missing",
                f"add a column named '{col.name}'" + (f" ({col.unit})" if col.unit else "") + "; see docs/data.md",
                column=col.name,
            )
    df = pd.DataFrame({c.name: _coerce(spec, c, raw) for c in spec.columns}, index=raw.index)
    if spec.key:
        dup = df.duplicated(list(spec.key), keep="first")
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            first = int(np.flatnonzero((df[list(spec.key)] == df.iloc[i][list(spec.key)]).all(axis=1).to_numpy())[0])
            key = ", ".join(str(df.iloc[i][k]) for k in spec.key)
            raise DataError(
                spec.file,
                f"duplicate {' + '.join(spec.key)} '{key}' (first on row {first + 2})",
                "give each row its own id, or remove the repeated row",
                row=i + 2,
                column=spec.key[0] if len(spec.key) == 1 else None,
            )
    return df
