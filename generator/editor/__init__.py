"""`panelsite edit`: a local, browser-based editor for a council's folder.

The editor is Decap CMS's browser bundle (pinned in `generator/editor/static/package.json`, installed
with `npm ci`, served from this machine: no request ever leaves it). panelsite speaks Decap's local
backend protocol itself, so every save is checked by panelsite's own loader and written in place by
`generator.yaml_edit`, keeping comments and layout.

- `config.py`: the Decap configuration, generated from the pydantic models and the site's settings;
- `records.py`: what changed between the file and the editor's copy, applied as in-place edits;
- `api.py`: the backend's actions (`info`, `entriesByFolder`, `persistEntry`, ...) at `/api/v1`;
- `photos.py`: the one path an uploaded photo takes into `content/images/`;
- `page.py`: the editor's own HTML page and script;
- `server.py`: the HTTP server on 127.0.0.1, which answers only its own page.
"""
