"""Placement arcs: for each cohort (zone, need group, phase), the settings a new entrant may be placed in.

An arc (c, s) exists only where every rule holds (docs/model.md section 4), so no variable is created for an
unsuitable or unreachable pair: suitability (designation and phase), reach (state settings), availability,
dominance of independent schools by the fallback, and the nearest-N rules of the scenario. Base-year pupils on
pairs that fail a rule are legacy placements: they stay where they are and leave at the stay rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.config import Scenario
from planner.data.geography import serves_phase
from planner.data.schema import STATE_TYPES
from planner.inputs.transport import TransportCosts

RELAXABLE = ("reach", "suitability")


def designated(
    settings: pd.DataFrame, groups: list[str], phases: pd.DataFrame, placed: list[str], relax: tuple[str, ...]
) -> dict[tuple[str, str], np.ndarray]:
    """(need group, phase) -> settings designated for the need whose ages serve the phase."""
    needs = settings["needs"].tolist()
    out = {}
    for p in placed:
        lo, hi = int(phases.loc[p, "min_age"]), int(phases.loc[p, "max_age"])
        ph_ok = serves_phase(settings["min_age"].to_numpy(dtype=int), settings["max_age"].to_numpy(dtype=int), lo, hi)
        for g in groups:
            out[(g, p)] = (np.array([g in n for n in needs]) & ph_ok) | ("suitability" in relax)
    return out


def _nearest(km: np.ndarray, allowed: np.ndarray, cand: np.ndarray, n: int) -> np.ndarray:
    """Among the candidate columns, True where a column is one of the row's n nearest allowed ones."""
    d = np.where(allowed[:, cand], km[:, cand], np.inf)
    rank = np.argsort(np.argsort(d, axis=1, kind="stable"), axis=1)
    return rank < n


@dataclass
class Reach:
    """The longest journey to a state setting for a phase: in road km, and in minutes where the phase sets a limit
    in minutes and a council's journeys.csv gives the pair's minutes."""

    km: float
    minutes: float | None = None

    def within(self, km: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        by_km = km <= self.km + 1e-9
        if self.minutes is None or pd.isna(self.minutes):
            return by_km
        return np.where(np.isnan(minutes), by_km, minutes <= self.minutes + 1e-9)


def allowed_arcs(
    km: np.ndarray,
    minutes: np.ndarray,
    suitable: np.ndarray,
    settings: pd.DataFrame,
    top_up: np.ndarray,
    reach: Reach,
    scen: Scenario,
    relax: tuple[str, ...],
) -> np.ndarray:
    """Zones x settings: where a new entrant of one (need group, phase) may be placed."""
    s_types = settings["setting_type"].to_numpy()
    unlimited = settings["places"].isna().to_numpy()
    reach_ok = reach.within(km, minutes) | ~np.isin(s_types, STATE_TYPES)[None, :] | ("reach" in relax)
    allowed = suitable[None, :] & reach_ok
    # an independent place that costs at least the unlimited fallback in fees and in total is never chosen
    fallback = suitable & unlimited
    if fallback.any():
        dominated = np.zeros_like(allowed)
        for f in np.flatnonzero(fallback):
            dominated |= (
                (top_up[None, :] >= top_up[f])
                & (km >= km[:, [f]])
                & (s_types == "independent")[None, :]
                & ~unlimited[None, :]
            )
        allowed &= ~dominated
    # new state placements: the nearest few suitable settings of each kind (scenario state_choices)
    if scen.state_choices:
        for st in STATE_TYPES:
            cand = np.flatnonzero(s_types == st)
            if len(cand) > scen.state_choices:
                allowed[:, cand] &= _nearest(km, allowed, cand, scen.state_choices)
    # new independent placements in the county: the nearest few suitable schools (scenario independent_choices)
    k = scen.independent_choices
    ind = np.flatnonzero((s_types == "independent") & ~unlimited & suitable)
    if k and len(ind) > k:
        rank = np.argsort(np.argsort(km[:, ind], axis=1, kind="stable"), axis=1)
        far = np.zeros_like(allowed)
        far[:, ind] = rank >= k
        allowed &= ~far
    return allowed


@dataclass
class CohortArcs:
    """Cohorts, their arcs (with base-year pupils) and legacy placements (base year only)."""

    cohorts: pd.DataFrame  # index cohort: zone_id, district_id, need_group, phase, stay_rate
    arcs: pd.DataFrame  # index arc: cohort, setting_id, road_km, base_pupils, transport_gbp
    legacy: pd.DataFrame  # cohort, setting_id, road_km, base_pupils, transport_gbp


class ArcCollector:
    """Collects cohorts and arcs one (need group, phase) at a time."""

    def __init__(self, zones: pd.DataFrame, setting_ids: np.ndarray) -> None:
        self.z_ids, self.z_dist = zones["zone_id"].to_numpy(), zones["district_id"].to_numpy()
        self.s_ids = setting_ids
        self.rows: list[tuple] = []
        self.arcs: list[pd.DataFrame] = []
        self.legacy: list[pd.DataFrame] = []

    def _frame(self, cid: int, idx: np.ndarray, km_row: np.ndarray, x0_row: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {"cohort": cid, "setting_id": self.s_ids[idx], "road_km": km_row[idx], "base_pupils": x0_row[idx]}
        )

    def add(
        self,
        g: str,
        p: str,
        stay: float,
        has_demand: bool,
        allowed: np.ndarray,
        km: np.ndarray,
        base_pupils: np.ndarray,
    ) -> None:
        """Cohorts of need group g and phase p in every zone with demand or base-year pupils."""
        for zi in range(len(self.z_ids)):
            if not has_demand and base_pupils[zi].sum() == 0:
                continue
            cid = len(self.rows)
            self.rows.append((cid, self.z_ids[zi], self.z_dist[zi], g, p, stay))
            self.arcs.append(self._frame(cid, np.flatnonzero(allowed[zi]), km[zi], base_pupils[zi]))
            l_idx = np.flatnonzero(~allowed[zi] & (base_pupils[zi] > 1e-9))
            if len(l_idx):
                self.legacy.append(self._frame(cid, l_idx, km[zi], base_pupils[zi]))

    def result(self, transport: TransportCosts, setting_types: pd.Series) -> CohortArcs:
        """The cohorts and arcs collected; each arc with its pupil's yearly transport at base-year prices."""
        cohorts = pd.DataFrame(
            self.rows, columns=["cohort", "zone_id", "district_id", "need_group", "phase", "stay_rate"]
        ).set_index("cohort")
        arcs = pd.concat(self.arcs, ignore_index=True)
        arcs.index.name = "arc"
        legacy = (
            pd.concat(self.legacy, ignore_index=True)
            if self.legacy
            else pd.DataFrame(columns=["cohort", "setting_id", "road_km", "base_pupils"])
        )
        for df in (arcs, legacy):
            km = df["road_km"].to_numpy(dtype=float)
            df["transport_gbp"] = transport.per_pupil(km, df["setting_id"].map(setting_types).to_numpy())
        return CohortArcs(cohorts, arcs, legacy)
