"""The public side of a label: the GS1 resolver (Digital Link paths), the short link, and label pages.

Every path that is no other page of the site and looks like a Digital Link reaches ``resolve``. It parses the
path as it arrived on the wire (RAW_URI, so that %2F in a lot code stays part of the code), answers 400 for a
malformed Digital Link, 404 for a well-formed one the registry does not hold, and otherwise the default link
(the provenance page or the product page, served at once: one hop from the camera), a redirect to the link type
asked for, or the linkset. Every answer carries the Link header to the linkset.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, json, redirect, render_template, request
from flask_login import login_required
from werkzeug.routing import PathConverter

from qr import lookup, resolver
from qr.api import label_response
from qr.digital_link import DigitalLinkError, parse_label, parse_path
from qr.scans.models import ScanLink
from qr.scans.recorder import recorder_of
from qr.serials import services as serial_services
from registry.core.auth import page_user
from registry.core.db import today_in_vietnam
from registry.core.extensions import db
from registry.core.i18n import _l, current_language
from registry.core.templating import render_fast
from registry.lifecycle.models import CodeStatus
from trace.lots import services
from trace.lots.identifiers import label_uri

bp = Blueprint("qr", __name__)
PAGE_CACHE = "public, max-age=60"  # short, so that a suspended or revoked code shows within a minute


class DigitalLinkPath(PathConverter):
    """Any path outside the API and static files: the view decides whether it is a Digital Link."""

    regex = r"(?!api/|static/)[^/].*?"


def _read_engine() -> sa.Engine:
    """The scans' own pool: autocommit (no BEGIN, no ROLLBACK) and no ping before each use, so a scan is one
    round trip. A connection the database dropped (a restart) fails its query, is discarded, and ``_read``
    tries once more on a fresh one."""
    engine = current_app.extensions.get("public_read_engine")
    if engine is None:
        url = db.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            engine = db.engine  # an in-memory database exists on its own connection only
        else:
            engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=False)
        current_app.extensions["public_read_engine"] = engine
    return engine


def _read(load):
    for attempt in (1, 2):
        try:
            with _read_engine().connect() as conn:
                return load(conn)
        except lookup.Disconnected:
            if attempt == 2:
                raise
        except sa.exc.DBAPIError as exc:
            if attempt == 2 or not exc.connection_invalidated:
                raise
    return None


_TITLES: dict[str, dict[str, str]] = {}


def _titles() -> dict[str, str]:
    """The links' titles in the request's language, translated once per language."""
    language = current_language()
    if language not in _TITLES:
        _TITLES[language] = _title_texts()
    return _TITLES[language]


def _title_texts() -> dict[str, str]:
    return {
        "default": str(_l("Traceability page of this lot")),
        "pip": str(_l("Product information")),
        "traceability": str(_l("The lot's stages, from the growing area")),
        "epcis": str(_l("EPCIS 2.0 events of the lot (for partners with an API token)")),
        "certs": str(_l("Code status and certificates")),
        "product": str(_l("Product page")),
    }


def _raw_path_and_query() -> tuple[str, str]:
    """The request target as sent: gunicorn and Werkzeug keep it in RAW_URI / REQUEST_URI."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw:
        return request.path, request.query_string.decode("latin-1")
    if "://" in raw.split("?", 1)[0]:  # absolute-form request target
        raw = "/" + raw.split("://", 1)[1].partition("/")[2]
    path, _, query = raw.partition("?")
    return path, query


def _not_found(anchor: str | None = None, message=None):
    response = current_app.make_response(
        (
            render_template(
                "errors/error.html", status=404, message=message or _l("No lot with this code is registered.")
            )
            if request.accept_mimetypes.best != "application/json"
            else {
                "code": 404,
                "status": "Not Found",
                "message": str(message or _l("No lot with this code is registered.")),
            },
            404,
        )
    )
    if anchor is not None:
        response.headers["Link"] = resolver.link_header(anchor)
    return response


def _wants_linkset(link_type: str | None) -> bool:
    """The linkset when asked by link type, or when Accept names application/linkset+json itself, at least as
    high as HTML (a browser's or curl's */* still gets the page)."""
    if link_type == "linkset":
        return True
    if link_type is not None or "linkset" not in request.headers.get("Accept", ""):
        return False
    accept = request.accept_mimetypes
    named = max((q for mime, q in accept if mime == resolver.LINKSET_TYPE), default=0)
    html = max((q for mime, q in accept if mime in ("text/html", "application/xhtml+xml")), default=0)
    return named > 0 and named >= html


def _answer(anchor: str, subject_of, link_type: str | None, render):
    """The resolver's decision for a product or lot the registry holds. ``subject_of()`` builds its links, only
    when the answer needs them: the default answer (the page) needs its anchor alone."""
    if _wants_linkset(link_type):
        subject = subject_of()
        body = json.dumps(resolver.linkset(subject, list(current_app.config["LANGUAGES"])), ensure_ascii=False)
        response = current_app.response_class(body, mimetype=resolver.LINKSET_TYPE)
    elif link_type is None or link_type == resolver.DEFAULT:
        response = render()
    else:
        link = subject_of().find(link_type)
        if link is None:
            # An unknown link type, or a known one this product or lot has no target for: 404, with the linkset.
            message = _l("This product or lot has no link of the type %(type)s.", type=request.args.get("linkType"))
            return _not_found(anchor, message)
        if link.href.split("#", 1)[0] == anchor and link.link_type in ("gs1:pip",):
            response = render()
        else:
            response = redirect(link.href, code=307)
    response.headers["Link"] = resolver.link_header(anchor)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.add("Vary", "Accept")
    return response


def _record(
    found: lookup.PublicLot | lookup.PublicProduct, link: ScanLink, language: str, serial: str | None = None
) -> None:
    if request.method != "GET":
        return  # a HEAD is a check, not a scan
    row = found.row
    recorder_of(current_app).record(
        link=link,
        lot_id=getattr(row, "lot_id", None),
        product_id=row.product_id,
        organization_id=row.organization_id,
        province_code=found.province_code if isinstance(found, lookup.PublicLot) else row.producer_province_code,
        lang=language,
        user_agent=request.headers.get("User-Agent"),
        remote_addr=request.remote_addr,
        serial=serial,
    )


def _lot_page(found: lookup.PublicLot, link: ScanLink, serial: str | None = None, stamp=None):
    def render():
        language = current_language()
        _record(found, link, language, serial)
        if serial is not None and stamp is None:
            # A serial the cooperative never issued for this lot: a plain warning, and an alert for the owner.
            html = render_fast(current_app, "qr/public_unknown_serial.html", language, row=found.row, serial=serial)
            response = current_app.make_response((html, 404))
            response.headers["Cache-Control"] = "no-store"
            return response
        html = render_fast(
            current_app, "qr/public_lot.html", language, p=found, row=found.row, Status=CodeStatus, serial=serial,
            stamp=stamp,
        )  # fmt: skip
        response = current_app.make_response(html)
        response.headers["Cache-Control"] = PAGE_CACHE
        return response

    return render


def _anchor(found: lookup.PublicLot) -> str:
    return current_app.config["PUBLIC_BASE_URL"] + found.label_path()


def _lot_subject(found: lookup.PublicLot) -> resolver.LinkSubject:
    base = current_app.config["PUBLIC_BASE_URL"]
    row = found.row
    return resolver.lot_subject(
        base_url=base,
        anchor=base + found.label_path(),
        gtin=row.gtin,
        lot_id=row.lot_id,
        area_code=row.area_code or row.house_code,
        titles=_titles(),
    )


@bp.get("/<dl_path:path>", merge_slashes=False)
def resolve(path: str):
    raw_path, query = _raw_path_and_query()
    link = parse_label(raw_path, query)  # what labels carry, checked quickly
    if link is None:
        if not resolver.looks_like_digital_link(raw_path):
            abort(404)
        try:
            link = parse_path(raw_path, query)
        except DigitalLinkError as exc:
            abort(400, description=str(_l("This is not a valid GS1 Digital Link: %(reason)s.", reason=str(exc))))
    link_type = resolver.requested_type(link.params.get("linkType"))
    key, value = link.key
    lot_code = link.value("10")
    if key != "01":
        return _not_found(None, _l("Nothing is registered under this GS1 key."))
    base, today = current_app.config["PUBLIC_BASE_URL"], today_in_vietnam()
    if lot_code is None:
        if link.value("21") is not None:
            return _not_found(None, _l("No lot with this code is registered."))
        product = _read(lambda conn: lookup.find_product(conn, gtin=value, today=today))
        if product is None:
            return _not_found(None, _l("No product with this GTIN is registered."))
        anchor = f"{base}/01/{value}"

        def subject():
            return resolver.product_subject(anchor=anchor, has_certificates=product.ocop is not None, titles=_titles())

        def render():
            language = current_language()
            _record(product, ScanLink.PRODUCT, language)
            response = current_app.make_response(
                render_fast(current_app, "qr/public_product.html", language, p=product, row=product.row)
            )
            response.headers["Cache-Control"] = PAGE_CACHE
            return response

        return _answer(anchor, subject, link_type, render)
    seconds = current_app.config["PUBLIC_AREA_CACHE_SECONDS"]
    found = _read(
        lambda conn: lookup.find_by_gtin(
            conn, gtin=value, code=lot_code, base_url=base, today=today, cache_seconds=seconds
        )
    )
    if found is None:
        return _not_found()
    serial = link.value("21")
    stamp = _read(lambda conn: serial_services.stamp_state(conn, found.row.lot_id, serial)) if serial else None
    render = _lot_page(found, ScanLink.DIGITAL_LINK, serial, stamp)
    return _answer(_anchor(found), lambda: _lot_subject(found), link_type, render)


@bp.get("/l/<token>")
@bp.get("/l/<token>/<serial>")
def short_link(token: str, serial: str | None = None):
    base, today, seconds = (
        current_app.config["PUBLIC_BASE_URL"],
        today_in_vietnam(),
        current_app.config["PUBLIC_AREA_CACHE_SECONDS"],
    )
    found = _read(
        lambda conn: lookup.find_by_token(conn, token=token, base_url=base, today=today, cache_seconds=seconds)
    )
    if found is None:
        abort(404, description=str(_l("No lot with this code is registered.")))
    link_type = resolver.requested_type(request.args.get("linkType"))
    stamp = _read(lambda conn: serial_services.stamp_state(conn, found.row.lot_id, serial)) if serial else None
    render = _lot_page(found, ScanLink.SHORT, serial, stamp)
    return _answer(_anchor(found), lambda: _lot_subject(found), link_type, render)


@bp.get("/.well-known/gs1resolver")
def well_known():
    body = resolver.description(current_app.config["PUBLIC_BASE_URL"], list(current_app.config["LANGUAGES"]))
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/lots/<int:lot_id>/label")
@login_required
def lot_label(lot_id: int):
    lot = services.get_lot(db.session, actor=page_user(), lot_id=lot_id)
    return render_template("qr/label.html", lot=lot, uri=label_uri(lot, current_app.config["PUBLIC_BASE_URL"]))


@bp.get("/lots/<int:lot_id>/label/print")
@login_required
def lot_label_print(lot_id: int):
    """The label alone on a page, to print: no navigation, nothing but the code and its text."""
    lot = services.get_lot(db.session, actor=page_user(), lot_id=lot_id)
    return render_template("qr/label_print.html", lot=lot, uri=label_uri(lot, current_app.config["PUBLIC_BASE_URL"]))


@bp.get("/lots/<int:lot_id>/label.<any(png, svg):fmt>")
@login_required
def lot_label_file(lot_id: int, fmt: str):
    return label_response(services.get_lot(db.session, actor=page_user(), lot_id=lot_id), fmt)
