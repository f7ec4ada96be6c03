"""Home-to-school transport: the yearly cost of a pupil's journeys by road distance (and setting type), calibrated so
that the base year's placements cost `transport_cost_per_pupil` on average, and grown each year.

With transport_costs.csv, the cost of a pupil placed k road km away is the cost of k's distance band (for the
setting's type, else the 'any' row), times one scale factor that the base-year calibration sets; without it, the
cost is a rate per road km. Either way a nearer place costs less, and the cost rises with the pupils transported:
what the council's general fund pays grows with pupils and distance, not distance alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.data import DataWarning, PlanningData


@dataclass
class TransportCosts:
    """Cost of a pupil's journeys a year (GBP, base-year prices) by km and setting type; growth by year."""

    bands: pd.DataFrame  # setting_type ('any' allowed), from_km, to_km (NaN: open), cost_per_pupil; empty: per km
    scale: float  # calibration factor on the bands (or GBP per road km a year, without bands)
    growth: pd.Series  # year -> factor on base-year prices

    def per_pupil(self, km: np.ndarray, setting_type: np.ndarray) -> np.ndarray:
        """GBP a year at base-year prices for pupils travelling `km` to settings of `setting_type`."""
        km = np.asarray(km, dtype=float)
        if self.bands.empty:
            return self.scale * km
        return self.scale * band_cost(self.bands, km, np.asarray(setting_type))

    def in_year(self, km: np.ndarray, setting_type: np.ndarray, year: int) -> np.ndarray:
        return self.per_pupil(km, setting_type) * float(self.growth[year])


def band_cost(bands: pd.DataFrame, km: np.ndarray, setting_type: np.ndarray) -> np.ndarray:
    """The cost of each journey's band: the row of its setting type whose [from_km, to_km) holds it, else the
    'any' row's."""
    out = np.full(km.shape, np.nan)
    for kind in ("any", *sorted(set(bands["setting_type"]) - {"any"})):
        rows = bands[bands["setting_type"] == kind]
        applies = np.ones(km.shape, dtype=bool) if kind == "any" else setting_type == kind
        for r in rows.itertuples():
            upper = np.inf if pd.isna(r.to_km) else r.to_km
            out = np.where(applies & (km >= r.from_km) & (km < upper), r.cost_per_pupil, out)
    return np.nan_to_num(out, nan=0.0)


def transport_costs(
    data: PlanningData, pupils: np.ndarray, km: np.ndarray, setting_type: np.ndarray, years: list[int]
) -> TransportCosts:
    """Calibrate to the base year: base-year `pupils` travelling `km` to settings of `setting_type` cost
    transport_cost_per_pupil each on average."""
    p = data.parameters
    target = float(p["transport_cost_per_pupil"]) * float(pupils.sum())
    bands = data.transport_costs
    raw = band_cost(bands, km, setting_type) if len(bands) else km
    total = float((pupils * raw).sum())
    if total <= 0 < target:
        warnings.warn(
            "transport cannot be calibrated: the base year's placements travel no distance (or cost "
            "nothing in transport_costs.csv), so every journey is costed at 0",
            DataWarning,
            stacklevel=2,
        )
    scale = target / total if total > 0 else 0.0
    g = float(p["transport_cost_growth"])
    growth = pd.Series({t: (1 + g) ** (t - data.base_year) for t in years}, name="transport_growth")
    return TransportCosts(bands.reset_index(drop=True), scale, growth)
