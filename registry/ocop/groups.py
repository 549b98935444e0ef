"""The OCOP product catalogue: six groups and their sub-groups (Decision 148/QĐ-TTg of 24/2/2023).

A sub-group code is the group's number followed by a letter ("1a"). The codes are this registry's own short
keys for the product sets of the Decision's annex; the names follow the annex in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.core.i18n import _l, text


@dataclass(frozen=True)
class Group:
    code: str
    name: Any


@dataclass(frozen=True)
class Subgroup:
    code: str
    group: str
    name: Any


GROUPS: tuple[Group, ...] = (
    Group("1", _l("Food")),
    Group("2", _l("Drinks")),
    Group("3", _l("Medicinal herbs")),
    Group("4", _l("Handicrafts, fabric and garments, souvenirs")),
    Group("5", _l("Ornamental plants and animals, flowers")),
    Group("6", _l("Community and eco-tourism services and tourist destinations")),
)

SUBGROUPS: tuple[Subgroup, ...] = (
    # 1 Thực phẩm
    Subgroup("1a", "1", _l("Fresh fruit, vegetables and nuts")),
    Subgroup("1b", "1", _l("Fresh meat, eggs and milk")),
    Subgroup("1c", "1", _l("Rice and cereals")),
    Subgroup("1d", "1", _l("Honey and honey products")),
    Subgroup("1e", "1", _l("Processed food")),
    Subgroup("1f", "1", _l("Spices and condiments")),
    Subgroup("1g", "1", _l("Tea")),
    Subgroup("1h", "1", _l("Coffee and cocoa")),
    # 2 Đồ uống
    Subgroup("2a", "2", _l("Alcoholic drinks")),
    Subgroup("2b", "2", _l("Non-alcoholic drinks")),
    # 3 Thảo dược
    Subgroup("3a", "3", _l("Health supplements, herbal and traditional medicines")),
    Subgroup("3b", "3", _l("Herbal cosmetics")),
    Subgroup("3c", "3", _l("Essential oils and other herbal products")),
    # 4 Thủ công mỹ nghệ
    Subgroup("4a", "4", _l("Fabric and garments")),
    Subgroup("4b", "4", _l("Souvenirs, furniture and decorations")),
    Subgroup("4c", "4", _l("Household handicrafts")),
    # 5 Sinh vật cảnh
    Subgroup("5a", "5", _l("Flowers")),
    Subgroup("5b", "5", _l("Ornamental plants")),
    Subgroup("5c", "5", _l("Ornamental animals")),
    # 6 Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch
    Subgroup("6a", "6", _l("Community and eco-tourism services")),
    Subgroup("6b", "6", _l("Tourist destinations")),
)

GROUP_BY_CODE = {g.code: g for g in GROUPS}
SUBGROUP_BY_CODE = {s.code: s for s in SUBGROUPS}


def group_name(code: str | None) -> str:
    group = GROUP_BY_CODE.get(code or "")
    return text(group.name) if group else "—"


def subgroup_name(code: str | None) -> str:
    subgroup = SUBGROUP_BY_CODE.get(code or "")
    return text(subgroup.name) if subgroup else "—"


def subgroups_of(group: str) -> list[Subgroup]:
    return [s for s in SUBGROUPS if s.group == group]
