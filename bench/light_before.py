"""Settings as they were before pages were made light, for bench/light.py's comparison: no gzip for
pages, static files under plain names, uncompressed from the apps' folders, cached for 60 seconds."""

from bangfu.settings import *  # noqa: F403

MIDDLEWARE = [  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware" if name == "bangfu.core.middleware.StaticFilesMiddleware" else name
    for name in MIDDLEWARE  # noqa: F405
    if name != "bangfu.core.middleware.CompressMiddleware"
]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # noqa: F405
STATIC_ROOT = DATA_DIR / "static-before"  # noqa: F405
