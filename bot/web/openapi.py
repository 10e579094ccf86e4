"""JSON APIs declared with pydantic models: their OpenAPI description, and reading bodies.

An API lists its operations once, next to its models; the OpenAPI 3.1 document is built
from that list and the models' JSON Schemas, so it cannot say something the models do not.
The routes stay plain Starlette routes: a handler reads its body with `read_body`, which
validates it in pydantic's Rust core and answers a refusal the way the APIs always have,
422 with `{"error": "<one sentence naming the field>"}`.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode
from pydantic_core import ErrorDetails, core_schema
from starlette.requests import Request

from bot.web.json_response import FastJSONResponse

OPENAPI_VERSION: Final = "3.1.0"
NOT_JSON_MESSAGE: Final = "the body must be sent as Content-Type: application/json"
REF_TEMPLATE: Final = "#/components/schemas/{model}"
JSON: Final = "application/json"

Method = Literal["get", "post", "put", "patch", "delete"]
ModelT = TypeVar("ModelT", bound=BaseModel)


class ApiModel(BaseModel):
    """A JSON object of an API: unknown fields are refused, and a parsed body is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(ApiModel):
    """Every refusal: a message for the developer of the client, not for subscribers."""

    error: str = Field(min_length=1, description="What was wrong with the request, in English.")


@dataclass(frozen=True, slots=True)
class Parameter:
    """A path or query parameter; its schema comes from `annotation`, a type pydantic knows."""

    name: str
    location: Literal["path", "query"]
    annotation: Any
    description: str = ""


@dataclass(frozen=True, slots=True)
class Returns:
    """One documented status: the body's model (None: a plain string, or any JSON object)."""

    description: str
    model: type[BaseModel] | None = None
    media_types: tuple[str, ...] = (JSON,)
    headers: Mapping[str, str] = field(default_factory=dict)  # name → what it says


@dataclass(frozen=True, slots=True)
class Operation:
    """One method on one path, as the routes serve it."""

    method: Method
    path: str
    summary: str
    responses: Mapping[int, Returns]
    description: str = ""
    request: type[BaseModel] | None = None
    request_required: bool = True
    parameters: tuple[Parameter, ...] = ()
    operation_id: str = ""
    tags: tuple[str, ...] = ()
    public: bool = False  # needs no token even when the document asks for one everywhere


RETRY_AFTER_HEADER: Final = {"Retry-After": "Whole seconds to wait before sending again."}


def too_many(limit: str) -> Returns:
    """The 429 of a per-client limit, `limit` saying which; it carries Retry-After."""
    return Returns(
        f"Too many requests from this client: {limit}. Nothing was done; send it again after "
        "`Retry-After` seconds.",
        ErrorBody,
        headers=RETRY_AFTER_HEADER,
    )


class _Schemas(GenerateJsonSchema):
    # A property's title only repeats its name; the models' own titles stay.
    def field_title_should_be_set(self, schema: core_schema.CoreSchemaType | Any) -> bool:
        return False


def openapi_document(
    *,
    title: str,
    version: str,
    description: str,
    operations: Sequence[Operation],
    tags: Mapping[str, str] | None = None,
    bearer: str | None = None,
    throttled: str | None = None,
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `operations`, every body schema generated from its model.

    `bearer`, when given, describes the token that every operation but the `public` ones
    needs. `throttled`, when given, names a per-client limit over every operation: each
    documents its 429 (`too_many`). Raises ValueError when an operation repeats another or
    its path and parameters disagree, so a mistake stops the server at its first request for
    the document.
    """
    _check(operations)
    # Every schema is generated in one pass, so a model used by several operations is one
    # component; the slots are filled once pydantic has named the components.
    pending: list[tuple[dict[str, Any], JsonSchemaMode, TypeAdapter[Any]]] = []

    def schema_of(annotation: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        slot: dict[str, Any] = {}
        pending.append((slot, mode, TypeAdapter(annotation)))
        return slot

    paths: dict[str, dict[str, Any]] = {}
    for operation in operations:
        entry: dict[str, Any] = {"summary": operation.summary}
        if operation.operation_id:
            entry["operationId"] = operation.operation_id
        if operation.tags:
            entry["tags"] = list(operation.tags)
        if operation.description:
            entry["description"] = operation.description
        if operation.parameters:
            entry["parameters"] = [
                {
                    "name": p.name,
                    "in": p.location,
                    "required": p.location == "path",
                    **({"description": p.description} if p.description else {}),
                    "schema": schema_of(p.annotation, "validation"),
                }
                for p in operation.parameters
            ]
        if operation.request is not None:
            entry["requestBody"] = {
                "required": operation.request_required,
                "content": {JSON: {"schema": schema_of(operation.request, "validation")}},
            }
        responses = dict(operation.responses)
        if operation.request is not None:
            responses.setdefault(415, _NOT_JSON)
            responses.setdefault(400, _DUPLICATE_KEY)
        if throttled is not None:
            responses.setdefault(429, too_many(throttled))
        entry["responses"] = {
            str(status): _response(
                returns,
                None if returns.model is None else schema_of(returns.model, "serialization"),
            )
            for status, returns in sorted(responses.items())
        }
        if bearer is not None and operation.public:
            entry["security"] = []
        paths.setdefault(operation.path, {})[operation.method] = entry
    schemas, definitions = TypeAdapter.json_schemas(
        [(number, mode, adapter) for number, (_, mode, adapter) in enumerate(pending)],
        ref_template=REF_TEMPLATE,
        schema_generator=_Schemas,
    )
    for number, (slot, mode, _) in enumerate(pending):
        slot.update(schemas[(number, mode)])

    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": description},
    }
    if tags:
        document["tags"] = [{"name": name, "description": text} for name, text in tags.items()]
    document["paths"] = paths
    components: dict[str, Any] = {"schemas": definitions.get("$defs", {})}
    if bearer is not None:
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": bearer}
        }
        document["security"] = [{"bearer": []}]
    document["components"] = components
    return document


# Documented on every operation that takes a body, by `read_body`'s rule.
_NOT_JSON: Final = Returns(
    "The body was sent with a Content-Type other than `application/json` (or with none).",
    ErrorBody,
)
_DUPLICATE_KEY: Final = Returns(
    "An object of the body has the same key twice, or the body nests too deeply to check.",
    ErrorBody,
)


def _response(returns: Returns, body: dict[str, Any] | None) -> dict[str, Any]:
    content = {
        media: {"schema": body if body is not None else _unmodelled(media)}
        for media in returns.media_types
    }
    entry: dict[str, Any] = {"description": returns.description, "content": content}
    if returns.headers:
        entry["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in returns.headers.items()
        }
    return entry


def _unmodelled(media: str) -> dict[str, Any]:
    return {"type": "object"} if media == JSON else {"type": "string"}


def _check(operations: Sequence[Operation]) -> None:
    seen: set[tuple[str, str]] = set()
    for operation in operations:
        where = f"{operation.method.upper()} {operation.path}"
        if (operation.path, operation.method) in seen:
            raise ValueError(f"{where} is described twice")
        seen.add((operation.path, operation.method))
        in_path = {
            part[1:-1]
            for part in operation.path.split("/")
            if part.startswith("{") and part.endswith("}")
        }
        declared = {p.name for p in operation.parameters if p.location == "path"}
        if in_path != declared:
            raise ValueError(
                f"{where}: path parameters {sorted(in_path)} but {sorted(declared)} described"
            )
        if not operation.responses:
            raise ValueError(f"{where} documents no response")


# The domain both descriptions' examples are written with (the seed's); a running profile's
# replaces it (`adapters.webchat.api_models.description_for`, `bot.desk.agent_models`'s).
EXAMPLE_DOMAIN: Final = "vp.117.ne.jp"


# -- reading a body ---------------------------------------------------------------------------


async def read_body(
    request: Request,
    model: type[ModelT],
    *,
    allow_empty: bool = False,
    reasons: Mapping[str, str] | None = None,
) -> ModelT | FastJSONResponse:
    """The request's JSON body as `model`, or the 422 response that refuses it.

    An empty body (or only white space) is `{}` when `allow_empty`, and refused otherwise.
    `reasons` maps a field to the 422's `reason` when the refusal names that field, so that
    a client can word it for its user (the console: the agent's name, a colleague's).
    A body whose Content-Type is not `application/json` gets 415 before it is parsed: a page
    on another origin can send `text/plain` (or a form) without asking the browser's
    permission, but never `application/json`, so this is what keeps other sites' pages
    from driving the API through a visitor's browser.
    """
    content_type = request.headers.get("content-type")
    body = await request.body()
    if not _declares_json(content_type, empty=not body):
        return error_response(415, NOT_JSON_MESSAGE)
    if not body.strip():
        if not allow_empty:
            return error_response(422, "the body must be a JSON object")
        body = b"{}"
    try:
        refuse_duplicate_keys(body)
    except AmbiguousJsonError as err:
        return error_response(400, str(err))
    try:
        return model.model_validate_json(body)
    except ValidationError as err:
        reason = (reasons or {}).get(refused_field(err) or "")
        if reason is None:
            return error_response(422, error_message(err))
        return FastJSONResponse({"error": error_message(err), "reason": reason}, status_code=422)


class AmbiguousJsonError(ValueError):
    """A JSON body that two readers could read differently (answered with 400)."""


class DuplicateKeyError(AmbiguousJsonError):
    """A JSON object names the same key twice."""


class TooDeepError(AmbiguousJsonError):
    """A JSON body nests deeper than Python's own parser goes."""


def _one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKeyError(f"the key {key!r} appears twice in one object")
        found[key] = value
    return found


# One decoder for every body: `json.loads` with a hook builds a new one per call.
_PAIRS_DECODER: Final = json.JSONDecoder(object_pairs_hook=_one_value_per_key)
# Its scanner (the C one), which reads one value from where it is told.
_SCAN_ONE: Final = json.scanner.make_scanner(_PAIRS_DECODER)  # type: ignore[arg-type]  # typeshed: the class


def refuse_duplicate_keys(body: bytes | str) -> None:
    """Raise DuplicateKeyError if an object of the JSON `body` repeats a key.

    JSON leaves a repeated key's meaning open: most parsers keep the last value, some the
    first, so one signed body could mean two things to two readers (a shape check and an
    SDK, a proxy and the bot). Every JSON body mailmove reads itself is checked here, next
    to its own parser, which alone judges whether the body is JSON at all.

    A body nested deeper than Python's parser goes (about a thousand levels, less the
    caller's stack) raises TooDeepError: it cannot be checked, and an SDK reading it with
    `json` would fail with a RecursionError, which is no ValueError (a 500).
    """
    try:
        if isinstance(body, bytes):  # as `json.loads` reads bytes
            body = body.decode(_encoding(body), "surrogatepass")
        # The decoder's own scanner, as `_PAIRS_DECODER.decode` calls it past the white space
        # before the value, without its Python around it (what follows the first value is
        # not read: a decode would refuse it, and it is left to the caller's parser too).
        _SCAN_ONE(body, len(body) - len(body.lstrip(_JSON_WHITE_SPACE)))
    except RecursionError:
        raise TooDeepError("the body nests too deeply") from None
    except DuplicateKeyError:
        raise
    except (ValueError, StopIteration):  # StopIteration: no JSON value where it begins
        return


# What JSON counts as white space (json.decoder.WHITESPACE's).
_JSON_WHITE_SPACE: Final = " \t\n\r"


def _encoding(body: bytes) -> str:
    """`json.detect_encoding(body)`; 'utf-8' at once for a body that begins as JSON text does.

    A first byte of ASCII but NUL and a second that is not NUL begin no byte order mark
    (those begin with 0x00, 0xEF, 0xFE or 0xFF) nor UTF-16 or UTF-32 text without one, so
    `detect_encoding` would say 'utf-8' too: its walk was a third of the check's cost.
    """
    if len(body) >= 2 and 0 < body[0] < 0x80 and body[1]:
        return "utf-8"
    return json.detect_encoding(body)


def _declares_json(content_type: str | None, *, empty: bool) -> bool:
    # Only a request with no body at all may leave the type out (`curl -X POST`): a browser
    # sends a typeless Blob body without asking permission too.
    if content_type is None:
        return empty
    return content_type.partition(";")[0].strip().lower() == JSON


def error_response(status: int, message: str) -> FastJSONResponse:
    """`{"error": message}` with `status`: the one shape of every refusal."""
    return FastJSONResponse({"error": message}, status_code=status)


def error_message(error: ValidationError) -> str:
    """One sentence for the client's developer that names the field and what is wrong.

    Unknown fields first (all of them), then fields sent as null (all of them), then the
    first other problem. A validator's ValueError is written as what the value must be
    ("must not be only white space"): its text follows the field's name.
    """
    details = error.errors(include_url=False)
    unknown = sorted(_name(d["loc"]) for d in details if d["type"] == "extra_forbidden")
    if unknown:
        return f"unknown field(s): {', '.join(unknown)}"
    nulls = sorted(
        _name(d["loc"])
        for d in details
        if d["loc"] and d["input"] is None and d["type"] != "missing"
    )
    if nulls:
        # The description documents a value: a null is a client bug worth naming.
        return f"{', '.join(nulls)} must not be null"
    return _sentence(details[0])


def refused_field(error: ValidationError) -> str | None:
    """The top-level field `error_message` names, or None (unknown fields, the whole body)."""
    details = error.errors(include_url=False)
    if any(d["type"] == "extra_forbidden" for d in details):
        return None
    nulls = sorted(
        _name(d["loc"])
        for d in details
        if d["loc"] and d["input"] is None and d["type"] != "missing"
    )
    loc = (nulls[0],) if nulls else details[0]["loc"]
    return str(loc[0]).split(".")[0] if loc else None


def _name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


_BODY_PROBLEMS: Final = {
    "json_invalid": "the body is not valid JSON",
    "json_type": "the body is not valid JSON",
    "model_type": "the body must be a JSON object",
    "model_attributes_type": "the body must be a JSON object",
    "dict_type": "the body must be a JSON object",
}
_PROBLEMS: Final = {
    "missing": "is required",
    "string_type": "must be a string",
    "string_too_long": "must be at most {max_length} characters",
    "literal_error": "must be {expected}",
    "enum": "must be {expected}",
    "dict_type": "must be an object",
    "list_type": "must be an array",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
}


def _sentence(detail: ErrorDetails) -> str:
    loc, kind, context = detail["loc"], detail["type"], detail.get("ctx", {})
    if not loc:
        if kind == "value_error":
            return str(context["error"])
        return _BODY_PROBLEMS.get(kind, detail["msg"])
    if loc[-1] == "[key]":
        subject = f'"{_name(loc[:-2])}" key {_quoted(detail.get("input"))}'
    else:
        subject = f'"{_name(loc)}"'
    if kind == "value_error":
        return f"{subject} {context['error']}"
    if kind == "string_too_short":
        minimum = int(context.get("min_length", 1))
        if minimum == 1:
            return f"{subject} must be a non-empty string"
        return f"{subject} must be at least {minimum} characters"
    template = _PROBLEMS.get(kind)
    if template is None:
        return f"{subject}: {detail['msg']}"
    if "expected" in context:
        context = {**context, "expected": str(context["expected"]).replace("'", '"')}
    return f"{subject} {template.format(**context)}"


def _quoted(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)
