"""The linkage list's filters: province or commune covered, crop, and tied to a raw-material area today."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.errors import ValidationError
from registry.core.fields import Fields
from registry.core.i18n import _l
from registry.linkage.models import LinkageModel, linkage_commune
from registry.linkage.tied import tied_now_clause
from registry.products.crops import CROPS
from registry.units.models import Commune
from registry.units.services import get_province, list_communes

YES, NO = ("yes", "true", "1"), ("no", "false", "0")


def model_filters(session: Session, *, province: Any, commune: Any, crop: Any, tied: Any) -> list[Any]:
    """WHERE clauses for the list; every unknown value is named in a 422."""
    f = Fields()
    wrong: list[str] = []
    clauses: list[Any] = []
    province_code = None
    if province not in (None, ""):
        row = get_province(session, str(province))
        if row is None:
            f.add("province", _l("There is no province with code %(code)s.", code=province))
            wrong.append(f"province={province}")
        else:
            province_code = row.code
            clauses.append(
                LinkageModel.id.in_(
                    sa.select(linkage_commune.c.model_id)
                    .join(Commune, Commune.code == linkage_commune.c.commune_code)
                    .where(Commune.province_code == province_code)
                )
            )
    text = str(commune).strip() if commune not in (None, "") else ""
    if text and not f.has("province"):
        codes = [c.code for c in list_communes(session, province_code=province_code, q=text)]
        if not codes:
            f.add("commune", _l("No commune matches “%(text)s”.", text=text))
            wrong.append(f"commune={text}")
        else:
            clauses.append(
                LinkageModel.id.in_(
                    sa.select(linkage_commune.c.model_id).where(linkage_commune.c.commune_code.in_(codes))
                )
            )
    if crop not in (None, ""):
        if crop not in CROPS:
            f.add("crop", _l("There is no crop “%(crop)s”.", crop=crop))
            wrong.append(f"crop={crop}")
        else:
            clauses.append(LinkageModel.crop == crop)
    if tied not in (None, ""):
        answer = str(tied).strip().lower()
        if answer in YES:
            clauses.append(tied_now_clause())
        elif answer in NO:
            clauses.append(~tied_now_clause())
        else:
            f.add("tied", _l("Answer yes or no."))
            wrong.append(f"tied={tied}")
    if f.errors:
        raise ValidationError(f.errors, _l("Unknown filter value: %(values)s.", values=", ".join(wrong)))
    return clauses
