"""Reports: static maps and tables for officers. Nothing here imports the optimisation model."""

from planner.report.maps import data_map, draw_projects, draw_settings, finish_map, new_map, save_map, shade_zones

__all__ = ["data_map", "draw_projects", "draw_settings", "finish_map", "new_map", "save_map", "shade_zones"]
