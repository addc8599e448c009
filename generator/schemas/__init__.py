"""JSON Schema for each collection and for panelsite's section of site_config.yml, for editors.

`site_config.panelsite.schema.json` describes the mapping under `plugins: - panelsite:`.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..dataset import FOLDERS, SINGLE_FILES
from ..settings import Settings


def write_schemas(folder: Path) -> list[Path]:
    """Write `<collection>.schema.json` for every collection; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    models = {c.folder: c.model for c in FOLDERS} | {name: model for name, (_, model) in SINGLE_FILES.items()}
    models["site_config.panelsite"] = Settings
    written = []
    for name, model in sorted(models.items()):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
