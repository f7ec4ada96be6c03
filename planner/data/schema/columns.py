"""Column and table specifications: what a data file must hold (the loader reads them; docs/data.md describes the
same files for people)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["str", "int", "float", "bool", "list"]

BASIS = ("sourced", "derived", "estimate")
_REQUIRED = object()


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    unit: str = ""
    fix: str = ""  # how to put a bad value right, in a planner's words
    default: Any = _REQUIRED  # a column a file may leave out takes this value in every row

    @property
    def optional(self) -> bool:
        return self.default is not _REQUIRED


@dataclass(frozen=True)
class TableSpec:
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that identify a row (unique)
    may_be_empty: bool = False  # a header with no rows is allowed (no commitments, say)
    optional: bool = False  # the file may be left out of a folder (the table is then empty)


BASIS_COLUMN = Column("basis", "str", choices=BASIS, fix="write sourced, derived or estimate")
SOURCE_COLUMN = Column("source", "str", nullable=True)
YEAR_COLUMN = Column("year", "int", min=2000, max=2100, unit="year (2025 = 2024/25)")
GBP = {"min": 0.0, "unit": "GBP"}
