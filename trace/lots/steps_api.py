"""JSON API for the steps after a harvest, shipments, and lineage."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.errors import ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l
from trace.lots import lineage, shipping, steps
from trace.lots.services import get_lot
from trace.lots.steps_schemas import (
    LineageArgsSchema,
    LineageSchema,
    MergeSchema,
    PackSchema,
    ReceiveSchema,
    ShipmentSchema,
    ShipSchema,
    SplitResultSchema,
    SplitSchema,
    StepLotSchema,
    TransformationResultSchema,
    TransformationSchema,
)

blp = Blueprint("steps_api", __name__, url_prefix="/api/v1", description="Steps after the harvest, and lineage")
blp.before_request(require_api_token)


@blp.route("/lots/<int:lot_id>/pack")
class Pack(MethodView):
    @blp.arguments(PackSchema)
    @blp.response(200, StepLotSchema)
    def post(self, data, lot_id):
        """The lot passes through a packing house of its organization"""
        lot = steps.pack(db.session, actor=api_user(), lot_id=lot_id, **data)
        db.session.commit()
        return lot


@blp.route("/lots/<int:lot_id>/split")
class Split(MethodView):
    @blp.arguments(SplitSchema)
    @blp.response(201, SplitResultSchema)
    def post(self, data, lot_id):
        """Split part or all of a lot into new lots; the parts add up to at most what it holds"""
        lots = steps.split(db.session, actor=api_user(), lot_id=lot_id, parts=data["parts"])
        db.session.commit()
        return {"lots": lots}


@blp.route("/lots/merge")
class Merge(MethodView):
    @blp.arguments(MergeSchema)
    @blp.response(201, StepLotSchema)
    def post(self, data):
        """Merge lots of one product into a new lot"""
        lot = steps.merge(db.session, actor=api_user(), inputs=data["inputs"], code=data["code"])
        db.session.commit()
        return lot


@blp.route("/transformations")
class Transformations(MethodView):
    @blp.arguments(TransformationSchema)
    @blp.response(201, TransformationResultSchema)
    def post(self, data):
        """Transform input lots into new lots of the organization's products"""
        made = steps.transform(db.session, actor=api_user(), **data)
        db.session.commit()
        return {"outputs": made}


@blp.route("/lots/<int:lot_id>/shipments")
class LotShipments(MethodView):
    @blp.response(200, ShipmentSchema(many=True))
    def get(self, lot_id):
        """What was shipped from the lot"""
        return shipping.shipments_of(db.session, actor=api_user(), lot_id=lot_id)

    @blp.arguments(ShipSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, data, lot_id):
        """Ship part of the lot to an organization of the registry or to an outside party"""
        shipment = shipping.ship(db.session, actor=api_user(), lot_id=lot_id, **data)
        db.session.commit()
        return shipment


@blp.route("/shipments")
class Incoming(MethodView):
    @blp.response(200, ShipmentSchema(many=True))
    def get(self):
        """Shipments to the caller's organization not yet received (the department: all)"""
        return shipping.incoming(db.session, actor=api_user())


@blp.route("/shipments/<int:shipment_id>")
class ShipmentById(MethodView):
    @blp.response(200, ShipmentSchema)
    def get(self, shipment_id):
        return shipping.get_shipment(db.session, actor=api_user(), shipment_id=shipment_id)


@blp.route("/shipments/<int:shipment_id>/receive")
class Receive(MethodView):
    @blp.arguments(ReceiveSchema)
    @blp.response(200, ShipmentSchema)
    def post(self, data, shipment_id):
        """The receiving organization takes the shipment in; `lot` is the lot it now holds"""
        shipment = shipping.receive(db.session, actor=api_user(), shipment_id=shipment_id, **data)
        db.session.commit()
        return shipment


@blp.route("/lots/<int:lot_id>/lineage")
class Lineage(MethodView):
    @blp.arguments(LineageArgsSchema, location="query")
    @blp.response(200, LineageSchema)
    def get(self, args, lot_id):
        """Where the lot came from (up) or went (down), one step or to any depth (at most 100)"""
        lot = get_lot(db.session, actor=api_user(), lot_id=lot_id)
        try:
            direction = lineage.Direction(args["direction"])
        except ValueError:
            raise ValidationError({"direction": [_l("Choose up or down.")]}) from None
        depth = args["depth"]
        if not 1 <= depth <= lineage.MAX_DEPTH:
            raise ValidationError({"depth": [_l("Give a depth from 1 to %(max)s.", max=lineage.MAX_DEPTH)]})
        return lineage.graph(db.session, lot, direction, depth, current_app.config["PUBLIC_BASE_URL"])
