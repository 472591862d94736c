"""The demo's figures: built once every app's demo data is in (demo_steps order 900)."""

from __future__ import annotations

from bangfu.reports.services import figures_rebuild


def figures_demo_build(**_kwargs) -> None:
    figures_rebuild(previous=True)
