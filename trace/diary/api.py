"""JSON API: the production diary of a growing area."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from trace.diary import services
from trace.diary.schemas import DiaryArgsSchema, DiaryEntryCreateSchema, DiaryEntrySchema

blp = Blueprint("diary_api", __name__, url_prefix="/api/v1", description="Production diary of growing areas")
blp.before_request(require_api_token)


@blp.route("/areas/<int:area_id>/diary")
class Diary(MethodView):
    @blp.arguments(DiaryArgsSchema, location="query")
    @blp.response(200, DiaryEntrySchema(many=True))
    @blp.paginate()
    def get(self, args, area_id, pagination_parameters):
        """The area's diary, newest first; ?kind=spray for sprays only"""
        result = services.list_entries(
            db.session, actor=api_user(), area_id=area_id, kind=args.get("kind"), **page_args(pagination_parameters)
        )
        return paged(result, pagination_parameters)

    @blp.arguments(DiaryEntryCreateSchema)
    @blp.response(201, DiaryEntrySchema)
    def post(self, data, area_id):
        """Record work on the area; a spray needs its product, active ingredient and pre-harvest interval"""
        entry = services.add_entry(db.session, actor=api_user(), area_id=area_id, **data)
        db.session.commit()
        return entry
