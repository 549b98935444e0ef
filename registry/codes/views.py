"""Public code lookup: /codes/<code> for buyers and importing countries' inspectors."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from registry.codes import services
from registry.codes.schemas import PublicCodeSchema
from registry.core.db import today_in_vietnam
from registry.core.extensions import db

bp = Blueprint("codes", __name__)


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.get("/codes")
def lookup():
    """The search form; ?code= goes to the code's page."""
    code = services.normalise(request.args.get("code"))
    if code:
        return redirect(url_for("codes.code", code=code))
    return render_template("registry/codes/code.html", info=None, q="")


@bp.get("/codes/<code>")
def code(code: str):
    info = services.public_code(db.session, code=code)
    if _wants_json():
        response = jsonify(PublicCodeSchema().dump(info))
    else:
        response = current_app.make_response(
            render_template("registry/codes/code.html", info=info, q=info["code"], today=today_in_vietnam())
        )
    # Short, so that a suspension shows within a minute. A signed-in page carries a sign-out form with its CSRF
    # token, which no shared cache may keep.
    response.headers["Cache-Control"] = "private, no-store" if current_user.is_authenticated else "public, max-age=60"
    response.headers.add("Vary", "Accept")
    return response
