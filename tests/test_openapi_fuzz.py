"""Schemathesis against /api/openapi.json: every operation, as the department and as a member.

The operations are read from the app's own OpenAPI document when the tests are collected, so an endpoint
added later is fuzzed without touching this file. Each operation runs a fixed number of schema-valid and
schema-invalid examples, derandomized so that a run is reproducible, and every response must be what the
document promises: no 5xx, a documented status, content type and headers, a body of the documented shape,
invalid input refused and valid input not refused by a rule the document does not state.

All operations run on one seeded database (the test world and the demo data), emptied once the module is
done, so that nothing the fuzzer writes reaches another test. Each example gets a fresh token, so an
operation that revokes tokens cannot lock the fuzzer out of the ones after it.
"""

from __future__ import annotations

import json
import os
import re

import hypothesis
import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qr.demo import load_demo
from registry.accounts.services import create_token
from registry.core.app import create_app
from registry.core.config import TestConfig
from tests import factories
from tests.conftest import empty_database

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))  # per operation, role and mode
ROLES = {"department": "admin@demo.example", "member": "pomelo@demo.example"}
SPEC_PATH = "/api/openapi.json"
# Path ids: mostly the seeded records (small ids), sometimes whatever the schema allows.
SEEDED_IDS = st.integers(min_value=1, max_value=12)


def _operations() -> list[str]:
    """Every operation of the document, read at collection time from an app that needs no database."""
    app = create_app(TestConfig("sqlite://"))
    spec = app.test_client().get(SPEC_PATH).get_json()
    methods = ("get", "put", "post", "patch", "delete")
    return sorted(
        f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item if method in methods
    )


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def seeded(app):
    """The test world and the demo data, once for the module; emptied afterwards."""
    from registry.core.extensions import db

    with app.app_context():
        factories.build_world(db.session)
        load_demo(db.session, password=factories.PASSWORD)
        db.session.commit()
        db.session.remove()
    yield
    with app.app_context():
        empty_database(app)


@pytest.fixture(scope="module")
def api_schema(app, seeded):
    schema = schemathesis.openapi.from_wsgi(SPEC_PATH, app)

    # The test sends a real token itself, and unknown query parameters are ignored, as HTTP allows.
    schema.config.generation.with_security_parameters = False
    schema.config.generation.allow_extra_parameters = False
    # NUL cannot be stored by PostgreSQL and is refused everywhere (registry.core.guards); that rule is the
    # guards' own test, not one to repeat in the pattern of every string of the document.
    schema.config.generation.allow_x00 = False

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        # Ids the schema alone draws almost never exist: half the time, a valid one becomes a seeded one.
        if not path_parameters:
            return st.just(path_parameters)
        ints = {
            p.name for p in context.operation.path_parameters if p.definition.get("schema", {}).get("type") == "integer"
        }
        return st.fixed_dictionaries(
            {
                name: st.one_of(st.just(value), SEEDED_IDS) if name in ints and _valid_id(value) else st.just(value)
                for name, value in path_parameters.items()
            }
        )

    return schema


def _valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2**31 - 1


def pagination_header_conformance(ctx, response, case):
    """X-Pagination is JSON (documented with `content`), which the built-in header check cannot read."""
    value = response.headers.get("x-pagination")
    if value is None:
        return None
    spec = case.operation.schema.raw_schema
    definition = case.operation.responses.find_by_status_code(response.status_code)
    header = ((definition.definition if definition else {}).get("headers") or {}).get("X-Pagination")
    assert header is not None, f"X-Pagination sent with {response.status_code} but not documented"
    if "$ref" in header:
        header = spec["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
    schema = header["content"]["application/json"]["schema"]
    jsonschema.Draft7Validator({**schema, "components": spec["components"]}).validate(json.loads(value[0]))
    return None


RULE_KEYWORDS = {
    "description",
    "pattern",
    "enum",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "oneOf",
    "anyOf",
    "allOf",
}


def _resolve(spec: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = spec["components"][kind][name]
    return node


def _documented_fields(case) -> dict[str, dict]:
    """The request's fields (path and query parameters, top-level body properties) with their schemas."""
    spec = case.operation.schema.raw_schema
    parameters = [*case.operation.path_parameters, *case.operation.query]
    fields = {p.name: {**p.definition.get("schema", {}), **p.definition} for p in parameters}
    body = case.operation.definition.raw.get("requestBody", {})
    for media in body.get("content", {}).values():
        schema = _resolve(spec, media.get("schema", {}))
        for part in [schema, *schema.get("allOf", []), *schema.get("oneOf", [])]:
            for name, prop in _resolve(spec, part).get("properties", {}).items():
                fields.setdefault(name, {}).update(_resolve(spec, prop))
    return fields


def _free_form_body_described(case) -> bool:
    spec = case.operation.schema.raw_schema
    body = case.operation.definition.raw.get("requestBody", {})
    schemas = [_resolve(spec, media.get("schema", {})) for media in body.get("content", {}).values()]
    return bool(schemas) and all(s.get("additionalProperties") is not False and s.get("description") for s in schemas)


def valid_request_accepted(ctx, response, case):
    """A request the document says is valid is not refused as malformed (400), nor as wrong (422) for a rule
    the document does not state: every field a 422 names must carry its rule (a description, a pattern, an
    enum, a range, a format)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    assert response.status_code != 400, f"A schema-valid request was refused as malformed: {response.text}"
    if response.status_code != 422:
        return None
    fields = _documented_fields(case)
    errors = json.loads(response.text).get("errors") or {}
    stated = {n for n, f in fields.items() if RULE_KEYWORDS & set(f)}
    if _free_form_body_described(case):  # e.g. an EPCIS document: its rules are a standard's, named in the text
        return None
    # A rule about the record rather than a field (an evaluation needed first) is stated in the operation's text.
    text = " ".join(str(case.operation.definition.raw.get(key, "")) for key in ("summary", "description")).lower()
    silent = sorted(
        name for name in {key.split(".")[0] for key in errors} - stated if name.replace("_", " ") not in text
    )
    assert not silent, f"Refused for rules the document does not state, on {silent}: {response.text}"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    pagination_header_conformance,
    valid_request_accepted,
]


def _token(app, email: str) -> str:
    from registry.core.extensions import db

    with app.app_context():
        token = create_token(db.session, email=email)
        db.session.commit()
        db.session.remove()
    return token


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_keeps_its_documented_promises(app, api_schema, operation, role):
    method, path = operation.split(" ", 1)
    api_operation = api_schema[path][method]
    strategy = st.one_of(
        api_operation.as_strategy(GenerationMode.POSITIVE, hooks=api_schema.hooks),
        api_operation.as_strategy(GenerationMode.NEGATIVE, hooks=api_schema.hooks),
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.generate, hypothesis.Phase.shrink],
    )
    @given(case=strategy)
    def run(case):
        if not tokens:  # the first example, or the one after a 401 (an operation may revoke the token)
            tokens.append(_token(app, ROLES[role]))
        # identity: the bodies are checked as sent; compression has its own tests (tests/registry/core/test_serving.py)
        headers = {"Authorization": f"Bearer {tokens[0]}", "Accept-Language": "en", "Accept-Encoding": "identity"}
        with app.app_context():  # its own context, as under a real server (see tests.conftest.IsolatedClient)
            response = case.call(headers=headers)
        if response.status_code == 401:
            tokens.clear()
        case.validate_response(response, checks=CHECKS, headers=headers)

    tokens: list[str] = []
    run()


def _paths() -> dict[str, set[str]]:
    documented: dict[str, set[str]] = {}
    for operation in OPERATIONS:
        method, path = operation.split(" ", 1)
        documented.setdefault(path, set()).add(method)
    return documented


PATHS = _paths()
CHOICES = {"kind": "areas", "ext": "csv"}  # path parameters the routes take from a fixed list


def test_an_undocumented_method_answers_405_with_allow(app, seeded):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, ROLES['department'])}"}
    for path, documented in sorted(PATHS.items()):
        # Any id: the method is refused before the id is read; a name chosen from a list must be one of the list.
        concrete = re.sub(r"\{([^}]+)\}", lambda m: CHOICES.get(m.group(1), "1"), path)
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - documented):
            response = client.open(concrete, method=method, headers=headers)
            assert response.status_code == 405, (method, concrete, response.status_code)
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed - {"HEAD", "OPTIONS"} == documented, (method, path, allowed)
            assert response.json["code"] == 405
