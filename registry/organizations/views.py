"""HTML pages for organizations."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import Role, page_user, require_department
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from registry.organizations import services
from registry.organizations.forms import OrganizationEditForm, OrganizationForm
from registry.units.views import chosen_province, commune_choices, province_list

bp = Blueprint("organizations", __name__)


def organization_choices(user):
    if user.role == Role.MEMBER:
        return choices([(user.organization.id, user.organization.name)])
    page = services.list_organizations(db.session, actor=user, page=1, per_page=1000)
    return choices((o.id, o.name) for o in page.items)


@bp.route("/organizations", methods=["GET", "POST"])
@login_required
def organizations():
    user = page_user()
    province = chosen_province(user)
    form = OrganizationForm()
    form.commune_code.choices = commune_choices(province)
    if request.method == "POST":
        require_department(user)  # members read the list; the department registers organizations
    if form.validate_on_submit():
        try:
            org = services.create_organization(
                db.session,
                actor=user,
                name=form.name.data,
                kind=form.kind.data,
                tax_code=form.tax_code.data,
                commune_code=form.commune_code.data,
                address=form.address.data,
                phone=form.phone.data,
            )
            db.session.commit()
            notify(_l("Organization %(name)s registered.", name=org.name))
            return redirect(url_for("organizations.organizations"))
        except DomainError as exc:
            apply_errors(form, exc)
    page = services.list_organizations(db.session, actor=user, page=page_number(), per_page=per_page())
    return render_template(
        "registry/organizations.html", page=page, form=form, provinces=province_list(), province=province
    ), status_code(form)


@bp.get("/organizations/<int:organization_id>")
@login_required
def organization_detail(organization_id: int):
    user = page_user()
    org = services.get_organization(db.session, actor=user, organization_id=organization_id)
    users = services.count_users(db.session, org.id) if user.is_department else None
    return render_template(
        "registry/organizations/detail.html",
        org=org,
        users=users,
        can_edit=services.may_edit_organization(user, org.id),
    )


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@login_required
def organization_edit(organization_id: int):
    user = page_user()
    org = services.get_organization(db.session, actor=user, organization_id=organization_id)
    services.require_organization_writer(user, org.id)
    form = OrganizationEditForm(obj=org)
    full = user.is_department
    province = request.values.get("province") or org.commune.province_code
    if full:
        form.commune_code.choices = commune_choices(province)
    else:
        for name in OrganizationEditForm.DEPARTMENT_FIELDS:
            delattr(form, name)
    if form.validate_on_submit():
        try:
            services.update_organization(
                db.session,
                actor=user,
                organization_id=org.id,
                **{name: field.data for name, field in form._fields.items() if name != "csrf_token"},
            )
            db.session.commit()
            notify(_l("Organization %(name)s saved.", name=org.name))
            return redirect(url_for("organizations.organization_detail", organization_id=org.id))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template(
        "registry/organizations/edit.html",
        org=org,
        form=form,
        full=full,
        provinces=province_list() if full else [],
        province=province,
    ), status_code(form)
