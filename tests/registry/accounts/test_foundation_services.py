import sqlalchemy as sa

from registry.accounts import services
from registry.accounts.models import ApiToken


def test_tokens_are_stored_hashed(db, world):
    token = services.create_token(db.session, email=world.member_a.email)
    assert services.user_for_token(db.session, token).id == world.member_a.id
    stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert token not in stored
    assert services.user_for_token(db.session, token + "x") is None
