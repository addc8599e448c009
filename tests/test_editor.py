"""`panelsite edit` without a browser: the generated Decap configuration, the backend's saves and
refusals, and the server's checks on who may use it."""

from __future__ import annotations

import base64
import difflib
import http.client
import io
import json
import socket
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from pydantic import BaseModel

from generator import models
from generator.cli import main
from generator.editor.api import ACTIONS, Backend, Refused
from generator.editor.config import YOUNG_LABEL, backend, decap_config
from generator.editor.records import rewrite
from generator.editor.server import EditorServer
from generator.settings import load_settings
from generator.yaml_edit import YamlText
from generator.yamlio import parse

EVENT = "data/events/2017-05-11-thank-you.yml"
KPI = "data/kpis/children-looked-after.yml"


def decap_raw(data: dict[str, Any]) -> str:
    """A record as Decap writes it: its own key order, quoting and line wrapping."""
    return yaml.safe_dump(data, sort_keys=True, width=80, allow_unicode=True)


def read(root: Path, rel: str) -> dict[str, Any]:
    doc, problems = parse((root / rel).read_text(encoding="utf-8"), rel)
    assert doc is not None, problems.format()
    return dict(doc.data)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def save(backend_: Backend, rel: str, data: dict[str, Any]) -> Any:
    return backend_.handle({"action": "persistEntry", "params": {"entry": {"path": rel, "raw": decap_raw(data)}}})


# -- the configuration ---------------------------------------------------------------------------


def _config(project: Path) -> dict[str, Any]:
    settings, _ = load_settings(project / "site_config.yml", project)
    assert settings is not None
    return decap_config(settings, backend("proxy", "http://127.0.0.1:8090/api/v1"), ["cpp-2017-07-18"], ["x"])


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (directly, in a list, or optionally), or None for a plain value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found:
            return found
    return None


def _assert_covers(model: type[BaseModel], fields: list[dict[str, Any]], where: str, optional: bool = False) -> int:
    by_name = {field["name"]: field for field in fields}
    count = 0
    for name, info in model.model_fields.items():
        assert name in by_name, f"{where}.{name} is missing from the editor's configuration"
        field = by_name[name]
        count += 1
        assert field["label"] and field.get("hint", "").startswith(info.description or ""), f"{where}.{name}"
        required = info.is_required() and type(None) not in typing.get_args(info.annotation)
        if name not in ("id",):
            assert field["required"] == (required and not optional), f"{where}.{name}"
        inner = _model_of(info.annotation)
        if inner is not None:
            in_list = field["widget"] == "list"
            count += _assert_covers(
                inner, field["fields"], f"{where}.{name}", not in_list and (optional or not required)
            )
    assert set(by_name) == set(model.model_fields), f"{where} has fields the model does not"
    return count


def test_editor_config_has_every_model_field(project: Path) -> None:
    config = _config(project)
    folders = {c["name"]: c for c in config["collections"] if "folder" in c}
    files = {f["name"]: f for c in config["collections"] for f in c.get("files", [])}
    wanted = {
        "kpis": models.Kpi,
        "updates": models.Update,
        "events": models.Event,
        "meetings": models.Meeting,
        "areas": models.AreaOffer,
    }
    total = sum(_assert_covers(model, folders[name]["fields"], name) for name, model in wanted.items())
    singles = {"pledge": models.Pledge, "glossary": models.Glossary, "sources": models.Sources}
    total += sum(_assert_covers(model, files[name]["fields"], name) for name, model in singles.items())
    assert total > 250  # every nested field, not only the top level


def test_editor_config_choices_come_from_the_settings_and_models(project: Path) -> None:
    config = _config(project)
    settings, _ = load_settings(project / "site_config.yml", project)
    assert settings is not None
    events = next(c for c in config["collections"] if c["name"] == "events")
    fields = {f["name"]: f for f in events["fields"]}
    assert fields["kind"]["widget"] == "select" and fields["kind"]["options"] == list(settings.event_kinds)
    assert fields["young"]["widget"] == "object" and fields["young"]["label"] == YOUNG_LABEL
    assert fields["date"]["widget"] == "string" and fields["date"]["pattern"][0].startswith("^")
    assert fields["source"]["fields"][0]["options"] == ["cpp-2017-07-18"]
    kpis = {f["name"]: f for f in next(c for c in config["collections"] if c["name"] == "kpis")["fields"]}
    benchmark = {f["name"]: f for f in kpis["benchmarks"]["fields"]}
    assert benchmark["name"]["options"] == [c.name for c in settings.comparators]
    assert kpis["unit"]["options"] == [u.value for u in models.kpi.Unit]
    areas = {f["name"]: f for f in next(c for c in config["collections"] if c["name"] == "areas")["fields"]}
    assert areas["area"]["options"] == [a.value for a in models.entitlement.Area]
    assert config["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8090/api/v1", "branch": "main"}
    assert config["media_folder"] == "content/images" and config["public_folder"] == "images"


def test_editor_config_for_a_git_host() -> None:
    assert backend("github", repo="council/panel-site") == {
        "name": "github",
        "repo": "council/panel-site",
        "branch": "main",
    }
    with pytest.raises(ValueError, match="unknown backend"):
        backend("dropbox")


def test_editor_cli_prints_the_config_for_a_git_host(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edit", "--print-config", "gitea:northby/panel-site", "--branch", "live"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["backend"] == {"name": "gitea", "repo": "northby/panel-site", "branch": "live"}
    assert [c["name"] for c in printed["collections"]] == ["kpis", "updates", "events", "meetings", "areas", "pages"]
    assert main(["edit", "--print-config", "dropbox:northby"]) == 2
    assert "--print-config takes github:OWNER/REPO" in capsys.readouterr().err


def test_editor_cli_refuses_a_busy_port(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["edit", "--port", str(port), "--no-open"]) == 2
    assert f"127.0.0.1:{port} is already in use" in capsys.readouterr().err


# -- saving --------------------------------------------------------------------------------------


def test_editor_backend_speaks_decap_protocol(project: Path) -> None:
    api = Backend(project / "site_config.yml")
    assert set(ACTIONS) >= {"info", "entriesByFolder", "getEntry", "persistEntry", "persistMedia", "deleteFile"}
    assert api.handle({"action": "info"})["type"] == "local_fs"
    entries = api.handle({"action": "entriesByFolder", "params": {"folder": "data/events", "extension": "yml"}})
    assert [e["file"]["path"] for e in entries] == [EVENT]
    assert entries[0]["data"] == (project / EVENT).read_text(encoding="utf-8")
    assert len(entries[0]["file"]["id"]) == 64
    with pytest.raises(Refused, match="Unknown action"):
        api.handle({"action": "unpublishedEntries", "params": {}})


def test_editor_one_field_edit_changes_only_that_line(project: Path) -> None:
    api = Backend(project / "site_config.yml")
    before = (project / KPI).read_text(encoding="utf-8")
    data = read(project, KPI)
    data["values"][1]["value"] = 566
    data["values"][1]["provisional"] = False  # what Decap adds for a box nobody ticked
    data["notes"] = []
    assert save(api, KPI, data) == {"message": "entry persisted"}
    after = (project / KPI).read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        '-  - {period: "2022-11", value: 565}',
        '+  - {period: "2022-11", value: 566}',
    ]


def test_editor_keeps_comments_and_folded_text(project: Path) -> None:
    path = project / EVENT
    text = path.read_text(encoding="utf-8")
    long = "Young people and staff shared food, games and music, and looked back on a year of work together."
    text = "# Written by the participation team.\n" + text.replace(
        "what_happened: Young people and staff shared food and looked back on the year.",
        f"what_happened: >-\n  {long}",
    )
    path.write_text(text, encoding="utf-8")
    api = Backend(project / "site_config.yml")
    data = read(project, EVENT)
    data["what_happened"] = long.replace("games", "dancing")
    data["title"] = "Thank-you party"
    save(api, EVENT, data)
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# Written by the participation team.\ntitle: Thank-you party\n")
    assert "what_happened: >-\n  Young people and staff shared food, dancing and music" in after
    assert len(changed_lines(text, after)) == 4


def test_editor_resolutions_written_as_text_stay_text(project: Path) -> None:
    rel = "data/meetings/2017-07-18.yml"
    path = project / rel
    text = path.read_text(encoding="utf-8")
    api = Backend(project / "site_config.yml")
    shown = yaml.safe_load(api.handle({"action": "getEntry", "params": {"path": rel}})["data"])
    minutes = [item["minute"] for item in shown["agenda"] if item.get("minute", {}).get("resolutions")]
    assert minutes and all(isinstance(r, dict) for m in minutes for r in m["resolutions"])
    first = minutes[0]["resolutions"][0]
    old_text = first["text"]
    first["text"] = old_text + " It asked for a report in the autumn."
    save(api, rel, shown)
    after = path.read_text(encoding="utf-8")
    changed = changed_lines(text, after)
    assert len(changed) == 2 and changed[0].endswith(old_text) and changed[1].endswith("in the autumn.")
    assert "        - That the update be noted. It asked for a report in the autumn.\n" in after


def test_editor_refuses_an_invalid_save_and_writes_nothing(project: Path) -> None:
    api = Backend(project / "site_config.yml")
    before = (project / EVENT).read_bytes()
    data = read(project, EVENT)
    data["date"] = "2017-02-30"
    with pytest.raises(Refused) as refused:
        save(api, EVENT, data)
    assert refused.value.status == 422
    assert str(refused.value).startswith(f"{EVENT}:2:7: date: Input should be a valid date (got '2017-02-30')")
    assert (project / EVENT).read_bytes() == before


def test_editor_new_records_get_panelsite_file_names(project: Path) -> None:
    api = Backend(project / "site_config.yml")
    data = read(project, EVENT)
    data.update(date="2017-06-01", title="Summer trip", images=[], end_date="", place="")
    rel = "data/events/2017-06-01-summer-trip.yml"
    save(api, rel, data)
    written = (project / rel).read_text(encoding="utf-8")
    assert written.startswith('title: Summer trip\ndate: "2017-06-01"\nkind: celebration\nsummary: >-\n  A party')
    assert "place" not in written and "images" not in written
    # A name the loader does not expect is refused with its own located message.
    with pytest.raises(Refused, match=r"2017-06-02-picnic\.yml"):
        save(api, "data/events/2017-06-02-picnic.yml", {**data, "title": "Picnic"})
    assert not (project / "data/events/2017-06-02-picnic.yml").exists()


def test_editor_refuses_a_delete_that_breaks_a_reference(project: Path) -> None:
    api = Backend(project / "site_config.yml")
    kpi = "data/kpis/care-leavers-in-education-employment-training.yml"
    with pytest.raises(Refused, match="data/pledge.yml:.*unknown KPI id"):
        api.handle({"action": "deleteFile", "params": {"path": kpi}})
    assert (project / kpi).exists()
    api.handle({"action": "deleteFile", "params": {"path": "data/meetings/2017-08-29.yml"}})
    assert not (project / "data/meetings/2017-08-29.yml").exists()


@pytest.mark.parametrize(
    "path",
    ["site_config.yml", "../outside.yml", "/etc/passwd", "data/../site_config.yml", "content/index.md", "data/.x.yml"],
)
def test_editor_refuses_paths_outside_the_data_folder(project: Path, path: str) -> None:
    api = Backend(project / "site_config.yml")
    with pytest.raises(Refused) as refused:
        api.handle({"action": "persistEntry", "params": {"entry": {"path": path, "raw": "title: x\n"}}})
    assert refused.value.status in (400, 403)
    with pytest.raises(Refused):
        api.handle({"action": "getEntry", "params": {"path": path}})


def _jpeg_with_location() -> bytes:
    picture = Image.new("RGB", (40, 30), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (53.0, 25.0, 49.0)}  # GPS: where the photo was taken
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_editor_photo_upload_is_stripped_of_metadata(project: Path) -> None:
    api = Backend(project / "site_config.yml")
    original = _jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif()
    asset = {
        "path": "content/images/Summer Trip.JPG",
        "content": base64.b64encode(original).decode(),
        "encoding": "base64",
    }
    answer = api.handle({"action": "persistMedia", "params": {"asset": asset}})
    assert answer["path"] == "content/images/summer-trip.jpg"
    stored = (project / answer["path"]).read_bytes()
    with Image.open(io.BytesIO(stored)) as picture:
        assert not picture.getexif() and "exif" not in picture.info and picture.size == (40, 30)
    assert b"PhoneMaker" not in stored
    bad = {
        "path": "content/images/notes.jpg",
        "content": base64.b64encode(b"not a picture").decode(),
        "encoding": "base64",
    }
    with pytest.raises(Refused, match="cannot be read as a picture"):
        api.handle({"action": "persistMedia", "params": {"asset": bad}})
    assert not (project / "content/images/notes.jpg").exists()


def test_editor_yaml_set_text_keeps_block_styles() -> None:
    text = "a: 1\nsummary: >-\n  old words\n  here\n# kept\nnotes: |\n  line one\n  line two\nb: 2\n"
    edited = YamlText(text)
    edited.set_text(("summary",), "new words " * 14 + "end")
    edited.set_text(("notes",), "line one\nline three\n")
    assert edited.text.startswith("a: 1\nsummary: >-\n  new words new words")
    assert "\n# kept\nnotes: |\n  line one\n  line three\nb: 2\n" in edited.text
    assert yaml.safe_load(edited.text) == {
        "a": 1,
        "summary": "new words " * 14 + "end",
        "notes": "line one\nline three\n",
        "b": 2,
    }
    edited.set_text(("summary",), "two  spaces")  # a folded block cannot hold this: written inline
    assert "summary: two  spaces\n" in edited.text
    edited.set_text(("a",), "plain")  # not a block before: written as set_value writes it
    assert edited.text.startswith("a: plain\n")


def test_editor_rewrite_lists_in_place() -> None:
    text = "items:\n  - a  # first\n  - b\n  - c\nflow: [x, y]\n"
    old = {"items": ["a", "b", "c"], "flow": ["x", "y"]}
    out, _ = rewrite(text, old, {"items": ["a", "c", "d"], "flow": ["x", "y", "z"]})
    assert out == "items:\n  - a  # first\n  - c\n  - d\nflow: [x, y, z]\n"


# -- the server's checks -------------------------------------------------------------------------


@pytest.fixture
def server(project: Path) -> typing.Iterator[EditorServer]:
    running = EditorServer(project / "site_config.yml", 0, bundle=project / "no-bundle")
    running.serve_in_thread()
    yield running
    running.shutdown()
    running.server_close()


def _post(server: EditorServer, body: dict[str, Any], **headers: str) -> tuple[int, Any]:
    sent = {"Host": f"127.0.0.1:{server.port}", "Content-Type": "application/json", "X-Panelsite-Token": server.token}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    sent = {k: v for k, v in sent.items() if v != "-"}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("POST", "/api/v1", json.dumps(body), sent)
    response = connection.getresponse()
    answer = json.loads(response.read() or b"null")
    connection.close()
    return response.status, answer


def _edit(project: Path) -> dict[str, Any]:
    data = read(project, EVENT)
    data["title"] = "Changed by another page"
    return {"action": "persistEntry", "params": {"entry": {"path": EVENT, "raw": decap_raw(data)}}}


REFUSALS = {
    "no token": {"X_Panelsite_Token": "-"},
    "wrong token": {"X_Panelsite_Token": "guessed"},
    "another host": {"Host": "evil.example:80"},
    "rebound name": {"Host": "attacker.example"},
    "another origin": {"Origin": "https://evil.example"},
    "another port": {"Origin": "http://127.0.0.1:1"},
    "cross-site fetch": {"Sec_Fetch_Site": "cross-site"},
    "form post": {"Content_Type": "text/plain"},
}


@pytest.mark.parametrize("name", REFUSALS)
def test_editor_server_refuses_other_pages(project: Path, server: EditorServer, name: str) -> None:
    before = (project / EVENT).read_bytes()
    status, answer = _post(server, _edit(project), **REFUSALS[name])
    assert status == 403 and answer["error"].startswith("refused:")
    assert (project / EVENT).read_bytes() == before


def test_editor_server_answers_its_own_page(project: Path, server: EditorServer) -> None:
    status, answer = _post(server, _edit(project), Origin=f"http://127.0.0.1:{server.port}")
    assert status == 200, answer
    assert "title: Changed by another page" in (project / EVENT).read_text(encoding="utf-8")
    status, answer = _post(server, _edit(project), Host=f"localhost:{server.port}", Sec_Fetch_Site="same-origin")
    assert status == 200 and answer == {"message": "nothing changed"}


def test_editor_server_page_and_other_methods(server: EditorServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/", headers={"Host": "evil.example"})
    assert connection.getresponse().status == 403
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        "OPTIONS", "/api/v1", headers={"Host": f"127.0.0.1:{server.port}", "Origin": "https://x.example"}
    )
    response = connection.getresponse()
    assert response.status == 403 and response.getheader("Access-Control-Allow-Origin") is None
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/", headers={"Host": f"127.0.0.1:{server.port}"})
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 200 and "default-src 'self'" in (response.getheader("Content-Security-Policy") or "")
    assert "npm ci" in page  # this server was given no bundle: the page says what to run
    connection.close()
