"""HTML pages of the registry: sign-in, organizations, growing areas, products."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from registry import services
from registry.auth import page_user
from registry.errors import DomainError
from registry.extensions import db
from registry.forms import AreaForm, AreaStatusForm, LoginForm, OrganizationForm, ProductForm, apply_errors, choices
from registry.i18n import _l
from registry.models import AREA_TRANSITIONS, Role

bp = Blueprint("registry", __name__)


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("registry.index")
    return target


def organization_choices(user):
    if user.role == Role.MEMBER:
        return choices([(user.organization.id, user.organization.name)])
    page = services.list_organizations(db.session, actor=user, page=1, per_page=1000)
    return choices((o.id, o.name) for o in page.items)


def commune_choices(province_code: str | None):
    return choices(
        (c.code, f"{c.name} ({c.code})") for c in services.list_communes(db.session, province_code=province_code)
    )


def chosen_province(user) -> str:
    """Communes are offered one province at a time, so the page stays light on a phone."""
    default = user.organization.commune.province_code if user.organization else "25"
    return request.args.get("province") or request.form.get("province") or default


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("registry/index.html")
    user = page_user()
    counts = {
        "areas": services.list_areas(db.session, actor=user, per_page=1).total,
        "pending": services.list_areas(db.session, actor=user, per_page=1, status="pending").total,
        "products": services.list_products(db.session, actor=user, per_page=1).total,
    }
    return render_template("registry/index.html", counts=counts)


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
    return redirect(url_for("registry.index"))


# ---------------------------------------------------------------- organizations


@bp.route("/organizations", methods=["GET", "POST"])
@login_required
def organizations():
    user = page_user()
    province = chosen_province(user)
    form = OrganizationForm()
    form.commune_code.choices = commune_choices(province)
    status = 200
    if user.is_department and form.validate_on_submit():
        try:
            org = services.create_organization(
                db.session,
                actor=user,
                name=form.name.data,
                kind=form.kind.data,
                tax_code=form.tax_code.data,
                commune_code=form.commune_code.data,
                address=form.address.data,
            )
            db.session.commit()
            flash(_l("Organization %(name)s registered.", name=org.name), "success")
            return redirect(url_for("registry.organizations"))
        except DomainError as exc:
            apply_errors(form, exc)
    if form.errors or form.form_errors:
        status = 422
    page = services.list_organizations(db.session, actor=user, page=page_number(), per_page=per_page())
    provinces = services.list_provinces(db.session)
    return render_template(
        "registry/organizations.html", page=page, form=form, provinces=provinces, province=province
    ), status


# ---------------------------------------------------------------- growing areas


@bp.get("/areas")
@login_required
def areas():
    status = request.args.get("status") or None
    page = services.list_areas(db.session, actor=page_user(), page=page_number(), per_page=per_page(), status=status)
    return render_template("registry/areas.html", page=page, status=status)


@bp.route("/areas/new", methods=["GET", "POST"])
@login_required
def area_new():
    user = page_user()
    province = chosen_province(user)
    form = AreaForm()
    form.organization_id.choices = organization_choices(user)
    form.commune_code.choices = commune_choices(province)
    if form.validate_on_submit():
        try:
            area = services.create_area(
                db.session,
                actor=user,
                organization_id=form.organization_id.data,
                name=form.name.data,
                kind=form.kind.data,
                crop=form.crop.data,
                variety=form.variety.data,
                area_ha=form.area_ha.data,
                commune_code=form.commune_code.data,
                code=form.code.data,
                legacy_place=form.legacy_place.data,
            )
            db.session.commit()
            flash(_l("Application saved. The department will review it."), "success")
            return redirect(url_for("registry.area_detail", area_id=area.id))
        except DomainError as exc:
            apply_errors(form, exc)
    status = 422 if (form.errors or form.form_errors) else 200
    provinces = services.list_provinces(db.session)
    return render_template("registry/area_form.html", form=form, provinces=provinces, province=province), status


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@login_required
def area_detail(area_id: int):
    user = page_user()
    area = services.get_area(db.session, actor=user, area_id=area_id)
    form = AreaStatusForm()
    form.status.choices = choices((s.value, services.status_label(s)) for s in sorted(AREA_TRANSITIONS[area.status]))
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.change_area_status(
                db.session, actor=user, area_id=area.id, status=form.status.data, reason=form.reason.data
            )
            db.session.commit()
            flash(_l("Status changed."), "success")
            return redirect(url_for("registry.area_detail", area_id=area.id))
        except DomainError as exc:
            apply_errors(form, exc)
    status = 422 if (form.errors or form.form_errors) else 200
    return render_template("registry/area_detail.html", area=area, form=form), status


# ---------------------------------------------------------------- products


@bp.get("/products")
@login_required
def products():
    page = services.list_products(db.session, actor=page_user(), page=page_number(), per_page=per_page())
    return render_template("registry/products.html", page=page)


@bp.route("/products/new", methods=["GET", "POST"])
@login_required
def product_new():
    user = page_user()
    form = ProductForm()
    form.organization_id.choices = organization_choices(user)
    if form.validate_on_submit():
        try:
            services.create_product(
                db.session,
                actor=user,
                organization_id=form.organization_id.data,
                name=form.name.data,
                crop=form.crop.data,
                gtin=form.gtin.data,
                description=form.description.data,
            )
            db.session.commit()
            flash(_l("Product saved."), "success")
            return redirect(url_for("registry.products"))
        except DomainError as exc:
            apply_errors(form, exc)
    status = 422 if (form.errors or form.form_errors) else 200
    return render_template("registry/product_form.html", form=form), status
