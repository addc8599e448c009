"""The one path a photo uploaded in the editor takes into `content/images/`.

Every upload is decoded and written again by Pillow, so nothing but the pixels survives: no EXIF
(camera, time, GPS location), no XMP, no comments, no colour-profile blobs. A file that is not a
picture of an allowed kind, or is bigger than a phone photo needs to be, is refused.

The re-encoding is the build's own (`generator.images.reencode`), so a photo uploaded here is the
file the site publishes; this module adds the editor's checks on names and upload size.
"""

from __future__ import annotations

import re

MAX_BYTES = 20 * 1024 * 1024
"""The biggest upload accepted: a phone's full-size photo is well under this."""
KINDS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
"""Picture kinds accepted, by file name ending, and the format each is written in."""
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class PhotoRefused(ValueError):
    """The upload is not a picture panelsite will publish; the message says why."""


def clean_name(name: str) -> str:
    """A safe file name for an upload ('Summer Trip (1).JPG' -> 'summer-trip-1.jpg')."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "photo"
    cleaned = f"{slug[:80]}.{suffix.lower()}" if suffix else slug[:80]
    if not NAME.match(cleaned) or "." + cleaned.rpartition(".")[2] not in KINDS:
        raise PhotoRefused(f"{name}: upload a photo saved as .jpg, .png or .webp")
    return cleaned


def clean_photo(name: str, data: bytes) -> bytes:
    """The picture as the build publishes it (`generator.images.reencode`: pixels only, upright, sRGB,
    capped in size), or `PhotoRefused` saying why not."""
    from ..images import PictureError, reencode

    suffix = "." + name.rpartition(".")[2].lower()
    if suffix not in KINDS:
        raise PhotoRefused(f"{name}: upload a photo saved as .jpg, .png or .webp")
    if len(data) > MAX_BYTES:
        raise PhotoRefused(f"{name}: the photo is bigger than {MAX_BYTES // (1024 * 1024)} MB; make it smaller")
    try:
        return reencode(data, name)
    except PictureError as exc:
        raise PhotoRefused(f"{name}: {exc}") from None
