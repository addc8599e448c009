"""Pictures: each is checked, then published re-encoded, never as the bytes it came in.

An event picture must exist under `content/`, and its consent must not have run out. Every
picture under `content/` (event photos and those on hand-written pages alike) is published as a
new file that Pillow writes from its pixels alone (`reencode`):

- **Metadata is dropped**: EXIF (with GPS position, camera owner, dates), XMP, IPTC, comments,
  PNG text chunks and the ICC profile (the pixels are first converted to sRGB when one is given).
  A photo from a residential trip never tells anyone where it was taken.
- **EXIF orientation is applied to the pixels**, so a phone photo stands the right way up without it.
- **Size is capped**: a picture whose longest side is over `MAX_SIDE` (2,000) pixels is scaled
  down to it; one over `MAX_INPUT_PIXELS` (50 million pixels, e.g. 8,660 × 5,773) or
  `MAX_INPUT_BYTES` is refused before its pixels are decoded (its header is all that is read), as
  is a decompression bomb and anything Pillow cannot read.
- **Formats**: JPEG, PNG and WebP are published in the same format under the same name; a GIF,
  or a file whose bytes are another format than its name says (a BMP or TIFF named `.jpg`), is
  refused with a located error asking for one of the three.

Re-encoding is deterministic (the same bytes every build) and kept between builds in
the user's cache (kind `pictures`, `private_cache.LastingStore`) by a hash of the original bytes and
these settings (`recipe()`), sealed, listed and checked when read.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .content import scan_content
from .dataset import Dataset, problem_at
from .errors import Problem, Problems, Severity, display_path
from .models.event import Event
from .models.event import Image as EventImage
from .private_cache import LastingStore

if TYPE_CHECKING:
    from PIL import Image

MAX_SIDE = 2000
"""Longest side, in pixels, of a published picture; larger pictures are scaled down to it."""
MAX_INPUT_PIXELS = 50_000_000
"""Most pixels (width × height) a picture may have before it is decoded (a 48-megapixel phone photo fits)."""
MAX_INPUT_BYTES = 30_000_000
"""Largest picture file, in bytes (30 MB)."""
FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
"""Pillow's name of each format published, with the file endings that may hold it."""
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
"""Files under content/ treated as pictures (a GIF among them is refused)."""
JPEG_QUALITY = 85
WEBP_QUALITY = 85


def recipe() -> str:
    """Everything besides the original bytes that shapes a re-encoded picture (part of its cache key)."""
    from PIL import Image

    return f"v1 side={MAX_SIDE} jpeg={JPEG_QUALITY} webp={WEBP_QUALITY} pillow={Image.__version__}"


_ALLOWED = "save it as a JPEG, PNG or WebP picture"


class PictureError(ValueError):
    """A picture that is not published; the message says why, in words."""


@dataclass(frozen=True)
class Header:
    """What a picture's header says, read without decoding its pixels."""

    format: str
    width: int
    height: int


def read_header(data: bytes, name: str) -> Header:
    """Format and size from the header only; raises `PictureError` for anything not published."""
    if len(data) > MAX_INPUT_BYTES:
        raise PictureError(f"the picture is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,}")
    from PIL import Image  # imported when a picture is there to read: a site without any never pays for it

    # Only the header is read here, so Pillow's own bomb check (made as it opens) is lifted for this
    # call: the size it reads is checked below against MAX_INPUT_PIXELS, with the numbers in words.
    pillow_limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(io.BytesIO(data)) as image:
            # A phone's multi-picture JPEG (MPO: a photo with a depth map or preview) is a JPEG;
            # its first picture is the photo, and only that one is published.
            kind = "JPEG" if image.format == "MPO" else str(image.format)
            header = Header(kind, *image.size)
    except (OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError):
        raise PictureError(f"this file cannot be read as a picture; {_ALLOWED}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = pillow_limit
    suffix = PurePosixPath(name).suffix.lower()
    if header.format not in FORMATS:
        raise PictureError(f"{header.format} pictures are not published; {_ALLOWED}")
    if suffix not in FORMATS[header.format]:
        raise PictureError(
            f"the file is a {header.format} picture but its name ends {suffix or 'with no extension'}; "
            f"rename it to end {FORMATS[header.format][0]}"
        )
    pixels = header.width * header.height
    if pixels > MAX_INPUT_PIXELS:
        raise PictureError(
            f"the picture is {header.width:,} × {header.height:,} pixels ({pixels:,}); "
            f"the limit is {MAX_INPUT_PIXELS:,} pixels; {_shrink()}"
        )
    return header


def _shrink() -> str:
    return f"scale it down (the site shows at most {MAX_SIDE:,} pixels on its longest side)"


def reencode(data: bytes, name: str) -> bytes:
    """The picture as published: its pixels only, upright, at most `MAX_SIDE` on its longest side."""
    from PIL import Image, ImageOps

    header = read_header(data, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[header.format]) as opened:  # an MPO opens as JPEG
                opened.seek(0)
                opened.load()
                image = _srgb(ImageOps.exif_transpose(opened) or opened, opened.info.get("icc_profile"))
    except (OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError, Image.DecompressionBombError):
        raise PictureError(f"this file cannot be read as a whole picture; {_ALLOWED}") from None
    image = _plain_mode(image, header.format)
    if max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    # A new image from the pixels alone: no info, no EXIF, no text, no profile comes along.
    pixels_only = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if header.format == "JPEG":
        pixels_only.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
    elif header.format == "PNG":
        pixels_only.save(out, "PNG", optimize=False, compress_level=9)
    else:
        pixels_only.save(out, "WEBP", quality=WEBP_QUALITY, method=4, exact=False)
    return out.getvalue()


def _srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """The pixels in sRGB when the picture carries another colour profile (which is then dropped)."""
    from PIL import ImageCms

    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: the pixels as they are
    return converted if converted is not None else image


def _plain_mode(image: Image.Image, kind: str) -> Image.Image:
    """A pixel layout the format writes without a palette or profile: RGB, RGBA (not JPEG) or grey."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if kind == "JPEG" or not has_alpha:
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    return image if image.mode == "RGBA" else image.convert("RGBA")


def published_bytes(path: Path, name: str, store: LastingStore | None = None) -> bytes:
    """The re-encoded picture at `path`, from the user's cache (`picture_store()`) when it was made before."""
    data = path.read_bytes()
    store = store or picture_store()
    made_from = store.made_from(name.rsplit(".", 1)[-1].lower(), data)
    kept = store.get(made_from[:40], made_from, lambda payload: _sound(payload, name))
    if kept is not None:
        return kept
    result = reencode(data, name)
    store.put(made_from[:40], made_from, result)
    return result


def picture_store() -> LastingStore:
    """Published pictures, by the original's bytes and this module's recipe (kind `pictures`)."""
    return LastingStore("pictures", recipe())


def _sound(payload: bytes, name: str) -> bytes | None:
    """A kept picture when it is one panelsite would publish: readable, small enough, with no metadata."""
    from PIL import Image

    header = read_header(payload, name)
    if max(header.width, header.height) > MAX_SIDE:
        return None
    with Image.open(io.BytesIO(payload)) as image:
        if set(image.info) & {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp", "photoshop"}:
            return None
        if getattr(image, "text", None):
            return None
    return payload


def content_pictures(content_dir: Path, root: Path) -> dict[str, Path]:
    """Every picture under content/, by its path there (the files `scan_content` publishes)."""
    files, _ = scan_content(content_dir, root)
    return {rel: path for rel, path in files.assets.items() if PurePosixPath(rel).suffix.lower() in PICTURE_SUFFIXES}


def published_pictures(content_dir: Path, root: Path) -> tuple[dict[str, bytes], Problems]:
    """Every picture under content/, re-encoded, by its path there. A picture that cannot be
    re-encoded (`check_images` refuses most before any page is rendered) is an error here, so the
    build stops and its original bytes are never published in its place."""
    result: dict[str, bytes] = {}
    problems = Problems()
    pictures = content_pictures(content_dir, root)
    store = picture_store() if pictures else None  # a site with no pictures never imports Pillow
    for relative, path in pictures.items():
        try:
            result[relative] = published_bytes(path, relative, store)
        except PictureError as exc:
            problems.add(Problem(display_path(path, root), 1, 1, "", str(exc)))
        except OSError as exc:
            problems.add(Problem(display_path(path, root), 1, 1, "", f"cannot read the picture: {exc.strerror or exc}"))
    return result, problems


def check_images(dataset: Dataset, content_dir: Path, today: dt.date, root: Path | None = None) -> Problems:
    """An error for a picture that is missing, outside content/ or not publishable (format, size);
    a warning once consent ends. Event pictures are reported at their `src` in the data file;
    other pictures under content/ at the picture file itself."""
    problems = Problems()
    referenced: set[str] = set()
    for event_id, event in dataset.events.items():
        doc = dataset.documents[dataset.origin("events", event_id)]
        for index, image in enumerate(event.images):
            loc = ("images", index)
            reason = _unusable(image.src, content_dir)
            if reason is None:
                referenced.add(PurePosixPath(image.src).as_posix())
                reason = _refused(content_dir / image.src, image.src)
            if reason:
                problems.add(
                    problem_at(
                        doc,
                        (*loc, "src"),
                        reason,
                        repr(image.src),
                        "put the picture under content/ and give its path from there, e.g. images/events/party.jpg",
                    )
                )
            if image.consent.until < today:
                problems.add(
                    problem_at(
                        doc,
                        (*loc, "consent", "until"),
                        f"consent ended on {image.consent.until.isoformat()}, so this picture is not published",
                        hint="renew consent and change the date, or remove the picture",
                        severity=Severity.WARNING,
                    )
                )
    project = root or content_dir.parent
    for relative, path in content_pictures(content_dir, project).items():
        if relative in referenced:
            continue
        reason = _refused(path, relative)
        if reason:
            problems.add(Problem(display_path(path, project), 1, 1, "", reason))
    return problems


def _refused(path: Path, name: str) -> str | None:
    """Why the picture at `path` is not published, or None. Its header is read first, so a picture
    too big or of the wrong kind is refused before any pixel is decoded; then it is re-encoded (and
    kept in the cache for the build), so `check` finds what `build` would."""
    try:
        with path.open("rb") as source:
            data = source.read(MAX_INPUT_BYTES + 1)
        read_header(data, name)
        published_bytes(path, name)
    except PictureError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read the picture: {exc.strerror or exc}"
    return None


def published_images(event: Event, today: dt.date) -> list[EventImage]:
    """The event's pictures whose consent still runs on `today`."""
    return [image for image in event.images if image.consent.until >= today]


def _unusable(src: str, content_dir: Path) -> str | None:
    relative = PurePosixPath(src)
    if relative.is_absolute() or ".." in relative.parts or "\\" in src or ":" in src:
        return "an image path is relative to content/ and stays inside it"
    path = content_dir / relative
    try:
        inside = path.resolve().is_relative_to(content_dir.resolve())
    except OSError:
        inside = False
    if not inside:
        return "this image is outside the project's content/ folder"
    if not path.is_file():
        return "no image file at this path under content/"
    return None
