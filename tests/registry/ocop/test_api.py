"""OCOP through the JSON API: evaluations, certificates, revocation, the current stars and what is expiring."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from registry.core.db import today_in_vietnam
from registry.ocop.models import OcopCertificate, OcopEvaluation
from registry.ocop.services import add_months

SCORES = {"score_a": 30, "score_b": 20, "score_c": 25, "subgroup": "1a", "council": "Hội đồng OCOP tỉnh"}


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def days_ago(n: int) -> str:
    return (today_in_vietnam() - dt.timedelta(days=n)).isoformat()


def evaluate(api, product_id, **extra):
    body = {**SCORES, "evaluated_on": days_ago(40), **extra}
    return api.post(f"/api/v1/products/{product_id}/ocop-evaluations", json=body)


def certify(api, product_id, **extra):
    body = {"decision_number": "1234/QĐ-UBND", "decided_on": days_ago(20), "level": "province", **extra}
    return api.post(f"/api/v1/products/{product_id}/ocop-certificates", json=body)


def test_department_evaluates_and_certifies(db, make_api, world):
    auditor = make_api(world.auditor, "en")
    pid = world.product_a.id
    response = evaluate(auditor, pid)
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["total"], body["stars"], body["group"], body["subgroup"]) == (75, 4, "1", "1a")
    assert body["stars_label"] == "4-star OCOP"
    assert body["subgroup_name"] == "Fresh fruit, vegetables and nuts"
    listed = auditor.get(f"/api/v1/products/{pid}/ocop-evaluations")
    assert listed.status_code == 200 and [e["id"] for e in listed.json] == [body["id"]]

    response = certify(auditor, pid)
    assert response.status_code == 201, response.json
    cert = response.json
    decided = dt.date.fromisoformat(days_ago(20))
    assert cert["stars"] == 4 and cert["valid"] is True and cert["validity"] == "valid"
    assert cert["decided_on"] == cert["issued_on"] == decided.isoformat()
    assert cert["expires_on"] == add_months(decided, 36).isoformat()
    assert (cert["level"], cert["evaluation_id"], cert["organization_id"]) == ("province", body["id"], world.org_a.id)

    current = make_api(world.member_a).get(f"/api/v1/products/{pid}/ocop")
    assert current.status_code == 200
    expected = {
        "certificate_id": cert["id"],
        "stars": 4,
        "valid": True,
        "issued_on": cert["issued_on"],
        "expires_on": cert["expires_on"],
        "revoked_on": None,
        "group": "1",
        "subgroup": "1a",
        "level": "province",
    }
    assert current.json == expected
    # The product itself carries the same status, in GET /products/{id} and in the list.
    assert make_api(world.member_a).get(f"/api/v1/products/{pid}").json["ocop"] == expected
    listed = {p["id"]: p["ocop"] for p in make_api(world.member_a).get("/api/v1/products").json}
    assert listed[pid] == expected
    assert [c["id"] for c in auditor.get(f"/api/v1/products/{pid}/ocop-certificates").json] == [cert["id"]]


@pytest.mark.parametrize(
    ("field", "value"), [("score_a", 41), ("score_b", 26), ("score_c", 36), ("score_a", -1), ("score_c", "x")]
)
def test_part_scores_out_of_bounds_answer_422_per_field(db, make_api, world, field, value):
    response = evaluate(make_api(world.auditor, "en"), world.product_a.id, **{field: value})
    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]
    assert count(db, OcopEvaluation) == 0


def test_future_evaluation_date_answers_422(db, make_api, world):
    response = evaluate(make_api(world.auditor, "en"), world.product_a.id, evaluated_on=days_ago(-1))
    assert response.status_code == 422 and list(response.json["errors"]) == ["evaluated_on"]
    assert count(db, OcopEvaluation) == 0


def test_unknown_fields_and_typed_stars_are_refused(db, make_api, world):
    response = evaluate(make_api(world.auditor, "en"), world.product_a.id, stars=5, total=100)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"stars", "total"}
    assert count(db, OcopEvaluation) == 0


def test_members_get_403_on_their_own_product_and_404_on_others(db, make_api, world):
    auditor, member = make_api(world.auditor), make_api(world.member_a)
    assert evaluate(member, world.product_a.id).status_code == 403
    assert evaluate(member, world.product_b.id).status_code == 404
    assert count(db, OcopEvaluation) == 0
    assert evaluate(auditor, world.product_a.id).status_code == 201
    assert certify(member, world.product_a.id).status_code == 403
    assert count(db, OcopCertificate) == 0
    for path in ("ocop-evaluations", "ocop-certificates", "ocop"):
        assert member.get(f"/api/v1/products/{world.product_b.id}/{path}").status_code == 404
        assert make_api(world.member_b).get(f"/api/v1/products/{world.product_a.id}/{path}").status_code == 404
    assert member.get(f"/api/v1/products/{world.product_a.id}/ocop").json is None
    assert member.get(f"/api/v1/products/{2**31}/ocop").status_code == 404


def test_certificate_rules(db, make_api, world):
    auditor = make_api(world.auditor, "en")
    pid = world.product_a.id
    assert evaluate(auditor, pid, score_a=20, score_b=10, score_c=19).json["stars"] == 2
    low = certify(auditor, pid)
    assert low.status_code == 422 and list(low.json["errors"]) == ["evaluation"]
    assert evaluate(auditor, pid, score_a=40, score_b=25, score_c=30).json["stars"] == 5
    wrong = certify(auditor, pid, level="province")
    assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["level"]
    unknown = certify(auditor, pid, level="district")
    assert unknown.status_code == 422 and list(unknown.json["errors"]) == ["level"]
    future = certify(auditor, pid, level="ministry", decided_on=days_ago(-1))
    assert future.status_code == 422 and list(future.json["errors"]) == ["decided_on"]
    assert count(db, OcopCertificate) == 0
    ok = certify(auditor, pid, level="ministry")
    assert ok.status_code == 201 and ok.json["stars"] == 5
    again = certify(auditor, pid, level="ministry", decision_number="2/QĐ-BNN")
    assert again.status_code == 409
    assert count(db, OcopCertificate) == 1


def test_revoke_stops_the_stars(db, make_api, world):
    auditor = make_api(world.auditor, "en")
    pid = world.product_a.id
    evaluate(auditor, pid)
    cert = certify(auditor, pid).json
    url = f"/api/v1/ocop-certificates/{cert['id']}/revoke"
    assert make_api(world.member_a).post(url, json={"reason": "x"}).status_code == 403
    assert make_api(world.member_b).post(url, json={"reason": "x"}).status_code == 404
    missing = auditor.post(url, json={"reason": ""})
    assert missing.status_code == 422 and list(missing.json["errors"]) == ["reason"]
    response = auditor.post(url, json={"reason": "Không duy trì chất lượng sản phẩm"})
    assert response.status_code == 200
    assert response.json["valid"] is False and response.json["validity"] == "revoked"
    assert response.json["revoked_on"] == today_in_vietnam().isoformat()
    status = auditor.get(f"/api/v1/products/{pid}/ocop").json
    assert (status["valid"], status["revoked_on"], status["stars"]) == (False, today_in_vietnam().isoformat(), 4)
    assert auditor.get(f"/api/v1/products/{pid}").json["ocop"] == status
    assert auditor.post(url, json={"reason": "again"}).status_code == 409
    assert auditor.post("/api/v1/ocop-certificates/999999/revoke", json={"reason": "x"}).status_code == 404


def test_expiring_certificates_are_listed_and_paginated(db, make_api, world):
    auditor = make_api(world.auditor, "en")
    today = today_in_vietnam()
    soon = add_months(today, -36) + dt.timedelta(days=10)  # expires in about 10 days
    later = add_months(today, -36) + dt.timedelta(days=60)
    for product, decided in ((world.product_a, soon), (world.product_b, later)):
        evaluate(auditor, product.id, evaluated_on=(decided - dt.timedelta(days=5)).isoformat())
        assert certify(auditor, product.id, decided_on=decided.isoformat()).status_code == 201
    response = auditor.get("/api/v1/ocop-certificates?expiring_within=30")
    assert response.status_code == 200
    assert [c["product_id"] for c in response.json] == [world.product_a.id]
    both = auditor.get("/api/v1/ocop-certificates?expiring_within=90&page_size=1")
    assert [c["product_id"] for c in both.json] == [world.product_a.id]
    assert '"total": 2' in both.headers["X-Pagination"]
    page2 = auditor.get("/api/v1/ocop-certificates?expiring_within=90&page_size=1&page=2")
    assert [c["product_id"] for c in page2.json] == [world.product_b.id]
    mine = make_api(world.member_b).get("/api/v1/ocop-certificates?expiring_within=90")
    assert [c["product_id"] for c in mine.json] == [world.product_b.id]
    bad = auditor.get("/api/v1/ocop-certificates?expiring_within=-3")
    assert bad.status_code == 422 and list(bad.json["errors"]) == ["expiring_within"]
    assert len(auditor.get("/api/v1/ocop-certificates").json) == 2


def test_api_needs_a_token(client, world):
    assert client.get(f"/api/v1/products/{world.product_a.id}/ocop").status_code == 401
