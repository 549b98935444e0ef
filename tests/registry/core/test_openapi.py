"""The OpenAPI document describes what the API sends, and odd inputs the fuzzer found answer 4xx, never 500."""

from __future__ import annotations

import json

import pytest

from registry.core.errors import ValidationError
from registry.core.fields import decimal_value
from registry.core.validators import FieldError


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def test_every_operation_lists_its_errors_and_no_catch_all(spec):
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        assert "default" not in responses, (method, path)
        assert {"400", "401", "403", "404", "429", "503"} <= set(responses), (method, path)
        assert any(code.startswith("2") for code in responses), (method, path)
        if "requestBody" in operation:
            assert {"413", "422"} <= set(responses), (method, path)
    error = spec["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "status", "message", "errors"}


def test_an_error_body_has_the_documented_shape(make_api, world):
    response = make_api(world.member_a).post("/api/v1/lots", json={})
    assert response.status_code == 422
    assert set(response.json) == {"code", "status", "message", "errors"}


def test_decimals_are_documented_as_the_strings_they_are(spec, make_api, world):
    area_ha = spec["components"]["schemas"]["Area"]["properties"]["area_ha"]
    assert area_ha["type"] == "string" and area_ha["format"] == "decimal"
    sent = make_api(world.admin).get(f"/api/v1/areas/{world.area_a.id}").json["area_ha"]
    assert sent == "12.5000"


def test_the_pagination_header_is_documented_as_json(spec, make_api, world):
    header = spec["components"]["headers"]["PAGINATION"]
    assert header["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaginationMetadata"}
    ok = spec["paths"]["/api/v1/areas"]["get"]["responses"]["200"]
    assert ok["headers"]["X-Pagination"] == {"$ref": "#/components/headers/PAGINATION"}
    response = make_api(world.admin).get("/api/v1/areas")
    assert json.loads(response.headers["X-Pagination"])["total"] == 2


def test_a_status_change_states_when_a_reason_is_required(spec):
    rules = spec["components"]["schemas"]["StatusInput"]["oneOf"]
    needs_reason = next(rule for rule in rules if "required" in rule)
    assert set(needs_reason["properties"]["status"]["enum"]) == {"suspended", "revoked", "refused", "withdrawn"}
    assert needs_reason["required"] == ["reason"]


def test_a_number_where_a_code_goes_is_a_field_error(make_api, world, db):
    world.area_a.code = None  # pending: the code claimed as issued may still be corrected
    db.session.commit()
    response = make_api(world.member_a).patch(f"/api/v1/areas/{world.area_a.id}", json={"code": 100.0})
    assert response.status_code == 422
    assert "code" in response.json["errors"]


def test_superscript_digits_are_not_a_number_of_days(make_api, world):
    body = {"kind": "spray", "date": "2025-01-01", "input_name": "Anvil", "dose": "20 ml", "phi_days": "¹"}
    response = make_api(world.member_a).post(f"/api/v1/areas/{world.area_a.id}/diary", json=body)
    assert response.status_code == 422
    assert "phi_days" in response.json["errors"]


@pytest.mark.parametrize("text", ["1_000", "١٢", "1.2.3", "", "True"])
def test_a_decimal_is_only_the_digits_the_document_describes(text):
    with pytest.raises((FieldError, ValidationError)):
        decimal_value(text, "m", max_digits=12, places=4)


@pytest.mark.parametrize(("text", "number"), [("12,5", "12.5"), (" 3 ", "3"), (".5", "0.5"), (7, "7")])
def test_a_decimal_reads_numbers_and_a_decimal_comma(text, number):
    assert str(decimal_value(text, "m", max_digits=12, places=4)) == number


def test_a_patch_without_a_body_changes_nothing_as_documented(spec, make_api, world):
    assert spec["paths"]["/api/v1/areas/{area_id}"]["patch"]["requestBody"]["required"] is False
    response = make_api(world.member_a).patch(f"/api/v1/areas/{world.area_a.id}")
    assert response.status_code == 200
    assert response.json["name"] == world.area_a.name


@pytest.mark.parametrize("text", [",48E28392569000000", "1e99999", "9e-99999"])
def test_an_exponent_past_four_digits_is_a_field_error_not_a_500(text):
    with pytest.raises(FieldError):
        decimal_value(text, "m", max_digits=12, places=4)
