"""Where and when to add SEND places: a multi-year planning model for English councils."""

__version__ = "0.1.0"
