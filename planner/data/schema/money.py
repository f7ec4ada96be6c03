"""Tables of money: unit costs, income, capital, parameters, the spending lines the model does not place, DfE
contributions to the deficit, the council's published forecasts, and transport costs by distance."""

from __future__ import annotations

from planner.data.schema.columns import BASIS_COLUMN, GBP, SOURCE_COLUMN, YEAR_COLUMN, Column, TableSpec
from planner.data.schema.labels import SETTING_TYPES

INCOME_GROWTH = ("fixed", "dsg")
SPENDING_DRIVERS = (
    "mainstream", "further_education", "educated_elsewhere", "early_years_setting", "not_recorded",
    "specialist_not_placed", "not_placed", "fixed",
)  # fmt: skip
SPENDING_GROWTH = ("unit_cost", "inflation", "flat")
FORECAST_MEASURES = ("in_year_deficit", "cumulative_deficit", "high_needs_spending", "high_needs_income")
FORECAST_KINDS = ("outturn", "forecast", "budget", "derived")

UNIT_COSTS = TableSpec(
    "unit_costs.csv",
    (
        Column("setting_type", "str", choices=SETTING_TYPES),
        Column(
            "place_funding",
            "float",
            min=0.0,
            unit="GBP per commissioned place per year",
            fix="give pounds per place per year as a plain number, e.g. 10000",
        ),
        Column(
            "top_up",
            "float",
            min=0.0,
            unit="GBP per pupil per year",
            fix="give pounds per pupil per year as a plain number, e.g. 13900",
        ),
        BASIS_COLUMN,
        SOURCE_COLUMN,
        Column(
            "growth",
            "float",
            nullable=True,
            min=-0.05,
            max=0.2,
            default=None,
            unit="yearly growth (empty: parameters.csv unit_cost_growth)",
        ),
    ),
    key=("setting_type",),
)

INCOME = TableSpec(
    "income.csv",
    (
        YEAR_COLUMN,
        Column("line", "str"),
        Column("amount", "float", min=0.0, unit="GBP", fix="give the income in pounds, 0 or more"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
        Column(
            "growth",
            "str",
            choices=INCOME_GROWTH,
            default="fixed",
            fix="write dsg (grows at the scenario's income growth after the last published year) or fixed",
        ),
    ),
    key=("year", "line"),
)

CAPITAL_BUDGET = TableSpec(
    "capital_budget.csv",
    (
        YEAR_COLUMN,
        Column("amount", "float", **GBP),
        BASIS_COLUMN,
        SOURCE_COLUMN,
        Column("line", "str", default="capital", fix="name the source of the capital, e.g. dfe_high_needs_capital"),
    ),
    key=("year", "line"),
)

PARAMETERS = TableSpec(
    "parameters.csv",
    (
        Column("name", "str"),
        Column("value", "float"),
        Column("unit", "str", nullable=True),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("name",),
)


SPENDING_LINES = TableSpec(
    "spending_lines.csv",
    (
        Column("line", "str"),
        Column("base_amount", "float", **GBP, fix="give the base year's spending on the line in pounds"),
        Column("driver", "str", choices=SPENDING_DRIVERS),
        Column("growth", "str", choices=SPENDING_GROWTH),
        Column(
            "transfer_counterpart",
            "float",
            min=0.0,
            max=1.0,
            default=0.0,
            unit="share of any cut in the schools-block transfer taken off this line",
        ),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("line",),
    optional=True,
)

DEFICIT_CONTRIBUTIONS = TableSpec(
    "deficit_contributions.csv",
    (YEAR_COLUMN, Column("line", "str"), Column("amount", "float", **GBP), BASIS_COLUMN, SOURCE_COLUMN),
    key=("year", "line"),
    optional=True,
)

PUBLISHED_FORECASTS = TableSpec(
    "published_forecasts.csv",
    (
        YEAR_COLUMN,
        Column("measure", "str", choices=FORECAST_MEASURES),
        Column("value", "float", unit="GBP"),
        Column("kind", "str", choices=FORECAST_KINDS),
        Column("published", "str", fix="give when it was published, e.g. 2024-08"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("year", "measure", "published"),
    optional=True,
)

TRANSPORT_COSTS = TableSpec(
    "transport_costs.csv",
    (
        Column("setting_type", "str", choices=(*SETTING_TYPES, "any")),
        Column("from_km", "float", min=0.0, unit="road km, one way"),
        Column("to_km", "float", nullable=True, min=0.0, unit="road km (empty: no upper end)"),
        Column("cost_per_pupil", "float", **GBP, fix="give the yearly cost of a pupil's journeys in pounds"),
        BASIS_COLUMN,
        SOURCE_COLUMN,
    ),
    key=("setting_type", "from_km"),
    optional=True,
)
