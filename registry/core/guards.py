"""Checks at the door, before any view or query runs: what a hostile client may send answers 4xx, never 500.

- NUL in a path, query or form: PostgreSQL cannot store it (400).
- A JSON body that is not UTF-8, is nested past the parser's limits, or holds a lone surrogate (400);
  a NUL inside a JSON string is a field error (422) naming where it is.
- Ids in a path beyond what an INTEGER column holds never reach the database (404, by the URL converter).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from registry.core.fields import DB_INT_MAX
from registry.core.i18n import _l


class DbIntConverter(IntegerConverter):
    """``<int:id>`` that only matches 1 .. 2**31-1, so an id PostgreSQL cannot hold is simply not found."""

    def __init__(self, url_map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(url_map, *args, **kwargs)


class BodyRefused(Exception):
    def __init__(self, status: int, errors: dict[str, list[Any]]) -> None:
        super().__init__(status)
        self.status, self.errors = status, errors


def _walk(data: Any) -> None:
    """Iterative, so that depth can never exhaust the stack here."""
    stack: list[tuple[str, Any]] = [("_json", data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise BodyRefused(400, {"_json": [_l("Invalid JSON body.")]}) from None
            if "\x00" in item:
                raise BodyRefused(422, {where: [_l("Remove the invisible control characters from this text.")]})
        elif isinstance(item, dict):
            for key, value in item.items():
                stack.append((key, key))
                stack.append((key if where == "_json" else f"{where}.{key}", value))
        elif isinstance(item, list):
            stack.extend((where, value) for value in item)


def check_json_body() -> None:
    if request.method not in ("POST", "PUT", "PATCH") or not request.is_json:
        return
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise BodyRefused(400, {"_json": [_l("Invalid JSON body.")]}) from None
    _walk(data)


def refuse_nul() -> None:
    values = [request.path, *request.args.values(), *request.args.keys()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any(v is not None and "\x00" in v for v in values):  # a multipart part may come without a name
        abort(400)


# Endpoints that take a file: their own body limit, and the field and message a larger body is refused with (422,
# as any other wrong input), before a byte of it is read. Every other request keeps MAX_CONTENT_LENGTH.
UPLOADS: dict[str, tuple[int, int, str, Any, int]] = {}


def allow_upload(endpoint: str, *, limit: int, envelope: int, field: str, message: Any, status: int = 422) -> None:
    """``limit`` is the file's; ``envelope`` is what a multipart body may add around it; ``status`` the refusal's."""
    UPLOADS[endpoint] = (limit, envelope, field, message, status)


def upload_limit() -> None:
    rule = UPLOADS.get(request.endpoint or "")
    if rule is None:
        return
    limit, envelope, field, message, status = rule
    if request.content_length is not None and request.content_length > limit + envelope:
        raise BodyRefused(status, {field: [message]})
    request.max_content_length = limit + envelope


def install(app: Flask) -> None:
    app.url_map.converters["int"] = DbIntConverter
    app.before_request(upload_limit)
    app.before_request(refuse_nul)
    app.before_request(check_json_body)
