"""map.html: the plan on an interactive map that works with no network (bokeh, its JavaScript inlined).

Why bokeh: officers open the file from a shared drive, often without reliable internet, and CI has none.
folium pages load Leaflet, jQuery and Bootstrap from CDNs, so offline they draw nothing; plotly's map traces
drew no polygons offline in headless Chromium; bokeh with resources=INLINE puts all its JavaScript in the page
and draws the zones from the data in the page. The district and zone boundaries are the base layer; web map
tiles are an option, off by default, for when a network exists.

sources (zones, districts and markers' data), layers (the glyphs), widgets (tooltips, legend, controls,
heading), page (the map put together, and map.html). A run's map is built once and serves map.html and the
report alike (``sized`` sets its height for each).
"""

from planner.report.interactive.page import MAP_HEIGHT, REPORT_HEIGHT, interactive_map, sized, write_map_html

__all__ = ["MAP_HEIGHT", "REPORT_HEIGHT", "interactive_map", "sized", "write_map_html"]
