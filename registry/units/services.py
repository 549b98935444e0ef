"""Administrative units: loading from vietnam-provinces, look-ups and pickers in Vietnamese order."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.fields import Fields
from registry.core.i18n import _l, fold, vi_sort_key
from registry.units.models import Commune, Province


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


def normalise_commune_code(code: str | None) -> str | None:
    code = (code or "").strip()
    if re.fullmatch(r"\d{1,5}", code):
        return code.zfill(5)
    return None


def get_commune(session: Session, code: str | None) -> Commune | None:
    code = normalise_commune_code(code)
    return session.get(Commune, code) if code else None


def get_province(session: Session, code: str | None) -> Province | None:
    code = (code or "").strip()
    if re.fullmatch(r"\d{1,2}", code):
        return session.get(Province, code.zfill(2))
    return None


def commune_field(session: Session, fields: Fields, name: str, code: str | None) -> Commune | None:
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
    return sorted(session.scalars(sa.select(Province)), key=lambda p: vi_sort_key(p.name))


def list_communes(session: Session, *, province_code: str | None = None, q: str | None = None) -> list[Commune]:
    stmt = sa.select(Commune)
    if province_code:
        stmt = stmt.where(Commune.province_code == province_code)
    rows = list(session.scalars(stmt))
    if q:
        needle = fold(q)
        rows = [c for c in rows if needle in fold(c.name) or c.code == needle.zfill(5)]
    return sorted(rows, key=lambda c: (vi_sort_key(c.province.name), vi_sort_key(c.name)))


def place_filter(session: Session, filters: Fields, *, province: Any, commune: Any) -> list[Any]:
    """Selectables of commune codes a list's "province" and "commune" filters allow (both must hold), for the
    caller to test its own commune column against: ``[column.in_(s) for s in place_filter(...)]``.

    ``province`` is a province code; ``commune`` is typed text (accents optional), within the province if given.
    An unknown value is refused through ``filters`` (a registry.core.fields.Filters).
    """
    allowed: list[Any] = []
    province_code = None
    if province not in (None, ""):
        row = get_province(session, str(province))
        if row is None:
            filters.refuse("province", province, _l("There is no province with code %(code)s.", code=province))
        else:
            province_code = row.code
            allowed.append(sa.select(Commune.code).where(Commune.province_code == province_code))
    text = str(commune).strip() if commune not in (None, "") else ""
    if text and not filters.has("province"):
        codes = [c.code for c in list_communes(session, province_code=province_code, q=text)]
        if not codes:
            filters.refuse("commune", text, _l("No commune matches “%(text)s”.", text=text))
        else:
            allowed.append(codes)
    return allowed
