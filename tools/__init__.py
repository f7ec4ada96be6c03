"""Maintenance tools that sit beside the planner (not installed with it)."""
