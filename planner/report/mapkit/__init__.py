"""A small kit for print-quality maps in British National Grid metres.

figure (the figure, its regions, title, attribution, save), layers (zones, boundaries, settings, a data
folder's projects), key (the legend, in titled sections), labels (district names, labels of points), and
furniture (scale bar, north arrow, notes, inset, and finish_map, which puts them all round the layers).

Build a map with ``new_map``, draw layers, end with ``finish_map`` and write it with ``save_map``.
"""

from planner.report.mapkit.figure import new_map, save_map
from planner.report.mapkit.furniture import Inset, MapLayout, district_inset, finish_map
from planner.report.mapkit.layers import draw_boundaries, draw_projects, draw_settings, shade_zones

__all__ = [
    "Inset",
    "MapLayout",
    "district_inset",
    "draw_boundaries",
    "draw_projects",
    "draw_settings",
    "finish_map",
    "new_map",
    "save_map",
    "shade_zones",
]
