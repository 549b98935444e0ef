"""How the app is served: security headers on /api/docs too, Swagger UI from the app's own files, compression,
long-lived static files under content-hashed URLs, and X-Forwarded-* believed only when TRUSTED_PROXIES says so."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
import sqlalchemy as sa

from qr.scans.models import Scan
from qr.scans.recorder import recorder_of
from registry.core.app import create_app
from registry.core.config import PROJECT_ROOT, Config, TestConfig
from registry.core.serving import IMMUTABLE, StaticVersions
from tests.qr.scans.test_scans import IPHONE, lots  # noqa: F401  (a fixture)
from tests.qr.test_public_void import _paths

SWAGGER_DIR = PROJECT_ROOT / "registry" / "static" / "swagger-ui"
BROWSER = "gzip, deflate, br, zstd"


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_api_docs_sends_the_same_security_headers_as_every_page(client):
    docs, page = client.get("/api/docs"), client.get("/login")
    assert docs.status_code == 200
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert docs.headers[header] == page.headers[header], header
    assert "script-src" not in docs.headers["Content-Security-Policy"]  # default-src 'self': no inline script
    assert "'unsafe-inline'" not in docs.headers["Content-Security-Policy"]


def test_api_docs_loads_only_files_of_this_app_and_no_inline_script(client):
    html = client.get("/api/docs").get_data(as_text=True)
    assert "cdn." not in html and "//" not in "".join(re.findall(r'(?:href|src)="([^"]+)"', html))
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts), scripts
    assert 'data-spec-url="/api/openapi.json"' in html
    for url in _assets(html):
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_no_template_or_stylesheet_loads_anything_from_elsewhere():
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)
    files = [*(PROJECT_ROOT / "templates").rglob("*.html"), *(PROJECT_ROOT / "registry" / "static").glob("*.css")]
    assert len(files) > 20
    offenders = [str(path) for path in files if external.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert not hasattr(Config, "OPENAPI_SWAGGER_UI_URL")


def test_vendored_swagger_ui_is_the_pinned_release_with_its_licence():
    sums = (SWAGGER_DIR / "SHA256SUMS").read_text().split("\n")
    names = set()
    for line in filter(None, sums):
        digest, name = line.split()
        assert hashlib.sha256((SWAGGER_DIR / name).read_bytes()).hexdigest() == digest, name
        names.add(name)
    assert {"LICENSE", "NOTICE", "swagger-ui-bundle.js", "swagger-ui.css"} <= names
    assert "Apache License" in (SWAGGER_DIR / "LICENSE").read_text()
    assert re.fullmatch(r"5\.\d+\.\d+", (SWAGGER_DIR / "VERSION").read_text().strip())


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"), [("gzip", "gzip", gzip.decompress), (BROWSER, "br", brotli.decompress)]
)
def test_pages_are_compressed_for_clients_that_accept_it(client, accept, encoding, decode):
    plain = client.get("/login")
    assert "Content-Encoding" not in plain.headers  # a client that asks for nothing gets plain text
    packed = client.get("/login", headers={"Accept-Encoding": accept})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    # The same page (the CSRF token differs per session, so compare the page without it).
    strip = re.compile(rb'value="[^"]{40,}"')
    assert strip.sub(b"", decode(packed.data)) == strip.sub(b"", plain.data)
    assert len(packed.data) < len(plain.data)


def test_api_json_is_compressed(client):
    response = client.get("/api/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).startswith(b"{")


def test_static_files_are_compressed_and_kept_for_a_year_under_their_hash(client):
    html = client.get("/api/docs").get_data(as_text=True)
    bundle = next(url for url in _assets(html) if url.startswith("/static/swagger-ui/swagger-ui-bundle.js"))
    version = bundle.split("?v=")[1]
    on_disk = (SWAGGER_DIR / "swagger-ui-bundle.js").read_bytes()
    assert version == hashlib.sha256(on_disk).hexdigest()[:12]
    response = client.get(bundle, headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == on_disk
    response.close()
    css = client.get("/static/app.css?v=" + StaticVersions(str(PROJECT_ROOT / "registry" / "static")).of("app.css"))
    assert css.headers["Cache-Control"] == IMMUTABLE
    css.close()


@pytest.mark.parametrize("query", ["", "?v=0123456789ab"])
def test_a_static_url_without_the_current_hash_is_checked_each_time(client, query):
    response = client.get("/static/app.css" + query)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers.get("ETag")
    response.close()


def test_every_page_links_its_stylesheets_with_their_hash(client):
    for path in ("/login", "/api/docs", "/codes"):
        assets = _assets(client.get(path).get_data(as_text=True))
        assert assets and all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in assets), (path, assets)


def test_a_changed_file_gets_a_new_version(tmp_path: Path):
    (tmp_path / "a.css").write_text("body{color:red}")
    versions = StaticVersions(str(tmp_path))
    first = versions.of("a.css")
    (tmp_path / "a.css").write_text("body{color:blue;}")
    assert versions.of("a.css") not in (None, first)
    assert versions.of("missing.css") is None
    assert versions.of("../a.css") is None


def test_label_png_is_not_compressed(db, make_api, world, lots):  # noqa: F811
    api = make_api(world.member_a)
    response = api.get(f"/api/v1/lots/{lots[0]['id']}/label.png", headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"\x89PNG")


# ---------------------------------------------------------------- behind a reverse proxy


@pytest.fixture
def proxied(app, db):
    """A second app on the same database that believes one proxy (TRUSTED_PROXIES=1)."""
    config = TestConfig(app.config["SQLALCHEMY_DATABASE_URI"])
    config.TRUSTED_PROXIES = 1
    second = create_app(config)
    yield second
    with second.app_context():
        from registry.core.extensions import db as second_db

        second_db.session.remove()
        second_db.engine.dispose()


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "vungtrong.example"}


def _scan_place(application, db, lot) -> str:
    client = application.test_client()
    response = client.get(
        _paths([lot])[0], headers={"User-Agent": IPHONE, **FORWARDED}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    assert response.status_code == 200
    assert recorder_of(application).flush() == 1
    place = db.session.scalars(sa.select(Scan.place).order_by(Scan.id.desc())).first()
    db.session.rollback()
    return place


def test_the_scan_place_follows_x_forwarded_for_only_when_proxies_are_trusted(app, db, proxied, lots):  # noqa: F811
    recorder = recorder_of(app)
    today = dt.datetime.now(dt.UTC)  # the place is salted per day; the scans happen now
    assert _scan_place(app, db, lots[0]) == recorder.place("10.0.0.2", today)  # TRUSTED_PROXIES=0: the socket
    assert _scan_place(proxied, db, lots[0]) == recorder_of(proxied).place("203.0.113.7", today)
    assert recorder.place("203.0.113.7", today) != recorder.place("10.0.0.2", today)


def test_forwarded_host_is_believed_only_when_proxies_are_trusted(app, db, proxied):
    referrer = {"Referer": "https://vungtrong.example/codes", **FORWARDED}
    trusted = proxied.test_client().get("/lang/en", headers=referrer, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert trusted.status_code == 302 and trusted.headers["Location"] == "/codes"
    ignored = app.test_client().get("/lang/en", headers=referrer, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert ignored.status_code == 302 and ignored.headers["Location"] == "/"  # a foreign page: the start page


@pytest.mark.parametrize(("raw", "count"), [("", 0), ("0", 0), ("1", 1), (" 2 ", 2)])
def test_trusted_proxies_from_the_environment(monkeypatch, raw, count):
    monkeypatch.setenv("TRUSTED_PROXIES", raw)
    proxies = Config().TRUSTED_PROXIES
    assert proxies == count


@pytest.mark.parametrize("raw", ["yes", "-1", "99"])
def test_a_wrong_trusted_proxies_stops_the_app_from_starting(monkeypatch, raw):
    monkeypatch.setenv("TRUSTED_PROXIES", raw)
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Config()
