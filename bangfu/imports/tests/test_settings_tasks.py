"""Where background tasks are queued: a SQLite file in the data folder, or Redis when REDIS_URL is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = "import json, bangfu.settings as s; print(json.dumps({k: str(v) for k, v in s.HUEY.items()}))"


def settings_in_child(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    environment.update(BANGFU_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, timeout=60)


def test_tasks_are_queued_in_a_sqlite_file_in_the_data_folder_by_default(tmp_path):
    run = settings_in_child(tmp_path)
    huey = json.loads(run.stdout)
    assert huey["huey_class"] == "huey.SqliteHuey"
    assert huey["filename"] == str(tmp_path.resolve() / "huey.sqlite3")
    assert huey["immediate"] == "False"


def test_redis_url_selects_redis(tmp_path):
    run = settings_in_child(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3")
    try:
        import redis  # noqa: F401
    except ImportError:  # the extra is not installed: a clear error, not a silent fallback
        assert run.returncode != 0 and "bangfu[redis]" in run.stderr
    else:
        huey = json.loads(run.stdout)
        assert (huey["huey_class"], huey["url"]) == ("huey.RedisHuey", "redis://127.0.0.1:6379/3")
