"""Event pictures: shown as figures with alt text and caption, only from content/, only while consent runs."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from generator import images, private_cache
from generator.cli import main
from tests.conftest import write
from tests.reader_view import read_page


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


EVENT = "data/events/2017-05-11-thank-you.yml"
PAGE = "site/events/2017-05-11-thank-you/index.html"


def _figures(html: str) -> list[str]:
    return [part.split("</figure>")[0] for part in html.split('<figure class="ps-image">')[1:]]


def test_picture_is_a_figure_with_alt_text_and_caption_in_both_editions(project) -> None:
    assert main(["build"]) == 0
    for page in (PAGE, "site/young/events/2017-05-11-thank-you/index.html"):
        html = (project / page).read_text(encoding="utf-8")
        [figure] = _figures(html)
        assert 'alt="A drawing of four balloons, blue, red, green and orange, tied to the ground."' in figure
        assert "Balloons for the thank-you event (a drawing, not a photograph)." in read_page(figure).text
        src = figure.split('src="')[1].split('"')[0]
        assert (project / page).parent.joinpath(src).resolve().is_file(), src


def test_a_missing_picture_is_a_located_error(project, capsys) -> None:
    event = project / EVENT
    event.write_text(event.read_text().replace("images/thank-you-balloons.png", "images/missing.png"))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert f"{EVENT}:15:10: images[0].src: no image file at this path under content/ (got 'images/missing.png')" in out


def test_a_picture_outside_content_is_refused(project, capsys) -> None:
    write(project, "secret.png", "not a picture")
    event = project / EVENT
    event.write_text(event.read_text().replace("images/thank-you-balloons.png", "../secret.png"))
    assert main(["check"]) == 1
    assert "images[0].src: an image path is relative to content/ and stays inside it" in capsys.readouterr().out


def test_a_picture_whose_consent_has_ended_is_not_published(project, capsys) -> None:
    event = project / EVENT
    event.write_text(event.read_text().replace("until: 2099-12-31", "until: 2020-01-31"))
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "warning: images[0].consent.until: consent ended on 2020-01-31, so this picture is not published" in out
    assert main(["build", "--no-strict"]) == 0
    assert _figures((project / PAGE).read_text(encoding="utf-8")) == []


def test_a_picture_needs_a_consent_record(project, capsys) -> None:
    event = project / EVENT
    lines = event.read_text().splitlines(keepends=True)
    event.write_text("".join(line for line in lines if "consent:" not in line))
    assert main(["check"]) == 1
    assert "images[0].consent: required in 0.2: a photo is published only while its consent runs" in (
        capsys.readouterr().out
    )


# --- Pictures are published re-encoded, with no metadata (issue 20) ---------------------------------


RED, BLUE = (220, 20, 20), (20, 20, 220)


def _gps_photo(orientation: int = 6) -> bytes:
    """A 40 × 20 JPEG, red on the left and blue on the right, that a camera says to turn a quarter
    clockwise, carrying GPS coordinates, the owner's name, an address, XMP and a comment."""
    picture = Image.new("RGB", (40, 20), RED)
    picture.paste(BLUE, (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x013B] = "Jo Bloggs, 1 Example Street"  # Artist
    exif[0x010E] = "Residential trip, Example Lodge"  # ImageDescription
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (53.0, 25.0, 48.0), 3: "W", 4: (1.0, 21.0, 24.0)}  # GPSInfo
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>GPSLatitude 53,25.8N</rdf:RDF></x:xmpmeta>'
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif, comment=b"taken at Example Lodge", xmp=xmp, quality=95)
    data = out.getvalue()
    assert b"Jo Bloggs" in data and b"Example Lodge" in data and b"GPSLatitude" in data
    return data


def _huge_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header says `width` × `height` (its pixels are never there to decode)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _assert_no_metadata(data: bytes) -> None:
    for secret in (b"Jo Bloggs", b"Example", b"GPS", b"xmpmeta", b"Exif", b"ICC_PROFILE"):
        assert secret not in data, secret
    with Image.open(io.BytesIO(data)) as published:
        assert not published.getexif()
        assert set(published.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive"}


@pytest.fixture
def picture_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path / "tmp"


def test_a_photo_with_gps_is_published_with_no_metadata_and_upright(project, picture_cache) -> None:
    (project / "content/images/trip.jpg").write_bytes(_gps_photo())
    event = project / EVENT
    event.write_text(event.read_text().replace("images/thank-you-balloons.png", "images/trip.jpg"))
    assert main(["build"]) == 0
    for published in (project / "site/images/trip.jpg", project / "site/young/images/trip.jpg"):
        data = published.read_bytes()
        assert data != (project / "content/images/trip.jpg").read_bytes()
        _assert_no_metadata(data)
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == (20, 40)  # turned a quarter clockwise: the left (red) half is on top
            top, bottom = picture.convert("RGB").getpixel((10, 5)), picture.convert("RGB").getpixel((10, 35))
        assert top[0] > 150 and top[2] < 80 and bottom[2] > 150 and bottom[0] < 80


def test_re_encoding_is_deterministic_and_kept_by_a_checked_hash(tmp_path, picture_cache) -> None:
    original = tmp_path / "trip.jpg"
    original.write_bytes(_gps_photo())
    store = images.picture_store()
    first = images.published_bytes(original, "trip.jpg", store)
    assert images.reencode(original.read_bytes(), "trip.jpg") == first
    store.flush()
    kept = images.picture_store()
    assert images.published_bytes(original, "trip.jpg", kept) == first and kept.hits == 1  # kept, and used
    (entry,) = [p for p in (picture_cache / f"panelsite-cache-{os.getuid()}" / "pictures").iterdir() if p.is_file()]
    header, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(header + b"\n" + original.read_bytes())  # the original (with GPS) planted in the cache
    planted = images.picture_store()
    assert images.published_bytes(original, "trip.jpg", planted) == first and planted.rejected == 1
    made_from = header.split(b" ")[2].decode()
    private_cache.write_checked(entry, made_from, original.read_bytes())  # planted with a matching seal
    sealed = images.picture_store()
    assert images.published_bytes(original, "trip.jpg", sealed) == first  # refused: it carries metadata
    assert sealed.rejected == 1


def test_a_big_picture_is_scaled_down_to_the_longest_side_cap() -> None:
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), RED).save(out, "PNG")
    with Image.open(io.BytesIO(images.reencode(out.getvalue(), "wide.png"))) as picture:
        assert picture.size == (images.MAX_SIDE, images.MAX_SIDE // 2)


def test_png_text_chunks_and_colour_profiles_are_dropped() -> None:
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jo Bloggs")
    info.add_itxt("Location", "Example Lodge", zip=True)
    out = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGBA", (8, 8), (1, 2, 3, 128)).save(out, "PNG", pnginfo=info, icc_profile=profile)
    data = images.reencode(out.getvalue(), "x.png")
    assert b"Jo Bloggs" not in data and b"iCCP" not in data and b"iTXt" not in data and b"tEXt" not in data
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.mode == "RGBA" and picture.getpixel((0, 0))[3] == 128


def test_an_oversized_png_is_a_located_error_before_it_is_decoded(project, capsys, monkeypatch) -> None:
    (project / "content/images/huge.png").write_bytes(_huge_png())
    (project / "content/images/thank-you-balloons.png").unlink()  # the only other picture
    event = project / EVENT
    event.write_text(event.read_text().replace("images/thank-you-balloons.png", "images/huge.png"))

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(ImageOps, "exif_transpose", no_decoding)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert (
        f"{EVENT}:15:10: images[0].src: the picture is 30,000 × 30,000 pixels (900,000,000); the limit is "
        "50,000,000 pixels" in out
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("anim.gif", "GIF", "GIF pictures are not published; save it as a JPEG, PNG or WebP picture"),
        ("photo.jpg", "BMP", "BMP pictures are not published"),
        ("fake.jpg", None, "the file is a PNG picture but its name ends .jpg; rename it to end .png"),
        ("broken.png", b"\x89PNG\r\n\x1a\nnot really", "this file cannot be read as a picture"),
    ],
)
def test_a_picture_in_another_format_is_refused_where_it_lies(project, capsys, name, data, message) -> None:
    if data is None:
        data = (project / "content/images/thank-you-balloons.png").read_bytes()
    elif isinstance(data, str):
        out = io.BytesIO()
        Image.new("RGB", (4, 4), RED).save(out, data)
        data = out.getvalue()
    (project / "content/images" / name).write_bytes(data)
    assert main(["check"]) == 1
    assert f"content/images/{name}:1:1: {message}" in capsys.readouterr().out


def test_a_decompression_bomb_is_refused() -> None:
    with pytest.raises(images.PictureError, match="the limit is 50,000,000 pixels"):
        images.reencode(_huge_png(10000, 10000), "bomb.png")


def test_a_cut_short_photo_is_an_error_in_check_and_never_published_as_it_is(project, capsys, picture_cache) -> None:
    whole = _gps_photo()
    (project / "content/images/cut.jpg").write_bytes(whole[:-60])  # the header is whole, the pixels are not
    assert main(["check"]) == 1
    assert "content/images/cut.jpg:1:1: this file cannot be read as a whole picture" in capsys.readouterr().out
    assert main(["build"]) == 1
    assert not (project / "site/images/cut.jpg").exists()


def test_a_site_without_pictures_never_imports_pillow(tmp_path):
    """Pillow costs about a tenth of a second to import; a warm build of a site with no pictures skips it."""
    import subprocess
    import sys

    code = "import sys; import generator.pipeline; print('PIL' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("kind", ["WEBP", "MPO"])
def test_webp_and_multi_picture_jpeg_photos_are_published_without_metadata(kind) -> None:
    """WebP is published as WebP; a phone's multi-picture JPEG (MPO) as a plain JPEG of its first picture."""
    exif = Image.Exif()
    exif[0x013B] = "Jo Bloggs"
    exif[0x8825] = {1: "N", 2: (53.0, 25.0, 48.0)}
    out = io.BytesIO()
    first, second = Image.new("RGB", (20, 10), RED), Image.new("RGB", (20, 10), BLUE)
    first.save(out, kind, exif=exif, save_all=True, append_images=[second])
    name = "trip.webp" if kind == "WEBP" else "trip.jpg"
    data = images.reencode(out.getvalue(), name)
    assert b"Jo Bloggs" not in data
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == ("WEBP" if kind == "WEBP" else "JPEG")
        assert not picture.getexif() and getattr(picture, "n_frames", 1) == 1
        assert picture.convert("RGB").getpixel((5, 5))[0] > 150  # the first picture, red


def test_a_build_of_a_site_without_pictures_never_imports_pillow(tmp_path):
    """Publishing a site's pictures asks for the picture cache (whose recipe names Pillow's version) only
    when there is a picture to publish."""
    import subprocess
    import sys

    (tmp_path / "content").mkdir()
    code = (
        "import sys; from pathlib import Path; from generator.images import published_pictures; "
        f"found = published_pictures(Path({str(tmp_path / 'content')!r}), Path({str(tmp_path)!r})); "
        "print(found[0], 'PIL' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "{} False"
