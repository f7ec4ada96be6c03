"""Budget tables beside income: DfE contributions to the cumulative deficit, the council's published forecasts,
and transport costs by distance."""

from __future__ import annotations

import pandas as pd

from tools.norfolk.assumptions import (
    BASE_YEAR,
    DEFICIT_MARCH_2026,
    PUBLISHED_FORECASTS,
    SAFETY_VALVE_NOTE,
    SAFETY_VALVE_PROFILE,
    STABILITY_GRANT_NOTE,
    STABILITY_GRANT_SHARE,
    STABILITY_GRANT_YEAR,
    TRANSPORT_BANDS,
    E,
)

SRC_TRANSPORT = (
    "shape only (estimate): mode costs from Calderdale 2022 (Halifax Courier 28 Apr 2022) assigned to distance "
    "bands; no published cost by distance was found. The model scales the table so that base-year placements cost "
    "transport_cost_per_pupil on average (England 8,116 per SEND pupil 2023/24, NAO; county areas 9,800, CCN)"
)


def build_deficit_contributions() -> pd.DataFrame:
    """deficit_contributions.csv: DfE money applied to the cumulative deficit (not to the in-year test)."""
    rows = [
        (y, "safety_valve", 0.0, E, SAFETY_VALVE_NOTE.format(agreed=f"{agreed / 1e6:.0f}m"))
        for y, agreed in SAFETY_VALVE_PROFILE.items()
        if y >= BASE_YEAR
    ]
    rows.append(
        (
            STABILITY_GRANT_YEAR,
            "high_needs_stability_grant",
            round(STABILITY_GRANT_SHARE * DEFICIT_MARCH_2026),
            E,
            STABILITY_GRANT_NOTE,
        )
    )
    return pd.DataFrame(rows, columns=["year", "line", "amount", "basis", "source"])


def build_published_forecasts() -> pd.DataFrame:
    """published_forecasts.csv: the council's published high-needs figures, with the derived in-year figures."""
    cols = ["year", "measure", "value", "kind", "published", "basis", "source"]
    df = pd.DataFrame(PUBLISHED_FORECASTS, columns=cols)
    df["value"] = df["value"].astype(float)
    return df.sort_values(["year", "measure", "published"]).reset_index(drop=True)


def build_transport_costs() -> pd.DataFrame:
    """transport_costs.csv: yearly cost per pupil by one-way road distance, for every setting type."""
    rows = [
        ("any", lo, hi, cost, E, f"{why}; {SRC_TRANSPORT}") for lo, hi, cost, why in TRANSPORT_BANDS
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["setting_type", "from_km", "to_km", "cost_per_pupil", "basis", "source"])
