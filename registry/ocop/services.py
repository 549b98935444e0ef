"""OCOP services: score an evaluation, certify, revoke, and find what is current or expiring. Never commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from registry.core import validators as v
from registry.core.auth import Actor, require_department, scope
from registry.core.db import Page, paginate, today_in_vietnam
from registry.core.errors import Conflict, NotFound, ValidationError
from registry.core.fields import Fields, Filters, choice, db_int
from registry.core.i18n import _l
from registry.ocop.models import MAX_A, MAX_B, MAX_C, OcopCertificate, OcopEvaluation, OcopLevel
from registry.ocop.rules import (  # noqa: F401  (re-exported: the rules are part of this module's API)
    CERTIFIED_STARS,
    LEVEL_LABELS,
    MAX_WINDOW_DAYS,
    NOTICE_DAYS,
    VALIDITIES,
    VALIDITY_MONTHS,
    add_months,
    classification_fields,
    date_field,
    expiry_for,
    level_for,
    level_label,
    score_field,
    stars_for,
    stars_label,
)
from registry.ocop.status import valid_on
from registry.organizations.models import Organization
from registry.products.crops import crop_filter
from registry.products.models import Product
from registry.products.services import get_product
from registry.units.services import place_filter

# ---------------------------------------------------------------- evaluations


def evaluate(
    session: Session,
    *,
    actor: Actor,
    product_id: Any,
    score_a: Any,
    score_b: Any,
    score_c: Any,
    evaluated_on: Any,
    group: Any = None,
    subgroup: Any = None,
    council: str | None = None,
    today: dt.date | None = None,
) -> OcopEvaluation:
    """Record the council's scores. The total and the stars are computed here, never typed in."""
    product = get_product(session, actor=actor, product_id=product_id)
    require_department(actor)
    today = today or today_in_vietnam()
    f = Fields()
    a = score_field(f, "score_a", score_a, MAX_A)
    b = score_field(f, "score_b", score_b, MAX_B)
    c = score_field(f, "score_c", score_c, MAX_C)
    on = date_field(
        f,
        "evaluated_on",
        evaluated_on,
        today,
        missing=_l("Enter the date of the evaluation."),
        future=_l("The evaluation date cannot be in the future."),
    )
    group_code, subgroup_code = classification_fields(f, group, subgroup)
    council = f.check("council", v.optional_text, council, max_length=2000)
    f.raise_if_any()
    total = a + b + c
    row = OcopEvaluation(
        product_id=product.id,
        group=group_code,
        subgroup=subgroup_code,
        score_a=a,
        score_b=b,
        score_c=c,
        total=total,
        stars=stars_for(total),
        council=council,
        evaluated_on=on,
        recorded_by_id=getattr(actor, "id", None),
    )
    session.add(row)
    session.flush()
    return row


def evaluations(session: Session, *, actor: Actor, product_id: Any) -> list[OcopEvaluation]:
    product = get_product(session, actor=actor, product_id=product_id)
    stmt = (
        sa.select(OcopEvaluation)
        .where(OcopEvaluation.product_id == product.id)
        .order_by(OcopEvaluation.evaluated_on.desc(), OcopEvaluation.id.desc())
    )
    return list(session.scalars(stmt))


def latest_evaluation(session: Session, product_id: int) -> OcopEvaluation | None:
    stmt = (
        sa.select(OcopEvaluation)
        .where(OcopEvaluation.product_id == product_id)
        .order_by(OcopEvaluation.evaluated_on.desc(), OcopEvaluation.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


# ---------------------------------------------------------------- certificates


def certify(
    session: Session,
    *,
    actor: Actor,
    product_id: Any,
    decision_number: str | None,
    decided_on: Any,
    level: Any,
    today: dt.date | None = None,
) -> OcopCertificate:
    """Issue a certificate from the product's latest evaluation: 3–4★ by the province, 5★ by the ministry."""
    product = get_product(session, actor=actor, product_id=product_id)
    require_department(actor)
    today = today or today_in_vietnam()
    f = Fields()
    evaluation = latest_evaluation(session, product.id)
    if evaluation is None:
        f.add("evaluation", _l("Record the council's evaluation before issuing a certificate."))
    elif evaluation.stars not in CERTIFIED_STARS:
        f.add(
            "evaluation",
            _l(
                "The latest evaluation gives %(stars)s; only products rated 3 to 5 stars are certified.",
                stars=stars_label(evaluation.stars),
            ),
        )
    number = f.check("decision_number", v.required_text, decision_number, max_length=100)
    on = date_field(
        f,
        "decided_on",
        decided_on,
        today,
        missing=_l("Enter the date of the decision."),
        future=_l("The decision date cannot be in the future."),
    )
    if on is not None and evaluation is not None and on < evaluation.evaluated_on:
        f.add("decided_on", _l("The decision cannot come before the evaluation."))
    chosen = f.check("level", choice, level, OcopLevel, _l("Choose the issuing level: province or ministry."))
    if chosen is not None and evaluation is not None and evaluation.stars in CERTIFIED_STARS:
        needed = level_for(evaluation.stars)
        if chosen != needed:
            f.add(
                "level",
                _l(
                    "A %(stars)s certificate is issued at %(level)s level.",
                    stars=stars_label(evaluation.stars),
                    level=level_label(needed),
                ),
            )
    f.raise_if_any()
    if session.scalar(sa.select(sa.func.count()).where(OcopCertificate.evaluation_id == evaluation.id)):
        raise Conflict(_l("A certificate was already issued from this evaluation; record a new evaluation first."))
    duplicate = sa.select(OcopCertificate.id).where(
        OcopCertificate.product_id == product.id, OcopCertificate.decision_number == number
    )
    if session.scalar(duplicate) is not None:
        raise Conflict(_l("This product already has a certificate under decision %(number)s.", number=number))
    row = OcopCertificate(
        product_id=product.id,
        evaluation_id=evaluation.id,
        stars=evaluation.stars,
        decision_number=number,
        level=chosen,
        issued_on=on,
        expires_on=expiry_for(on),
        recorded_by_id=getattr(actor, "id", None),
    )
    session.add(row)
    session.flush()
    return row


def get_certificate(session: Session, *, actor: Actor, certificate_id: Any) -> OcopCertificate:
    row = session.get(OcopCertificate, certificate_id) if db_int(certificate_id) is not None else None
    if row is None or not (actor.is_department or row.product.organization_id == actor.organization_id):
        raise NotFound(_l("Certificate not found."))
    return row


def revoke(
    session: Session,
    *,
    actor: Actor,
    certificate_id: Any,
    reason: str | None,
    revoked_on: Any = None,
    today: dt.date | None = None,
) -> OcopCertificate:
    """Revoke a certificate: from that day it no longer shows stars."""
    row = get_certificate(session, actor=actor, certificate_id=certificate_id)
    require_department(actor)
    if row.revoked_on is not None:
        raise Conflict(_l("This certificate is already revoked."))
    today = today or today_in_vietnam()
    f = Fields()
    reason = f.check("reason", v.required_text, reason, max_length=2000)
    on = (
        today
        if revoked_on in (None, "")
        else date_field(
            f,
            "revoked_on",
            revoked_on,
            today,
            missing=_l("Enter the date of the revocation."),
            future=_l("The revocation date cannot be in the future."),
        )
    )
    if on is not None and on < row.issued_on:
        f.add("revoked_on", _l("A certificate cannot be revoked before it was issued."))
    f.raise_if_any()
    row.revoked_on = on
    row.revoke_reason = reason
    session.flush()
    return row


def certificates(session: Session, *, actor: Actor, product_id: Any) -> list[OcopCertificate]:
    product = get_product(session, actor=actor, product_id=product_id)
    stmt = (
        sa.select(OcopCertificate)
        .where(OcopCertificate.product_id == product.id)
        .order_by(OcopCertificate.issued_on.desc(), OcopCertificate.id.desc())
    )
    return list(session.scalars(stmt))


def current_certificate(session: Session, product_id: int, today: dt.date | None = None) -> OcopCertificate | None:
    """The latest certificate valid today, or None: an expired or revoked one shows no stars."""
    today = today or today_in_vietnam()
    stmt = (
        sa.select(OcopCertificate)
        .where(OcopCertificate.product_id == product_id, valid_on(today))
        .order_by(OcopCertificate.issued_on.desc(), OcopCertificate.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def _superseded() -> sa.ColumnElement[bool]:
    """A later certificate of the same product that is not revoked replaces this one."""
    later = aliased(OcopCertificate)
    return (
        sa.select(later.id)
        .where(
            later.product_id == OcopCertificate.product_id,
            later.revoked_on.is_(None),
            later.id != OcopCertificate.id,
            sa.or_(
                later.issued_on > OcopCertificate.issued_on,
                sa.and_(later.issued_on == OcopCertificate.issued_on, later.id > OcopCertificate.id),
            ),
        )
        .exists()
    )


def _window(value: Any) -> int:
    """A number of days from 0 to MAX_WINDOW_DAYS."""
    days: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        days = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 6:
        days = int(value.strip())
    if days is None or not 0 <= days <= MAX_WINDOW_DAYS:
        raise ValidationError({"expiring_within": _l("Give a number of days from 0 to %(max)s.", max=MAX_WINDOW_DAYS)})
    return days


def _expiring_stmt(actor: Actor, within_days: Any, today: dt.date) -> sa.Select:
    days = _window(within_days)
    stmt = (
        sa.select(OcopCertificate)
        .join(Product, OcopCertificate.product_id == Product.id)
        .where(
            valid_on(today),
            OcopCertificate.expires_on <= today + dt.timedelta(days=days),
            ~_superseded(),
        )
        .order_by(OcopCertificate.expires_on, OcopCertificate.id)
    )
    return scope(stmt, actor, Product.organization_id)


def expiring(
    session: Session,
    *,
    actor: Actor,
    within_days: Any = NOTICE_DAYS,
    today: dt.date | None = None,
    limit: int | None = None,
) -> list[OcopCertificate]:
    """Valid certificates that expire within ``within_days`` and are not yet renewed, soonest first.

    The department sees every organization's; a member its own.
    """
    today = today or today_in_vietnam()
    return list(session.scalars(_expiring_stmt(actor, within_days, today).limit(limit)))


def list_certificates(
    session: Session,
    *,
    actor: Actor,
    page: int = 1,
    per_page: int = 25,
    stars: Any = None,
    validity: Any = None,
    expiring_within: Any = None,
    province: Any = None,
    commune: Any = None,
    crop: Any = None,
    today: dt.date | None = None,
) -> Page[OcopCertificate]:
    """Certificates the actor may see, newest decision first.

    Filters: stars, validity, expiring within N days (then soonest first), and the holder's province or commune
    (one commune, one product: the product belongs to its producer's commune) and the product's crop.
    """
    today = today or today_in_vietnam()
    f = Filters()
    if stars not in (None, ""):
        wanted = db_int(stars)
        if wanted not in CERTIFIED_STARS:
            f.refuse("stars", stars, _l("Choose 3, 4 or 5 stars."))
        else:
            f.clauses.append(OcopCertificate.stars == wanted)
    if validity not in (None, "") and validity not in VALIDITIES:
        f.refuse("validity", validity, _l("Choose valid, expired or revoked."))
    elif validity == "valid":
        f.clauses.append(valid_on(today))
    elif validity == "expired":
        f.clauses.append(sa.and_(OcopCertificate.revoked_on.is_(None), OcopCertificate.expires_on < today))
    elif validity == "revoked":
        f.clauses.append(OcopCertificate.revoked_on.is_not(None))
    places = place_filter(session, f, province=province, commune=commune)
    if places:
        holders = sa.select(Organization.id)
        for allowed in places:
            holders = holders.where(Organization.commune_code.in_(allowed))
        f.clauses.append(Product.organization_id.in_(holders))
    crop_code = crop_filter(f, crop)
    if crop_code is not None:
        f.clauses.append(Product.crop == crop_code)
    f.raise_if_any()
    if expiring_within not in (None, ""):
        stmt = _expiring_stmt(actor, expiring_within, today)
    else:
        stmt = (
            sa.select(OcopCertificate)
            .join(Product, OcopCertificate.product_id == Product.id)
            .order_by(OcopCertificate.issued_on.desc(), OcopCertificate.id.desc())
        )
        stmt = scope(stmt, actor, Product.organization_id)
    return paginate(session, stmt.where(*f.clauses), page=page, per_page=per_page)
