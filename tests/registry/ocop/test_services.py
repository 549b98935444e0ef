"""OCOP rules, tested on the services: star bands, score bounds, who may decide, expiry and revocation."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from registry.core.errors import Conflict, Forbidden, NotFound, ValidationError
from registry.ocop import services
from registry.ocop.models import OcopCertificate, OcopEvaluation, OcopLevel
from tests.factories import ProductFactory

TODAY = dt.date(2026, 11, 20)


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def evaluate(db, world, actor=None, product=None, **extra):
    values = {
        "score_a": 30,
        "score_b": 20,
        "score_c": 25,
        "evaluated_on": dt.date(2026, 10, 1),
        "subgroup": "1a",
        "council": "Hội đồng OCOP tỉnh Phú Thọ",
    }
    values.update(extra)
    row = services.evaluate(
        db.session,
        actor=actor or world.auditor,
        product_id=(product or world.product_a).id,
        today=TODAY,
        **values,
    )
    db.session.commit()
    return row


def certify(db, world, actor=None, product=None, **extra):
    values = {"decision_number": "1234/QĐ-UBND", "decided_on": dt.date(2026, 10, 15), "level": "province"}
    values.update(extra)
    row = services.certify(
        db.session, actor=actor or world.auditor, product_id=(product or world.product_a).id, today=TODAY, **values
    )
    db.session.commit()
    return row


@pytest.mark.parametrize(
    ("total", "stars"),
    [(0, 1), (29, 1), (30, 2), (49, 2), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)],
)
def test_star_bands_at_every_boundary(total, stars):
    assert services.stars_for(total) == stars


@pytest.mark.parametrize(
    ("a", "b", "c", "total", "stars"),
    [(40, 25, 35, 100, 5), (40, 25, 25, 90, 5), (40, 24, 25, 89, 4), (0, 0, 0, 0, 1), (20, 10, 0, 30, 2)],
)
def test_evaluation_stores_total_and_stars(db, world, a, b, c, total, stars):
    row = evaluate(db, world, score_a=a, score_b=b, score_c=c)
    stored = db.session.get(OcopEvaluation, row.id)
    assert (stored.score_a, stored.score_b, stored.score_c, stored.total, stored.stars) == (a, b, c, total, stars)
    assert (stored.group, stored.subgroup, stored.recorded_by_id) == ("1", "1a", world.auditor.id)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("score_a", 41),
        ("score_b", 26),
        ("score_c", 36),
        ("score_a", -1),
        ("score_b", -1),
        ("score_c", -1),
        ("score_a", "12.5"),
        ("score_b", None),
        ("score_c", True),
    ],
)
def test_part_score_out_of_bounds_is_refused_and_nothing_stored(db, world, field, value):
    with pytest.raises(ValidationError) as exc:
        evaluate(db, world, **{field: value})
    assert list(exc.value.errors) == [field]
    db.session.rollback()
    assert count(db, OcopEvaluation) == 0


def test_every_field_error_is_reported_at_once(db, world):
    with pytest.raises(ValidationError) as exc:
        evaluate(db, world, score_a=41, score_b=26, score_c=36, evaluated_on=None, subgroup="9z")
    assert set(exc.value.errors) == {"score_a", "score_b", "score_c", "evaluated_on", "subgroup"}


def test_maximum_part_scores_are_accepted_as_text_too(db, world):
    row = evaluate(db, world, score_a="40", score_b="25", score_c="35")
    assert (row.total, row.stars) == (100, 5)


def test_an_evaluation_dated_in_the_future_is_refused(db, world):
    with pytest.raises(ValidationError) as exc:
        evaluate(db, world, evaluated_on=TODAY + dt.timedelta(days=1))
    assert list(exc.value.errors) == ["evaluated_on"]
    db.session.rollback()
    assert count(db, OcopEvaluation) == 0
    assert evaluate(db, world, evaluated_on=TODAY).evaluated_on == TODAY


def test_sub_group_must_belong_to_the_group(db, world):
    with pytest.raises(ValidationError) as exc:
        evaluate(db, world, group="2", subgroup="1a")
    assert list(exc.value.errors) == ["subgroup"]
    db.session.rollback()
    assert evaluate(db, world, group="2", subgroup="2A").subgroup == "2a"


def test_members_cannot_evaluate_or_certify(db, world):
    with pytest.raises(Forbidden):
        evaluate(db, world, actor=world.member_a)
    db.session.rollback()
    assert count(db, OcopEvaluation) == 0
    evaluate(db, world)
    with pytest.raises(Forbidden):
        certify(db, world, actor=world.member_a)
    db.session.rollback()
    assert count(db, OcopCertificate) == 0


def test_another_organizations_product_is_not_found_for_a_member(db, world):
    evaluate(db, world)
    with pytest.raises(NotFound):
        services.evaluations(db.session, actor=world.member_b, product_id=world.product_a.id)
    assert len(services.evaluations(db.session, actor=world.member_a, product_id=world.product_a.id)) == 1


def test_certificate_below_three_stars_is_refused(db, world):
    evaluate(db, world, score_a=20, score_b=10, score_c=19)  # 49: 2 stars
    with pytest.raises(ValidationError) as exc:
        certify(db, world)
    assert list(exc.value.errors) == ["evaluation"]
    db.session.rollback()
    assert count(db, OcopCertificate) == 0


def test_certificate_needs_an_evaluation(db, world):
    with pytest.raises(ValidationError) as exc:
        certify(db, world)
    assert "evaluation" in exc.value.errors


@pytest.mark.parametrize(
    ("scores", "wrong", "right"),
    [
        ((30, 20, 25), "ministry", "province"),
        ((40, 25, 30), "province", "ministry"),
        ((20, 15, 15), "ministry", "province"),
    ],
)
def test_level_must_fit_the_stars(db, world, scores, wrong, right):
    a, b, c = scores
    evaluate(db, world, score_a=a, score_b=b, score_c=c)
    with pytest.raises(ValidationError) as exc:
        certify(db, world, level=wrong)
    assert list(exc.value.errors) == ["level"]
    db.session.rollback()
    assert count(db, OcopCertificate) == 0
    row = certify(db, world, level=right)
    assert row.level == OcopLevel(right) and row.stars == services.stars_for(a + b + c)


def test_certificate_uses_the_latest_evaluation(db, world):
    evaluate(db, world, score_a=40, score_b=25, score_c=30, evaluated_on=dt.date(2026, 1, 1))  # 95
    evaluate(db, world, score_a=30, score_b=20, score_c=25, evaluated_on=dt.date(2026, 9, 1))  # 75
    row = certify(db, world, level="province")
    assert row.stars == 4
    with pytest.raises(Conflict):
        certify(db, world, decision_number="99/QĐ-UBND")


def test_future_decision_date_is_refused(db, world):
    evaluate(db, world)
    with pytest.raises(ValidationError) as exc:
        certify(db, world, decided_on=TODAY + dt.timedelta(days=1))
    assert list(exc.value.errors) == ["decided_on"]
    db.session.rollback()
    assert count(db, OcopCertificate) == 0


def test_decision_before_the_evaluation_is_refused(db, world):
    evaluate(db, world, evaluated_on=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError) as exc:
        certify(db, world, decided_on=dt.date(2026, 9, 30))
    assert list(exc.value.errors) == ["decided_on"]


@pytest.mark.parametrize(
    ("decided", "expires"),
    [
        (dt.date(2026, 10, 15), dt.date(2029, 10, 15)),
        (dt.date(2024, 2, 29), dt.date(2027, 2, 28)),
        (dt.date(2025, 12, 31), dt.date(2028, 12, 31)),
        (dt.date(2025, 8, 31), dt.date(2028, 8, 31)),
    ],
)
def test_expiry_is_36_calendar_months_after_the_decision(db, world, decided, expires):
    evaluate(db, world, evaluated_on=dt.date(2024, 1, 1))
    row = certify(db, world, decided_on=decided)
    stored = db.session.get(OcopCertificate, row.id)
    assert (stored.issued_on, stored.decided_on, stored.expires_on) == (decided, decided, expires)


def test_a_certificate_stops_being_valid_the_day_after_it_expires(db, world):
    evaluate(db, world, evaluated_on=dt.date(2023, 1, 1))
    row = certify(db, world, decided_on=dt.date(2023, 11, 20))
    assert row.expires_on == dt.date(2026, 11, 20)
    last_day, next_day = dt.date(2026, 11, 20), dt.date(2026, 11, 21)
    assert row.is_valid(last_day) and not row.is_valid(next_day)
    assert services.current_certificate(db.session, world.product_a.id, last_day).id == row.id
    assert services.current_certificate(db.session, world.product_a.id, next_day) is None


def test_revoked_certificate_is_not_current(db, world):
    evaluate(db, world)
    row = certify(db, world)
    assert services.current_certificate(db.session, world.product_a.id, TODAY).id == row.id
    with pytest.raises(Forbidden):
        services.revoke(db.session, actor=world.member_a, certificate_id=row.id, reason="x", today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.revoke(db.session, actor=world.auditor, certificate_id=row.id, reason="  ", today=TODAY)
    assert list(exc.value.errors) == ["reason"]
    services.revoke(
        db.session, actor=world.auditor, certificate_id=row.id, reason="Không duy trì chất lượng", today=TODAY
    )
    db.session.commit()
    stored = db.session.get(OcopCertificate, row.id)
    assert (stored.revoked_on, stored.revoke_reason) == (TODAY, "Không duy trì chất lượng")
    assert services.current_certificate(db.session, world.product_a.id, TODAY) is None
    with pytest.raises(Conflict):
        services.revoke(db.session, actor=world.auditor, certificate_id=row.id, reason="again", today=TODAY)


def test_revocation_dates_are_checked(db, world):
    evaluate(db, world)
    row = certify(db, world)
    for on in (TODAY + dt.timedelta(days=1), row.issued_on - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            services.revoke(
                db.session, actor=world.auditor, certificate_id=row.id, reason="r", revoked_on=on, today=TODAY
            )
        assert list(exc.value.errors) == ["revoked_on"]
    assert db.session.get(OcopCertificate, row.id).revoked_on is None


def test_expiring_list_is_scoped_and_sorted(db, world):
    # product_a: decided 2023-12-01, expires 2026-12-01 (11 days after TODAY); product_b expires 2027-01-10.
    evaluate(db, world, evaluated_on=dt.date(2023, 1, 1))
    a = certify(db, world, decided_on=dt.date(2023, 12, 1))
    evaluate(db, world, product=world.product_b, evaluated_on=dt.date(2023, 1, 1))
    b = certify(db, world, product=world.product_b, decided_on=dt.date(2024, 1, 10))
    # An expired one and a revoked one never show.
    old = ProductFactory(organization=world.org_a)
    evaluate(db, world, product=old, evaluated_on=dt.date(2023, 1, 1))
    certify(db, world, product=old, decided_on=dt.date(2023, 11, 19))
    gone = ProductFactory(organization=world.org_a)
    evaluate(db, world, product=gone, evaluated_on=dt.date(2023, 1, 1))
    revoked = certify(db, world, product=gone, decided_on=dt.date(2023, 12, 2))
    services.revoke(db.session, actor=world.auditor, certificate_id=revoked.id, reason="r", today=TODAY)
    db.session.commit()

    def ids(actor, days):
        return [c.id for c in services.expiring(db.session, actor=actor, within_days=days, today=TODAY)]

    assert ids(world.auditor, 30) == [a.id]
    assert ids(world.auditor, 60) == [a.id, b.id]
    assert ids(world.member_a, 60) == [a.id]
    assert ids(world.member_b, 60) == [b.id]
    assert ids(world.auditor, 10) == []
    assert ids(world.auditor, 11) == [a.id]
    with pytest.raises(ValidationError):
        ids(world.auditor, -1)


def test_a_renewed_certificate_is_no_longer_expiring(db, world):
    evaluate(db, world, evaluated_on=dt.date(2023, 1, 1))
    certify(db, world, decided_on=dt.date(2023, 12, 1))
    assert len(services.expiring(db.session, actor=world.auditor, within_days=30, today=TODAY)) == 1
    evaluate(db, world, evaluated_on=dt.date(2026, 11, 1))
    renewed = certify(db, world, decision_number="777/QĐ-UBND", decided_on=dt.date(2026, 11, 10))
    assert services.expiring(db.session, actor=world.auditor, within_days=30, today=TODAY) == []
    assert services.current_certificate(db.session, world.product_a.id, TODAY).id == renewed.id


def test_list_filters_by_stars_and_validity(db, world):
    evaluate(db, world, evaluated_on=dt.date(2023, 1, 1))
    expired = certify(db, world, decided_on=dt.date(2023, 1, 2))
    evaluate(db, world, product=world.product_b, score_a=40, score_b=25, score_c=30)
    five = certify(db, world, product=world.product_b, level="ministry")

    def ids(actor=world.auditor, **filters):
        page = services.list_certificates(db.session, actor=actor, today=TODAY, **filters)
        return [c.id for c in page.items]

    assert ids() == [five.id, expired.id]
    assert ids(stars="5") == [five.id]
    assert ids(validity="expired") == [expired.id]
    assert ids(validity="valid") == [five.id]
    assert ids(validity="revoked") == []
    assert ids(actor=world.member_a) == [expired.id]
    with pytest.raises(ValidationError):
        ids(stars="2")
    with pytest.raises(ValidationError):
        ids(validity="soon")
