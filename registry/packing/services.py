"""Packing-house services. Session first, never commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.errors import Conflict
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.packing.models import PackingHouse


def confirm_or_issue_code(session: Session, house: PackingHouse) -> None:
    """On activation: confirm the claimed code, or issue VN-<province>-<commune>-DG<serial>."""
    if house.claimed_code:
        holder = session.scalar(
            sa.select(PackingHouse).where(PackingHouse.code == house.claimed_code, PackingHouse.id != house.id)
        )
        if holder is not None:
            raise Conflict(
                _l(
                    "The code %(code)s is already held by the packing house %(name)s of %(org)s. Resolve the clash before activating.",
                    code=house.claimed_code,
                    name=holder.name,
                    org=holder.organization.name,
                )
            )
        house.code = house.claimed_code
        return
    prefix = house.issue_prefix()

    def taken(serial: int) -> bool:
        return (
            session.scalar(sa.select(PackingHouse.id).where(PackingHouse.code == f"{prefix}{serial:03d}")) is not None
        )

    house.code = f"{prefix}{lifecycle.issue_serial(session, prefix, taken):03d}"
