"""The layers contract of docs/ARCHITECTURE.md (pyproject.toml, [tool.importlinter]): an app
imports only from the apps below it, and no two apps import each other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_apps_import_only_from_the_layers_below_them():
    # In a process of its own: the contract reads the package's source, not this process's modules.
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                               "sys.exit(lint_imports(no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
