"""OCOP pages: the department evaluates, certifies and revokes; members read their own; stars read as text."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from registry.core.db import today_in_vietnam
from registry.ocop import services
from registry.ocop.models import OcopCertificate, OcopEvaluation
from tests.conftest import csrf_token


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def days_ago(n: int) -> str:
    return (today_in_vietnam() - dt.timedelta(days=n)).isoformat()


def seed(db, world, product=None, decided_on=None, scores=(30, 20, 25)):
    """An evaluation and a certificate recorded through the services."""
    product = product or world.product_a
    decided_on = decided_on or dt.date.fromisoformat(days_ago(20))
    a, b, c = scores
    services.evaluate(
        db.session,
        actor=world.auditor,
        product_id=product.id,
        score_a=a,
        score_b=b,
        score_c=c,
        evaluated_on=decided_on - dt.timedelta(days=5),
        subgroup="1a",
    )
    row = services.certify(
        db.session,
        actor=world.auditor,
        product_id=product.id,
        decision_number=f"{product.id}/QĐ-UBND",
        decided_on=decided_on,
        level=services.level_for(services.stars_for(a + b + c)).value,
    )
    db.session.commit()
    return row


def test_department_records_an_evaluation_and_a_certificate(db, client, login, world):
    login(world.auditor.email)
    url = f"/products/{world.product_a.id}/ocop?lang=en"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No valid OCOP certificate." in html and "Record an evaluation" in html
    token = csrf_token(page)

    bad = client.post(
        f"/products/{world.product_a.id}/ocop/evaluations?lang=en",
        data={
            "csrf_token": token,
            "subgroup": "1a",
            "score_a": "41",
            "score_b": "20",
            "score_c": "25",
            "evaluated_on": days_ago(3),
        },
    )
    assert bad.status_code == 422
    assert "Enter a whole number of points from 0 to 40." in bad.get_data(as_text=True)
    assert '<option value="1a" selected>' in bad.get_data(as_text=True)
    assert count(db, OcopEvaluation) == 0

    saved = client.post(
        f"/products/{world.product_a.id}/ocop/evaluations?lang=en",
        data={
            "csrf_token": token,
            "subgroup": "1a",
            "score_a": "30",
            "score_b": "20",
            "score_c": "25",
            "evaluated_on": days_ago(3),
            "council": "Hội đồng OCOP tỉnh Phú Thọ",
        },
    )
    assert saved.status_code == 302
    assert count(db, OcopEvaluation) == 1

    wrong = client.post(
        f"/products/{world.product_a.id}/ocop/certificates?lang=en",
        data={"csrf_token": token, "decision_number": "12/QĐ-UBND", "decided_on": days_ago(1), "level": "ministry"},
    )
    assert wrong.status_code == 422
    assert "A 4-star OCOP certificate is issued at province level." in wrong.get_data(as_text=True)
    assert count(db, OcopCertificate) == 0

    done = client.post(
        f"/products/{world.product_a.id}/ocop/certificates?lang=en",
        data={"csrf_token": token, "decision_number": "12/QĐ-UBND", "decided_on": days_ago(1), "level": "province"},
    )
    assert done.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "4-star OCOP" in html and "12/QĐ-UBND" in html
    assert "75 points: A 30 + B 20 + C 25" in html and "Hội đồng OCOP tỉnh Phú Thọ" in html
    assert "Revoke certificate 12/QĐ-UBND" in html


def test_department_revokes_from_the_page(db, client, login, world):
    row = seed(db, world)
    login(world.auditor.email)
    page = client.get(f"/products/{world.product_a.id}/ocop?lang=en")
    token = csrf_token(page)
    action = f"/ocop/certificates/{row.id}/revoke?lang=en"
    empty = client.post(action, data={"csrf_token": token, "reason": ""})
    assert empty.status_code == 422 and "This field is required." in empty.get_data(as_text=True)
    assert db.session.get(OcopCertificate, row.id).revoked_on is None
    response = client.post(action, data={"csrf_token": token, "reason": "Vi phạm an toàn thực phẩm"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OcopCertificate, row.id).revoked_on == today_in_vietnam()
    html = client.get(f"/products/{world.product_a.id}/ocop?lang=en").get_data(as_text=True)
    assert "No valid OCOP certificate." in html and "Vi phạm an toàn thực phẩm" in html


def test_member_reads_its_own_product_without_forms(db, client, login, world):
    seed(db, world)
    login(world.member_a.email)
    page = client.get(f"/products/{world.product_a.id}/ocop?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "4-star OCOP" in html
    assert "Record an evaluation" not in html and "Revoke certificate" not in html
    assert client.get(f"/products/{world.product_b.id}/ocop").status_code == 404
    token = csrf_token(client.get("/ocop"))
    denied = client.post(
        f"/products/{world.product_a.id}/ocop/evaluations",
        data={
            "csrf_token": token,
            "subgroup": "1a",
            "score_a": "30",
            "score_b": "20",
            "score_c": "25",
            "evaluated_on": days_ago(3),
        },
    )
    assert denied.status_code == 403
    assert count(db, OcopEvaluation) == 1


def test_list_filters_and_scope(db, client, login, world):
    valid = seed(db, world)
    expired = seed(db, world, product=world.product_b, decided_on=dt.date(2020, 1, 10), scores=(40, 25, 30))
    login(world.auditor.email)
    html = client.get("/ocop?lang=en").get_data(as_text=True)
    assert valid.decision_number in html and expired.decision_number in html
    html = client.get("/ocop?lang=en&validity=expired").get_data(as_text=True)
    assert expired.decision_number in html and valid.decision_number not in html
    assert "5-star OCOP" in html
    html = client.get("/ocop?lang=en&stars=4").get_data(as_text=True)
    assert valid.decision_number in html and expired.decision_number not in html
    assert client.get("/ocop?stars=9").status_code == 422


def test_member_list_shows_only_its_own(db, client, login, world):
    mine = seed(db, world)
    theirs = seed(db, world, product=world.product_b)
    login(world.member_a.email)
    html = client.get("/ocop").get_data(as_text=True)
    assert mine.decision_number in html and theirs.decision_number not in html


def test_vietnamese_page_shows_the_stars_as_text(db, client, login, world):
    seed(db, world)
    login(world.member_a.email)
    html = client.get(f"/products/{world.product_a.id}/ocop?lang=vi").get_data(as_text=True)
    assert re.search(r'<span aria-hidden="true">★★★★</span>', html)
