"""The code lifecycle's JSON routes, registered once per kind of coded subject (areas, packing houses).

`register_code_routes` adds to a subject's blueprint: POST {path}/status, POST {path}/withdraw,
GET {path}/history and GET/POST {path}/inspections, so every kind answers the same way from one implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_department
from registry.core.extensions import db
from registry.lifecycle import services
from registry.lifecycle.schemas import (
    InspectionInputSchema,
    InspectionResultSchema,
    InspectionSchema,
    StatusChangeSchema,
    StatusInputSchema,
    WithdrawInputSchema,
)


def register_code_routes(
    blp: Blueprint,
    *,
    path: str,
    name: str,
    get_subject: Callable[..., Any],
    detail_schema: type,
) -> None:
    """``path`` like "/areas/<int:subject_id>"; ``get_subject(session, actor=, subject_id=)`` scopes and 404s.

    flask-smorest names operations after the view classes, so each kind of subject gets its own classes.
    """
    prefix = name.title().replace("_", "")

    class Status(MethodView):
        @blp.arguments(StatusInputSchema)
        @blp.response(200, detail_schema)
        def post(self, data, subject_id):
            """Activate, suspend, revoke or refuse a code (department), or withdraw an application (owner)"""
            subject = get_subject(db.session, actor=api_user(), subject_id=subject_id)
            services.transition(db.session, subject, actor=api_user(), **data)
            db.session.commit()
            return subject

    class Withdraw(MethodView):
        @blp.arguments(WithdrawInputSchema)
        @blp.response(200, detail_schema)
        def post(self, data, subject_id):
            """Withdraw a pending application (its owner); final"""
            subject = get_subject(db.session, actor=api_user(), subject_id=subject_id)
            services.withdraw(db.session, subject, actor=api_user(), reason=data.get("reason"))
            db.session.commit()
            return subject

    class History(MethodView):
        @blp.response(200, StatusChangeSchema(many=True))
        def get(self, subject_id):
            """Every status change: who, when, why, and the inspection that caused it"""
            subject = get_subject(db.session, actor=api_user(), subject_id=subject_id)
            return services.history(db.session, subject)

    class Inspections(MethodView):
        @blp.response(200, InspectionSchema(many=True))
        def get(self, subject_id):
            """Inspections, newest first"""
            subject = get_subject(db.session, actor=api_user(), subject_id=subject_id)
            return services.inspections(db.session, subject)

        @blp.arguments(InspectionInputSchema)
        @blp.response(201, InspectionResultSchema)
        def post(self, data, subject_id):
            """Record an inspection (department); a suspend or revoke conclusion changes the status with it"""
            actor = api_user()
            subject = get_subject(db.session, actor=actor, subject_id=subject_id)
            require_department(actor)
            row = services.record_inspection(db.session, subject, actor=actor, **data)
            db.session.commit()
            return {"inspection": row, "status": subject.status.value}

    for view, suffix, endpoint in (
        (Status, "/status", "status"),
        (Withdraw, "/withdraw", "withdraw"),
        (History, "/history", "history"),
        (Inspections, "/inspections", "inspections"),
    ):
        view.__name__ = view.__qualname__ = f"{prefix}{view.__name__}"
        blp.route(f"{path}{suffix}", endpoint=f"{name}_{endpoint}")(view)
