"""JSON API for OCOP: evaluations and certificates of a product, revocation, and certificates expiring soon."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.web import page_args, paged
from registry.ocop import services, status
from registry.ocop.schemas import (
    OcopCertificateCreateSchema,
    OcopCertificateQueryArgsSchema,
    OcopCertificateSchema,
    OcopEvaluationCreateSchema,
    OcopEvaluationSchema,
    OcopRevokeSchema,
    OcopStatusSchema,
)
from registry.products.services import get_product

blp = Blueprint("ocop_api", __name__, url_prefix="/api/v1", description="OCOP evaluations and certificates")
blp.before_request(require_api_token)


@blp.route("/products/<int:product_id>/ocop-evaluations")
class Evaluations(MethodView):
    @blp.response(200, OcopEvaluationSchema(many=True))
    def get(self, product_id):
        """The product's OCOP evaluations, newest first"""
        return services.evaluations(db.session, actor=api_user(), product_id=product_id)

    @blp.arguments(OcopEvaluationCreateSchema)
    @blp.response(201, OcopEvaluationSchema)
    def post(self, data, product_id):
        """Record the council's scores (department only); total and stars are computed"""
        row = services.evaluate(db.session, actor=api_user(), product_id=product_id, **data)
        db.session.commit()
        return row


@blp.route("/products/<int:product_id>/ocop-certificates")
class Certificates(MethodView):
    @blp.response(200, OcopCertificateSchema(many=True))
    def get(self, product_id):
        """The product's OCOP certificates, newest decision first"""
        return services.certificates(db.session, actor=api_user(), product_id=product_id)

    @blp.arguments(OcopCertificateCreateSchema)
    @blp.response(201, OcopCertificateSchema)
    def post(self, data, product_id):
        """Certify from the latest evaluation (department only): 3–4 stars province, 5 stars ministry"""
        row = services.certify(db.session, actor=api_user(), product_id=product_id, **data)
        db.session.commit()
        return row


@blp.route("/products/<int:product_id>/ocop")
class CurrentOcop(MethodView):
    @blp.response(200, OcopStatusSchema)
    @blp.doc(
        responses={
            "200": {
                "description": "The OCOP status, or null if never certified",
                "content": {"application/json": {"schema": {"nullable": True, "allOf": [OcopStatusSchema]}}},
            }
        }
    )
    def get(self, product_id):
        """The product's OCOP status, as in its `ocop` field: null if never certified; else the current
        certificate, or the latest one with `valid` false"""
        product = get_product(db.session, actor=api_user(), product_id=product_id)
        return jsonify(status.product_facet(db.session, [product.id]).get(product.id))


@blp.route("/ocop-certificates/<int:certificate_id>/revoke")
class Revoke(MethodView):
    @blp.arguments(OcopRevokeSchema)
    @blp.response(200, OcopCertificateSchema)
    def post(self, data, certificate_id):
        """Revoke a certificate (department only)"""
        row = services.revoke(db.session, actor=api_user(), certificate_id=certificate_id, **data)
        db.session.commit()
        return row


@blp.route("/ocop-certificates")
class CertificateList(MethodView):
    @blp.arguments(OcopCertificateQueryArgsSchema, location="query")
    @blp.response(200, OcopCertificateSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Certificates the caller may see; ?expiring_within=DAYS lists valid ones expiring soonest first"""
        result = services.list_certificates(
            db.session,
            actor=api_user(),
            stars=args.get("stars"),
            validity=args.get("validity"),
            expiring_within=args.get("expiring_within"),
            province=args.get("province"),
            commune=args.get("commune"),
            crop=args.get("crop"),
            **page_args(pagination_parameters),
        )
        return paged(result, pagination_parameters)
