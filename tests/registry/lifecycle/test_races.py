"""Concurrency: serials issued under one counter, and an inspection stored only with its status change."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core.auth import Role
from registry.core.errors import Conflict
from registry.core.extensions import db as _db
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import CodeSerial, CodeStatus, StatusChange
from tests.factories import AreaFactory, OrganizationFactory, UserFactory
from tests.registry.lifecycle.conftest import counts

N = 32


def run_in_threads(app, work, ids):
    """Run ``work(id)`` in one thread per id, each with its own app context and session; return errors."""
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(item):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                try:
                    work(item)
                    _db.session.commit()
                finally:
                    _db.session.rollback()
                    _db.session.remove()
        except BaseException as exc:  # noqa: BLE001  (collected and reported below)
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(item,)) for item in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


def test_concurrent_activations_in_one_commune_get_distinct_serials(app, db):
    org = OrganizationFactory()
    auditor = UserFactory(role=Role.AUDITOR, organization=None)
    areas = [AreaFactory(organization=org, code=None, status=CodeStatus.PENDING) for _ in range(N)]
    db.session.commit()
    auditor_id, area_ids = auditor.id, [a.id for a in areas]

    def activate(area_id):
        actor = _db.session.get(User, auditor_id)
        area = _db.session.get(GrowingArea, area_id)
        lifecycle.transition(_db.session, area, actor=actor, status=CodeStatus.ACTIVE)

    errors = run_in_threads(app, activate, area_ids)
    assert errors == [], [repr(e) for e in errors]

    db.session.expire_all()
    rows = db.session.execute(sa.select(GrowingArea.code, GrowingArea.status).where(GrowingArea.id.in_(area_ids)))
    codes = []
    for code, status in rows:
        assert status == CodeStatus.ACTIVE
        codes.append(code)
    assert sorted(codes) == [f"VN-25-07999-{i:03d}" for i in range(1, N + 1)]
    assert db.session.get(CodeSerial, "VN-25-07999-").last_serial == N
    changes = db.session.scalars(sa.select(StatusChange).where(StatusChange.to_status == CodeStatus.ACTIVE)).all()
    assert sorted(c.growing_area_id for c in changes) == sorted(area_ids)


def test_serials_skip_codes_already_issued_elsewhere(db):
    org = OrganizationFactory()
    auditor = UserFactory(role=Role.AUDITOR, organization=None)
    AreaFactory(organization=org, code="VN-25-07999-001")
    AreaFactory(organization=org, code="VN-25-07999-002")
    area = AreaFactory(organization=org, code=None, status=CodeStatus.PENDING)
    db.session.commit()
    lifecycle.transition(db.session, area, actor=auditor, status=CodeStatus.ACTIVE)
    db.session.commit()
    assert area.code == "VN-25-07999-003"
    assert db.session.get(CodeSerial, "VN-25-07999-").last_serial == 3


def test_two_departments_deciding_at_once_act_one_after_the_other(app, db):
    """Both try to suspend the same active code: one succeeds, the other sees it suspended and gets 409."""
    org = OrganizationFactory()
    auditors = [UserFactory(role=Role.AUDITOR, organization=None) for _ in range(2)]
    area = AreaFactory(organization=org)
    db.session.commit()
    area_id = area.id

    def suspend(auditor_id):
        actor = _db.session.get(User, auditor_id)
        subject = _db.session.get(GrowingArea, area_id)
        lifecycle.transition(_db.session, subject, actor=actor, status=CodeStatus.SUSPENDED, reason="Kiểm tra lại")

    errors = run_in_threads(app, suspend, [a.id for a in auditors])
    assert len(errors) == 1 and isinstance(errors[0], Conflict), [repr(e) for e in errors]
    db.session.expire_all()
    changes = db.session.scalars(sa.select(StatusChange).where(StatusChange.growing_area_id == area_id)).all()
    assert [(c.from_status, c.to_status) for c in changes] == [(CodeStatus.ACTIVE, CodeStatus.SUSPENDED)]


def test_an_inspection_whose_status_change_fails_is_not_stored(app, db):
    """The inspector's page was loaded while the code was active; meanwhile another inspector revoked it.

    The inspection (suspend) passes its own checks against what was loaded and is flushed, then the status
    change, taken under the row lock, finds the code revoked and fails: the transaction, inspection included,
    is rolled back, as the routes do.
    """
    org = OrganizationFactory()
    auditor = UserFactory(role=Role.AUDITOR, organization=None)
    other = UserFactory(role=Role.AUDITOR, organization=None)
    area = AreaFactory(organization=org)
    db.session.commit()
    area_id, other_id = area.id, other.id
    before = counts(db.session)
    # What the first inspector's request loaded: the code while it was still active.
    assert area.status == CodeStatus.ACTIVE

    def revoke_elsewhere(_):
        subject = _db.session.get(GrowingArea, area_id)
        lifecycle.transition(
            _db.session, subject, actor=_db.session.get(User, other_id), status="revoked", reason="Gian lận"
        )

    assert run_in_threads(app, revoke_elsewhere, [0]) == []
    assert area.status == CodeStatus.ACTIVE  # this request has not seen the other's decision
    with pytest.raises(Conflict) as raised:
        lifecycle.record_inspection(
            db.session, area, actor=auditor, inspected_on=dt.date(2025, 3, 1), conclusion="suspend", reason="Sâu bệnh"
        )
    # Outside a request the labels are in the default language, Vietnamese: revoked, suspended.
    assert "đã thu hồi" in str(raised.value) and "tạm đình chỉ" in str(raised.value)
    db.session.rollback()  # what the routes' error handler does
    # Only the other inspector's revocation is stored; no inspection, no second status change.
    assert counts(db.session) == {"inspection": before["inspection"], "status_change": before["status_change"] + 1}
    assert db.session.get(GrowingArea, area_id).status == CodeStatus.REVOKED
