"""The code lifecycle's HTML routes, registered once per kind of coded subject (areas, packing houses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, url_for
from flask_login import login_required

from registry.core.auth import page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors
from registry.core.i18n import _l, translate
from registry.core.web import notify
from registry.lifecycle import services
from registry.lifecycle.forms import StatusForm


def register_code_pages(
    bp: Blueprint,
    *,
    path: str,
    name: str,
    get_subject: Callable[..., Any],
    detail_endpoint: str,
) -> None:
    """``path`` like "/areas/<int:subject_id>"; the detail page shows the forms that post here."""

    def detail(subject) -> Any:
        return redirect(url_for(detail_endpoint, **{detail_endpoint_arg(detail_endpoint): subject.id}))

    @login_required
    def change_status(subject_id: int):
        user = page_user()
        subject = get_subject(db.session, actor=user, subject_id=subject_id)
        form = StatusForm()
        if form.validate_on_submit():
            try:
                services.transition(db.session, subject, actor=user, status=form.status.data, reason=form.reason.data)
                db.session.commit()
                notify(_l("Status changed."))
            except DomainError as exc:
                db.session.rollback()
                apply_errors(form, exc)
                for message in [*form.form_errors, *form.status.errors, *form.reason.errors]:
                    notify(translate(message), "error")
        return detail(subject)

    bp.add_url_rule(f"{path}/status", endpoint=f"{name}_status", view_func=change_status, methods=["POST"])


def detail_endpoint_arg(endpoint: str) -> str:
    return {"areas.area_detail": "area_id", "packing.house_detail": "house_id"}.get(endpoint, "subject_id")
