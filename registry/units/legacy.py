"""The pre-2025 districts and the communes of today that lie in each: loaded from the department's CSV.

Columns: ``commune_code`` (the 5-digit code of today's commune), ``district_code`` (the old 3-digit district
code) and ``district_name``. A file replaces the mapping of every province it names, so loading it twice changes
nothing. One bad row and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.errors import ValidationError
from registry.core.i18n import _l, nfc
from registry.units.models import Commune, LegacyDistrict, legacy_district_commune
from registry.units.services import normalise_commune_code

COLUMNS = ("commune_code", "district_code", "district_name")


@dataclass
class LegacyLoad:
    provinces: set[str] = field(default_factory=set)
    districts: int = 0
    links: int = 0


def read_csv(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": [_l("The file is not UTF-8 text.")]}) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError({"file": [_l("The file needs the columns %(columns)s.", columns=", ".join(COLUMNS))]})
    return list(reader)


def load_legacy(session: Session, rows: Iterable[dict[str, str]]) -> LegacyLoad:
    """Validate every row, then replace the mapping of the provinces the rows name. Raises with every row error."""
    communes = {c.code: c.province_code for c in session.execute(sa.select(Commune.code, Commune.province_code))}
    errors: dict[str, list] = {}
    districts: dict[str, tuple[str, str]] = {}
    links: set[tuple[str, str]] = set()
    for number, row in enumerate(rows, start=2):  # the header is row 1
        commune = normalise_commune_code(row.get("commune_code"))
        district = (row.get("district_code") or "").strip()
        name = nfc((row.get("district_name") or "").strip())
        if commune not in communes:
            errors.setdefault(f"row {number}", []).append(
                _l("commune_code: there is no commune %(code)s after the 2025 reform.", code=row.get("commune_code"))
            )
            continue
        if not re.fullmatch(r"\d{3}", district) or not name or len(name) > 100:
            errors.setdefault(f"row {number}", []).append(
                _l("district_code is 3 digits and district_name is 1 to 100 characters.")
            )
            continue
        province = communes[commune]
        known = districts.setdefault(district, (name, province))
        if known != (name, province):
            errors.setdefault(f"row {number}", []).append(
                _l("District %(code)s has another name or province on an earlier row.", code=district)
            )
            continue
        links.add((district, commune))
    if errors:
        raise ValidationError(errors, _l("Nothing was loaded: fix the rows named."))
    result = LegacyLoad(provinces={p for _, p in districts.values()}, districts=len(districts), links=len(links))
    old = sa.select(LegacyDistrict.code).where(LegacyDistrict.province_code.in_(result.provinces))
    session.execute(sa.delete(legacy_district_commune).where(legacy_district_commune.c.district_code.in_(old)))
    session.execute(sa.delete(LegacyDistrict).where(LegacyDistrict.province_code.in_(result.provinces)))
    session.add_all(LegacyDistrict(code=c, name=n, province_code=p) for c, (n, p) in sorted(districts.items()))
    session.flush()
    if links:
        session.execute(
            sa.insert(legacy_district_commune),
            [{"district_code": d, "commune_code": c} for d, c in sorted(links)],
        )
    return result
