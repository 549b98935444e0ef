"""The linkage list's filters: province or commune covered, crop, and tied to a raw-material area today."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.fields import Filters
from registry.core.i18n import _l
from registry.linkage.models import LinkageModel, linkage_commune
from registry.linkage.tied import tied_now_clause
from registry.products.crops import crop_filter
from registry.units.services import place_filter

YES, NO = ("yes", "true", "1"), ("no", "false", "0")


def model_filters(session: Session, *, province: Any, commune: Any, crop: Any, tied: Any) -> list[Any]:
    """WHERE clauses for the list; every unknown value is named in a 422."""
    f = Filters()
    for allowed in place_filter(session, f, province=province, commune=commune):
        covered = sa.select(linkage_commune.c.model_id).where(linkage_commune.c.commune_code.in_(allowed))
        f.clauses.append(LinkageModel.id.in_(covered))
    crop_code = crop_filter(f, crop)
    if crop_code is not None:
        f.clauses.append(LinkageModel.crop == crop_code)
    if tied not in (None, ""):
        answer = str(tied).strip().lower()
        if answer in YES:
            f.clauses.append(tied_now_clause())
        elif answer in NO:
            f.clauses.append(~tied_now_clause())
        else:
            f.refuse("tied", tied, _l("Answer yes or no."))
    f.raise_if_any()
    return f.clauses
