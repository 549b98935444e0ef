"""create_app(): the one composition root. The only module allowed to wire higher layers in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, TooManyRequests

from registry.audit import views as audit
from registry.core import copy, guards, ratelimit, serving
from registry.core.config import INSTANCE_DIR, PROJECT_ROOT, Config
from registry.core.db import connection_lost
from registry.core.errors import DomainError
from registry.core.extensions import api, babel, csrf, db, limiter, login_manager, migrate
from registry.core.i18n import (
    LANG_COOKIE,
    _l,
    current_language,
    fmt_date,
    fmt_datetime,
    fmt_number,
    select_locale,
    translate,
    translate_tree,
)

HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in."),
    403: _l("You do not have permission to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with what is already recorded."),
    413: _l("The upload is too large."),
    422: _l("Some fields need correcting."),
    429: _l("Too many requests; please wait a moment."),
    500: _l("Something went wrong on our side. Please try again."),
    503: _l("The service is temporarily unavailable."),
}
DATABASE_UNAVAILABLE = _l("The registry cannot reach its database right now. Please try again in a moment.")
# Seconds a client is asked to wait when the database is away (a restart takes a few).
RETRY_AFTER = 15


def create_app(config: Any = None) -> Flask:
    app = Flask(
        "registry",
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "registry" / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_object(config if config is not None else Config())
    serving.install(app)  # first: compression must be the last after_request hook to run

    db.init_app(app)
    copy.install()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    csrf.init_app(app)
    api.init_app(app)
    limiter.init_app(app)

    _enable_sqlite_foreign_keys(app)
    guards.install(app)  # before the blueprints: their <int:...> rules must use the bounded converter
    _register_blueprints(app)
    _register_cli(app)
    _register_errors(app)
    _register_template_helpers(app)
    _register_core_routes(app)
    audit.init_app(app)  # capture on every session, X-Request-ID, the audit_history template global
    return app


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def _fk_on(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    # Every table the migrations know, whether or not a route has imported its module yet.
    import indicators.models  # noqa: F401
    import qr.serials.models  # noqa: F401
    import trace.diary.models  # noqa: F401
    import trace.lots.events  # noqa: F401
    import trace.recall.models  # noqa: F401
    from bulk.api import blp as bulk_api
    from bulk.views import bp as bulk_views
    from indicators.api import blp as indicators_api
    from indicators.views import bp as indicators_views
    from qr.api import blp as qr_api
    from qr.check_api import blp as check_api
    from qr.check_views import bp as check_views
    from qr.scans import recorder as scan_recorder
    from qr.scans.api import blp as scans_api
    from qr.scans.views import bp as scans_views
    from qr.serials.api import blp as serials_api
    from qr.serials.views import bp as serials_views
    from qr.views import DigitalLinkPath
    from qr.views import bp as qr_views
    from registry.accounts import services as accounts
    from registry.accounts import signin
    from registry.accounts.api import blp as tokens_api
    from registry.accounts.views import bp as accounts_views
    from registry.areas.api import blp as areas_api
    from registry.areas.views import bp as areas_views
    from registry.audit.api import blp as audit_api
    from registry.codes.views import bp as codes_views
    from registry.core.auth import init_auth
    from registry.desk.views import bp as desk_views
    from registry.linkage.api import blp as linkage_api
    from registry.linkage.views import bp as linkage_views
    from registry.ocop import status as ocop_status
    from registry.ocop.api import blp as ocop_api
    from registry.ocop.views import bp as ocop_views
    from registry.organizations.api import blp as organizations_api
    from registry.organizations.views import bp as organizations_views
    from registry.packing.api import blp as packing_api
    from registry.packing.views import bp as packing_views
    from registry.products import facets as product_facets
    from registry.products.api import blp as products_api
    from registry.products.views import bp as products_views
    from registry.units.api import blp as units_api
    from trace.diary.api import blp as diary_api
    from trace.diary.views import bp as diary_views
    from trace.epcis.api import blp as epcis_api
    from trace.fsma.api import blp as fsma_api
    from trace.lots.api import blp as trace_api
    from trace.lots.lineage_views import bp as lineage_views
    from trace.lots.steps_api import blp as steps_api
    from trace.lots.steps_views import bp as steps_views
    from trace.lots.views import bp as trace_views
    from trace.recall.api import blp as recall_api
    from trace.recall.views import bp as recall_views

    init_auth(user_loader=signin.user_for_session, token_loader=accounts.check_token)
    scan_recorder.init_app(app)
    app.url_map.converters["dl_path"] = DigitalLinkPath
    # A product in the API carries its OCOP status; products cannot import ocop, which stands on it.
    product_facets.register("ocop", ocop_status.product_facet)
    for blp in (
        units_api,
        organizations_api,
        areas_api,
        packing_api,
        products_api,
        ocop_api,
        linkage_api,
        trace_api,
        steps_api,
        diary_api,
        recall_api,
        epcis_api,
        fsma_api,
        qr_api,
        check_api,
        scans_api,
        serials_api,
        indicators_api,
        audit_api,
        bulk_api,
        tokens_api,
    ):
        api.register_blueprint(blp)
        csrf.exempt(blp)  # Bearer tokens only; see registry.core.auth.require_api_token
    for bp in (
        desk_views,
        accounts_views,
        organizations_views,
        areas_views,
        packing_views,
        products_views,
        ocop_views,
        linkage_views,
        codes_views,
        trace_views,
        lineage_views,
        steps_views,
        diary_views,
        recall_views,
        scans_views,
        serials_views,
        check_views,
        indicators_views,
        bulk_views,
        qr_views,  # last: its resolver route takes the paths no other page has
    ):
        app.register_blueprint(bp)


def _register_cli(app: Flask) -> None:
    from bulk.cli import import_command
    from indicators.cli import indicators_cli
    from qr.cli import demo_cli
    from registry.accounts.cli import tokens_cli, users_cli
    from registry.audit.cli import audit_cli
    from registry.ocop.cli import ocop_cli
    from registry.units.cli import units_cli

    for group in (units_cli, users_cli, tokens_cli, ocop_cli, demo_cli, indicators_cli, audit_cli, import_command):
        app.cli.add_command(group)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _error_response(status: int, message: Any, errors: dict | None = None):
    from werkzeug.http import HTTP_STATUS_CODES

    message = translate(message) if message else str(HTTP_MESSAGES.get(status, ""))
    if _wants_json():
        body = {
            "code": status,
            "status": HTTP_STATUS_CODES.get(status, ""),
            "message": message,
            "errors": translate_tree(errors or {}),
        }
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def _flatten_webargs(messages: dict) -> dict:
    """webargs nests errors by location ({"json": {...}}); callers care about the fields."""
    flat: dict[str, Any] = {}
    for location, errs in messages.items():
        if isinstance(errs, dict):
            flat.update(errs)
        else:
            flat.setdefault("_" + location, []).extend(errs if isinstance(errs, list) else [errs])
    return flat


def _database_unavailable(app: Flask, exc: Exception):
    """503 with Retry-After. The connection that failed is thrown away, never returned to the pool, and the
    page is rendered without the context processors, which would load the signed-in user from the database."""
    app.logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
    if connection_lost(exc):
        db.session().invalidate()
        message = DATABASE_UNAVAILABLE
    else:
        # The server is there but refused this statement for now (deadlock, timeout, too many connections).
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            db.session().invalidate()
        message = HTTP_MESSAGES[503]
    if _wants_json():
        response, _status = _error_response(503, message)
    else:
        page = app.jinja_env.get_template("errors/unavailable.html")
        response = app.response_class(
            page.render(status=503, message=str(message), current_language=current_language()),
            mimetype="text/html",
        )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(sa.exc.TimeoutError)
    def database_unavailable(exc: Exception):
        # The server is down or restarting, a connection was cut mid-request, or the pool is exhausted.
        return _database_unavailable(app, exc)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        return _error_response(exc.status_code, exc.message, exc.errors)

    @app.errorhandler(TooManyRequests)
    def too_many_requests(exc: TooManyRequests):
        # A rate limit (registry.core.ratelimit): flask-limiter's own text is English and names the limit.
        db.session.rollback()
        wait = ratelimit.retry_after(exc)
        message = _l("Too many requests. Please wait %(seconds)s seconds and try again.", seconds=wait)
        response = app.make_response(_error_response(429, message))
        response.headers["Retry-After"] = str(wait)
        return response

    @app.errorhandler(IntegrityError)
    def integrity_error(exc: IntegrityError):
        # Backstop for races that slip past the services' own duplicate checks.
        db.session.rollback()
        return _error_response(409, HTTP_MESSAGES[409])

    @app.errorhandler(guards.BodyRefused)
    def body_refused(exc: guards.BodyRefused):
        return _error_response(exc.status, None, exc.errors)

    @app.errorhandler(DataError)
    def data_error(exc: DataError):
        # Backstop: a value the column cannot hold that slipped past a service's own checks.
        db.session.rollback()
        return _error_response(422, HTTP_MESSAGES[422])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        data = getattr(exc, "data", None) or {}
        errors = _flatten_webargs(data["messages"]) if "messages" in data else None
        # Werkzeug's stock descriptions are English; a description we set ourselves is already translated.
        message = None if errors or exc.description == type(exc).description else exc.description
        response, status = _error_response(exc.code or 500, message, errors)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response = app.make_response((response, status))
            response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response
        return response, status

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return _error_response(500, HTTP_MESSAGES[500])


def _register_template_helpers(app: Flask) -> None:
    from registry.core.people import inspector_name, public_name
    from registry.lifecycle.services import conclusion_label, hygiene_label, status_label, validity_label
    from registry.products.crops import CROPS, crop_name

    app.jinja_env.filters.update(
        date=fmt_date,
        datetime=fmt_datetime,
        number=fmt_number,
        crop_name=crop_name,
        status_label=status_label,
        conclusion_label=conclusion_label,
        hygiene_label=hygiene_label,
        validity_label=validity_label,
        public_name=public_name,
        inspector_name=inspector_name,
    )

    @app.context_processor
    def inject():
        return {
            "current_language": current_language(),
            "languages": app.config["LANGUAGES"],
            "crops": CROPS,
        }


def _register_core_routes(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(sa.text("SELECT 1"))
        except Exception:
            db.session().invalidate()
            return jsonify(status="error", database="unreachable"), 503, {"Retry-After": str(RETRY_AFTER)}
        return jsonify(status="ok", database="ok")

    @app.get("/lang/<code>")
    def set_language(code: str):
        if code in app.config["LANGUAGES"]:
            session[LANG_COOKIE] = code
        target = request.referrer or ""
        parts = urlsplit(target)
        # Only go back to a page of this site.
        if not target or (parts.netloc and parts.netloc != request.host):
            return redirect(url_for("desk.index"))
        return redirect(parts._replace(scheme="", netloc="").geturl() or "/")

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        # The same for every page, /api/docs included: it runs Swagger UI from this app's own files.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        if response.mimetype == "text/html":
            response.headers.add("Vary", "Accept-Language")
            response.headers.add("Vary", "Cookie")
        return response
