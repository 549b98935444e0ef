"""The commune of an imported row, after the July 2025 reform. Never a guess.

- ``commune_code`` given: it must be the 5-digit code of a commune of today.
- ``commune_code`` empty: the commune is matched from ``legacy_place``, the place as written on a code issued
  before the reform ("Xã Tân Thành, huyện Lục Ngạn, Bắc Giang"). Its first part is the commune's name; the
  other parts narrow the match when they name a province of today or a pre-2025 district the department has
  loaded (``flask --app wsgi units load-legacy``), and so does a province number in the code (VN-24-…).
  Exactly one commune must remain: none is "no commune matches", several is an ambiguous match naming the
  candidates. Either is a row error asking for ``commune_code``.

The legacy text itself is stored as written; only the commune link is of today.
"""

from __future__ import annotations

import re
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.i18n import _l, fold
from registry.units.models import Commune, LegacyDistrict, Province, legacy_district_commune

COMMUNE_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ", "tt ", "tt. ", "p. ", "x. ")
PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp ", "tp. ")
DISTRICT_PREFIXES = ("huyen ", "quan ", "thi xa ", "thanh pho ", "tp ", "tp. ", "h. ", "q. ")
PROVINCE_IN_CODE = re.compile(r"^[A-Z]{2}-(\d{2})-")


def _bare(text: str, prefixes: tuple[str, ...]) -> str:
    name = " ".join(fold(text).split())
    for prefix in prefixes:
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


class Places:
    """Every commune, province and loaded legacy district, read once per import."""

    def __init__(self, session: Session) -> None:
        self.communes: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for code, name, province in session.execute(sa.select(Commune.code, Commune.name, Commune.province_code)):
            self.communes[code] = (name, province)
            self.by_name[_bare(name, COMMUNE_PREFIXES)].add(code)
        self.provinces: dict[str, str] = {}
        for code, name in session.execute(sa.select(Province.code, Province.name)):
            self.provinces[_bare(name, PROVINCE_PREFIXES)] = code
        self.districts: dict[str, set[str]] = defaultdict(set)
        rows = session.execute(
            sa.select(LegacyDistrict.name, legacy_district_commune.c.commune_code).join(
                legacy_district_commune, legacy_district_commune.c.district_code == LegacyDistrict.code
            )
        )
        for name, commune in rows:
            self.districts[_bare(name, DISTRICT_PREFIXES)].add(commune)

    def label(self, code: str) -> str:
        name, province = self.communes[code]
        return f"{name} ({code})"

    def resolve(
        self, commune_code: str | None, legacy_place: str | None, code: str | None
    ) -> tuple[str | None, object]:
        """(the commune code of today, None) or (None, the row error's message)."""
        if commune_code:
            if commune_code in self.communes:
                return commune_code, None
            return None, _l(
                "There is no commune with code %(code)s. Use the 5-digit code of the commune after the July 2025 reform.",
                code=commune_code,
            )
        if not legacy_place:
            return None, _l("Give the commune_code, or the legacy_place of a code issued before the 2025 reform.")
        parts = [p for p in (legacy_place or "").split(",") if p.strip()]
        candidates = set(self.by_name.get(_bare(parts[0], COMMUNE_PREFIXES), set()))
        province = None
        match = PROVINCE_IN_CODE.match(code or "")
        if match and match[1] in {p for _n, p in self.communes.values()}:
            province = match[1]
        for part in parts[1:]:
            named = self.provinces.get(_bare(part, PROVINCE_PREFIXES))
            if named:
                province = named
            district = self.districts.get(_bare(part, DISTRICT_PREFIXES))
            if district:
                candidates &= district
        if province:
            candidates = {c for c in candidates if self.communes[c][1] == province}
        if len(candidates) == 1:
            return candidates.pop(), None
        if not candidates:
            return None, _l(
                "No commune of today matches “%(place)s”: give its commune_code (5 digits, after the July 2025 reform).",
                place=legacy_place,
            )
        listed = ", ".join(self.label(c) for c in sorted(candidates)[:8])
        return None, _l(
            "“%(place)s” matches several communes of today (%(communes)s): give the commune_code.",
            place=legacy_place,
            communes=listed,
        )
