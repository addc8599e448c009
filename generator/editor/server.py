"""The editor's HTTP server on 127.0.0.1: the page, its scripts, Decap's bundle, and `/api/v1`.

Only the editor's own page may use the backend. Every request must name this server in its Host
header (`127.0.0.1:PORT` or `localhost:PORT`: a web page that renames itself to this address, DNS
rebinding, is refused). A request to `/api/v1` must also be a JSON POST whose Origin, when the
browser sends one, is this server's own, and must carry this run's random token as the
`X-Panelsite-Token` header. Anything else gets 403 and changes nothing. No CORS header is ever sent.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .api import Backend, Refused
from .config import backend, decap_config, preview_paths
from .page import CONTENT_SECURITY_POLICY, editor_page, missing_bundle_page

STATIC = Path(__file__).parent / "static"
BUNDLE = STATIC / "node_modules" / "decap-cms" / "dist"
INSTALL_COMMAND = f"npm ci --ignore-scripts --prefix {STATIC}"
"""How the pinned bundle is installed (also `make editor-deps`)."""
OWN_FILES = {"editor.js": "text/javascript", "start.js": "text/javascript", "editor.css": "text/css"}
BUNDLE_TYPES = {".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm"}
MAX_BODY = 40 * 1024 * 1024
"""The biggest request accepted: a 20 MB photo, base64-encoded, and room to spare."""
TOKEN_HEADER = "X-Panelsite-Token"


def bundle_ready(bundle: Path = BUNDLE) -> bool:
    return (bundle / "decap-cms.js").is_file()


class EditorServer(ThreadingHTTPServer):
    """One editor for one project, on 127.0.0.1."""

    daemon_threads = True

    def __init__(
        self, config: Path, port: int = 0, log: Callable[[str], None] | None = None, bundle: Path = BUNDLE
    ) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.backend = Backend(config, log)
        self.token = secrets.token_urlsafe(32)
        self.bundle = bundle
        self.log = log or (lambda _message: None)
        self._page: str | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts}

    def page(self) -> str:
        settings = self.backend.settings
        if not bundle_ready(self.bundle):
            return missing_bundle_page(settings.council, INSTALL_COMMAND)
        config = decap_config(
            settings, backend("proxy", f"http://127.0.0.1:{self.port}/api/v1"), *self.backend.choices()
        )
        return editor_page(settings.council, self.token, config, preview_paths(settings))

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="panelsite-edit", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: EditorServer
    server_version = "panelsite-edit"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        return

    # -- answers ---------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _forbidden(self, why: str) -> None:
        self.server.log(f"refused {self.command} {self.path}: {why}")
        self._json(HTTPStatus.FORBIDDEN, {"error": f"refused: {why}"})

    def _host_ok(self) -> bool:
        return self.headers.get("Host", "") in self.server.hosts

    # -- methods ---------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if not self._host_ok():
            self._forbidden("this server answers only http://127.0.0.1 on its own port")
            return
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page().encode("utf-8"), "text/html; charset=utf-8")
        elif path.startswith("/editor/") and path[len("/editor/") :] in OWN_FILES:
            name = path[len("/editor/") :]
            self._send(HTTPStatus.OK, (STATIC / name).read_bytes(), OWN_FILES[name] + "; charset=utf-8")
        elif path.startswith("/decap/"):
            self._bundle_file(path[len("/decap/") :])
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    do_HEAD = do_GET

    def _bundle_file(self, name: str) -> None:
        suffix = "." + name.rpartition(".")[2]
        if (
            "/" in name
            or name.startswith(".")
            or suffix not in BUNDLE_TYPES
            or not (self.server.bundle / name).is_file()
        ):
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        self._send(HTTPStatus.OK, (self.server.bundle / name).read_bytes(), BUNDLE_TYPES[suffix], cache=True)

    def do_POST(self) -> None:
        why = self._refusal()
        if why:
            self._forbidden(why)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "the request is too big"})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, UnicodeDecodeError):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the request is not JSON"})
            return
        try:
            answer = self.server.backend.handle(body)
        except Refused as exc:
            self.server.log(f"not saved: {exc}")
            self._json(exc.status, {"error": str(exc)})
            return
        except Exception as exc:  # noqa: BLE001 - one line for the worker, never a traceback
            self.server.log(f"internal error in the editor ({type(exc).__name__}); please report it")
            self._json(
                HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"panelsite could not do this ({type(exc).__name__})"}
            )
            return
        self._json(HTTPStatus.OK, answer)

    def _refusal(self) -> str | None:
        """Why this request may not use the backend, or None when it may."""
        if not self._host_ok():
            return "this server answers only http://127.0.0.1 on its own port"
        if self.path.split("?", 1)[0] != "/api/v1":
            return "only /api/v1 takes requests"
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.server.origins:
            return "the request came from another web page"
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site != "same-origin":
            return "the request came from another web page"
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return "the request is not JSON"
        token = self.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(token.encode("utf-8", "replace"), self.server.token.encode("utf-8")):
            return "the request does not carry this editor's token"
        return None

    def _not_allowed(self) -> None:
        self._forbidden("only GET and POST are answered")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed
