"""The parts of a growing area's record kept as lists: households (private), GAP certificates and seasons.

Same rules as every service: session first, never commit. Reading needs the area to be visible (owner or
department; others get 404); adding needs the owner or the admin (inspectors get 403).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy.orm import Session

from registry.areas.models import GapCertificate, GapScheme, Household, Season
from registry.areas.services import get_area, plots_total, writable_area
from registry.core import validators as v
from registry.core.auth import Actor
from registry.core.fields import Fields, choice, optional_decimal, positive_decimal
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle

# Mobile numbers: 10 digits from 03, 05, 07, 08 or 09; landlines: 11 digits from 02 (area code + number).
_MOBILE = re.compile(r"0[35789]\d{8}", re.ASCII)
_LANDLINE = re.compile(r"02\d{9}", re.ASCII)


def vn_phone(value: Any) -> str | None:
    """A Vietnamese phone number in its national form (0…), from +84, 84 or 0 with spaces, dots or dashes."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise v.FieldError(_l("Enter the phone number as text."))
    digits = re.sub(r"[\s.\-()]", "", value)
    if not digits:
        return None
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not (_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits)):
        raise v.FieldError(
            _l(
                "Enter a Vietnamese phone number: a mobile of 10 digits starting 03, 05, 07, 08 or 09 (or +84), "
                "or a landline of 11 digits starting 02."
            )
        )
    return digits


def _date(value: Any, message: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise v.FieldError(message)


# ---------------------------------------------------------------- households


def list_households(session: Session, *, actor: Actor, area_id: Any) -> list[Household]:
    """Private: the owner and the department only (anyone else gets 404, as if the area did not exist)."""
    return list(get_area(session, actor=actor, area_id=area_id).households)


def add_household(
    session: Session, *, actor: Actor, area_id: Any, name: Any, plot_ha: Any, phone: Any = None
) -> Household:
    area = writable_area(session, actor=actor, area_id=area_id)
    lifecycle.lock_subject(session, area)  # two additions at once must not both fit the same free hectares
    f = Fields()
    name = f.check("name", v.required_text, name, max_length=200)
    plot = f.check(
        "plot_ha", positive_decimal, plot_ha, _l("Enter the plot in hectares, greater than 0."), max_digits=12, places=4
    )
    phone = f.check("phone", vn_phone, phone)
    if plot is not None:
        used = plots_total(session, area)
        if used + plot > area.area_ha:
            f.add(
                "plot_ha",
                _l(
                    "The plots would add up to %(total)s ha, more than the area's %(area)s ha (%(free)s ha left).",
                    total=used + plot,
                    area=area.area_ha,
                    free=max(area.area_ha - used, 0),
                ),
            )
    f.raise_if_any()
    row = Household(growing_area_id=area.id, name=name, plot_ha=plot, phone=phone)
    session.add(row)
    session.flush()
    session.refresh(area, ["households"])
    return row


# ---------------------------------------------------------------- GAP certificates


def add_certificate(
    session: Session,
    *,
    actor: Actor,
    area_id: Any,
    scheme: Any,
    number: Any,
    issuer: Any,
    issued_on: Any,
    expires_on: Any,
) -> GapCertificate:
    area = writable_area(session, actor=actor, area_id=area_id)
    f = Fields()
    scheme = f.check("scheme", choice, scheme, GapScheme, _l("Choose VietGAP, GlobalGAP or organic."))
    number = f.check("number", v.required_text, number, max_length=100)
    issuer = f.check("issuer", v.required_text, issuer, max_length=200)
    issued = f.check("issued_on", _date, issued_on, _l("Enter the date of issue."))
    expires = f.check("expires_on", _date, expires_on, _l("Enter the expiry date."))
    if issued and expires and expires < issued:
        f.add("expires_on", _l("The expiry date cannot be before the date of issue."))
    f.raise_if_any()
    row = GapCertificate(
        growing_area_id=area.id, scheme=scheme, number=number, issuer=issuer, issued_on=issued, expires_on=expires
    )
    session.add(row)
    session.flush()
    session.refresh(area, ["certificates"])
    return row


def list_certificates(session: Session, *, actor: Actor, area_id: Any) -> list[GapCertificate]:
    return list(get_area(session, actor=actor, area_id=area_id).certificates)


# ---------------------------------------------------------------- seasons


def add_season(
    session: Session,
    *,
    actor: Actor,
    area_id: Any,
    name: Any,
    harvest_from: Any,
    harvest_to: Any,
    target_market: Any = None,
    actual_yield_t: Any = None,
) -> Season:
    area = writable_area(session, actor=actor, area_id=area_id)
    f = Fields()
    name = f.check("name", v.required_text, name, max_length=100)
    start = f.check("harvest_from", _date, harvest_from, _l("Enter the first day of the expected harvest."))
    end = f.check("harvest_to", _date, harvest_to, _l("Enter the last day of the expected harvest."))
    if start and end and end < start:
        f.add("harvest_to", _l("The harvest window ends before it starts."))
    target_market = f.check("target_market", v.optional_text, target_market, max_length=100)
    actual = f.check(
        "actual_yield_t",
        optional_decimal,
        actual_yield_t,
        _l("Enter the yield in tonnes, 0 or more."),
        max_digits=12,
        places=3,
    )
    f.raise_if_any()
    row = Season(
        growing_area_id=area.id,
        name=name,
        harvest_from=start,
        harvest_to=end,
        target_market=target_market,
        actual_yield_t=actual,
    )
    session.add(row)
    session.flush()
    session.refresh(area, ["seasons"])
    return row


def list_seasons(session: Session, *, actor: Actor, area_id: Any) -> list[Season]:
    return list(get_area(session, actor=actor, area_id=area_id).seasons)
