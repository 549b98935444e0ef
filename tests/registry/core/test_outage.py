"""The app survives a database restart while serving: during the outage every request fails cleanly with 503
(JSON for the API, a page otherwise, translated, with Retry-After), a connection killed mid-request included,
and the same app instance answers 200 again once the database is back.

The shared PostgreSQL server is never stopped: the app under test reaches it through a TCP proxy (tests/tcp_proxy.py)
that the test closes, cutting every connection, and opens again. The cases that need no server run on SQLite too.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import sqlalchemy as sa

from registry.accounts.services import create_token
from registry.core.app import RETRY_AFTER, create_app
from registry.core.config import TestConfig
from registry.core.extensions import db as _db
from tests.conftest import ApiClient, csrf_token
from tests.factories import PASSWORD
from tests.tcp_proxy import TcpProxy

APP_NAME = "outage-test"
EN_MESSAGE = "The registry cannot reach its database right now. Please try again in a moment."


# ---------------------------------------------------------------- without a server (SQLite too)


@pytest.fixture
def unreachable(tmp_path):
    return create_app(TestConfig(f"sqlite:///{tmp_path}/no-such-dir/registry.db"))


def test_api_without_a_database_is_a_translated_json_503(unreachable):
    client = unreachable.test_client()
    for lang in ("en", "vi"):
        response = client.get("/api/v1/areas", headers={"Authorization": "Bearer x", "Accept-Language": lang})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == str(RETRY_AFTER)
        assert response.json["code"] == 503 and response.json["status"] == "Service Unavailable"
        assert (response.json["message"] == EN_MESSAGE) is (lang == "en"), response.json


def test_a_page_without_a_database_is_a_translated_html_503(unreachable):
    client = unreachable.test_client()
    response = client.get("/codes/lookup?code=VN-TTAA-001", headers={"Accept-Language": "en"})
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    assert "Content-Security-Policy" in response.headers
    html = response.get_data(as_text=True)
    assert EN_MESSAGE in html and 'lang="en"' in html
    vi = client.get("/codes/lookup?code=VN-TTAA-001", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert EN_MESSAGE not in vi and 'lang="vi"' in vi


# ---------------------------------------------------------------- a real PostgreSQL behind a proxy


def _postgres_url(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the outage test cuts PostgreSQL connections through a TCP proxy; SQLite has no server to lose")
    return url


@pytest.fixture
def proxy(app):
    parts = urlsplit(_postgres_url(app))
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).open()
    yield proxy
    proxy.close()


def _proxied_app(app, proxy, options: str = ""):
    """A second app whose engine reaches the test database through the proxy."""
    parts = urlsplit(app.config["SQLALCHEMY_DATABASE_URI"])
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{proxy.port}"
    query = (parts.query + "&" if parts.query else "") + f"application_name={APP_NAME}&connect_timeout=3" + options
    return create_app(TestConfig(urlunsplit(parts._replace(netloc=netloc, query=query))))


@pytest.fixture
def proxied_app(app, db, proxy):
    made = []

    def make(options: str = ""):
        made.append(_proxied_app(app, proxy, options))
        return made[-1]

    yield make
    for second in made:
        with second.app_context():
            _db.session.remove()
            _db.engine.dispose()
    _terminate(app, "true")  # anything of the proxied app the proxy left behind, before the tables are emptied


@pytest.fixture
def proxied(proxied_app):
    return proxied_app()


def _direct(app) -> psycopg.Connection:
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


def _terminate(app, where: str) -> list[int]:
    with _direct(app) as conn:
        rows = conn.execute(
            "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "  # noqa: S608  (where is the test's own)
            f"WHERE application_name = %s AND datname = current_database() AND {where}",
            (APP_NAME,),
        ).fetchall()
    return [pid for pid, _ in rows]


class TableLock:
    """Another session holds the growing_area table, so the proxied app's request stops mid-way on it."""

    def __init__(self, app) -> None:
        self.app = app
        self.conn = _direct(app)
        self.conn.execute("BEGIN")
        self.conn.execute("LOCK TABLE growing_area IN ACCESS EXCLUSIVE MODE")

    def wait_for_a_waiter(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            waiting = self.conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
                (APP_NAME,),
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
        raise AssertionError("the request never reached the locked table")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _in_thread(fn):
    result: dict = {}
    thread = threading.Thread(target=lambda: result.setdefault("response", fn()), daemon=True)
    thread.start()
    return thread, result


def _sign_in(client, email: str) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 302


def _assert_unavailable_json(response, lang="en"):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == str(RETRY_AFTER)
    assert response.json["code"] == 503
    assert (response.json["message"] == EN_MESSAGE) is (lang == "en")


def test_a_connection_killed_mid_request_is_a_503_and_the_next_request_works(app, db, world, proxied):
    token = create_token(db.session, email=world.member_a.email)
    db.session.commit()
    api = ApiClient(proxied.test_client(), token, "en")
    assert api.get("/api/v1/areas").status_code == 200

    lock = TableLock(app)
    try:
        thread, result = _in_thread(lambda: api.get("/api/v1/areas"))
        lock.wait_for_a_waiter()
        killed = _terminate(app, "wait_event_type = 'Lock'")  # the server ends the app's backend mid-query
        assert len(killed) == 1
        thread.join(timeout=30)
    finally:
        lock.release()
    _assert_unavailable_json(result["response"])
    # The same app, the same pool: the next request gets a fresh connection.
    assert api.get("/api/v1/areas").status_code == 200


def test_the_app_survives_the_database_going_away_and_coming_back(app, db, world, proxied, proxy):
    token = create_token(db.session, email=world.member_a.email)
    db.session.commit()
    client = proxied.test_client()
    api, api_vi = ApiClient(client, token, "en"), ApiClient(proxied.test_client(), token, "vi")
    page = proxied.test_client()
    _sign_in(page, world.member_a.email)
    assert api.get("/api/v1/areas").status_code == 200
    assert page.get("/areas", headers={"Accept-Language": "en"}).status_code == 200
    assert proxied.test_client().get("/healthz").status_code == 200

    # The database goes away in the middle of a request: the proxy cuts every connection and refuses new ones.
    lock = TableLock(app)
    try:
        thread, result = _in_thread(lambda: api.get("/api/v1/areas"))
        lock.wait_for_a_waiter()
        proxy.close()
        thread.join(timeout=30)
    finally:
        lock.release()
    _assert_unavailable_json(result["response"])

    # During the outage: clean 503s, JSON for the API and a page for people, in their language.
    for _ in range(3):
        _assert_unavailable_json(api.get("/api/v1/areas"))
    _assert_unavailable_json(api_vi.get("/api/v1/lots"), lang="vi")
    created = api.post("/api/v1/products", json={"name": "Bưởi Diễn", "crop": "pomelo"})
    _assert_unavailable_json(created)
    html = page.get("/areas", headers={"Accept-Language": "en"})
    assert html.status_code == 503 and html.mimetype == "text/html"
    assert html.headers["Retry-After"] == str(RETRY_AFTER)
    assert EN_MESSAGE in html.get_data(as_text=True)
    health = proxied.test_client().get("/healthz")
    assert health.status_code == 503 and health.headers["Retry-After"] == str(RETRY_AFTER)

    # The database is back: the same app instance answers again, nothing restarted.
    proxy.open()
    assert api.get("/api/v1/areas").status_code == 200
    assert page.get("/areas", headers={"Accept-Language": "en"}).status_code == 200
    assert api.post("/api/v1/products", json={"name": "Bưởi Diễn", "crop": "pomelo"}).status_code == 201
    assert proxied.test_client().get("/healthz").json == {"status": "ok", "database": "ok"}
    names = db.session.scalars(sa.text("SELECT name FROM product WHERE name = 'Bưởi Diễn'")).all()
    assert names == ["Bưởi Diễn"]  # the request refused during the outage stored nothing


def test_a_statement_the_server_cancels_is_a_503_and_the_connection_is_kept(app, db, world, proxied_app, proxy):
    # Every statement of this app may run one second; the request below waits longer on a locked table.
    busy = proxied_app("&options=-c%20statement_timeout%3D1000")
    token = create_token(db.session, email=world.member_a.email)
    db.session.commit()
    api = ApiClient(busy.test_client(), token, "en")
    assert api.get("/api/v1/areas").status_code == 200
    connections = proxy.accepted
    lock = TableLock(app)
    try:
        response = api.get("/api/v1/areas")
    finally:
        lock.release()
    assert response.status_code == 503 and response.headers["Retry-After"] == str(RETRY_AFTER)
    # The database was there: the generic message, not "cannot reach", and the connection went back to the pool.
    assert response.json["message"] == "The service is temporarily unavailable."
    assert api.get("/api/v1/areas").status_code == 200
    assert proxy.accepted == connections
