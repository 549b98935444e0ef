"""Helpers every page and API view shares: pagination arguments, safe redirects, escaped notices."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, request, url_for

from registry.core.errors import ValidationError
from registry.core.i18n import _l

# The page number times the page size must stay inside a 64-bit OFFSET; far below that, nobody pages.
MAX_PAGE = 100_000


def checked_page(page: Any) -> int:
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or number > MAX_PAGE:
        raise ValidationError({"page": _l("The page number is between 1 and %(max)s.", max=MAX_PAGE)})
    return number


def page_number() -> int:
    raw = request.args.get("page")
    return 1 if raw in (None, "") else checked_page(raw)


def per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def page_args(pagination_parameters) -> dict:
    size = min(pagination_parameters.page_size, current_app.config["MAX_PAGE_SIZE"])
    return {"page": checked_page(pagination_parameters.page), "per_page": size}


def paged(result, pagination_parameters):
    pagination_parameters.item_count = result.total
    return result.items


def safe_next(target: str | None, default: str | None = None) -> str:
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default or url_for("desk.index")
    return target


def notify(message: Any, category: str = "success") -> None:
    """Flash a message as plain text: values typed by users inside it are escaped when shown, never run."""
    flash(str(message), category)
