"""EPCIS 2.0 export and query: every answer validates against the official schema with a format checker."""

from __future__ import annotations

import datetime as dt
import json

from tests.trace.lots.chain import build_chain
from trace.epcis.schema import SCHEMA_PATH, problems


def valid(document) -> dict:
    assert problems(document) == {}, json.dumps(document, ensure_ascii=False)[:2000]
    return document


def events(document) -> list[dict]:
    return document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_the_vendored_schema_is_the_official_one(conformance_dir):
    official = (conformance_dir / "epcis" / "EPCIS-JSON-Schema.json").read_bytes()
    assert SCHEMA_PATH.read_bytes() == official


def test_a_lots_history_maps_the_farm_steps(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    doc = valid(make_api(world.member_b).get(f"/api/v1/lots/{chain.received['id']}/epcis").json)
    assert doc["type"] == "EPCISQueryDocument"
    steps = [(e["type"], e.get("bizStep"), e.get("action")) for e in events(doc)]
    assert steps == [
        ("ObjectEvent", "commissioning", "ADD"),
        ("ObjectEvent", "packing", "OBSERVE"),
        ("TransformationEvent", "repackaging", None),
        ("ObjectEvent", "shipping", "OBSERVE"),
        ("ObjectEvent", "receiving", "OBSERVE"),
        ("TransformationEvent", "creating_class_instance", None),
    ]
    harvest, _pack, split, ship, receive, dried = events(doc)
    gtin = world.product_a.gtin
    assert harvest["quantityList"] == [
        {"epcClass": f"https://id.gs1.org/01/{gtin}/10/DH-2511-100", "quantity": 1200, "uom": "KGM"}
    ]
    assert harvest["eventTimeZoneOffset"] == "+07:00" and harvest["eventTime"].endswith("+07:00")
    assert harvest["readPoint"]["id"].endswith(f"/codes/{world.area_a.code}")
    assert [q["quantity"] for q in split["outputQuantityList"]] == [700, 400]
    assert split["inputQuantityList"][0]["quantity"] == 1100
    assert ship["bizTransactionList"][0]["type"] == "inv"
    assert ship["bizTransactionList"][0]["bizTransaction"].endswith("/documents/invoice/HD-000123")
    assert ship["destinationList"][0]["destination"].endswith(f"/organizations/{world.org_b.id}")
    assert receive["sourceList"][0]["source"].endswith(f"/organizations/{world.org_a.id}")
    assert dried["outputQuantityList"][0]["epcClass"].endswith("/10/BL-SAY-0001")
    assert make_api(world.member_b).get(f"/api/v1/lots/{chain.harvest['id']}/epcis").status_code == 404


def test_query_parameters(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    a = make_api(world.member_a, "en")
    shipping = valid(a.get("/api/v1/epcis/events?EQ_bizStep=shipping").json)
    assert [e["bizStep"] for e in events(shipping)] == ["shipping"]
    both = valid(a.get("/api/v1/epcis/events?EQ_bizStep=https://ref.gs1.org/cbv/BizStep-shipping,packing").json)
    assert sorted(e["bizStep"] for e in events(both)) == ["packing", "shipping"]
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert events(a.get("/api/v1/epcis/events", query_string={"GE_eventTime": tomorrow}).json) == []
    everything = a.get("/api/v1/epcis/events", query_string={"LT_eventTime": tomorrow})
    # A sees its own four steps; receiving and the drying are B's.
    assert len(events(everything.json)) == 4 and json.loads(everything.headers["X-Pagination"])["total"] == 4
    naive = a.get("/api/v1/epcis/events?GE_eventTime=2026-11-01T00:00:00")
    assert naive.status_code == 422 and list(naive.json["errors"]) == ["GE_eventTime"]
    # The harvest lot's class on the registry's own host matches the canonical one it was stored under.
    local = chain.harvest["label_uri"]
    found = valid(a.get("/api/v1/epcis/events", query_string={"MATCH_epcClass": local}).json)
    assert [e["bizStep"] for e in events(found)] == ["commissioning", "packing"]
    anywhere = valid(a.get("/api/v1/epcis/events", query_string={"MATCH_anyEPCClass": local}).json)
    assert [e["bizStep"] for e in events(anywhere)] == ["commissioning", "packing", "repackaging"]


def test_members_see_their_own_events_the_department_all(db, make_api, world, houses):
    build_chain(make_api, world, houses)
    b = valid(make_api(world.member_b).get("/api/v1/epcis/events").json)
    assert [e["bizStep"] for e in events(b)] == ["receiving", "creating_class_instance"]
    department = valid(make_api(world.auditor).get("/api/v1/epcis/events").json)
    assert len(events(department)) == 6
    second = make_api(world.auditor).get("/api/v1/epcis/events?page_size=2&page=2")
    assert [e["bizStep"] for e in events(valid(second.json))] == ["repackaging", "shipping"]
    assert json.loads(second.headers["X-Pagination"])["total_pages"] == 3
