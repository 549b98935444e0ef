"""HTML pages for products."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import can_write, page_user, require_registrar, require_writer
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.fields import db_int
from registry.core.forms import apply_errors, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from registry.organizations.views import organization_choices
from registry.products import images, services
from registry.products.forms import ProductEditForm, ProductForm, ProductImageForm

bp = Blueprint("products", __name__)


@bp.get("/products")
@login_required
def products():
    organization_id = db_int(request.args.get("organization_id")) if request.args.get("organization_id") else None
    page = services.list_products(
        db.session,
        actor=page_user(),
        page=page_number(),
        per_page=per_page(),
        organization_id=request.args.get("organization_id") or None,
    )
    return render_template("registry/products.html", page=page, organization_id=organization_id)


@bp.route("/products/new", methods=["GET", "POST"])
@login_required
def product_new():
    user = page_user()
    require_registrar(user)
    form = ProductForm()
    form.organization_id.choices = organization_choices(user)
    if form.validate_on_submit():
        try:
            product = services.create_product(
                db.session,
                actor=user,
                organization_id=form.organization_id.data,
                name=form.name.data,
                crop=form.crop.data,
                gtin=form.gtin.data,
                description=form.description.data,
                brand=form.brand.data,
                shelf_life_days=form.shelf_life_days.data,
            )
            db.session.commit()
            notify(_l("Product saved."))
            return redirect(url_for("products.product_detail", product_id=product.id))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template("registry/product_form.html", form=form), status_code(form)


@bp.get("/products/<int:product_id>")
@login_required
def product_detail(product_id: int, image_form: ProductImageForm | None = None):
    user = page_user()
    product = services.get_product(db.session, actor=user, product_id=product_id)
    return render_template(
        "registry/products/detail.html",
        product=product,
        can_edit=can_write(user, product.organization_id),
        gtin_fixed=services.has_lots(db.session, product.id),
        image_form=image_form or ProductImageForm(),
    )


@bp.post("/products/<int:product_id>/image")
@login_required
def product_image_upload(product_id: int):
    form = ProductImageForm()
    if form.validate_on_submit():
        try:
            images.set_image(db.session, actor=page_user(), product_id=product_id, data=form.image.data.read())
            db.session.commit()
            notify(_l("Photo saved."))
            return redirect(url_for("products.product_detail", product_id=product_id))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise  # refused, not a photo to correct
            apply_errors(form, exc)
    return product_detail(product_id, image_form=form), 422


@bp.post("/products/<int:product_id>/image/remove")
@login_required
def product_image_remove(product_id: int):
    form = ProductImageForm()
    del form.image
    if form.validate_on_submit():
        images.remove_image(db.session, actor=page_user(), product_id=product_id)
        db.session.commit()
        notify(_l("Photo removed."))
    return redirect(url_for("products.product_detail", product_id=product_id))


@bp.get("/media/products/<int:product_id>/<key>.webp")
def product_image(product_id: int, key: str):
    """Public: the photo the lot pages show, under its content hash, so a browser or CDN keeps it for a year."""
    row = images.stored(db.session, product_id, key)
    if row is None:
        abort(404)
    response = current_app.response_class(row.data, mimetype=row.mime)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Length"] = str(len(row.data))
    return response


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@login_required
def product_edit(product_id: int):
    user = page_user()
    product = services.get_product(db.session, actor=user, product_id=product_id)
    require_writer(user, product.organization_id)
    gtin_fixed = services.has_lots(db.session, product.id)
    form = ProductEditForm(obj=product)
    if gtin_fixed:
        del form.gtin
    if form.validate_on_submit():
        try:
            services.update_product(
                db.session,
                actor=user,
                product_id=product.id,
                **{name: field.data for name, field in form._fields.items() if name != "csrf_token"},
            )
            db.session.commit()
            notify(_l("Product saved."))
            return redirect(url_for("products.product_detail", product_id=product.id))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template(
        "registry/products/edit.html", product=product, form=form, gtin_fixed=gtin_fixed
    ), status_code(form)


images.allow_uploads("products.product_image_upload")
