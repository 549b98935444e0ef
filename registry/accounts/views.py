"""Sign-in and sign-out; one's own password and API tokens; user accounts for the admin."""

from __future__ import annotations

from flask import Blueprint, current_app, g, make_response, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from registry.accounts import services, signin
from registry.accounts.forms import (
    LoginForm,
    PasswordForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
    token_days_choices,
)
from registry.core.auth import Role, page_user, require_admin
from registry.core.errors import DomainError
from registry.core.extensions import db, limiter
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page, safe_next
from registry.organizations.views import organization_choices

bp = Blueprint("accounts", __name__)


@bp.after_app_request
def touch_token(response):
    """Write an API token's last use after the request's own work is done (at most once a minute a token)."""
    token_id = g.pop("stale_api_token_id", None)
    if token_id is not None:
        try:
            db.session.rollback()  # the view has committed whatever it meant to keep
            services.touch_token(db.session, token_id)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()  # bookkeeping only: never fail the caller's request over it
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])  # per address
def login():
    form = LoginForm(next=request.args.get("next"))
    locked = None
    if form.validate_on_submit():
        try:
            user = signin.authenticate(
                db.session,
                email=form.email.data,
                password=form.password.data,
                lock_after=current_app.config["LOGIN_LOCK_AFTER"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
        except signin.AccountLocked as exc:
            user, locked = None, exc
        db.session.commit()  # the count of wrong passwords, or its reset
        if user is not None:
            login_user(user)
            return redirect(safe_next(form.next.data))
        form.form_errors.append(str(locked.message if locked else _l("Wrong email or password.")))
    response = make_response(render_template("registry/login.html", form=form), 200 if not form.errors else 422)
    if locked is not None:
        response.status_code = 429
        response.headers["Retry-After"] = str(locked.retry_after)
    return response


@bp.post("/logout")
@login_required
def logout():
    # The cookie alone no longer signs anyone in: a copy taken before now is refused by the user loader.
    signin.end_sessions(db.session, page_user())
    db.session.commit()
    logout_user()
    return redirect(url_for("desk.index"))


# ---------------------------------------------------------------- users (admin only)


def _organization_field(form, user) -> None:
    form.organization_id.choices = choices([("", "—")]) + organization_choices(user)


@bp.get("/users")
@login_required
def users():
    user = page_user()
    page = services.list_users(db.session, actor=user, page=page_number(), per_page=per_page())
    return render_template("registry/accounts/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    admin = page_user()
    require_admin(admin)
    form = UserCreateForm()
    _organization_field(form, admin)
    if form.validate_on_submit():
        try:
            created = services.add_user(
                db.session,
                actor=admin,
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                organization_id=form.organization_id.data if form.role.data == Role.MEMBER.value else None,
                password=form.password.data,
            )
            db.session.commit()
            notify(_l("Account %(email)s created.", email=created.email))
            return redirect(url_for("accounts.users"))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template("registry/accounts/user_form.html", form=form, account=None), status_code(form)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    admin = page_user()
    account = services.get_user(db.session, actor=admin, user_id=user_id)
    form = UserEditForm(
        full_name=account.full_name,
        role=account.role.value,
        organization_id=str(account.organization_id or ""),
        active=account.is_active_account,
    )
    _organization_field(form, admin)
    if form.validate_on_submit():
        try:
            services.update_user(
                db.session,
                actor=admin,
                user_id=account.id,
                full_name=form.full_name.data,
                role=form.role.data,
                organization_id=form.organization_id.data if form.role.data == Role.MEMBER.value else None,
                active=form.active.data,
            )
            db.session.commit()
            notify(_l("Account %(email)s saved.", email=account.email))
            return redirect(url_for("accounts.users"))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template("registry/accounts/user_form.html", form=form, account=account), status_code(form)


# ---------------------------------------------------------------- one's own account


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    user = page_user()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                db.session,
                user=user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
                repeat_password=form.repeat_password.data,
            )
            db.session.commit()
            login_user(user)  # this session goes on under the new generation; every other one has ended
            notify(_l("Your password has been changed."))
            return redirect(url_for("accounts.password"))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template("registry/accounts/password.html", form=form), status_code(form)


def _tokens_page(form, new_token=None, status=200):
    token_days_choices(form, current_app.config["API_TOKEN_DAYS"], current_app.config["API_TOKEN_MAX_DAYS"])
    tokens = services.list_tokens(db.session, user=page_user())
    states = {t.id: services.token_state(t) for t in tokens}
    response = make_response(
        render_template("registry/accounts/tokens.html", form=form, tokens=tokens, states=states, new_token=new_token),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _row, token = services.issue_token(
                db.session,
                user=page_user(),
                label=form.label.data,
                days=form.days.data,
                default_days=current_app.config["API_TOKEN_DAYS"],
                max_days=current_app.config["API_TOKEN_MAX_DAYS"],
            )
            db.session.commit()
            # Shown on this response only: it is never stored, flashed or put in a URL.
            return _tokens_page(TokenForm(formdata=None), new_token=token, status=201)
        except DomainError as exc:
            apply_errors(form, exc)
    return _tokens_page(form, status=status_code(form))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def token_revoke(token_id: int):
    # CSRFProtect has already checked the form's token.
    row = services.revoke_token(db.session, user=page_user(), token_id=token_id)
    db.session.commit()
    notify(_l("The token “%(label)s” is revoked; it no longer opens the API.", label=row.label or "—"))
    return redirect(url_for("accounts.tokens"))
