"""How the app is served: behind a reverse proxy, compressed, static files cached for a year under
content-hashed URLs, and the API docs (Swagger UI) from the app's own files under the same headers as
every other page."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, render_template, request, url_for
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

# Text that shrinks. Images (the QR PNGs, product photos), PDFs, XLSX and other zipped formats are already
# compressed and are sent as they are.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/ld+json",
    "application/geo+json",
    "application/linkset+json",
    "application/xml",
    "application/vnd.google-earth.kml+xml",
    "image/svg+xml",
]
# A static URL carrying the file's current hash never changes meaning, so browsers keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"

compress = Compress()


def install(app: Flask) -> None:
    """Call before any other after_request hook: compression must run last, on the finished response."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    # Brotli where the browser has it (all current ones), gzip for everyone else, streamed bodies included.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    compress.init_app(app)
    _trust_proxies(app)
    _static_versions(app)
    _api_docs(app)


def _trust_proxies(app: Flask) -> None:
    """TRUSTED_PROXIES=n: the last n proxies' X-Forwarded-For/-Proto/-Host are believed; 0 ignores them."""
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


class StaticVersions:
    """A short content hash per static file, re-read only when the file changes on disk."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).resolve()
        self._seen: dict[str, tuple[tuple[int, int], str]] = {}

    def of(self, filename: str) -> str | None:
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder):
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._seen.get(filename)
        if cached and cached[0] == key:
            return cached[1]
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                digest.update(block)
        version = digest.hexdigest()[:12]
        self._seen[filename] = (key, version)
        return version


def _static_versions(app: Flask) -> None:
    versions = StaticVersions(app.static_folder or os.fspath(Path(app.root_path) / "static"))
    app.extensions["static_versions"] = versions

    @app.url_defaults
    def versioned_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = versions.of(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def static_cache(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == versions.of(filename):
            response.headers["Cache-Control"] = IMMUTABLE
        else:
            # An old or missing version: the browser checks back (ETag) before using its copy.
            response.headers["Cache-Control"] = "no-cache"
        return response


def _api_docs(app: Flask) -> None:
    """Swagger UI from registry/static/swagger-ui (see its VERSION), started by a script file rather than an
    inline one, so /api/docs keeps the strict Content-Security-Policy."""

    @app.get("/api/docs")
    def api_docs():
        return render_template("api_docs.html", spec_url=url_for("api-docs.openapi_json"))
