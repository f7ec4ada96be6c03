"""Reports: maps, charts, pages and workbooks for officers, drawn from a run folder's tables and the geography.
Nothing here imports the optimisation model or reads a data folder.

style (the house look), mapkit (figure, layers, key, labels, furniture of a map), data_map (a data folder's
map), summaries (what every report derives from a run's tables), plan_layers and plan_map (plan.png),
run_maps (zone and flow maps), charts (budget paths), deficit_chart (the model's deficits beside the council's
published figures), interactive (map.html, bokeh inlined), html, excel, budget_tables, budget_words and
budget_sections (every budget line, the council's figures in words, needs no state setting serves, the occupancy
margin), run_tables and run_report (everything of one run folder), compare_tables, compare_figures and
compare_report (two runs side by side).
"""
