"""A supply chain built through the API, as the cooperatives would: harvest, pack, split, ship, receive,
transform. Shared by the step, lineage and public-page tests."""

from __future__ import annotations

from dataclasses import dataclass

from tests.trace.conftest import lot_body


@dataclass
class Chain:
    harvest: dict
    parts: list[dict]
    shipment: dict
    received: dict
    dried: dict


def build_chain(make_api, world, houses) -> Chain:
    a, b = make_api(world.member_a), make_api(world.member_b)
    harvest = a.post("/api/v1/lots", json=lot_body(world, code="DH-2511-100")).json
    packed = a.post(f"/api/v1/lots/{harvest['id']}/pack", json={"packing_house_id": houses.active_a.id})
    assert packed.status_code == 200, packed.json
    split = a.post(
        f"/api/v1/lots/{harvest['id']}/split",
        json={"parts": [{"code": "DH-2511-100A", "quantity": "700"}, {"code": "DH-2511-100B", "quantity": "400"}]},
    )
    assert split.status_code == 201, split.json
    parts = split.json["lots"]
    shipped = a.post(
        f"/api/v1/lots/{parts[0]['id']}/shipments",
        json={
            "quantity": "650",
            "receiver_organization_id": world.org_b.id,
            "document_type": "invoice",
            "document_number": "HD-000123",
        },
    )
    assert shipped.status_code == 201, shipped.json
    received = b.post(f"/api/v1/shipments/{shipped.json['id']}/receive", json={"code": "BL-IN-0001"})
    assert received.status_code == 200, received.json
    dried = b.post(
        "/api/v1/transformations",
        json={
            "inputs": [{"lot_id": received.json["lot"]["id"], "quantity": "600"}],
            "outputs": [{"code": "BL-SAY-0001", "product_id": world.product_b.id, "quantity": "120", "unit": "KGM"}],
            "reason": "Sấy khô",
        },
    )
    assert dried.status_code == 201, dried.json
    return Chain(harvest, parts, shipped.json, received.json["lot"], dried.json["outputs"][0])
