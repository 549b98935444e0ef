"""Fixtures: app, db, client, runner (as in Flask's tutorial), plus signed-in API and page clients.

Every database test runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
REQUIRE_POSTGRES=1 turns a missing or unreachable server into a failure instead of a silent fallback.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from qr.area_facts import AREAS
from registry.accounts.services import create_token
from registry.core.app import create_app
from registry.core.config import TestConfig
from registry.core.extensions import db as _db
from registry.core.extensions import limiter
from registry.units.services import load_units
from tests import factories

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE_DIR = PROJECT_ROOT.parent / "shared" / "conformance"


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not (url or "").startswith("postgres"):
        pytest.exit("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL does not point at PostgreSQL", returncode=3)
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    application = create_app(TestConfig(url))
    application.test_client_class = IsolatedClient
    with application.app_context():
        try:
            _db.session.execute(sa.text("SELECT 1"))
        except sa.exc.OperationalError as exc:
            pytest.exit(f"Test database unreachable at {url}: {exc}", returncode=3)
        _db.drop_all()
        _db.create_all()
        load_units(_db.session)
        _db.session.commit()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


UNIT_TABLES = {"province", "commune"}


@pytest.fixture
def db(app):
    """An app context and a database emptied of everything but the administrative units after the test."""
    with app.app_context():
        yield _db
        empty_database(app)


def empty_database(app) -> None:
    """Everything but the administrative units deleted, ids restarted; call inside an app context."""
    app.extensions["scan_recorder"].discard()  # scans a test buffered but did not write
    limiter.reset()  # each test starts with no request counted against the rate limits
    AREAS.clear()  # ids are reused after the tables are emptied
    _db.session.rollback()
    tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name not in UNIT_TABLES]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    _db.session.remove()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, g and database session, as under a real server.

    Without this, requests made while the `db` fixture's app context is pushed would share its `g`
    (cached locale, CSRF token) and its session, which no production request ever does.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def no_rate_limits(monkeypatch):
    """Rate limits off for one test that sends more than they allow on purpose (they are on everywhere else)."""
    monkeypatch.setattr(limiter, "enabled", False)


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


class ApiClient:
    """A test client that sends a Bearer token and a language."""

    def __init__(self, client, token: str, language: str = "vi") -> None:
        self.client, self.token, self.language = client, token, language

    def _headers(self, extra=None):
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": self.language}
        headers.update(extra or {})
        return headers

    def get(self, path, **kw):
        return self.client.get(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(path, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch(path, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def put(self, path, **kw):
        return self.client.put(path, headers=self._headers(kw.pop("headers", None)), **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers=self._headers(kw.pop("headers", None)), **kw)


@pytest.fixture
def make_api(client, db):
    def make(user, language: str = "vi") -> ApiClient:
        token = create_token(db.session, email=user.email)
        db.session.commit()
        return ApiClient(client, token, language)

    return make


@pytest.fixture
def world(db):
    """Two cooperatives with an active area, a product each, their members, an auditor and an admin."""
    w = factories.build_world(db.session)
    db.session.commit()
    return w


class Clock:
    """Moves the app's 'today' (registry.core.db._now) to a chosen day in Viet Nam, for every module at once."""

    def __init__(self, monkeypatch) -> None:
        import registry.core.db as core_db

        self._core_db = core_db
        self._monkeypatch = monkeypatch

    def set_today(self, day) -> None:
        import datetime as dt

        noon = dt.datetime.combine(day, dt.time(12), tzinfo=self._core_db.VN_TZ)
        self._monkeypatch.setattr(self._core_db, "_now", lambda: noon)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True))
    if not match:
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def login(client):
    def do(email: str, password: str = factories.PASSWORD):
        page = client.get("/login")
        response = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


@pytest.fixture
def page_as(app, db):
    """A separate signed-in browser for each user, so a test can switch between people."""

    def make(user):
        browser = app.test_client()
        page = browser.get("/login")
        response = browser.post(
            "/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": csrf_token(page)}
        )
        assert response.status_code == 302
        return browser

    return make


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    if CONFORMANCE_DIR.is_dir():
        return CONFORMANCE_DIR
    if os.environ.get("REQUIRE_CONFORMANCE") == "1":
        pytest.fail(f"REQUIRE_CONFORMANCE=1 but {CONFORMANCE_DIR} is missing")
    pytest.skip(f"conformance artifacts not found at {CONFORMANCE_DIR} (they sit beside the checkout in CI)")


# ---------------------------------------------------------------- browser tests (Debian's Chromium)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live_server(app):
    """The session app on a real socket; each request runs in the server thread's own app context."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
