"""Settings for the test suite: the real ones, made fast (hasher, no network, in-memory email)."""

import atexit as _atexit
import shutil as _shutil
import tempfile as _tempfile
from pathlib import Path as _Path

from bangfu.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# No collectstatic step in tests: plain names served from the apps' folders (core/tests/test_static.py
# runs the manifest storage end to end).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # noqa: F405
# Fixed keys, so that test data never depends on the data folder.
FIELD_KEYS = ["Gh6o2B4WS5wz3yVf0b0D3nq1p3K9nWbT7b4m9D2a8Ic="]
HASH_KEY = "test-hash-key"
# Background tasks run at once, in the process that enqueues them (on commit), with in-memory storage.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
# Job files (uploads, reports, exports) in a folder of this run's own, removed at exit.
JOB_FILES_DIR = _Path(_tempfile.mkdtemp(prefix="bangfu-jobs-"))
_atexit.register(_shutil.rmtree, JOB_FILES_DIR, True)

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    import os as _os

    # One test database per run, so that runs side by side on one server don't collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_os.getpid()}"}  # noqa: F405
