"""The house look of every picture and page: sizes, colours, markers, labels and attribution, defined once.

Plain values only (no plotting library is imported here), so a workbook or page can use them cheaply. Setting
types and their names come from the data schema; colours are Okabe-Ito (safe for colour-blind readers), all
darker than the pale zone shading.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

A4_LANDSCAPE = (11.69, 8.27)  # inches
DPI = 200

_CROWN = (
    "Contains OS data © Crown copyright and database right; Contains ONS data © Crown copyright; "
    "Contains public sector information licensed under the "
)
ATTRIBUTION = _CROWN + "OGL v3.0."  # under every map
ATTRIBUTION_FULL = _CROWN + "Open Government Licence v3.0."  # pages and workbooks

# settings, by setting type
SETTING_COLOURS = {
    "special": "#0a5fa8",  # blue
    "srb": "#009e73",  # bluish green
    "ap": "#d55e00",  # vermilion
    "independent": "#8e3b8e",  # purple
}
SETTING_MARKERS = {"special": "o", "srb": "s", "ap": "^", "independent": "D"}

# projects, by project type: committed ones are stars, candidate options have a shape of their own
COMMITMENT_MARKER = "*"
OPTION_MARKERS = {"new_school": "p", "expansion": "o", "srb": "s", "ap": "^"}
# the key's words for each project type: (on the data map, committed; candidate option; on the plan maps)
PROJECT_KEY_LABELS = {
    "new_school": ("New special school", "New special school site", "New special school"),
    "expansion": ("Special school expansion", "Expansion of a special school", "School expansion"),
    "srb": ("New SRB", "SRB at a host school", "New SRB"),
    "ap": ("New AP", "AP at a host school", "New AP"),
}
COMMITMENT_LABELS = {t: labels[0] for t, labels in PROJECT_KEY_LABELS.items()}
OPTION_LABELS = {t: labels[1] for t, labels in PROJECT_KEY_LABELS.items()}
NEW_PLACE_LABELS = {t: labels[2] for t, labels in PROJECT_KEY_LABELS.items()}

# zones, boundaries and text
ZONE_CMAP = "YlOrBr"  # zone shading; only its pale part, so markers stay visible on it
ZONE_CMAP_RANGE = (0.0, 0.45)
ZONE_EDGE = "#ffffff"
ZONE_MISSING = "#eeeeee"
DISTRICT_EDGE = "#4a4a4a"
COUNTY_EDGE = "#111111"
LABEL_COLOUR = "#1a1a1a"
NOTE_BOX = dict(boxstyle="round,pad=0.5", facecolor="#f6f6f6", edgecolor="#bbbbbb", linewidth=0.6)

# marker areas (points^2): area proportional to places, clipped to stay legible
SIZE_PER_PLACE = 0.75
SIZE_MIN, SIZE_MAX = 14.0, 190.0
PROJECT_SIZE = 150.0  # committed projects and options on the data map

# the plan maps: existing provision grey, new places coloured by opening year
OPENING_CMAP = "viridis"
OPENING_RANGE = (0.0, 0.92)  # the palest yellow-green is too faint on the pale zones
ZONE_FILL = "#f2f0ea"  # neutral zones: the plan map's colours are the opening years
EXISTING_FILL = "#8c8c8c"
NEW_SIZE_PER_PLACE = 2.2
NEW_SIZE_MIN, NEW_SIZE_MAX = 34.0, 420.0
STAR_BOOST = 1.7  # a star covers less of its box than a square: draw it larger for the same places
HIGHLIGHT = "#d6006e"  # ring round projects that differ between two compared plans


def place_size(places: Iterable[float], scale: float = SIZE_PER_PLACE) -> np.ndarray:
    """Marker area (points^2) of a setting with `places` places."""
    p = np.nan_to_num(np.asarray(list(places), dtype=float))
    return np.clip(p * scale, SIZE_MIN, SIZE_MAX)


def new_size(places: Iterable[float]) -> np.ndarray:
    """Marker area (points^2) of a new project with `places` places."""
    p = np.nan_to_num(np.asarray(list(places), dtype=float))
    return np.clip(p * NEW_SIZE_PER_PLACE, NEW_SIZE_MIN, NEW_SIZE_MAX)
