"""How a person who did something is shown to whoever is looking: the one rule, for pages and the API.

The department (inspectors and the admin) sees who did it by email, the account's unique name. A member sees
the department's people by role only ("Sở NN&MT (thanh tra)"), the people of their own organization by name,
and those of another organization by that organization's name. Nobody else (a public page) sees more than the
role or the organization. Templates use the ``public_name`` filter; API schemas call the function.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_login import current_user

from registry.core.auth import Role
from registry.core.i18n import _l

ROLE_LABELS = {
    Role.AUDITOR: _l("Provincial department (inspector)"),
    Role.ADMIN: _l("Provincial department (administrator)"),
    Role.MEMBER: _l("Member of an organization"),
}

_CURRENT = object()


def current_viewer() -> Any:
    """Who this request is for: the API's token holder, else the signed-in user, else nobody."""
    if not has_request_context():
        return None
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user
    user = current_user._get_current_object() if current_user else None
    return user if getattr(user, "is_authenticated", False) else None


def public_name(person: Any, viewer: Any = _CURRENT) -> str | None:
    """The name of ``person`` (a user account, or None) as ``viewer`` may see it; the request's viewer by default."""
    if person is None:
        return None
    if viewer is _CURRENT:
        viewer = current_viewer()
    if viewer is not None and getattr(viewer, "is_department", False):
        return person.email
    role = Role(person.role)
    if role != Role.MEMBER:
        return str(ROLE_LABELS[role])
    if viewer is not None and person.organization_id is not None and person.organization_id == viewer.organization_id:
        return person.full_name or person.email
    organization = getattr(person, "organization", None)
    return organization.name if organization is not None else str(ROLE_LABELS[Role.MEMBER])


def inspector_name(inspection: Any, viewer: Any = _CURRENT) -> str | None:
    """An inspection's inspector as typed, unless that is the recording account's email (the form's old default
    filled it in): then the account as ``public_name`` shows it."""
    typed = (inspection.inspector_name or "").strip()
    recorder = getattr(inspection, "recorded_by", None)
    if recorder is not None and typed.lower() == (recorder.email or "").lower():
        return public_name(recorder, viewer)
    return inspection.inspector_name
