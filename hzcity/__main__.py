"""Run as ``python -m hzcity``."""

from hzcity.cli import run

run()
