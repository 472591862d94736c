"""Every template of every app compiles: each loads the tag libraries whose tags and filters it uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.template.loader import get_template


def _templates() -> list[str]:
    names = []
    for config in apps.get_app_configs():
        root = Path(config.path) / "templates"
        if config.name.startswith("bangfu.") and root.is_dir():
            names += sorted(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return names


@pytest.mark.parametrize("name", _templates())
def test_the_template_compiles(name):
    get_template(name)
