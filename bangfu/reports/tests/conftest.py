"""Fixtures for the summary tables: supplies' township, items and stock (for deliveries from stock)."""

from __future__ import annotations

from bangfu.supplies.tests.conftest import masks, rice, stocked, township  # noqa: F401 (fixtures)
