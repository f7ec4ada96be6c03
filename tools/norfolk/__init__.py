"""Build the Norfolk default dataset (data/norfolk) from the public source files (data/sources/norfolk).

Run from the repository root:  python -m tools.norfolk
Every assumption (estimates, sizes, lead times, costs, money figures, named schools) is in the `assumptions` package,
each with its basis and source; the other modules build one family of tables each.
"""
