"""The data folder holds the keys, the database and the task queue: readable by bangfu's user alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

# A process started with the usual umask (022) that loads the settings, writes to the SQLite
# database (WAL: -wal and -shm beside it) and huey's queue, then lists every mode in the folder
# while the database is still open.
PROBE = """
import json, os, pathlib
os.umask(0o022)
import django
django.setup()
from django.db import connection
from huey.contrib.djhuey import HUEY
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x integer)")
    cursor.execute("INSERT INTO probe VALUES (1)")
HUEY.put("probe", 1)
folder = pathlib.Path(os.environ["BANGFU_DATA_DIR"])
print(json.dumps({p.relative_to(folder).as_posix(): p.stat().st_mode & 0o777
                  for p in [folder, *folder.rglob("*")]}))
"""


def test_everything_bangfu_creates_in_the_data_folder_is_owner_only(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # made by an older version, or by hand
    data.chmod(0o755)
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "BANGFU_FIELD_KEYS", "BANGFU_HASH_KEY",
                                "BANGFU_JOB_FILES_DIR")}
    environment.update(BANGFU_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="bangfu.settings")
    run = subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    modes = json.loads(run.stdout)

    expected = {".", "secret_key", "field_key", "hash_key", "bangfu.sqlite3", "bangfu.sqlite3-wal",
                "bangfu.sqlite3-shm", "huey.sqlite3", "jobs"}
    assert expected <= set(modes), modes
    folders = {".", "jobs"}
    assert {name: oct(mode) for name, mode in modes.items() if mode != (0o700 if name in folders else 0o600)} == {}
