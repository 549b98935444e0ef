"""Schema bases: input refuses unknown fields; output is what a caller may see."""

from __future__ import annotations

from marshmallow import RAISE, Schema


class InputSchema(Schema):
    class Meta:
        unknown = RAISE


class OutputSchema(Schema):
    pass
