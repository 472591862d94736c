"""Static files: hashed, compressed copies collected into STATIC_ROOT, and collected again when stale."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

# Beside the collected files: the fingerprint of the sources they were collected from.
STAMP_NAME = ".bangfu-collected"


class ManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage (hashed names, gzip copies), falling back to the plain name while
    nothing is collected yet: a command or script run before `bangfu serve` ever collected (a
    benchmark, a shell) still renders its pages, with the files served from the apps' folders
    (WHITENOISE_USE_FINDERS) under their plain names and a short cache time."""

    _warned = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            if self.hashed_files:  # collected, and this name is not among them: a real mistake
                raise
            if not ManifestStorage._warned:
                ManifestStorage._warned = True
                logger.warning("Static files are not collected (%s); serving them unhashed. "
                               "'bangfu serve' collects them.", name)
            return name


def sources_fingerprint() -> str:
    """A digest of every static file the finders see (path and content) and of the storage used."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    files: dict[str, Path] = {}
    for finder in get_finders():
        for path, storage in finder.list([]):
            files.setdefault(path, Path(storage.path(path)))  # the first finder's file wins, as collectstatic does
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].read_bytes() + b"\0")
    return digest.hexdigest()


def static_collect_if_stale() -> bool:
    """Collect the static files into STATIC_ROOT unless they were collected from these very sources;
    returns whether it collected."""
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP_NAME
    fingerprint = sources_fingerprint()
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
        return False
    root.mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    stamp.write_text(fingerprint, encoding="utf-8")
    return True
