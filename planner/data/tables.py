"""A data folder's tables, typed and validated: what every layer above reads (nothing here knows of the model)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from planner.data.geography import Geography


@dataclass
class PlanningData:
    """A validated data folder. Geometries and x/y columns are in British National Grid metres."""

    folder: Path
    zone_level: str
    zones: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    need_groups: pd.DataFrame
    phases: pd.DataFrame
    placement_types: pd.DataFrame
    plans: pd.DataFrame
    base_placements: pd.DataFrame
    settings: pd.DataFrame
    commitments: pd.DataFrame
    options: pd.DataFrame
    option_sizes: pd.DataFrame
    unit_costs: pd.DataFrame
    income: pd.DataFrame
    capital_budget: pd.DataFrame
    parameters: pd.Series
    reconciliation: pd.DataFrame
    suitability: pd.DataFrame = field(default_factory=pd.DataFrame)
    placement_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    journeys: pd.DataFrame = field(default_factory=pd.DataFrame)
    zone_need_weights: pd.DataFrame = field(default_factory=pd.DataFrame)
    specialist_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    spending_lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    deficit_contributions: pd.DataFrame = field(default_factory=pd.DataFrame)
    published_forecasts: pd.DataFrame = field(default_factory=pd.DataFrame)
    transport_costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    levers: pd.DataFrame = field(default_factory=pd.DataFrame)
    mainstream_support: pd.DataFrame = field(default_factory=pd.DataFrame)
    data_hash: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def base_year(self) -> int:
        return int(self.parameters["base_year"])

    @property
    def last_year(self) -> int:
        return int(self.plans["year"].max())

    @property
    def placed_phases(self) -> list[str]:
        return self.phases.loc[self.phases["placed_by_model"], "phase"].tolist()

    @property
    def specialist_types(self) -> list[str]:
        return self.placement_types.loc[self.placement_types["specialist"], "placement_type"].tolist()

    @property
    def geography(self) -> Geography:
        return Geography(self.zone_level, self.zones, self.districts, self.need_groups[["need_group", "name"]])
