"""/healthz, /readyz, /metrics, /openapi.json and /docs."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from service.version import VERSION
from tests.api.helpers import MakeToken, commune_with_fund, get, ok

#: Every route of the v1 contract, in OpenAPI's spelling, with its methods.
CONTRACT = {
    "/api/v1/units": {"get", "post"},
    "/api/v1/units/{unit_id}": {"get"},
    "/api/v1/units/{unit_id}/report": {"get"},
    "/api/v1/units/{unit_id}/summary": {"get"},
    "/api/v1/funds/{fund_id}/books/receipts": {"get"},
    "/api/v1/funds/{fund_id}/books/payments": {"get"},
    "/api/v1/funds/{fund_id}/books/cash": {"get"},
    "/api/v1/funds/{fund_id}/books/bank": {"get"},
    "/api/v1/funds/{fund_id}/journal": {"get"},
    "/api/v1/funds/{fund_id}/ledgers/{account}": {"get"},
    "/api/v1/funds/{fund_id}/trial-balance": {"get"},
    "/api/v1/funds/{fund_id}/settlement": {"get"},
    "/api/v1/units/{unit_id}/trial-balance": {"get"},
    "/api/v1/units/{unit_id}/approval-threshold": {"put"},
    "/api/v1/units/{unit_id}/merge": {"post"},
    "/api/v1/units/{unit_id}/targets": {"get", "post"},
    "/api/v1/funds": {"post"},
    "/api/v1/funds/{fund_id}": {"get"},
    "/api/v1/funds/{fund_id}/receipts": {"post"},
    "/api/v1/funds/{fund_id}/disbursements": {"post"},
    "/api/v1/funds/{fund_id}/transfers": {"post"},
    "/api/v1/funds/{fund_id}/entries/{entry_id}/reversal": {"post"},
    "/api/v1/funds/{fund_id}/currency-sales": {"post"},
    "/api/v1/funds/{fund_id}/period-closes": {"post"},
    "/api/v1/funds/{fund_id}/entries": {"get"},
    "/api/v1/funds/{fund_id}/stock": {"get"},
    "/api/v1/funds/{fund_id}/pledges": {"post"},
    "/api/v1/pledges/{pledge_id}": {"get"},
    "/api/v1/pledges/{pledge_id}/cancellation": {"post"},
    "/api/v1/pledges/{pledge_id}/write-off": {"post"},
    "/api/v1/units/{unit_id}/pledges": {"get"},
    "/api/v1/campaigns": {"post"},
    "/api/v1/campaigns/{campaign_id}": {"get"},
    "/api/v1/units/{unit_id}/campaigns": {"get"},
    "/api/v1/units/{unit_id}/distributions": {"post"},
    "/api/v1/units/{unit_id}/support-counts": {"get"},
    "/api/v1/units/{unit_id}/coverage": {"get"},
    "/api/v1/units/{unit_id}/house-norms": {"get", "put"},
    "/api/v1/units/{unit_id}/selection-meetings": {"post"},
    "/api/v1/selection-meetings/{meeting_id}": {"get"},
    "/api/v1/units/{unit_id}/emulation-targets": {"get", "put"},
    "/api/v1/units/{unit_id}/committee-report": {"get"},
    "/api/v1/units/{unit_id}/poverty": {"get"},
    "/api/v1/units/{unit_id}/household-counts": {"post"},
    "/api/v1/units/{unit_id}/caretakers": {"get", "post"},
    "/api/v1/houses/{project_id}/contributions": {"post"},
    "/api/v1/funds/{fund_id}/imports": {"post"},
    "/api/v1/imports/{job_id}": {"get"},
    "/api/v1/imports/{job_id}/report.csv": {"get"},
    "/api/v1/funds/{fund_id}/statement": {"get"},
    "/api/v1/units/{unit_id}/donors/history": {"get"},
    "/api/v1/public/funds/{fund_id}/statement": {"get"},
    "/api/v1/public/units/{unit_id}/disclosure": {"get"},
    "/api/v1/funds/{fund_id}/pending": {"get"},
    "/api/v1/funds/{fund_id}/controls": {"get"},
    "/api/v1/funds/{fund_id}/plausibility-limit": {"put"},
    "/api/v1/funds/{fund_id}/pending/{pending_id}/approval": {"post"},
    "/api/v1/funds/{fund_id}/pending/{pending_id}/rejection": {"post"},
    "/api/v1/audit/events": {"get"},
    "/api/v1/audit/key": {"get"},
    "/api/v1/audit/checkpoints": {"get", "post"},
    "/api/v1/audit/checkpoints/latest": {"get"},
    "/api/v1/audit/checkpoints/{tree_size}": {"get"},
    "/api/v1/audit/checkpoints/{tree_size}/cosignatures": {"post"},
    "/api/v1/audit/witnesses": {"get", "post"},
    "/api/v1/audit/proofs/inclusion": {"get"},
    "/api/v1/audit/proofs/consistency": {"get"},
    "/api/v1/public/receipts/{reference}": {"get"},
    "/api/v1/supervisions": {"get", "post"},
    "/api/v1/supervisions/{supervision_id}": {"get"},
    "/api/v1/supervisions/{supervision_id}/findings": {"post"},
    "/api/v1/supervisions/{supervision_id}/findings/{finding_id}/response": {"post"},
    "/api/v1/supervisions/{supervision_id}/conclusion": {"post"},
    "/api/v1/supervision-plans": {"get", "post"},
    "/api/v1/supervisions/{supervision_id}/findings/{finding_id}/recommendations": {"post"},
    "/api/v1/recommendations": {"get"},
    "/api/v1/recommendations/{recommendation_id}/status": {"post"},
    "/api/v1/public/questions": {"post"},
    "/api/v1/public/questions/{code}": {"get"},
    "/api/v1/public/units/{unit_id}/people-check": {"get"},
    "/api/v1/questions": {"get"},
    "/api/v1/questions/{question_id}/answer": {"post"},
    "/api/v1/funds/{fund_id}/thanks": {"post"},
    "/api/v1/funds/{fund_id}/thanks/bulk": {"post"},
    "/api/v1/thanks/{batch_id}.pdf": {"get"},
    "/api/v1/households": {"get", "post"},
    "/api/v1/households/{household_id}": {"get"},
    "/api/v1/households/{household_id}/categories": {"post"},
    "/api/v1/households/{household_id}/escaped-poverty": {"post"},
    "/api/v1/households/{household_id}/erasure": {"post"},
    "/api/v1/households/{household_id}/history": {"get"},
    "/api/v1/houses": {"get", "post"},
    "/api/v1/houses/stages": {"get"},
    "/api/v1/houses/{project_id}": {"get"},
    "/api/v1/houses/{project_id}/stages": {"post"},
    "/api/v1/houses/{project_id}/cancellation": {"post"},
    "/api/v1/grants": {"get", "post"},
    "/api/v1/grants/follow-ups/overdue": {"get"},
    "/api/v1/grants/{grant_id}": {"get"},
    "/api/v1/grants/{grant_id}/delivery": {"post"},
    "/api/v1/grants/{grant_id}/follow-ups": {"post"},
    "/api/v1/grants/{grant_id}/evidence": {"post"},
    "/api/v1/photos": {"post"},
    "/api/v1/photos/{digest}": {"get"},
    "/api/v1/grants/{grant_id}/closure": {"post"},
    "/api/v1/people": {"get", "post"},
    "/api/v1/people/{person_id}": {"get"},
    "/api/v1/people/{person_id}/activation-links": {"post"},
    "/api/v1/people/{person_id}/disable": {"post"},
    "/api/v1/funds/{fund_id}/giving-account": {"put"},
    "/api/v1/public/funds/{fund_id}/vietqr": {"get"},
    "/api/v1/pledges/{pledge_id}/vietqr": {"get"},
    "/api/v1/bank-notifications/{source}": {"post"},
    "/api/v1/funds/{fund_id}/notified-credits": {"get"},
    "/api/v1/funds/{fund_id}/notified-credits/{credit_id}/assignment": {"post"},
}
#: The routes anyone may call without a token: what the public and donors check.
PUBLIC = {
    "/api/v1/audit/key",
    "/api/v1/audit/checkpoints",
    "/api/v1/audit/checkpoints/latest",
    "/api/v1/audit/checkpoints/{tree_size}",
    "/api/v1/audit/witnesses",
    "/api/v1/audit/proofs/inclusion",
    "/api/v1/audit/proofs/consistency",
    "/api/v1/public/receipts/{reference}",
    "/api/v1/public/funds/{fund_id}/statement",
    "/api/v1/public/units/{unit_id}/disclosure",
    "/api/v1/public/questions/{code}",
    "/api/v1/public/units/{unit_id}/people-check",
    "/api/v1/public/funds/{fund_id}/vietqr",
}
#: Writes anyone may send without a token; they honour no Idempotency-Key.
PUBLIC_WRITES = {"POST /api/v1/public/questions"}
#: Posts from a bank notification service: authenticated by the service's own key or
#: signature (``Authorization: Apikey``, ``Secure-Token``), never by a bearer token.
NOTIFICATIONS = {"POST /api/v1/bank-notifications/{source}"}
#: Writes that take no body: the request itself is the whole command.
BODILESS = {
    "POST /api/v1/audit/checkpoints",
    "POST /api/v1/people/{person_id}/activation-links",
    "POST /api/v1/people/{person_id}/disable",
}
#: Writes that take a file as multipart/form-data: its field, and the answer (a job, 202,
#: for a bank file; the photo kept, 201).
UPLOADS = {
    "POST /api/v1/funds/{fund_id}/imports": ("file", "202"),
    "POST /api/v1/photos": ("photo", "201"),
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def test_healthz_says_the_process_is_up_without_a_token(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": VERSION}


def test_readyz_reports_the_log_head_and_each_projections_lag(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    behind = ok(client.get("/readyz"))
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=world.position))
    caught_up = ok(client.get("/readyz"))

    assert behind["status"] == caught_up["status"] == "ready"
    assert behind["head"] == caught_up["head"] == world.position
    assert {"units", "funds", "ledger", "audit", "log_tree"} <= set(behind["positions"])
    assert set(behind["lag"]) == set(behind["positions"])
    assert all(lag == world.position for lag in behind["lag"].values())
    assert all(lag == 0 for lag in caught_up["lag"].values())
    assert all(p == world.position for p in caught_up["positions"].values())


def test_metrics_are_prometheus_text_with_the_head_and_the_lag_per_projection(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "# TYPE sovang_log_head_position gauge" in text
    assert re.search(rf"^sovang_log_head_position {world.position}(\.0)?$", text, re.M)
    assert re.search(
        rf'^sovang_projection_lag_events\{{projection="ledger"\}} {world.position}(\.0)?$',
        text,
        re.M,
    )


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_the_openapi_document_is_openapi_3_and_describes_every_v1_route(
    client: FlaskClient,
) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert document["info"]["version"] == VERSION
    paths = document["paths"]
    described = {p: set(ops) & HTTP_METHODS for p, ops in paths.items() if p.startswith("/api/v1")}
    assert described == CONTRACT
    for rule in client.application.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
            assert path in paths, path
    for ref in _refs(document):
        assert _resolve(document, ref) is not None, ref


def test_every_openapi_operation_declares_its_parameters_answers_and_security(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()
    schemes = document["components"]["securitySchemes"]

    for path, operations in document["paths"].items():
        templated = set(re.findall(r"\{(\w+)\}", path))
        for method, op in operations.items():
            if method not in HTTP_METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert op["responses"], where
            assert all(re.fullmatch(r"[1-5]\d\d", code) for code in op["responses"]), where
            assert all("description" in answer for answer in op["responses"].values()), where
            params = op.get("parameters", [])
            assert {p["name"] for p in params if p["in"] == "path"} == templated, where
            assert all({"name", "in"} <= p.keys() and "schema" in p for p in params), where
            if not path.startswith("/api/v1"):
                continue
            if path in PUBLIC and method == "get":
                assert "security" not in op, where
                assert "401" not in op["responses"], where
                continue
            if where in PUBLIC_WRITES:
                assert "security" not in op, where
                assert {"201", "422", "429"} <= set(op["responses"]), where
                assert "Idempotency-Key" not in {p["name"] for p in params}, where
                continue
            if where in NOTIFICATIONS:
                assert "security" not in op, where
                assert {"401", "403"} <= set(op["responses"]), where
                continue
            assert [list(s) for s in op["security"]] == [["bearer"]], where
            assert schemes["bearer"] == {"type": "http", "scheme": "bearer"}
            assert "401" in op["responses"], where
            if where in UPLOADS:
                field, answer = UPLOADS[where]
                form = op["requestBody"]["content"]["multipart/form-data"]["schema"]
                assert form["properties"][field] == {"type": "string", "format": "binary"}
                assert {answer, "413", "422"} <= set(op["responses"]), where
            elif where in BODILESS:
                assert "requestBody" not in op, where
                assert "Idempotency-Key" not in {p["name"] for p in params}, where
            elif method == "post":
                assert op["requestBody"]["content"]["application/json"]["schema"], where
                assert {"201", "413", "422"} <= set(op["responses"]), where
                assert "Idempotency-Key" in {p["name"] for p in params}, where
                problem = op["responses"]["422"]["content"]["application/problem+json"]
                assert problem["schema"]["$ref"] == "#/components/schemas/Problem"


def test_the_openapi_document_describes_money_as_integers(client: FlaskClient) -> None:
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]

    amounts = [
        schema["properties"]["amount"]
        for schema in schemas.values()
        if "amount" in schema.get("properties", {})
    ]

    assert amounts
    assert all(amount["type"] == "integer" for amount in amounts)


def test_what_a_post_creates_is_linked_to_the_operations_that_take_it(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()
    operations = {
        op["operationId"]: op
        for ops in document["paths"].values()
        for method, op in ops.items()
        if method in HTTP_METHODS
    }
    links = {
        (source["operationId"], status, name): link
        for source in operations.values()
        for status, answer in source["responses"].items()
        for name, link in answer.get("links", {}).items()
    }

    for (source, status, _), link in links.items():
        target = operations[link["operationId"]]
        taken = {f"{p['in']}.{p['name']}" for p in target["parameters"]}
        needed = {f"path.{p['name']}" for p in target["parameters"] if p["in"] == "path"}
        assert needed <= link.get("parameters", {}).keys() <= taken, (source, link)
        body = target.get("requestBody", {}).get("content", {}).get("application/json", {})
        ref = body.get("schema", {}).get("$ref", "")
        fields = _resolve(document, ref)["properties"] if ref else {}
        assert link.get("requestBody", {}).keys() <= fields.keys(), (source, link)
        assert status.startswith("2"), (source, status)
    linked = {(source, name) for source, _, name in links}
    assert {
        ("register_unit", "get_unit"),
        ("register_unit", "open_fund"),
        ("open_fund", "record_receipt"),
        ("record_receipt", "reverse_entry"),
        ("record_disbursement", "approve_payment"),
        ("make_pledge", "get_pledge"),
        ("register_household", "approve_house"),
        ("approve_house", "record_stage"),
        ("approve_grant", "get_grant"),
        ("open_supervision", "record_finding"),
        ("record_finding", "record_response"),
        ("sign_now", "cosign"),
    } <= linked


def test_the_docs_page_loads_only_local_assets_and_they_all_load(client: FlaskClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert not re.search(r"(?i)https?://", html)
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"']?\s*//", html)
    assets = re.findall(r"(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), asset
        loaded = client.get(asset)
        assert loaded.status_code == 200, asset
        assert loaded.get_data(), asset
        loaded.close()


def test_the_docs_page_reads_this_services_document_and_calls_no_other_host(
    client: FlaskClient,
) -> None:
    html = client.get("/docs").get_data(as_text=True)
    scripts = [
        s
        for s in re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
        if "swagger-ui" not in s.rsplit("/", 1)[-1]
    ]
    assert scripts

    for script in scripts:
        code = client.get(script).get_data(as_text=True)
        assert not re.search(r"https?://", code), script
        urls = re.findall(r"url\s*:\s*[\"']([^\"']+)[\"']", code)
        assert urls, script
        assert all(u.startswith("/") for u in urls), script
        assert all(client.get(u).status_code == 200 for u in urls)
        # Swagger UI's default badge loads an image from validator.swagger.io
        assert re.search(r"validatorUrl\s*:\s*(null|[\"']none[\"'])", code), script
