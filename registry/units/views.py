"""Pickers for provinces and communes, shared by every form that asks for a place."""

from __future__ import annotations

from flask import request

from registry.core.extensions import db
from registry.core.forms import choices
from registry.units import services


def province_list():
    return services.list_provinces(db.session)


def commune_choices(province_code: str | None):
    return choices(
        (c.code, f"{c.name} ({c.code})") for c in services.list_communes(db.session, province_code=province_code)
    )


def chosen_province(user) -> str:
    """Communes are offered one province at a time, so the page stays light on a phone."""
    default = user.organization.commune.province_code if getattr(user, "organization", None) else "25"
    return request.args.get("province") or request.form.get("province") or default
