"""Domain errors raised by services; registry.app maps them to HTTP responses."""

from __future__ import annotations

from typing import Any

from registry.core.i18n import _l


class DomainError(Exception):
    """Base class. ``message`` may be a lazy string: it is rendered in the request's language."""

    status_code = 400

    def __init__(self, message: Any, errors: dict[str, list[Any]] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}


class ValidationError(DomainError):
    """Input a person can correct; ``errors`` maps field names to messages."""

    status_code = 422

    def __init__(self, errors: dict[str, Any], message: Any = None) -> None:
        normalised = {k: v if isinstance(v, list) else [v] for k, v in errors.items()}
        super().__init__(message or _l("Some fields need correcting."), normalised)


class Unauthorized(DomainError):
    """No valid credentials: a missing, wrong, revoked or expired API token."""

    status_code = 401


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    """The request is well-formed but the current state forbids it (e.g. a status change)."""

    status_code = 409
