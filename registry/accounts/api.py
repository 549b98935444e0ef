"""JSON API: /api/v1/tokens, the caller's own API tokens (never the tokens themselves, only their hashes exist).

Read-only on purpose: a token cannot mint tokens that would outlive its own revocation. Tokens are created and
revoked on the account page or with `flask --app wsgi tokens`.
"""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from registry.accounts import services
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.schemas import OutputSchema

blp = Blueprint("tokens_api", __name__, url_prefix="/api/v1", description="The caller's own API tokens")
blp.before_request(require_api_token)


class TokenSchema(OutputSchema):
    id = fields.Integer()
    label = fields.String(allow_none=True)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    state = fields.Function(services.token_state, metadata={"type": "string", "enum": ["active", "expired", "revoked"]})
    current = fields.Function(
        lambda t: t.id == g.get("api_token_id"),
        metadata={"type": "boolean", "description": "The token this request was made with"},
    )


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self):
        """The caller's API tokens, newest first: when each was created, last used and expires, and if revoked"""
        return services.list_tokens(db.session, user=api_user())
