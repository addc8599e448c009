"""Pictures on event pages: each file must exist under `content/`, and consent must not have run out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

from .dataset import Dataset, problem_at
from .errors import Problems, Severity
from .models.event import Event, Image


def check_images(dataset: Dataset, content_dir: Path, today: dt.date) -> Problems:
    """An error for a picture whose file is missing or outside content/; a warning once consent ends."""
    problems = Problems()
    for event_id, event in dataset.events.items():
        doc = dataset.documents[dataset.origin("events", event_id)]
        for index, image in enumerate(event.images):
            loc = ("images", index)
            reason = _unusable(image.src, content_dir)
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
    return problems


def published_images(event: Event, today: dt.date) -> list[Image]:
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
