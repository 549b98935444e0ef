"""JSON API for production-linkage models: /api/v1/linkage-models."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from registry.linkage import services
from registry.linkage.schemas import (
    LinkageModelCreateSchema,
    LinkageModelQueryArgsSchema,
    LinkageModelSchema,
    LinkageModelUpdateSchema,
)

blp = Blueprint("linkage_api", __name__, url_prefix="/api/v1", description="Production-linkage models")
blp.before_request(require_api_token)


@blp.route("/linkage-models")
class LinkageModels(MethodView):
    @blp.arguments(LinkageModelQueryArgsSchema, location="query")
    @blp.response(200, LinkageModelSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Linkage models the caller leads or partners in (the department sees all)"""
        result = services.list_models(db.session, actor=api_user(), **args, **page_args(pagination_parameters))
        return paged(result, pagination_parameters)

    @blp.arguments(LinkageModelCreateSchema)
    @blp.response(201, LinkageModelSchema)
    def post(self, data):
        """Register a linkage model (members for their own organization; the admin names the lead)"""
        model = services.create_model(db.session, actor=api_user(), **data)
        db.session.commit()
        return model


@blp.route("/linkage-models/<int:model_id>")
class LinkageModelById(MethodView):
    @blp.response(200, LinkageModelSchema)
    def get(self, model_id):
        return services.get_model(db.session, actor=api_user(), model_id=model_id)

    @blp.arguments(LinkageModelUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, LinkageModelSchema)
    def patch(self, data, model_id):
        """Correct a model (its lead organization or the admin); tied_to_raw_material_area is derived"""
        model = services.update_model(db.session, actor=api_user(), model_id=model_id, changes=data)
        db.session.commit()
        return model
