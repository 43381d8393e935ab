"""hzcity: sourced facts and exact policy calculators from one Harbin newspaper page."""

__version__ = "0.1.0"
