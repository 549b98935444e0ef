"""Pages: the dashboard (/indicators), the records behind a figure, the report files, and the key products."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from indicators import charts, services
from indicators import report as report_files
from indicators.compute import RECORD_SETS
from indicators.definitions import REASONS
from indicators.key_crops import set_key_crops
from registry.areas.models import GrowingArea
from registry.core.auth import page_user
from registry.core.errors import DomainError, ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l, translate_tree
from registry.core.web import notify, page_number
from registry.products.crops import CROPS
from registry.units.models import Commune
from registry.units.views import province_list

bp = Blueprint("indicators", __name__)
ARGS = ("province", "period", "from", "to", "organization")


def _args() -> dict:
    args = {name: request.args.get(name) or None for name in ARGS}
    user = page_user()
    if args["province"] is None and user.is_department and args["organization"] is None:
        args["province"] = _busiest_province()
    return args


def _busiest_province() -> str | None:
    """The department's default: the province holding the most growing areas (a registry serves one province)."""
    return db.session.scalar(
        sa.select(Commune.province_code)
        .join(GrowingArea, GrowingArea.commune_code == Commune.code)
        .group_by(Commune.province_code)
        .order_by(sa.func.count().desc(), Commune.province_code)
        .limit(1)
    )


def _service_args(args: dict) -> dict:
    return {"province": args["province"], "period": args["period"], "date_from": args["from"],
            "date_to": args["to"], "organization": args["organization"]}  # fmt: skip


@bp.get("/indicators")
@login_required
def dashboard():
    user = page_user()
    args = _args()
    errors, report = {}, None
    try:
        report = services.report(db.session, actor=user, **_service_args(args))
    except ValidationError as exc:
        errors = translate_tree(exc.errors)
    query = {k: v for k, v in args.items() if v}
    return render_template(
        "indicators/dashboard.html",
        report=report,
        args=args,
        query=query,
        errors=errors,
        provinces=province_list(),
        crops=list(CROPS.values()),
        charts=charts,
        can_set_crops=user.is_department,
    ), (422 if errors else 200)


@bp.get("/indicators/<code>/records")
@login_required
def records(code: str):
    user = page_user()
    args = _args()
    which = request.args.get("set") or "denominator"
    errors, page = {}, None
    try:
        page = services.records(db.session, actor=user, code=code, which=which, page=page_number(), per_page=50,
                                **_service_args(args))  # fmt: skip
    except ValidationError as exc:
        errors = translate_tree(exc.errors)
    query = {k: v for k, v in args.items() if v}
    return render_template(
        "indicators/records.html", page=page, code=code.upper(), which=which, sets=RECORD_SETS, query=query,
        errors=errors, reasons=REASONS, record_url=record_url,
    ), (422 if errors else 200)  # fmt: skip


def record_url(kind: str, item: dict) -> str | None:
    """Where a record opens: its own page in the registry, if it has one."""
    key = item.get("key")
    if kind == "area":
        return url_for("areas.area_detail", area_id=key)
    if kind == "model":
        return url_for("linkage.model_detail", model_id=key)
    if kind == "lot":
        return url_for("trace.lot_detail", lot_id=key)
    if kind == "product":
        return url_for("products.product_detail", product_id=key)
    if kind == "certificate":
        return url_for("ocop.product_ocop", product_id=item["product_id"])
    if kind == "alert":
        return url_for("scans.alerts", lot_id=item["lot_id"])
    if kind == "scans":
        return url_for("organizations.organization_detail", organization_id=item["organization_id"])
    return None


@bp.get("/indicators/report.<ext>")
@login_required
def download(ext: str):
    if ext not in ("xlsx", "csv"):
        return redirect(url_for("indicators.dashboard"))
    return report_files.download(
        services.report(db.session, actor=page_user(), trend=False, **_service_args(_args())), ext
    )


@bp.post("/indicators/key-crops")
@login_required
def key_crops():
    province = request.form.get("province")
    try:
        set_key_crops(db.session, actor=page_user(), province=province, crops=request.form.getlist("crops"))
        db.session.commit()
        notify(_l("Key products saved."))
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code in (403, 404):
            raise  # refused: a 403 page, not a flash on the dashboard
        for messages in exc.errors.values() or [[exc.message]]:
            for message in messages:
                notify(message, "error")
    return redirect(url_for("indicators.dashboard", province=province))
