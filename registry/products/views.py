"""HTML pages for products."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required

from registry.core.auth import page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from registry.organizations.views import organization_choices
from registry.products import services
from registry.products.forms import ProductForm

bp = Blueprint("products", __name__)


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
            notify(_l("Product saved."))
            return redirect(url_for("products.products"))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template("registry/product_form.html", form=form), status_code(form)
