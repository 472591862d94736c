"""Inspection photos: resized on upload (the longest side at most PHOTO_LONGEST_SIDE px, EXIF
orientation applied, EXIF and every other metadata dropped, saved as JPEG) and kept under the data
folder (`settings.PHOTOS_DIR`, by default DATA_DIR/photos), which the backup of the data folder
takes with it. Never served as static files: `views.photo` checks the asset's scope first."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from bangfu.assets import defaults

# A decompression bomb (a tiny file that opens as a huge picture) is refused, not opened.
MAX_PIXELS = 60_000_000


def photos_dir() -> Path:
    folder = Path(getattr(settings, "PHOTOS_DIR", None) or Path(settings.DATA_DIR) / "photos")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Prepared:
    data: bytes  # the JPEG to keep
    width: int
    height: int
    sha256: str  # of the file as uploaded: part of the submission's hash


def file_digest(upload) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def photo_prepare(upload) -> Prepared:
    """The upload resized to a JPEG; a ValidationError on `photos` when it is too big or no picture."""
    size = getattr(upload, "size", None)
    if size is not None and size > defaults.PHOTO_MAX_BYTES:
        raise ValidationError({"photos": _("A photo may be at most %(mb)s MB; this one is %(size)s MB.") % {
            "mb": defaults.PHOTO_MAX_BYTES // (1024 * 1024), "size": f"{size / 1024 / 1024:.1f}"}})
    digest = file_digest(upload)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError({"photos": _("This picture is too large to open.")})
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((defaults.PHOTO_LONGEST_SIDE, defaults.PHOTO_LONGEST_SIDE), Image.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)  # no exif= given: none kept
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError({"photos": _("This file is not a photo (JPEG, PNG, WebP...).")}) from error
    finally:
        upload.seek(0)
    return Prepared(data=out.getvalue(), width=width, height=height, sha256=digest)


def photo_save(prepared: Prepared, *, asset_id: int) -> str:
    """Write the JPEG under the photo folder; the path relative to it."""
    relative = f"{asset_id}/{uuid.uuid4().hex}.jpg"
    target = photos_dir() / relative
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(prepared.data)
    return relative


def photo_file(relative: str) -> Path:
    folder = photos_dir().resolve()
    path = (folder / relative).resolve()
    if folder not in path.parents:
        raise FileNotFoundError(relative)
    return path


def photos_count_and_bytes() -> tuple[int, int]:
    """What the photo folder holds (for the backup's summary)."""
    count = total = 0
    for path in photos_dir().rglob("*.jpg"):
        count += 1
        total += path.stat().st_size
    return count, total
