"""Linkage fixtures: a third cooperative (the outsider), row counts, and a model-maker."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

import registry.linkage.models  # noqa: F401  (its tables exist before the session app creates the schema)
from registry.linkage import services
from registry.linkage.models import LinkageModel, linkage_area, linkage_commune, linkage_partner
from tests import factories

START = dt.date(2025, 1, 1)


@pytest.fixture
def outsider(db, world):
    """A member of a third cooperative that takes no part in any model."""
    org_c = factories.OrganizationFactory(name="HTX Chè Tân Sơn")
    user = factories.UserFactory(organization=org_c, email="c@test.example")
    db.session.commit()
    return user


def counts(session) -> tuple[int, int, int, int]:
    return tuple(
        session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (LinkageModel.__table__, linkage_partner, linkage_commune, linkage_area)
    )


@pytest.fixture
def make_model(db, world):
    """A model led by org_a with org_b as partner, created through the service as member_a."""

    def make(**overrides):
        data = {
            "name": "Liên kết bưởi Đoan Hùng",
            "crop": "pomelo",
            "started_on": START,
            "partner_organization_ids": [world.org_b.id],
            "commune_codes": ["07999", "07996"],
            "area_ids": [world.area_a.id, world.area_b.id],
            "partner_households": 120,
        }
        data.update(overrides)
        actor = data.pop("actor", world.member_a)
        model = services.create_model(db.session, actor=actor, **data)
        db.session.commit()
        return model

    return make


@pytest.fixture
def wired(app):
    """The session app, with the linkage blueprints that create_app registers."""
    assert "linkage" in app.blueprints and "linkage_api" in app.blueprints
    return app
