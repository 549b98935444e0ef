"""Steps after the harvest through the API: quantities conserved, lineage recorded, bad input refused whole."""

from __future__ import annotations

import sqlalchemy as sa

from tests.trace.conftest import lot_body, patch
from tests.trace.lots.chain import build_chain
from trace.lots import record
from trace.lots.events import EventItem, LotLink, Shipment, TraceEvent
from trace.lots.models import Lot


def counts(db):
    return [
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Lot, TraceEvent, EventItem, LotLink, Shipment)
    ]


def test_a_five_step_chain_conserves_quantities_and_links_lineage(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    a, b = make_api(world.member_a), make_api(world.member_b)
    assert [p["origin"] for p in chain.parts] == ["split", "split"]
    assert chain.parts[0]["growing_area"]["id"] == world.area_a.id  # a split keeps its parent's area
    # 1200 harvested, 1100 split off: 100 stay. Part A gave 650 to B: 50 stay.
    assert a.get(f"/api/v1/lots/{chain.harvest['id']}/shipments").status_code == 200
    assert b.get(f"/api/v1/lots/{chain.parts[0]['id']}/shipments").status_code == 404  # not B's lot
    assert chain.received["organization_id"] == world.org_b.id and chain.received["quantity"] == "650.000"
    assert chain.received["held"] == "650.000"  # when it arrived
    held = {lot.code: record.held(db.session, lot) for lot in db.session.scalars(sa.select(Lot))}
    assert (held["DH-2511-100"], held["DH-2511-100A"], held["BL-IN-0001"]) == (100, 50, 50)  # drying took 600
    assert chain.dried["product"]["id"] == world.product_b.id and chain.dried["origin"] == "transform"

    down = a.get(f"/api/v1/lots/{chain.harvest['id']}/lineage?direction=down&depth=10").json
    codes = {n["code"] for n in down["nodes"]}
    assert codes == {"DH-2511-100", "DH-2511-100A", "DH-2511-100B", "BL-IN-0001", "BL-SAY-0001"}
    assert {(e["kind"], e["depth"]) for e in down["edges"]} == {("split", 1), ("receive", 2), ("transform", 3)}
    one = a.get(f"/api/v1/lots/{chain.harvest['id']}/lineage?direction=down").json
    assert {e["depth"] for e in one["edges"]} == {1} and len(one["nodes"]) == 3

    up = b.get(f"/api/v1/lots/{chain.dried['id']}/lineage?direction=up&depth=100").json
    assert {n["code"] for n in up["nodes"]} == codes - {"DH-2511-100B"}
    label = next(n for n in up["nodes"] if n["code"] == "DH-2511-100")["label_uri"]
    assert label.endswith("/10/DH-2511-100")

    kinds = [k for (k,) in db.session.execute(sa.select(TraceEvent.kind).order_by(TraceEvent.id))]
    assert [k.value for k in kinds] == ["harvest", "pack", "split", "ship", "receive", "transform"]
    ship = db.session.scalars(sa.select(TraceEvent).where(TraceEvent.kind == "ship")).one()
    assert (ship.document_type, ship.document_number) == ("invoice", "HD-000123")


def test_bad_steps_are_refused_and_store_nothing(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    a, b = make_api(world.member_a, "en"), make_api(world.member_b, "en")
    before = counts(db)
    harvest, part_b = chain.harvest["id"], chain.parts[1]["id"]

    too_much = a.post(f"/api/v1/lots/{harvest}/split", json={"parts": [{"code": "X1", "quantity": "101"}]})
    assert too_much.status_code == 422 and "holds 100" in too_much.json["errors"]["parts"][0]
    dup = a.post(
        f"/api/v1/lots/{harvest}/split",
        json={"parts": [{"code": "X1", "quantity": "1"}, {"code": "x1", "quantity": "1"}]},
    )
    assert dup.status_code == 422 and "parts.1.code" in dup.json["errors"]
    beyond = a.post(
        f"/api/v1/lots/{part_b}/shipments", json={"quantity": "401", "receiver_name": "Chợ đầu mối Long Biên"}
    )
    assert beyond.status_code == 422 and "quantity" in beyond.json["errors"]
    nobody = a.post(f"/api/v1/lots/{part_b}/shipments", json={"quantity": "1"})
    assert nobody.status_code == 422 and "receiver_organization_id" in nobody.json["errors"]
    mixed = a.post(
        "/api/v1/lots/merge", json={"inputs": [{"lot_id": part_b}, {"lot_id": chain.received["id"]}], "code": "M1"}
    )
    assert mixed.status_code == 404  # B's lot is not A's to merge
    other = a.post("/api/v1/lots", json=lot_body(world, code="DH-OTHER", product_id=world.product_a_no_gtin.id)).json
    before = counts(db)
    different = a.post(
        "/api/v1/lots/merge", json={"inputs": [{"lot_id": part_b}, {"lot_id": other["id"]}], "code": "M1"}
    )
    assert different.status_code == 422 and "same product" in different.json["errors"]["inputs"][0]
    empty = a.post(
        "/api/v1/transformations",
        json={
            "inputs": [],
            "outputs": [{"code": "T1", "product_id": world.product_a.id, "quantity": "1", "unit": "KGM"}],
        },
    )
    assert empty.status_code == 422 and "inputs" in empty.json["errors"]
    foreign = b.post(f"/api/v1/lots/{harvest}/split", json={"parts": [{"code": "X2", "quantity": "1"}]})
    assert foreign.status_code == 404
    again = b.post(f"/api/v1/shipments/{chain.shipment['id']}/receive", json={})
    assert again.status_code == 409
    stranger = a.post(f"/api/v1/shipments/{chain.shipment['id']}/receive", json={})
    assert stranger.status_code == 403  # the sender sees it but cannot receive it
    unknown = a.post(
        f"/api/v1/lots/{harvest}/split", json={"parts": [{"code": "X3", "quantity": "1", "colour": "red"}]}
    )
    assert unknown.status_code == 422
    assert counts(db) == before


def test_a_lot_under_recall_or_voided_cannot_be_used(db, make_api, world, houses):
    a = make_api(world.member_a, "en")
    lot = a.post("/api/v1/lots", json=lot_body(world, code="DH-RC-1")).json
    db.session.get(Lot, lot["id"]).open_recall_id = 999
    db.session.commit()
    refused = a.post(f"/api/v1/lots/{lot['id']}/split", json={"parts": [{"code": "RC-A", "quantity": "1"}]})
    assert refused.status_code == 409 and "recall" in refused.json["message"]
    voided = a.post("/api/v1/lots", json=lot_body(world, code="DH-VD-1")).json
    assert a.post(f"/api/v1/lots/{voided['id']}/void", json={"reason": "In nhầm"}).status_code == 200
    refused = a.post(f"/api/v1/lots/{voided['id']}/shipments", json={"quantity": "1", "receiver_name": "Chợ"})
    assert refused.status_code == 409 and "voided" in refused.json["message"]


def test_lineage_arguments(db, make_api, world, houses):
    a = make_api(world.member_a, "en")
    lot = a.post("/api/v1/lots", json=lot_body(world, code="DH-LN-1")).json
    assert a.get(f"/api/v1/lots/{lot['id']}/lineage?direction=sideways").status_code == 422
    assert a.get(f"/api/v1/lots/{lot['id']}/lineage?depth=0").status_code == 422
    assert a.get(f"/api/v1/lots/{lot['id']}/lineage?depth=101").status_code == 422
    assert make_api(world.member_b).get(f"/api/v1/lots/{lot['id']}/lineage").status_code == 404
    alone = a.get(f"/api/v1/lots/{lot['id']}/lineage").json
    assert alone["edges"] == [] and [n["code"] for n in alone["nodes"]] == ["DH-LN-1"]


def test_a_merge_of_two_areas_has_no_single_area_and_its_page_names_both(db, make_api, world, client):
    from registry.lifecycle.models import CodeStatus
    from tests.factories import AreaFactory

    second = AreaFactory(
        organization=world.org_a, commune_code="07996", status=CodeStatus.ACTIVE, code="VN-25-07996-501"
    )
    db.session.commit()
    a = make_api(world.member_a)
    one = a.post("/api/v1/lots", json=lot_body(world, code="MG-1", quantity="300")).json
    two = a.post("/api/v1/lots", json=lot_body(world, code="MG-2", quantity="200", growing_area_id=second.id)).json
    merged = a.post(
        "/api/v1/lots/merge",
        json={"inputs": [{"lot_id": one["id"]}, {"lot_id": two["id"], "quantity": "150"}], "code": "MG-ALL"},
    )
    assert merged.status_code == 201, merged.json
    body = merged.json
    assert (body["quantity"], body["origin"], body["growing_area"]) == ("450.000", "merge", None)
    assert a.post("/api/v1/lots/merge", json={"inputs": [{"lot_id": one["id"]}], "code": "MG-X"}).status_code == 422
    html = client.get(body["label_uri"].replace("https://registry.test", "")).get_data(as_text=True)
    assert "MG-1" in html and "MG-2" in html and world.area_a.code in html and "VN-25-07996-501" in html
    assert 'id="origins"' in html and "<h2>Vùng trồng</h2>" not in html
    detail = make_api(world.auditor).get(f"/api/v1/lots/{body['id']}/lineage?direction=up").json
    assert sorted(e["parent"] for e in detail["edges"]) == sorted([one["id"], two["id"]])


def test_a_lot_that_gave_cannot_shrink_below_what_it_gave(db, make_api, world):
    a = make_api(world.member_a, "en")
    lot = a.post("/api/v1/lots", json=lot_body(world, code="SH-1")).json
    a.post(f"/api/v1/lots/{lot['id']}/split", json={"parts": [{"code": "SH-1A", "quantity": "900"}]})
    shrink = patch(a, f"/api/v1/lots/{lot['id']}", {"quantity": "800"})
    assert shrink.status_code == 422 and "took 900" in shrink.json["errors"]["quantity"][0]
    assert patch(a, f"/api/v1/lots/{lot['id']}", {"unit": "TNE", "quantity": "1"}).status_code == 422
    assert patch(a, f"/api/v1/lots/{lot['id']}", {"quantity": "950"}).status_code == 200
