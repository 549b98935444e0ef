"""The official EPCIS 2.0 JSON Schema (gs1/EPCIS, draft-07), vendored beside this module, with a format checker.

The format checker checks `uri` and `date-time` only because rfc3987 and rfc3339-validator are installed
(setup.cfg pins them): without them a bare word would pass where a URI is required.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jsonschema import Draft7Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("EPCIS-JSON-Schema.json")
CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent")


@functools.cache
def validator() -> Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FormatChecker())


def problems(document: object, limit: int = 20) -> dict[str, list[str]]:
    """Schema errors by JSON path ("epcisBody.eventList.0.eventTime"), at most ``limit``; empty when valid."""
    found: dict[str, list[str]] = {}
    errors = sorted(validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors[:limit]:
        path = ".".join(str(p) for p in error.absolute_path) or "document"
        found.setdefault(path, []).append(error.message[:300])
    return found
