"""Configuration from the environment. No secret is ever hard-coded."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _secret_key(instance_dir: Path) -> str:
    """SECRET_KEY from the environment, else generated once into instance/secret_key."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


def _proxy_count(raw: str) -> int:
    try:
        count = int(raw.strip() or "0")
    except ValueError:
        count = -1
    if not 0 <= count <= 10:
        raise ValueError(f"TRUSTED_PROXIES must be a number of proxies from 0 to 10, not {raw!r}")
    return count


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    def __init__(self) -> None:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        self.SECRET_KEY = _secret_key(INSTANCE_DIR)
        default_db = f"sqlite:///{INSTANCE_DIR / 'registry.db'}"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("DATABASE_URL", default_db))
        self.PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000").rstrip("/")
        # Served over https: never send the session or remember cookie over plain http.
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = self.PUBLIC_BASE_URL.startswith("https://")
        # Behind a reverse proxy: how many proxies' X-Forwarded-For/-Proto/-Host to believe (0 = none).
        self.TRUSTED_PROXIES = _proxy_count(os.environ.get("TRUSTED_PROXIES", "0"))
        # Scans are buffered and written by a background thread this often (qr.scans.recorder).
        self.SCAN_FLUSH_SECONDS = float(os.environ.get("SCAN_FLUSH_SECONDS", "0.5"))
        # Imports (bulk) take larger files than forms: IMPORT_MAX_MB, 20 MB unless set.
        self.IMPORT_MAX_CONTENT_LENGTH = int(float(os.environ.get("IMPORT_MAX_MB", "20")) * 1024 * 1024)
        # Where flask-limiter counts requests. memory:// counts in each process: with several gunicorn workers
        # each keeps its own count, so a limit is multiplied by the number of workers. Give the workers one
        # shared store, e.g. RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0, in production.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        for name in ("LOGIN_RATE_LIMIT", "API_TOKEN_RATE_LIMIT", "API_REFUSED_TOKEN_RATE_LIMIT"):
            if os.environ.get(name):
                setattr(self, name, os.environ[name])

    # A growing area's map, status history and certificates, as the public page shows them, are re-read
    # at most this often (the status today is read on every scan).
    PUBLIC_AREA_CACHE_SECONDS = 60
    # Scan alerts (qr.scans.alerts): a burst is this many scans of one lot within these minutes...
    SCAN_BURST_COUNT = 100
    SCAN_BURST_MINUTES = 10
    # ... and scans of one lot from this many different networks within these minutes.
    SCAN_PLACES_COUNT = 20
    SCAN_PLACES_MINUTES = 60
    # A serialised stamp scanned more often than this raises an alert (a label copied and spread).
    SERIAL_SCAN_LIMIT = 20

    # Rate limits (flask-limiter; "N per minute;M per hour", see its docs). Sign-in POSTs from one address:
    LOGIN_RATE_LIMIT = "20 per minute;300 per hour"
    # API requests with one token, and refused tokens (missing, wrong, revoked, expired) from one address:
    API_TOKEN_RATE_LIMIT = "1200 per minute"  # noqa: S105  (a rate, not a secret)
    API_REFUSED_TOKEN_RATE_LIMIT = "30 per minute"  # noqa: S105
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "registry"
    # So many wrong passwords in a row lock an account for so many minutes, whoever sends them.
    LOGIN_LOCK_AFTER = 10
    LOGIN_LOCK_MINUTES = 15
    # API tokens live this many days unless their creator chooses otherwise (1 up to the maximum).
    API_TOKEN_DAYS = 90
    API_TOKEN_MAX_DAYS = 366

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a form left open during a field visit must still submit

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    API_TITLE = "Vùng trồng & truy xuất nguồn gốc / Growing-area and traceability registry"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    # /api/docs is the app's own page (registry.core.serving), with Swagger UI from registry/static/swagger-ui.
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "flask --app wsgi tokens create --email E",
                }
            }
        },
        "security": [{"bearerAuth": []}],
    }
    PAGE_SIZE = 25
    # Forms and JSON bodies are small; a larger body is refused with 413 before it is read.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_PAGE_SIZE = 100


class TestConfig(Config):
    __test__ = False  # not a pytest test class

    TESTING = True
    WTF_CSRF_ENABLED = True  # tests fetch the token like a browser does

    def __init__(self, database_url: str | None = None) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(database_url or "sqlite://")
        self.PUBLIC_BASE_URL = "https://registry.test"
        self.SCAN_FLUSH_SECONDS = 0  # no thread: tests write buffered scans with flush()
        self.PUBLIC_AREA_CACHE_SECONDS = 0
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = False  # the test client speaks http
