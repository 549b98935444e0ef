"""Pages: scans per day (/scans) and scan alerts (/scans/alerts), for owners and the department."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from qr.scans import services
from qr.scans.models import AlertKind
from registry.core.auth import page_user
from registry.core.errors import ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l, translate
from registry.core.web import page_number, per_page
from registry.units.models import Province

bp = Blueprint("scans", __name__)
ARGS = ("lot_id", "product_id", "province", "from", "to")


def _provinces():
    return db.session.execute(db.select(Province.code, Province.name).order_by(Province.name)).all()


@bp.get("/scans")
@login_required
def summary():
    user = page_user()
    args = {name: request.args.get(name) or None for name in ARGS}
    errors, result = {}, None
    try:
        result = services.summary(
            db.session, actor=user, lot_id=args["lot_id"], product_id=args["product_id"], province=args["province"],
            date_from=args["from"], date_to=args["to"],
        )  # fmt: skip
    except ValidationError as exc:
        errors = {k: [translate(m) for m in v] for k, v in exc.errors.items()}
    peak = max((n for _, n in result.days), default=0) if result else 0
    return render_template(
        "qr/scans/summary.html", result=result, args=args, errors=errors, peak=peak, provinces=_provinces()
    ), (422 if errors else 200)


@bp.get("/scans/alerts")
@login_required
def alerts():
    user = page_user()
    args = {name: request.args.get(name) or None for name in ("lot_id", "province", "kind")}
    errors, page = {}, None
    try:
        page = services.list_alerts(db.session, actor=user, page=page_number(), per_page=per_page(), **args)
    except ValidationError as exc:
        errors = {k: [translate(m) for m in v] for k, v in exc.errors.items()}
    return render_template(
        "qr/scans/alerts.html",
        page=page,
        args=args,
        active={k: v for k, v in args.items() if v},
        errors=errors,
        kinds=list(AlertKind),
        provinces=_provinces(),
    ), (422 if errors else 200)


KIND_LABELS = {
    AlertKind.OVER_UNITS: _l("More scans than units"),
    AlertKind.BURST: _l("Many scans in a short time"),
    AlertKind.MANY_PLACES: _l("Scans from many places at once"),
    AlertKind.UNKNOWN_SERIAL: _l("A serial the producer never issued"),
    AlertKind.SERIAL_OVERSCANNED: _l("A stamp scanned too many times"),
    AlertKind.VOID_SERIAL_SCANNED: _l("A voided stamp scanned"),
}


@bp.app_template_filter("scan_alert_kind")
def scan_alert_kind(kind) -> str:
    return str(KIND_LABELS[AlertKind(kind)])
