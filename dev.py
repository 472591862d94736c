#!/usr/bin/env python3
"""Set up a virtual environment (once, and again when the dependencies change) and run bangfu.

    python3 dev.py demo [--port 8000]   the demo: SQLite, demo data, served on localhost
    python3 dev.py test [pytest args]   the whole test suite
    python3 dev.py bangfu ARGS...       any bangfu command inside the environment

Needs only Python 3.11+ and access to the package index. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("BANGFU_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".bangfu-installed"
INPUTS = [ROOT / "pyproject.toml", ROOT / "constraints.txt"]


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in INPUTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"bangfu needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing bangfu and its pinned dependencies ...", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[test]"],
        check=True,
    )
    STAMP.write_text(_fingerprint())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "bangfu"}:
        print(__doc__.strip())
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    os.chdir(ROOT)
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest])
    if command == "demo":
        return subprocess.call([str(PYTHON), "-m", "bangfu", "demo", *rest])
    return subprocess.call([str(PYTHON), "-m", "bangfu", *rest])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
