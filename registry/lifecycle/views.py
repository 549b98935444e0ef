"""The code lifecycle's HTML routes, registered once per kind of coded subject (areas, packing houses).

`register_code_pages` adds POST {path}/status (department, with an explicit confirmation), POST {path}/withdraw
(the owner, with a reason) and GET/POST {path}/inspections/new (the department's inspection form).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import page_user, require_department
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, status_code
from registry.core.i18n import _l, translate
from registry.core.web import notify
from registry.lifecycle import services
from registry.lifecycle.forms import InspectionForm, StatusForm, WithdrawForm


def register_code_pages(
    bp: Blueprint,
    *,
    path: str,
    name: str,
    get_subject: Callable[..., Any],
    detail_endpoint: str,
    detail_arg: str | None = None,
) -> None:
    """``path`` like "/areas/<int:subject_id>"; the detail page shows the forms that post here.

    ``detail_arg`` names the detail endpoint's id argument (guessed for areas and packing houses).
    """
    arg = detail_arg or detail_endpoint_arg(detail_endpoint)

    def detail(subject) -> Any:
        return redirect(url_for(detail_endpoint, **{arg: subject.id}))

    def notify_errors(form) -> None:
        for message in form.form_errors:
            notify(translate(message), "error")
        for errors in form.errors.values():
            for message in errors:
                notify(translate(message), "error")

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
                if exc.status_code in (403, 404):
                    raise  # refused: answered as such, not as a flash on the record's page
                apply_errors(form, exc)
                notify_errors(form)
        else:
            notify_errors(form)
        return detail(subject)

    @login_required
    def withdraw(subject_id: int):
        user = page_user()
        subject = get_subject(db.session, actor=user, subject_id=subject_id)
        form = WithdrawForm()
        if form.validate_on_submit():
            try:
                services.withdraw(db.session, subject, actor=user, reason=form.reason.data)
                db.session.commit()
                notify(_l("Application withdrawn."))
            except DomainError as exc:
                db.session.rollback()
                if exc.status_code in (403, 404):
                    raise  # refused: answered as such, not as a flash on the record's page
                apply_errors(form, exc)
                notify_errors(form)
        else:
            notify_errors(form)
        return detail(subject)

    @login_required
    def new_inspection(subject_id: int):
        user = page_user()
        subject = get_subject(db.session, actor=user, subject_id=subject_id)
        require_department(user)
        form = InspectionForm()
        if request.method == "GET" and not form.inspector_name.data:
            form.inspector_name.data = user.full_name or user.email
        if form.validate_on_submit():
            try:
                services.record_inspection(
                    db.session,
                    subject,
                    actor=user,
                    inspected_on=form.inspected_on.data,
                    conclusion=form.conclusion.data or None,
                    reason=form.reason.data,
                    inspector_name=form.inspector_name.data,
                    growth_stage=form.growth_stage.data,
                    pests=services.pests_from_lines(form.pests.data),
                    diary_kept=form.diary_kept.data or None,
                    pesticides_permitted=form.pesticides_permitted.data or None,
                    sampled=form.sampled.data,
                    sample_results=form.sample_results.data,
                    field_hygiene=form.field_hygiene.data or None,
                    packaging_collected=form.packaging_collected.data or None,
                    corrective_deadline=form.corrective_deadline.data,
                    notes=form.notes.data,
                )
                db.session.commit()
                notify(_l("Inspection recorded."))
                return detail(subject)
            except DomainError as exc:
                db.session.rollback()
                apply_errors(form, exc)
        return render_template(
            "registry/lifecycle/inspection_form.html",
            form=form,
            subject=subject,
            cancel_url=url_for(detail_endpoint, **{arg: subject.id}),
        ), status_code(form)

    bp.add_url_rule(f"{path}/status", endpoint=f"{name}_status", view_func=change_status, methods=["POST"])
    bp.add_url_rule(f"{path}/withdraw", endpoint=f"{name}_withdraw", view_func=withdraw, methods=["POST"])
    bp.add_url_rule(
        f"{path}/inspections/new",
        endpoint=f"{name}_inspection_new",
        view_func=new_inspection,
        methods=["GET", "POST"],
    )


def detail_endpoint_arg(endpoint: str) -> str:
    return {"areas.area_detail": "area_id", "packing.house_detail": "house_id"}.get(endpoint, "subject_id")
