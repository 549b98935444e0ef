"""The home page: a cooperative's overview, or the department's desk."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from registry.areas import services as areas
from registry.core.auth import page_user
from registry.core.extensions import db
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
    return render_template("registry/index.html", counts=counts)
