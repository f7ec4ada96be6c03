"""map.html: the plan on an interactive map that works with no network (bokeh, its JavaScript inlined).

Why bokeh: officers open the file from a shared drive, often without reliable internet, and CI has none.
folium pages load Leaflet, jQuery and Bootstrap from CDNs, so offline they draw nothing; plotly's map traces
drew no polygons offline in headless Chromium; bokeh with resources=INLINE puts all its JavaScript in the page
and draws the zones from the data in the page. The district and zone boundaries are the base layer; web map
tiles are an option, off by default, for when a network exists.

sources (zones, districts and markers' data), layers (the glyphs), widgets (tooltips, legend, controls,
heading), page (the map put together, and map.html). The run report links to map.html rather than embedding the
map (the map and its JavaScript are 2 MB; the run folder is kept small enough to share).
"""

from planner.report.interactive.page import MAP_HEIGHT, interactive_map, write_map_html

__all__ = ["MAP_HEIGHT", "interactive_map", "write_map_html"]
