"""The OpenAPI builder and body reading, on a small API built here, and on both real APIs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import httpx
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from pydantic import BaseModel, Field, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from adapters.webchat import api_models as webchat
from bot.desk import agent_models as agent
from bot.ops.settings import Settings
from bot.server import build_app
from bot.web.json_response import FastJSONResponse
from bot.web.openapi import (
    REF_TEMPLATE,
    ApiModel,
    ErrorBody,
    Operation,
    Parameter,
    Returns,
    error_message,
    openapi_document,
    read_body,
)
from testbed.clock import fixed_clock


class Colour(ApiModel):
    """A colour to paint with."""

    name: Annotated[str, Field(min_length=1, max_length=10)]
    shade: Literal["light", "dark"] | None = None


class Painted(ApiModel):
    """What was painted."""

    colour: Colour
    coats: int


PAINT: Final = Operation(
    "post",
    "/paint/{wall}",
    "Paint a wall",
    {200: Returns("Painted.", Painted), 422: Returns("Refused.", ErrorBody)},
    request=Colour,
    parameters=(
        Parameter("wall", "path", Annotated[str, Field(pattern="^[a-z]+$")], "Which wall."),
        Parameter("coats", "query", Annotated[int, Field(ge=1, le=3)]),
    ),
)
PAGE: Final = Operation(
    "get", "/", "A page", {200: Returns("The page.", media_types=("text/html",))}, public=True
)


def small_document(**extra: Any) -> dict[str, Any]:
    return openapi_document(
        title="paint", version="1", description="Walls.", operations=(PAINT, PAGE), **extra
    )


def resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    name = schema["$ref"].removeprefix("#/components/schemas/")
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def test_bodies_come_from_the_models_json_schema() -> None:
    document = small_document()
    assert document["openapi"] == "3.1.0"
    operation = document["paths"]["/paint/{wall}"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    assert request == {"$ref": "#/components/schemas/Colour"}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    painted = resolved(document, answer)
    # The model's own schema, with its nested models hoisted into components.
    own = Painted.model_json_schema(ref_template=REF_TEMPLATE, mode="serialization")
    own.pop("$defs")
    assert set(painted) == set(own)
    assert painted["properties"]["colour"] == {"$ref": "#/components/schemas/Colour"}
    assert painted["additionalProperties"] is False
    colour = document["components"]["schemas"]["Colour"]
    assert colour["properties"]["name"] == {"type": "string", "minLength": 1, "maxLength": 10}
    assert "$defs" not in json.dumps(document)
    page = document["paths"]["/"]["get"]["responses"]["200"]["content"]
    assert page == {"text/html": {"schema": {"type": "string"}}}


def test_parameters_are_described_from_their_types() -> None:
    [wall, coats] = small_document()["paths"]["/paint/{wall}"]["post"]["parameters"]
    assert wall == {
        "name": "wall",
        "in": "path",
        "required": True,
        "description": "Which wall.",
        "schema": {"type": "string", "pattern": "^[a-z]+$"},
    }
    assert coats == {
        "name": "coats",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 3},
    }


def test_a_bearer_token_is_required_except_where_public() -> None:
    document = small_document(bearer="A token.")
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["paths"]["/"]["get"]["security"] == []
    assert "security" not in document["paths"]["/paint/{wall}"]["post"]
    assert "security" not in small_document()


@pytest.mark.parametrize(
    ("operations", "problem"),
    [
        ((PAINT, PAINT), "described twice"),
        ((Operation("get", "/a/{b}", "x", {200: Returns("y")}),), "path parameters"),
        ((Operation("get", "/a", "x", {}),), "no response"),
    ],
)
def test_a_wrong_declaration_fails_at_once(operations: tuple[Operation, ...], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        openapi_document(title="t", version="1", description="d", operations=operations)


# -- error messages ---------------------------------------------------------------------------


def message_for(model: type[BaseModel], body: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate_json(body)
    return error_message(caught.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "the body is not valid JSON"),
        (b"[]", "the body must be a JSON object"),
        (b'{"name": "red", "hue": 1, "alpha": 2}', "unknown field(s): alpha, hue"),
        (b'{"name": null}', "name must not be null"),
        (b'{"shade": "pale"}', '"name" is required'),
        (b'{"name": ""}', '"name" must be a non-empty string'),
        (b'{"name": "ultramarine!"}', '"name" must be at most 10 characters'),
        (b'{"name": 7}', '"name" must be a string'),
        (b'{"name": "red", "shade": "pale"}', '"shade" must be "light" or "dark"'),
    ],
)
def test_a_refusal_is_one_sentence_naming_the_field(body: bytes, message: str) -> None:
    assert message_for(Colour, body) == message


def test_a_nested_field_is_named_by_its_path() -> None:
    body = b'{"colour": {"name": "red", "shade": "pale"}, "coats": 1}'
    assert message_for(Painted, body) == '"colour.shade" must be "light" or "dark"'


# -- reading a body ---------------------------------------------------------------------------


def paint_app() -> Starlette:
    async def paint(request: Request) -> Response:
        colour = await read_body(request, Colour)
        if isinstance(colour, Response):
            return colour
        return FastJSONResponse({"colour": colour.model_dump(), "coats": 1})

    async def lenient(request: Request) -> Response:
        shade = await read_body(request, Shade, allow_empty=True)
        return shade if isinstance(shade, Response) else FastJSONResponse(shade.model_dump())

    return Starlette(
        routes=[
            Route("/paint", paint, methods=["POST"]),
            Route("/lenient", lenient, methods=["POST"]),
        ]
    )


class Shade(ApiModel):
    """A shade, or the default one."""

    shade: Literal["light", "dark"] = "light"


@pytest.fixture
async def paint_client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=paint_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://paint.test") as client:
        yield client


async def test_a_valid_body_reaches_the_handler_as_the_model(
    paint_client: httpx.AsyncClient,
) -> None:
    answered = await paint_client.post("/paint", json={"name": "red"})
    assert answered.status_code == 200
    assert answered.json() == {"colour": {"name": "red", "shade": None}, "coats": 1}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the body must be a JSON object"),
        (b"  \n", "the body must be a JSON object"),
        (b'{"name": "\xff"}', "the body is not valid JSON"),
        (b'{"name": "red", "x": 1}', "unknown field(s): x"),
    ],
)
async def test_a_bad_body_is_422_with_one_message(
    paint_client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    refused = await paint_client.post(
        "/paint", content=body, headers={"content-type": "application/json"}
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/json"
    assert refused.json() == {"error": message}


async def test_an_empty_body_is_an_empty_object_where_allowed(
    paint_client: httpx.AsyncClient,
) -> None:
    assert (await paint_client.post("/lenient")).json() == {"shade": "light"}
    assert (await paint_client.post("/lenient", json={"shade": "dark"})).json() == {"shade": "dark"}


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "text/plain;charset=UTF-8"},  # fetch(…, {mode: "no-cors", body})
        {"content-type": "application/x-www-form-urlencoded"},
        {"content-type": "multipart/form-data; boundary=x"},
        {},  # a typeless Blob: a browser sends it cross-site without asking, too
    ],
)
async def test_a_body_not_sent_as_json_is_415(
    paint_client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    refused = await paint_client.post("/paint", content=b'{"name": "red"}', headers=headers)
    assert refused.status_code == 415
    assert refused.json() == {"error": "the body must be sent as Content-Type: application/json"}
    assert (await paint_client.post("/lenient", content=b"", headers=headers)).status_code == (
        200 if not headers else 415
    )


async def test_json_with_parameters_is_json(paint_client: httpx.AsyncClient) -> None:
    answered = await paint_client.post(
        "/paint",
        content=b'{"name": "red"}',
        headers={"content-type": "Application/JSON; charset=utf-8"},
    )
    assert answered.status_code == 200


# -- both real APIs ---------------------------------------------------------------------------


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=("openapi-token-0123456789",)
    )
    app = build_app(settings, clock=fixed_clock())
    await app.state.runtime.engine.store.open()
    try:
        yield app
    finally:
        await app.state.runtime.engine.store.close()


def _webchat_description(_: Starlette) -> dict[str, Any]:
    return webchat.description()


def _agent_description(app: Starlette) -> dict[str, Any]:
    # Served with the running profile's question ids as the hand-back's answers' keys (12fc963).
    profile = app.state.runtime.engine.profile
    questions = tuple(profile.questionnaire.flowchart.questions)
    return agent.description_for(profile.affected_domains[0], questions)


DESCRIBED: Final[dict[str, tuple[str, Callable[[Starlette], dict[str, Any]]]]] = {
    "/api/webchat/": ("/api/webchat/openapi.json", _webchat_description),
    "/api/agent/": ("/api/agent/openapi.json", _agent_description),
}


@pytest.mark.parametrize("prefix", DESCRIBED)
async def test_every_api_route_of_the_app_is_in_its_served_description(
    app: Starlette, prefix: str
) -> None:
    url, generated = DESCRIBED[prefix]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        served = await client.get(url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    document = served.json()
    assert document == generated(app)
    routes = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith(prefix)
        for method in route.methods or ()
        if method != "HEAD"
    }
    described = {
        (path, method)
        for path, item in document["paths"].items()
        if path.startswith(prefix)
        for method in item
    }
    assert routes
    assert routes == described


@pytest.mark.parametrize("generated", [webchat.description, agent.description])
def test_each_description_is_valid_and_every_reference_resolves(
    generated: Any,
) -> None:
    document = generated()
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    resolver = registry.resolver()
    text = json.dumps(document)
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert f'"#/components/schemas/{name}"' in text, f"{name} is described but unused"
    for ref in set(_refs(document)):
        resolver.lookup("urn:doc" + ref)


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []
