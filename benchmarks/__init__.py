"""Benchmarks of the planning model: python -m benchmarks.run measures the Norfolk instances."""
