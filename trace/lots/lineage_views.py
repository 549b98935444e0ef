"""The lineage page: a lot's chain drawn as a graph, for its organization and the department."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_login import login_required

from registry.core.auth import can_see, page_user
from registry.core.extensions import db
from registry.core.i18n import _l, text
from trace.lots import lineage
from trace.lots.lineage_svg import layout
from trace.lots.services import get_lot

bp = Blueprint("lineage", __name__)
PAGE_DEPTH = 20

STEP_LABELS = {
    "harvest": _l("harvest"),
    "pack": _l("packing"),
    "ship": _l("shipping"),
    "receive": _l("receiving"),
    "split": _l("split"),
    "merge": _l("merge"),
    "transform": _l("transformation"),
    "captured": _l("partner's event"),
}


@bp.app_template_filter("step_label")
def step_label(kind) -> str:
    value = getattr(kind, "value", kind)
    return text(STEP_LABELS.get(value, value))


@bp.get("/lots/<int:lot_id>/lineage")
@login_required
def lot_lineage(lot_id: int):
    user = page_user()
    lot = get_lot(db.session, actor=user, lot_id=lot_id)
    base = current_app.config["PUBLIC_BASE_URL"]
    up = lineage.graph(db.session, lot, lineage.Direction.UP, PAGE_DEPTH, base)
    down = lineage.graph(db.session, lot, lineage.Direction.DOWN, PAGE_DEPTH, base)
    owners = {
        row.id: row.organization_id
        for row in lineage.lots_by_id(db.session, [n["id"] for n in up["nodes"] + down["nodes"]])
    }

    def href(node):
        if can_see(user, owners.get(node["id"])):
            return url_for("lineage.lot_lineage", lot_id=node["id"])
        return node["label_uri"]

    drawing = layout(lot.id, up, down, href)
    return render_template("trace/lineage.html", lot=lot, drawing=drawing, up=up, down=down, depth=PAGE_DEPTH)
