"""The public page of a lot made from others says where it came from; a recall and a PHI override show there."""

from __future__ import annotations

import re

import sqlalchemy as sa

from registry.core.db import utcnow
from tests.trace.lots.chain import build_chain
from trace.lots.models import Lot
from trace.recall.models import Recall


def path(uri: str) -> str:
    return re.sub(r"^https?://[^/]+", "", uri)


def test_origins_of_received_and_transformed_lots(db, client, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    received = client.get(path(chain.received["label_uri"])).get_data(as_text=True)
    origins = re.search(r'<div class="card" id="origins">.*?</div>', received, re.S).group(0)
    assert "DH-2511-100A" in origins and world.area_a.code in origins and "Xã Chí Đám" in origins
    assert chain.parts[0]["label_uri"] in origins
    dried = client.get(path(chain.dried["label_uri"]) + "?lang=en").get_data(as_text=True)
    assert "Where it came from" in dried and "BL-IN-0001" in dried
    harvest = client.get(path(chain.harvest["label_uri"])).get_data(as_text=True)
    assert 'id="origins"' not in harvest


def test_a_recall_shows_in_both_languages_on_every_affected_page(db, client, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    recall = Recall(lot_id=chain.harvest["id"], reason="Dư lượng thuốc BVTV vượt ngưỡng", opened_at=utcnow())
    db.session.add(recall)
    db.session.flush()
    affected = [chain.harvest["id"], chain.parts[0]["id"], chain.received["id"], chain.dried["id"]]
    db.session.execute(sa.update(Lot).where(Lot.id.in_(affected)).values(open_recall_id=recall.id))
    db.session.commit()
    html = client.get(path(chain.dried["label_uri"]) + "?lang=en").get_data(as_text=True)
    assert "THU HỒI SẢN PHẨM" in html and "PRODUCT RECALL" in html
    assert html.count("Dư lượng thuốc BVTV vượt ngưỡng") == 2
    assert html.index("PRODUCT RECALL") < html.index("<h1")
    sibling = client.get(path(chain.parts[1]["label_uri"])).get_data(as_text=True)
    assert "THU HỒI" not in sibling


def test_a_phi_override_is_flagged_publicly(db, client, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    lot = db.session.get(Lot, chain.harvest["id"])
    lot.phi_override_reason = "Thu hoạch gấp trước bão, mẫu kiểm nghiệm đạt"
    db.session.commit()
    html = client.get(path(chain.harvest["label_uri"])).get_data(as_text=True)
    assert "chưa hết thời gian cách ly" in html and "Thu hoạch gấp trước bão" in html
