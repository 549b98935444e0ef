"""The indicators for a caller: checked arguments in, figures and records out. Session first, never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import indicators.figures  # noqa: F401  (defines the registry's figures)
import indicators.kt  # noqa: F401  (defines KT-1..3)
from indicators.compute import RECORD_SETS, Figure, RecordsPage, compute, record_page
from indicators.definitions import INDICATORS, Indicator
from indicators.key_crops import key_crops
from indicators.period import Period, Scope, parse_period, resolve_scope
from registry.core.auth import Actor
from registry.core.db import utcnow
from registry.core.errors import ValidationError
from registry.core.fields import Fields
from registry.core.i18n import _l

DEFINED = tuple(INDICATORS)


@dataclass
class Report:
    scope: Scope
    period: Period
    figures: list[Figure]
    computed_at: dt.datetime
    key_crops: list[str]

    def figure(self, code: str) -> Figure | None:
        return next((f for f in self.figures if f.code == code), None)


def checked(
    session: Session,
    errors: Fields,
    actor: Actor,
    *,
    province: Any,
    period: Any,
    date_from: Any,
    date_to: Any,
    organization: Any,
) -> tuple[Scope, Period]:
    scope = resolve_scope(session, errors, actor, province=province, organization=organization)
    when = parse_period(errors, period, date_from, date_to)
    errors.raise_if_any()
    assert scope is not None and when is not None
    return scope, when


def applicable(scope: Scope) -> list[Indicator]:
    """Every indicator for a province; for one organization's own figures, those that make sense for it."""
    chosen = [i for i in INDICATORS.values() if scope.organization is None or not i.province_only]
    return sorted(chosen, key=lambda i: not i.code.startswith("KT-"))  # KT-1..3 first, then the registry's


def report(
    session: Session,
    *,
    actor: Actor,
    province: Any = None,
    period: Any = None,
    date_from: Any = None,
    date_to: Any = None,
    organization: Any = None,
    trend: bool = True,
) -> Report:
    scope, when = checked(session, Fields(), actor, province=province, period=period, date_from=date_from,
                           date_to=date_to, organization=organization)  # fmt: skip
    fast_plans(session)
    figures = [compute(session, i, scope, when, trend=trend) for i in applicable(scope)]
    return Report(scope, when, figures, utcnow(), key_crops(session, scope.province_code))


def fast_plans(session: Session) -> None:
    """PostgreSQL's JIT compiles a plan for tens of milliseconds before it runs, more than any of these queries
    needs; switched off for the rest of this transaction only."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL jit = off"))


def get_indicator(errors: Fields, code: Any, scope: Scope | None = None) -> Indicator | None:
    indicator = INDICATORS.get(str(code or "").upper())
    if indicator is None:
        errors.add("code", _l("Unknown indicator %(code)s. Known: %(known)s.", code=code, known=", ".join(DEFINED)))
    elif scope is not None and indicator not in applicable(scope):
        errors.add("code", _l("%(code)s is computed for a whole province, not for one organization.", code=code))
        return None
    return indicator


def records(
    session: Session,
    *,
    actor: Actor,
    code: Any,
    which: Any = None,
    province: Any = None,
    period: Any = None,
    date_from: Any = None,
    date_to: Any = None,
    organization: Any = None,
    page: int = 1,
    per_page: int = 25,
) -> RecordsPage:
    errors = Fields()
    which = which or "denominator"
    if which not in RECORD_SETS:
        errors.add("set", _l("Choose one of: %(sets)s.", sets=", ".join(RECORD_SETS)))
    scope = resolve_scope(session, errors, actor, province=province, organization=organization)
    when = parse_period(errors, period, date_from, date_to)
    indicator = get_indicator(errors, code, scope)
    if indicator is not None and which == "outside" and indicator.outside is None:
        errors.add("set", _l("%(code)s has no records outside its denominator.", code=indicator.code))
    errors.raise_if_any()
    assert scope is not None and when is not None and indicator is not None
    unavailable = indicator.unavailable(session, scope) if indicator.unavailable else None
    if unavailable is not None:
        raise ValidationError({"code": [unavailable]})
    fast_plans(session)
    return record_page(session, indicator, scope, when, which=which, page=page, per_page=per_page)
