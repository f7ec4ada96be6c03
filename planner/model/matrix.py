"""The model as arrays: Pyomo's standard-form compiler turns the active objective and constraints into sparse
matrices (what the planner hands the solver, and what the benchmark's direct build is compared with)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
from scipy import sparse

INF = float("inf")  # no bound (HiGHS reads inf as its own infinity)


@dataclass
class Matrix:
    """min cost x (max if `maximize`): row_lower <= a x <= row_upper, col_lower <= x <= col_upper, x integer where
    `integer`; `a` column-wise, (rows, columns)."""

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    integer: np.ndarray  # bool, one a column
    a: sparse.csc_array
    maximize: bool = False


def standard_form(model: pyo.ConcreteModel) -> tuple[Matrix, list[Any], list[Any], float]:
    """The model's active objective and constraints via Pyomo's standard-form compiler (sparse matrices; fixed
    variables become constants): the matrix, the Pyomo variable of each column and constraint of each row, and
    the objective's constant (which the matrix leaves out)."""
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    form = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=None)
    if form.eliminated_vars:
        raise ValueError("the matrix interface expects no eliminated variables")
    columns = form.columns
    sense = np.array([row.bound_type for row in form.rows], dtype=int)  # 0: =, 1: <=, -1: >=
    rhs = np.asarray(form.rhs, dtype=float)
    matrix = Matrix(
        cost=np.asarray(form.c.toarray()[0] if form.c.shape[0] else np.zeros(len(columns)), dtype=float),
        col_lower=np.array([-INF if v.lb is None else v.lb for v in columns], dtype=float),
        col_upper=np.array([INF if v.ub is None else v.ub for v in columns], dtype=float),
        row_lower=np.where(sense == 1, -INF, rhs),
        row_upper=np.where(sense == -1, INF, rhs),
        integer=np.array([v.is_integer() for v in columns], dtype=bool),
        a=sparse.csc_array(form.A),
        maximize=bool(form.objectives) and form.objectives[0].sense == pyo.maximize,
    )
    offset = float(np.ravel(form.c_offset)[0]) if len(np.ravel(form.c_offset)) else 0.0
    return matrix, columns, [row.constraint for row in form.rows], offset
