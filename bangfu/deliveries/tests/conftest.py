"""Fixtures for deliveries and distributions. The township, items and stock are supplies' own fixtures."""

from __future__ import annotations

from bangfu.supplies.tests.conftest import masks, rice, stocked, township  # noqa: F401 (fixtures)
