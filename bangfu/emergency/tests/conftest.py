"""Fixtures for emergencies. The township, items and stock are supplies' own fixtures."""

from __future__ import annotations

import pytest

from bangfu.supplies.tests.conftest import masks, rice, stocked, township  # noqa: F401 (fixtures)

# --- emergencies and daily checks --------------------------------------------------------------

@pytest.fixture
def emergency(township, personas):
    import datetime as dt

    from bangfu.core.dates import local_today
    from bangfu.emergency.services import emergency_open

    return emergency_open(region=township, kind="epidemic", title="新冠疫情防控", actor=personas["office"],
                          start=local_today() - dt.timedelta(days=3))
