"""The home page: a cooperative's overview, or the department's desk."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from registry.areas import services as areas
from registry.core.auth import page_user
from registry.core.db import today_in_vietnam
from registry.core.extensions import db
from registry.desk import services as desk
from registry.ocop import services as ocop
from registry.products import services as products

bp = Blueprint("desk", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("registry/index.html")
    user = page_user()
    counts = {
        "areas": areas.list_areas(db.session, actor=user, per_page=1).total,
        "pending": areas.list_areas(db.session, actor=user, per_page=1, status="pending").total,
        "products": products.list_products(db.session, actor=user, per_page=1).total,
    }
    today = today_in_vietnam()
    context = {
        "counts": counts,
        "today": today,
        "expiring": desk.expiring_certificates(db.session, actor=user, today=today),
        "window_days": desk.EXPIRY_WINDOW_DAYS,
        # The holder is told at least 30 days before an OCOP certificate lapses; so is the department.
        "ocop_expiring": ocop.expiring(
            db.session, actor=user, within_days=ocop.NOTICE_DAYS, today=today, limit=desk.QUEUE_LIMIT
        ),
        "ocop_window_days": ocop.NOTICE_DAYS,
    }
    if user.is_department:
        context.update(
            pending=desk.pending_applications(db.session, actor=user),
            overdue=desk.overdue_corrective(db.session, actor=user, today=today),
            recent=desk.recent_status_changes(db.session, actor=user),
        )
    return render_template("registry/index.html", **context)
