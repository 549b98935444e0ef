"""The OpenAPI document says what the API really does: its errors, its headers and its decimals.

flask-smorest's defaults document a catch-all `default` error of its own shape, an `X-Pagination` header
as an object although it is sent as JSON text, and `Decimal(as_string=True)` fields as numbers although
they are sent as strings. Here:

- every operation lists the errors it can answer, with the body `registry.core.app._error_response`
  sends (`Error`): 400, 401, 403, 404, 429 and 503 everywhere; 409 on writes; 413 where a body is read;
  422 where a body or query parameters are read. An operation that answers another one declares it with
  `@blp.alt_response`.
- `X-Pagination` is documented as `application/json` content, as OpenAPI 3 spells a JSON-encoded header;
- an exact decimal is a string of digits (`format: decimal`), so money, areas and yields never pass
  through binary floating point;
- free text says it refuses control characters, and, when required, blank text.
"""

from __future__ import annotations

import copy
from typing import Any

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from marshmallow import Schema, fields

from registry.core.web import MAX_PAGE

WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get"}
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


class ErrorSchema(Schema):
    """What every error answers (registry.core.app._error_response)."""

    code = fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = fields.String(required=True, metadata={"description": "HTTP status name"})
    message = fields.String(required=True, metadata={"description": "What went wrong, in the caller's language"})
    errors = fields.Dict(
        required=True,
        keys=fields.String(),
        metadata={
            "description": "Messages by field (empty when no field is at fault). A field's value is a list "
            "of messages, or an object of messages by item or sub-field; `_json` and `_query` name the "
            "body or the query as a whole."
        },
    )


def _responses(method: str, operation: dict[str, Any]) -> list[int]:
    # Any operation may be refused to the caller's role (403), or name a record, in its path or its query,
    # that does not exist or that the caller may not see (404).
    codes = [400, 401, 403, 404, 429, 503]
    reads_body = "requestBody" in operation
    reads_query = any(p.get("in") == "query" for p in operation.get("parameters", []) if isinstance(p, dict))
    if method in WRITES:
        codes.append(409)
    if reads_body:
        codes.append(413)
    if reads_body or reads_query:
        codes.append(422)
    return codes


class RegistryPlugin(BasePlugin):
    """Adds the errors every operation can answer, and the rules a schema states in ``Meta.openapi``."""

    def schema_helper(self, name: str, definition: dict, **kwargs: Any) -> dict | None:
        """A rule across fields (a reason required for some statuses) is written as JSON Schema on the class."""
        schema = kwargs.get("schema")
        cls = schema if isinstance(schema, type) else type(schema)
        extra = getattr(getattr(cls, "Meta", None), "openapi", None)
        return copy.deepcopy(extra) if extra else None

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            if method not in METHODS:
                continue
            for parameter in operation.get("parameters", []):
                # Every list answers pages 1 to MAX_PAGE (registry.core.web.checked_page).
                if isinstance(parameter, dict) and parameter.get("in") == "query" and parameter.get("name") == "page":
                    parameter.setdefault("schema", {}).update({"minimum": 1, "maximum": MAX_PAGE})
            responses = operation.setdefault("responses", {})
            for code in _responses(method, operation):
                responses.setdefault(str(code), _ERROR_REFS[code])


_ERROR_REFS = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "REQUEST_ENTITY_TOO_LARGE",
    422: "UNPROCESSABLE_ENTITY",
    429: "TOO_MANY_REQUESTS",
    503: "SERVICE_UNAVAILABLE",
}


def decimal_as_string(self, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A `Decimal(as_string=True)` field is sent as a string of digits, and documented so; an input that
    documents what it reads (`registry.core.fields.decimal_doc`) keeps that."""
    if isinstance(field, fields.Decimal) and field.as_string and "oneOf" not in field.metadata:
        return {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}
    return {}


CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # registry.core.validators.CONTROL_CHARS


def free_text(self, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Free text (a String input with a `maxLength`, read by `optional_text`/`required_text`) refuses control
    characters; a required one (pattern `\\S`) also something visible. The pattern says both.

    Its length is counted after Unicode NFC normalization (Vietnamese typed decomposed takes more code points
    than it keeps), which `maxLength` cannot say: the limit is written in the description instead."""
    if not isinstance(field, fields.String) or "maxLength" not in field.metadata:
        return {}
    limit = ret.pop("maxLength")  # the one dict apispec builds the property in
    rule = f"At most {limit} characters, counted after Unicode NFC normalization; no control characters."
    description = f"{ret.get('description', '')} {rule}".strip()
    if field.metadata.get("pattern") == r"\S":
        return {"description": description, "pattern": rf"^[^{CONTROL}]*[^\s{CONTROL}][^{CONTROL}]*$"}
    return {"description": description, "pattern": rf"^[^{CONTROL}]*$"}


class RegistryApi(Api):
    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists its own errors instead of a catch-all

    def _init_spec(self, **options: Any) -> None:
        options["extra_plugins"] = [*options.get("extra_plugins", ()), RegistryPlugin()]
        super()._init_spec(**options)
        self.ma_plugin.converter.add_attribute_function(decimal_as_string)
        self.ma_plugin.converter.add_attribute_function(free_text)

    def _register_pagination_header(self) -> None:
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "Pagination metadata, as JSON",
                "content": {"application/json": {"schema": PaginationMetadataSchema}},
            },
            lazy=True,
        )
