"""JSON API: recalls."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from trace.recall import services
from trace.recall.schemas import (
    RecallArgsSchema,
    RecallCloseSchema,
    RecallCreateSchema,
    RecallDetailSchema,
    RecallSchema,
)

blp = Blueprint("recall_api", __name__, url_prefix="/api/v1", description="Recalls")
blp.before_request(require_api_token)


@blp.route("/recalls")
class Recalls(MethodView):
    @blp.arguments(RecallArgsSchema, location="query")
    @blp.response(200, RecallSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Recalls the caller may see, open first"""
        result = services.list_recalls(
            db.session, actor=api_user(), status=args.get("status"), **page_args(pagination_parameters)
        )
        return paged(result, pagination_parameters)

    @blp.arguments(RecallCreateSchema)
    @blp.response(201, RecallDetailSchema)
    def post(self, data):
        """Recall a lot: it and every lot downstream show a recall banner at once"""
        recall = services.open_recall(db.session, actor=api_user(), **data)
        db.session.commit()
        return recall


@blp.route("/recalls/<int:recall_id>")
class RecallById(MethodView):
    @blp.response(200, RecallDetailSchema)
    def get(self, recall_id):
        """The recall, every lot it reaches, and who holds or received them"""
        return services.get_recall(db.session, actor=api_user(), recall_id=recall_id)


@blp.route("/recalls/<int:recall_id>/close")
class Close(MethodView):
    @blp.arguments(RecallCloseSchema)
    @blp.response(200, RecallDetailSchema)
    def post(self, data, recall_id):
        """Close the recall; its record is kept"""
        recall = services.close_recall(db.session, actor=api_user(), recall_id=recall_id, **data)
        db.session.commit()
        return recall
