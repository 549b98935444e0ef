"""JSON API for lots: /api/v1/lots."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from trace.lots import services
from trace.lots.schemas import LotCreateSchema, LotSchema, LotUpdateSchema, LotVoidSchema

blp = Blueprint("trace_api", __name__, url_prefix="/api/v1", description="Harvest lots")
blp.before_request(require_api_token)


@blp.route("/lots")
class Lots(MethodView):
    @blp.response(200, LotSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """The caller's lots; all organizations' for the department"""
        result = services.list_lots(db.session, actor=api_user(), **page_args(pagination_parameters))
        return paged(result, pagination_parameters)

    @blp.arguments(LotCreateSchema)
    @blp.response(201, LotSchema)
    def post(self, data):
        """Record a harvest lot from an active growing area"""
        lot = services.create_lot(db.session, actor=api_user(), **data)
        db.session.commit()
        return lot


@blp.route("/lots/<int:lot_id>")
class LotById(MethodView):
    @blp.response(200, LotSchema)
    def get(self, lot_id):
        return services.get_lot(db.session, actor=api_user(), lot_id=lot_id)

    @blp.arguments(LotUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, LotSchema)
    def patch(self, data, lot_id):
        """Correct a lot's harvest date, quantity, unit or packing house; code and product are fixed"""
        lot = services.update_lot(db.session, actor=api_user(), lot_id=lot_id, **data)
        db.session.commit()
        return lot


@blp.route("/lots/<int:lot_id>/void")
class LotVoid(MethodView):
    @blp.arguments(LotVoidSchema)
    @blp.response(200, LotSchema)
    def post(self, data, lot_id):
        """Void (withdraw) a lot: its public page then says so, with the date and reason"""
        lot = services.void_lot(db.session, actor=api_user(), lot_id=lot_id, reason=data["reason"])
        db.session.commit()
        return lot
