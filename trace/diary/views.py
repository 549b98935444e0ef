"""HTML pages for an area's production diary: the entries, newest first, and a form to add one."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required

from registry.core.auth import can_write, page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from trace.diary import services
from trace.diary.forms import DiaryEntryForm

bp = Blueprint("diary", __name__)


@bp.app_template_filter("diary_kind")
def _kind_filter(kind) -> str:
    return services.kind_label(kind)


def _page(area, form, code: int = 200):
    user = page_user()
    entries = services.list_entries(db.session, actor=user, area_id=area.id, page=page_number(), per_page=per_page())
    html = render_template(
        "trace/diary/diary.html", area=area, page=entries, form=form, can_write=can_write(user, area.organization_id)
    )
    return html, code


@bp.get("/areas/<int:area_id>/diary")
@login_required
def diary(area_id: int):
    area = services.get_area(db.session, actor=page_user(), area_id=area_id)
    return _page(area, DiaryEntryForm())


@bp.post("/areas/<int:area_id>/diary")
@login_required
def diary_add(area_id: int):
    user = page_user()
    area = services.get_area(db.session, actor=user, area_id=area_id)
    form = DiaryEntryForm()
    if form.validate_on_submit():
        try:
            services.add_entry(
                db.session, actor=user, area_id=area.id, kind=form.kind.data, date=form.date.data,
                performed_by=form.performed_by.data, input_name=form.input_name.data,
                active_ingredient=form.active_ingredient.data, dose=form.dose.data, phi_days=form.phi_days.data,
                notes=form.notes.data,
            )  # fmt: skip
            db.session.commit()
            notify(_l("Diary entry recorded."))
            return redirect(url_for("diary.diary", area_id=area.id))
        except DomainError as exc:
            db.session.rollback()
            if exc.status_code != 422:
                raise
            apply_errors(form, exc)
    return _page(area, form, status_code(form) or 400)
