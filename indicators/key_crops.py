"""The key products of a province (nông sản chủ lực): read by KT-2 and the key-crop share, set by the department."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indicators.models import KeyCrop
from registry.core.auth import Actor, require_department
from registry.core.errors import ValidationError
from registry.core.i18n import _l
from registry.products.crops import CROPS
from registry.units.services import get_province

NOT_SET = _l(
    "The department has not yet named this province's key products (nông sản chủ lực), so this figure cannot be "
    "computed. The department names them on the dashboard or with: flask --app wsgi indicators key-crops."
)


def key_crops(session: Session, province_code: str) -> list[str]:
    return list(
        session.scalars(sa.select(KeyCrop.crop).where(KeyCrop.province_code == province_code).order_by(KeyCrop.crop))
    )


def key_crop_codes(province_code: str) -> Any:
    """The key crops as a subquery, for the definitions' SQL."""
    return sa.select(KeyCrop.crop).where(KeyCrop.province_code == province_code)


def unavailable_without_key_crops(session: Session, scope: Any) -> Any:
    return None if key_crops(session, scope.province_code) else NOT_SET


def set_key_crops(session: Session, *, actor: Actor, province: Any, crops: Any) -> list[str]:
    """Replace the province's key products with ``crops`` (crop codes). The department does this."""
    require_department(actor)
    errors: dict[str, list] = {}
    row = get_province(session, str(province or ""))
    if row is None:
        errors["province"] = [_l("There is no province with code %(code)s.", code=province)]
    wanted = crops if isinstance(crops, list | tuple) else []
    unknown = [str(c) for c in wanted if c not in CROPS]
    if not isinstance(crops, list | tuple) or not wanted:
        errors["crops"] = [_l("Name at least one crop.")]
    elif unknown:
        errors["crops"] = [_l("Unknown crop: %(crops)s.", crops=", ".join(unknown))]
    if errors:
        raise ValidationError(errors)
    session.execute(sa.delete(KeyCrop).where(KeyCrop.province_code == row.code))
    session.add_all(KeyCrop(province_code=row.code, crop=c) for c in sorted(set(wanted)))
    session.flush()
    return sorted(set(wanted))
