"""HTML pages for recalls: the list, one recall with what it reaches, opening one on a lot, closing it."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from trace.lots.services import get_lot
from trace.recall import services
from trace.recall.forms import CloseForm, RecallForm

bp = Blueprint("recall", __name__)


def may_act(user, organization_id: int) -> bool:
    return services._may_act(user, organization_id)


@bp.get("/recalls")
@login_required
def recalls():
    status = request.args.get("status") if request.args.get("status") in services.STATUSES else None
    page = services.list_recalls(db.session, actor=page_user(), status=status, page=page_number(), per_page=per_page())
    return render_template("trace/recall/list.html", page=page, status=status)


def _detail(recall, form=None, code: int = 200):
    user = page_user()
    html = render_template(
        "trace/recall/detail.html",
        recall=recall,
        lots=services.affected_lots(db.session, recall),
        parties=services.affected_parties(db.session, recall),
        form=form or CloseForm(),
        can_close=recall.closed_at is None and may_act(user, recall.lot.organization_id),
    )
    return html, code


@bp.get("/recalls/<int:recall_id>")
@login_required
def recall_detail(recall_id: int):
    return _detail(services.get_recall(db.session, actor=page_user(), recall_id=recall_id))


@bp.post("/recalls/<int:recall_id>/close")
@login_required
def recall_close(recall_id: int):
    user = page_user()
    recall = services.get_recall(db.session, actor=user, recall_id=recall_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close_recall(db.session, actor=user, recall_id=recall.id, note=form.note.data)
            db.session.commit()
            notify(_l("Recall closed. The banners are gone; its record is kept."))
            return redirect(url_for("recall.recall_detail", recall_id=recall.id))
        except DomainError as exc:
            db.session.rollback()
            if exc.status_code != 422:
                raise
            apply_errors(form, exc)
    return _detail(services.get_recall(db.session, actor=user, recall_id=recall_id), form, status_code(form) or 400)


@bp.route("/lots/<int:lot_id>/recall", methods=["GET", "POST"])
@login_required
def lot_recall(lot_id: int):
    user = page_user()
    lot = get_lot(db.session, actor=user, lot_id=lot_id)
    form = RecallForm()
    if form.validate_on_submit():
        try:
            recall = services.open_recall(db.session, actor=user, lot_id=lot.id, reason=form.reason.data)
            db.session.commit()
            notify(_l("Recall opened. Every affected lot's public page now shows it."))
            return redirect(url_for("recall.recall_detail", recall_id=recall.id))
        except DomainError as exc:
            db.session.rollback()
            if exc.status_code != 422:
                raise
            apply_errors(form, exc)
    code = status_code(form) if form.is_submitted() else 200
    return render_template(
        "trace/recall/new.html", lot=lot, form=form, allowed=may_act(user, lot.organization_id)
    ), code
