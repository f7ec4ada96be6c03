"""The demand model: children with EHC plans by age band and need group, fitted to the SEN2 series and projected
as seeded futures with low, central and high quantiles (python -m planner.demand; docs/data.md section 4)."""
