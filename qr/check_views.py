""" "Check a code" for the department: /check and GET /api/v1/check?q=."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from qr import check as service
from registry.core.auth import page_user, require_department
from registry.core.errors import NotFound, ValidationError
from registry.core.extensions import db
from registry.core.i18n import translate

bp = Blueprint("check", __name__)


@bp.get("/check")
@login_required
def check():
    user = page_user()
    require_department(user)
    q = request.args.get("q")
    result, message, status = None, None, 200
    if q is not None:
        try:
            result = service.check(db.session, actor=user, q=q)
        except ValidationError as exc:
            message = "; ".join(translate(m) for msgs in exc.errors.values() for m in msgs)
            status = 422
        except NotFound as exc:
            message = translate(exc.message)
            status = 404
    return render_template("qr/check/check.html", q=q or "", result=result, message=message), status
