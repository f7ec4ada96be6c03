"""Reports: maps, charts, pages and workbooks for officers. Nothing here imports the optimisation model.

maps (house style and the data map), plan_map (plan.png), run_maps (zone and flow maps), charts (budget paths),
interactive (map.html, bokeh inlined), html, excel, run_report (everything of one run folder), compare_tables,
compare_figures and compare_report (two runs side by side); run_data reads a run folder back.
"""

from planner.report.maps import data_map, draw_projects, draw_settings, finish_map, new_map, save_map, shade_zones

__all__ = ["data_map", "draw_projects", "draw_settings", "finish_map", "new_map", "save_map", "shade_zones"]
