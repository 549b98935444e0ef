"""Sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from registry.accounts import services
from registry.accounts.forms import LoginForm
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.core.web import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = services.authenticate(db.session, email=form.email.data, password=form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(form.next.data))
        form.form_errors.append(str(_l("Wrong email or password.")))
    return render_template("registry/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("desk.index"))
