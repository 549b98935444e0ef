"""The code lifecycle's JSON routes, registered once per kind of coded subject (areas, packing houses).

`register_code_routes` adds to a subject's blueprint: POST {path}/status (and, as the lifecycle grows,
history, inspections and withdraw), so both kinds answer the same way from one implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user
from registry.core.extensions import db
from registry.lifecycle import services
from registry.lifecycle.schemas import StatusInputSchema


def register_code_routes(
    blp: Blueprint,
    *,
    path: str,
    name: str,
    get_subject: Callable[..., Any],
    detail_schema: type,
) -> None:
    """``path`` like "/areas/<int:subject_id>"; ``get_subject(session, actor=, subject_id=)`` scopes and 404s."""

    class Status(MethodView):
        @blp.arguments(StatusInputSchema)
        @blp.response(200, detail_schema)
        def post(self, data, subject_id):
            """Activate, suspend, revoke or refuse a code (department), or withdraw an application (owner)"""
            subject = get_subject(db.session, actor=api_user(), subject_id=subject_id)
            services.transition(db.session, subject, actor=api_user(), **data)
            db.session.commit()
            return subject

    Status.__name__ = f"{name.title().replace('_', '')}Status"
    blp.route(f"{path}/status", endpoint=f"{name}_status")(Status)
