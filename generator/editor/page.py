"""The editor's own page: Decap's bundle, panelsite's script, the configuration and the run's token.

The page holds the per-run token in `<meta name="panelsite-token">`; `static/editor.js` adds it to
every request Decap makes to `/api/v1` as the `X-Panelsite-Token` header. Another web page cannot
read this page (browsers keep pages of different origins apart), so it cannot learn the token.
"""

from __future__ import annotations

import html
import json
from typing import Any

PREVIEW_STANDARD = "http://127.0.0.1:8000/"
PREVIEW_YOUNG = "http://127.0.0.1:8001/young/"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data:",
        "font-src 'self' data:",
        "connect-src 'self' blob: data:",
        "frame-src 'self' blob: about:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)
"""The browser itself refuses anything from another host: scripts, styles, pictures, requests."""


def _json_for_html(value: Any) -> str:
    """JSON that cannot end the `<script>` element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def editor_page(
    site_name: str,
    token: str,
    config: dict[str, Any],
    previews: dict[str, str],
    preview_standard: str = PREVIEW_STANDARD,
    preview_young: str = PREVIEW_YOUNG,
) -> str:
    """The HTML of the editor's page."""
    settings = {"paths": previews, "standard": preview_standard, "young": preview_young}
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="panelsite-token" content="{html.escape(token)}">
<title>Edit {html.escape(site_name)}</title>
<link rel="stylesheet" href="/editor/editor.css">
<script src="/editor/editor.js"></script>
<script src="/decap/decap-cms.js"></script>
</head>
<body>
<section class="panelsite-visually-hidden" id="panelsite-title" aria-labelledby="panelsite-heading">
<h1 id="panelsite-heading">Edit the panel's site: {html.escape(site_name)}</h1>
</section>
<div id="panelsite-main" role="main">
<noscript><p>The editor needs JavaScript. It runs only on this computer.</p></noscript>
<div id="nc-root"></div>
</div>
<script type="application/json" id="panelsite-config">{_json_for_html(config)}</script>
<script type="application/json" id="panelsite-preview">{_json_for_html(settings)}</script>
<script src="/editor/start.js"></script>
</body>
</html>
"""


def missing_bundle_page(site_name: str, command: str) -> str:
    """Shown when Decap's bundle has not been installed: what to run."""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edit {html.escape(site_name)}: one step left</title></head>
<body><main><h1>The editor is not installed yet</h1>
<p>Ask whoever set up panelsite to run this once, then reload this page:</p>
<pre><code>{html.escape(command)}</code></pre></main></body>
</html>
"""
