"""HTML pages for OCOP: the certificates list, and a product's evaluations and certificates."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import page_user
from registry.core.db import today_in_vietnam
from registry.core.errors import DomainError, ValidationError
from registry.core.extensions import db
from registry.core.forms import apply_errors, status_code
from registry.core.i18n import _l, translate
from registry.core.web import notify, page_number, per_page
from registry.ocop import services
from registry.ocop.forms import CertificateForm, EvaluationForm, RevokeForm
from registry.ocop.groups import GROUPS, SUBGROUPS, group_name, subgroup_name
from registry.products.crops import CROPS
from registry.products.services import get_product
from registry.units.services import list_communes
from registry.units.views import province_list

bp = Blueprint("ocop", __name__)


@bp.app_template_filter("ocop_stars")
def _stars_filter(n):
    return services.stars_label(n)


@bp.app_template_filter("ocop_level")
def _level_filter(level):
    return services.level_label(level)


@bp.app_template_filter("ocop_group")
def _group_filter(code):
    return group_name(code)


@bp.app_template_filter("ocop_subgroup")
def _subgroup_filter(code):
    return subgroup_name(code)


FILTERS = ("stars", "validity", "expiring_within", "province", "commune", "crop")


@bp.get("/ocop")
@login_required
def certificates():
    """Certificates with filters; a wrong filter value answers 422 with its message beside the field."""
    user = page_user()
    filters = {k: request.args.get(k, "").strip() for k in FILTERS}
    active = {k: v for k, v in filters.items() if v}
    today = today_in_vietnam()
    errors: dict[str, list[str]] = {}
    message = None
    try:
        page = services.list_certificates(
            db.session, actor=user, page=page_number(), per_page=per_page(), today=today, **active
        )
    except ValidationError as exc:
        db.session.rollback()
        errors = {k: [translate(m) for m in v] for k, v in exc.errors.items()}
        message = translate(exc.message)
        page = None
    province = filters["province"] if "province" not in errors else ""
    html = render_template(
        "registry/ocop/list.html",
        page=page,
        filters=filters,
        active=active,
        errors=errors,
        message=message,
        star_choices=services.CERTIFIED_STARS,
        validities=services.VALIDITIES,
        provinces=province_list(),
        communes=list_communes(db.session, province_code=province.zfill(2)) if province else [],
        crops=CROPS,
        today=today,
    )
    return html, 422 if errors else 200


def _detail(product, user, *, evaluation_form=None, certificate_form=None, revoke_form=None, revoke_id=None):
    today = today_in_vietnam()
    forms = (evaluation_form, certificate_form, revoke_form)
    failed = next((f for f in forms if f is not None and status_code(f) != 200), None)
    return render_template(
        "registry/ocop/detail.html",
        product=product,
        evaluations=services.evaluations(db.session, actor=user, product_id=product.id),
        certificates=services.certificates(db.session, actor=user, product_id=product.id),
        current=services.current_certificate(db.session, product.id, today),
        latest=services.latest_evaluation(db.session, product.id),
        today=today,
        can_decide=user.is_department,
        evaluation_form=evaluation_form or EvaluationForm(formdata=None),
        certificate_form=certificate_form or CertificateForm(formdata=None),
        revoke_form=revoke_form or RevokeForm(formdata=None),
        revoke_id=revoke_id,
        ocop_groups=GROUPS,
        ocop_subgroups=SUBGROUPS,
    ), (status_code(failed) if failed is not None else 200)


@bp.get("/products/<int:product_id>/ocop")
@login_required
def product_ocop(product_id: int):
    user = page_user()
    product = get_product(db.session, actor=user, product_id=product_id)
    return _detail(product, user)


@bp.post("/products/<int:product_id>/ocop/evaluations")
@login_required
def evaluation_new(product_id: int):
    user = page_user()
    product = get_product(db.session, actor=user, product_id=product_id)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            row = services.evaluate(
                db.session,
                actor=user,
                product_id=product.id,
                score_a=form.score_a.data,
                score_b=form.score_b.data,
                score_c=form.score_c.data,
                evaluated_on=form.evaluated_on.data,
                subgroup=form.subgroup.data,
                council=form.council.data,
            )
            db.session.commit()
            notify(
                _l(
                    "Evaluation saved: %(total)s points, %(stars)s.",
                    total=row.total,
                    stars=services.stars_label(row.stars),
                )
            )
            return redirect(url_for("ocop.product_ocop", product_id=product.id))
        except DomainError as exc:
            db.session.rollback()
            if exc.status_code != 422:
                raise
            apply_errors(form, exc)
    return _detail(product, user, evaluation_form=form)


@bp.post("/products/<int:product_id>/ocop/certificates")
@login_required
def certificate_new(product_id: int):
    user = page_user()
    product = get_product(db.session, actor=user, product_id=product_id)
    form = CertificateForm()
    if form.validate_on_submit():
        try:
            row = services.certify(
                db.session,
                actor=user,
                product_id=product.id,
                decision_number=form.decision_number.data,
                decided_on=form.decided_on.data,
                level=form.level.data or None,
            )
            db.session.commit()
            notify(_l("Certificate recorded: %(stars)s.", stars=services.stars_label(row.stars)))
            return redirect(url_for("ocop.product_ocop", product_id=product.id))
        except DomainError as exc:
            db.session.rollback()
            if exc.status_code not in (409, 422):
                raise
            apply_errors(form, exc)
    return _detail(product, user, certificate_form=form)


@bp.post("/ocop/certificates/<int:certificate_id>/revoke")
@login_required
def certificate_revoke(certificate_id: int):
    user = page_user()
    row = services.get_certificate(db.session, actor=user, certificate_id=certificate_id)
    product = row.product
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(
                db.session,
                actor=user,
                certificate_id=row.id,
                reason=form.reason.data,
                revoked_on=form.revoked_on.data,
            )
            db.session.commit()
            notify(_l("Certificate revoked."))
            return redirect(url_for("ocop.product_ocop", product_id=product.id))
        except DomainError as exc:
            db.session.rollback()
            if exc.status_code not in (409, 422):
                raise
            apply_errors(form, exc)
    return _detail(product, user, revoke_form=form, revoke_id=row.id)
