"""Fixtures for import and export tests."""

from __future__ import annotations

import pytest

from bangfu.imports.services import households_import
from bangfu.imports.tests.support import TOWNSHIP


@pytest.fixture
def run_import(personas):
    """run_import(path, actor="office", region=TOWNSHIP, **options) -> ImportResult."""

    def run(source, *, actor="office", region=TOWNSHIP, **options):
        user = personas[actor] if isinstance(actor, str) else actor
        return households_import(actor=user, source=source, region_code=region, **options)

    return run
