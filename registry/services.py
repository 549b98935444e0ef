"""Registry services. Each takes the session first, never commits, and raises registry.errors."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from registry import validators as v
from registry.crops import CROPS
from registry.db import Page, paginate, utcnow
from registry.errors import Conflict, Forbidden, NotFound, ValidationError
from registry.i18n import _l
from registry.models import (
    AREA_TRANSITIONS,
    ApiToken,
    AreaKind,
    AreaStatus,
    AreaStatusChange,
    Commune,
    GrowingArea,
    Organization,
    OrganizationKind,
    Product,
    Province,
    Role,
    User,
)

# ---------------------------------------------------------------- field collection


class Fields:
    """Collects every field error of one request, so the person sees them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def check(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except v.FieldError as exc:
            self.add(name, exc.message)
            return None

    def add(self, name: str, message: Any) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _choice(value: Any, enum_cls: type, message: Any) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise v.FieldError(message) from None


def positive_decimal(value: Any, message: Any) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".")) if value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        raise v.FieldError(message)
    return number


# ---------------------------------------------------------------- scope


def scope(stmt: sa.Select, actor: User, organization_column: Any) -> sa.Select:
    """Limit a query to what the actor may see: members see their own organization only."""
    if actor.is_department:
        return stmt
    return stmt.where(organization_column == actor.organization_id)


def can_see(actor: User, organization_id: int) -> bool:
    return actor.is_department or actor.organization_id == organization_id


def get_visible(session: Session, model: type, record_id: int, *, actor: User, not_found: Any) -> Any:
    """A record by id, or NotFound when it does not exist or belongs to another organization.

    Both cases answer the same, so a member cannot probe which ids other cooperatives hold.
    """
    row = session.get(model, record_id)
    if row is None or not can_see(actor, row.id if isinstance(row, Organization) else row.organization_id):
        raise NotFound(not_found)
    return row


def writable_organization_id(actor: User, organization_id: int | None) -> int:
    """The organization a new record belongs to: a member's own, or the one an admin names."""
    if actor.role == Role.MEMBER:
        if organization_id not in (None, actor.organization_id):
            raise Forbidden(_l("You can only register records for your own organization."))
        return actor.organization_id
    if actor.role == Role.ADMIN:
        if organization_id is None:
            raise ValidationError({"organization_id": _l("Choose the organization.")})
        return organization_id
    raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))


def require_department(actor: User) -> None:
    if not actor.is_department:
        raise Forbidden(_l("Only the provincial department can do this."))


# ---------------------------------------------------------------- administrative units


def load_units(session: Session, *, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Insert or update the 34 provinces and 3,321 communes of the 2025 reform. Idempotent."""
    from vietnam_provinces import Province as VpProvince
    from vietnam_provinces import Ward as VpWard

    provinces = list(VpProvince.iter_all())
    existing_p = {p.code: p for p in session.scalars(sa.select(Province))}
    existing_c = {c.code: c for c in session.scalars(sa.select(Commune))}
    communes = 0
    for done, vp in enumerate(provinces, start=1):
        code = f"{vp.code.value:02d}"
        row = existing_p.get(code) or Province(code=code)
        row.name, row.division_type = vp.name, vp.division_type.value
        session.add(row)
        for ward in VpWard.iter_by_province(vp.code):
            ccode = f"{ward.code.value:05d}"
            crow = existing_c.get(ccode) or Commune(code=ccode)
            crow.name, crow.division_type, crow.province_code = ward.name, ward.division_type.value, code
            session.add(crow)
            communes += 1
        session.flush()
        if progress:
            progress(done, len(provinces))
    return len(provinces), communes


def get_commune(session: Session, code: str) -> Commune | None:
    code = (code or "").strip()
    if re.fullmatch(r"\d{1,5}", code):
        code = code.zfill(5)
    return session.get(Commune, code)


def _commune(session: Session, fields: Fields, name: str, code: str | None) -> Commune | None:
    if not code:
        fields.add(name, _l("Choose the commune."))
        return None
    commune = get_commune(session, str(code))
    if commune is None:
        fields.add(
            name,
            _l(
                "There is no commune with code %(code)s. Use the 5-digit code of the commune after the July 2025 reform.",
                code=code,
            ),
        )
    return commune


def list_provinces(session: Session) -> list[Province]:
    return list(session.scalars(sa.select(Province).order_by(Province.name)))


def list_communes(session: Session, *, province_code: str | None = None) -> list[Commune]:
    stmt = sa.select(Commune).order_by(Commune.province_code, Commune.name)
    if province_code:
        stmt = stmt.where(Commune.province_code == province_code)
    return list(session.scalars(stmt))


# ---------------------------------------------------------------- organizations


def create_organization(
    session: Session, *, actor: User, name: str, kind: str, tax_code: str, commune_code: str, address: str | None = None
) -> Organization:
    require_department(actor)
    f = Fields()
    name = f.check("name", v.required_text, name, max_length=200)
    kind = f.check("kind", _choice, kind, OrganizationKind, _l("Choose cooperative or enterprise."))
    tax_code = f.check("tax_code", v.tax_code, tax_code)
    address = f.check("address", v.optional_text, address, max_length=300)
    commune = _commune(session, f, "commune_code", commune_code)
    if tax_code and session.scalar(sa.select(Organization.id).where(Organization.tax_code == tax_code)):
        f.add("tax_code", _l("An organization with tax code %(code)s is already registered.", code=tax_code))
    f.raise_if_any()
    org = Organization(name=name, kind=kind, tax_code=tax_code, commune_code=commune.code, address=address)
    session.add(org)
    session.flush()
    return org


def list_organizations(session: Session, *, actor: User, page: int = 1, per_page: int = 25) -> Page[Organization]:
    stmt = scope(sa.select(Organization).order_by(Organization.name, Organization.id), actor, Organization.id)
    return paginate(session, stmt, page=page, per_page=per_page)


def get_organization(session: Session, *, actor: User, organization_id: int) -> Organization:
    return get_visible(session, Organization, organization_id, actor=actor, not_found=_l("Organization not found."))


# ---------------------------------------------------------------- growing areas


def create_area(
    session: Session,
    *,
    actor: User,
    name: str,
    kind: str,
    crop: str,
    area_ha: Any,
    commune_code: str,
    organization_id: int | None = None,
    variety: str | None = None,
    code: str | None = None,
    legacy_place: str | None = None,
) -> GrowingArea:
    """Register an application for a growing area. It starts pending; the department activates it."""
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if session.get(Organization, org_id) is None:
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    kind = f.check("kind", _choice, kind, AreaKind, _l("Choose domestic or export."))
    crop_obj = CROPS.get(crop)
    if crop_obj is None:
        f.add("crop", _l("Choose a crop from the list."))
    variety = f.check("variety", v.optional_text, variety, max_length=100)
    legacy_place = f.check("legacy_place", v.optional_text, legacy_place, max_length=300)
    area = f.check("area_ha", positive_decimal, area_ha, _l("Enter the area in hectares, greater than 0."))
    if area is not None and crop_obj is not None and area < crop_obj.min_area_ha:
        f.add(
            "area_ha",
            _l("A growing area of %(crop)s must be at least %(min)s ha.", crop=crop_obj.name, min=crop_obj.min_area_ha),
        )
    commune = _commune(session, f, "commune_code", commune_code)
    if code:
        code = f.check("code", v.area_code_as_issued, code)
        if code and session.scalar(sa.select(GrowingArea.id).where(GrowingArea.code == code)):
            f.add("code", _l("The code %(code)s is already registered.", code=code))
    f.raise_if_any()
    row = GrowingArea(
        code=code or None,
        name=name,
        kind=kind,
        crop=crop,
        variety=variety,
        area_ha=area,
        commune_code=commune.code,
        legacy_place=legacy_place,
        organization_id=org_id,
        status=AreaStatus.PENDING,
    )
    row.history.append(AreaStatusChange(from_status=None, to_status=AreaStatus.PENDING, actor_id=actor.id))
    session.add(row)
    session.flush()
    return row


def list_areas(
    session: Session, *, actor: User, page: int = 1, per_page: int = 25, status: str | None = None
) -> Page[GrowingArea]:
    stmt = sa.select(GrowingArea).order_by(GrowingArea.id.desc())
    if status:
        f = Fields()
        wanted = f.check("status", _choice, status, AreaStatus, _l("Unknown status."))
        f.raise_if_any()
        stmt = stmt.where(GrowingArea.status == wanted)
    return paginate(session, scope(stmt, actor, GrowingArea.organization_id), page=page, per_page=per_page)


def get_area(session: Session, *, actor: User, area_id: int) -> GrowingArea:
    return get_visible(session, GrowingArea, area_id, actor=actor, not_found=_l("Growing area not found."))


def issue_area_code(session: Session, area: GrowingArea) -> str:
    """Next structured code VN-<province>-<commune>-<serial> for the area's commune."""
    prefix = f"VN-{area.commune.province_code}-{area.commune_code}-"
    taken = session.scalars(sa.select(GrowingArea.code).where(GrowingArea.code.startswith(prefix)))
    serials = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:03d}"


def change_area_status(
    session: Session, *, actor: User, area_id: int, status: str, reason: str | None = None
) -> GrowingArea:
    require_department(actor)
    area = get_area(session, actor=actor, area_id=area_id)
    f = Fields()
    target = f.check("status", _choice, status, AreaStatus, _l("Unknown status."))
    reason = f.check("reason", v.optional_text, reason, max_length=2000)
    if target in (AreaStatus.SUSPENDED, AreaStatus.REVOKED) and not reason:
        f.add("reason", _l("Give the reason for suspending or revoking the code."))
    f.raise_if_any()
    if target not in AREA_TRANSITIONS[area.status]:
        raise Conflict(
            _l(
                "A %(from)s area cannot become %(to)s.",
                **{"from": status_label(area.status), "to": status_label(target)},
            )
        )
    if target == AreaStatus.ACTIVE and area.code is None:
        area.code = issue_area_code(session, area)
    area.history.append(AreaStatusChange(from_status=area.status, to_status=target, reason=reason, actor_id=actor.id))
    area.status = target
    area.status_changed_at = utcnow()
    session.flush()
    return area


STATUS_LABELS = {
    AreaStatus.PENDING: _l("pending"),
    AreaStatus.ACTIVE: _l("active"),
    AreaStatus.SUSPENDED: _l("suspended"),
    AreaStatus.REVOKED: _l("revoked"),
}


def status_label(status: AreaStatus) -> str:
    return str(STATUS_LABELS[AreaStatus(status)])


# ---------------------------------------------------------------- products


def create_product(
    session: Session,
    *,
    actor: User,
    name: str,
    crop: str,
    organization_id: int | None = None,
    gtin: str | None = None,
    description: str | None = None,
) -> Product:
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if session.get(Organization, org_id) is None:
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    if crop not in CROPS:
        f.add("crop", _l("Choose a crop from the list."))
    description = f.check("description", v.optional_text, description, max_length=5000)
    if gtin:
        gtin = f.check("gtin", v.gtin14, gtin)
        if gtin and session.scalar(sa.select(Product.id).where(Product.gtin == gtin)):
            f.add("gtin", _l("The GTIN %(gtin)s is already used by another product.", gtin=gtin))
    f.raise_if_any()
    product = Product(name=name, crop=crop, organization_id=org_id, gtin=gtin or None, description=description)
    session.add(product)
    session.flush()
    return product


def list_products(session: Session, *, actor: User, page: int = 1, per_page: int = 25) -> Page[Product]:
    stmt = sa.select(Product).order_by(Product.name, Product.id)
    return paginate(session, scope(stmt, actor, Product.organization_id), page=page, per_page=per_page)


def get_product(session: Session, *, actor: User, product_id: int) -> Product:
    return get_visible(session, Product, product_id, actor=actor, not_found=_l("Product not found."))


# ---------------------------------------------------------------- users and tokens

TOKEN_PREFIX = "vtr_"  # noqa: S105  (a prefix that makes leaked tokens easy to spot, not a secret)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, email: str, password: str, role: str, organization_id: int | None = None) -> User:
    f = Fields()
    email = (email or "").strip().lower()
    if not re.fullmatch(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+", email):
        f.add("email", _l("Enter a valid email address."))
    elif session.scalar(sa.select(User.id).where(User.email == email)):
        f.add("email", _l("A user with this email already exists."))
    if len(password or "") < 8:
        f.add("password", _l("The password needs at least 8 characters."))
    role = f.check("role", _choice, role, Role, _l("The role is member, auditor or admin."))
    if role == Role.MEMBER and organization_id is None:
        f.add("organization_id", _l("A member belongs to one organization."))
    elif role in (Role.AUDITOR, Role.ADMIN) and organization_id is not None:
        f.add("organization_id", _l("Department accounts do not belong to an organization."))
    elif organization_id is not None and session.get(Organization, organization_id) is None:
        f.add("organization_id", _l("Organization not found."))
    f.raise_if_any()
    user = User(email=email, password_hash=generate_password_hash(password), role=role, organization_id=organization_id)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.is_active or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def create_token(session: Session, *, email: str) -> str:
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(_l("No user with email %(email)s.", email=email))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token)))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.is_active:
        return None
    return row.user
