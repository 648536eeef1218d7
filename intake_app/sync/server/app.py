"""The FastAPI application: enrolment, push, pull, case list. OpenAPI at ``/docs`` and ``/openapi.json``."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from http import HTTPStatus
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import Engine, insert, select, update
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from intake_app.forms import Form, load_intake_form
from intake_app.sync import protocol
from intake_app.sync.server import auth, records, store
from intake_app.sync.server.db import create_server_engine, upgrade, write_transaction
from intake_app.sync.server.models import Device, EnrolmentCode, Municipality, Officer

log = logging.getLogger("intake_app.sync.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ApiError(Exception):
    def __init__(self, status: int, code: str, reason: str, *, index: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason, self.index, self.headers = status, code, reason, index, headers


def _problem(status: int, code: str, reason: str, index: int | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    body = protocol.Problem(code=code, reason=reason, index=index).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers)


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, by its Content-Length or while it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _send_problem(send, 413, "too_large", f"meer dan {self.limit} bytes")
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit and not started:
                    # Answer now and tell the app the client left: it stops reading, whatever it does next.
                    refused = True
                    await _send_problem(send, 413, "too_large", f"meer dan {self.limit} bytes")
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, tracking_send)


async def _send_problem(send: Send, status: int, code: str, reason: str) -> None:
    body = json.dumps({"code": code, "reason": reason}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _document_push_request(app: FastAPI) -> None:
    """Put PushRequest into the OpenAPI components: the push route reads its body by hand."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            model = protocol.PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(model.pop("$defs", {}))
            components["PushRequest"] = model
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


_PROBLEMS = {
    400: "The body cannot be read",
    401: "Unknown or revoked device token, or an unknown, expired or used enrolment code",
    403: "A case of another municipality",
    409: "The batch id was used by another device",
    413: f"The body is larger than {protocol.MAX_BODY_BYTES} bytes",
    422: "The request does not follow the protocol, or a change does not fit the questionnaire",
    429: "Too many failed attempts from this address: wait Retry-After seconds (even with a good token)",
}


def _problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: these statuses answer with a Problem body."""
    return {status: {"model": protocol.Problem, "description": _PROBLEMS[status]} for status in statuses}


def _document_problems(app: FastAPI) -> None:
    """Document every 4xx a route can give, each with a Problem body: 422 for a route with parameters
    or a body (never FastAPI's HTTPValidationError: the handler answers a Problem), 400 and 413 with
    a body (BodyLimit), 401 and 429 for a route behind the device token (AuthThrottle)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for route in app.routes:
                if isinstance(route, APIRoute):
                    for method in route.methods or ():
                        operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
                        if operation is not None:
                            _add_problems(operation, route)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("Problem", protocol.Problem.model_json_schema())
            for unused in ("HTTPValidationError", "ValidationError"):
                components.pop(unused, None)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _add_problems(operation: dict[str, Any], route: APIRoute) -> None:
    def calls(dependant: Any) -> Iterator[Any]:
        for dependency in dependant.dependencies:
            yield dependency.call
            yield from calls(dependency)

    statuses = {int(status) for status in operation["responses"] if str(status).startswith("4")}
    body = "requestBody" in operation
    token = device_identity in set(calls(route.dependant))
    statuses |= {422} if body or operation.get("parameters") else set()
    statuses |= {400, 413} if body else set()
    statuses |= {401, 429} if token else set()
    for status in sorted(statuses):
        response: dict[str, Any] = {
            "description": _PROBLEMS.get(status, HTTPStatus(status).phrase),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status == 429:
            response["headers"] = {"Retry-After": {"description": "seconds to wait", "required": True,
                                                   "schema": {"type": "integer", "minimum": 1}}}
        if status == 401 and token:
            response["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"const": "Bearer"}}}
        operation["responses"][str(status)] = response
    operation["responses"] = dict(sorted(operation["responses"].items()))


def client_address(request: Request) -> str:
    """Whom the authentication throttle counts: the peer, or behind a trusted proxy the client it names."""
    peer = request.client.host if request.client else "?"
    trusted: tuple[auth.Network, ...] = getattr(request.app.state, "trusted_proxies", ())
    return auth.forwarded_client(peer, request.headers.getlist("x-forwarded-for"), trusted)


def _check_not_throttled(limiter: auth.AuthThrottle, address: str) -> None:
    wait = limiter.retry_after(address)
    if wait > 0:
        raise ApiError(429, "too_many_failures", "te veel mislukte pogingen; wacht even",
                       headers={"Retry-After": str(int(wait) + 1)})


def device_identity(request: Request) -> auth.DeviceIdentity:
    """The device behind the bearer token; 401 for a wrong or revoked one, 429 while throttled."""
    limiter: auth.AuthThrottle = request.app.state.throttle
    engine: Engine = request.app.state.engine
    address = client_address(request)
    _check_not_throttled(limiter, address)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    found = None
    if scheme.lower() == "bearer" and token.strip():
        with engine.connect() as connection:
            found = connection.execute(
                select(Device.id, Device.municipality_id, Device.revoked_at, Officer.name)
                .join(Officer, Officer.id == Device.officer_id)
                .where(Device.token_hash == auth.digest(token.strip()))
            ).first()
    if found is None or found.revoked_at is not None:
        limiter.failed(address)
        raise ApiError(401, "unauthorised", "onbekend of ingetrokken apparaat", headers={"WWW-Authenticate": "Bearer"})
    limiter.succeeded(address)
    return auth.DeviceIdentity(found.id, found.name, found.municipality_id)


Identity = Annotated[auth.DeviceIdentity, Depends(device_identity)]


def create_app(
    database: str | Engine = "sqlite:///intake-server.db",
    *,
    form: Form | None = None,
    throttle: auth.AuthThrottle | None = None,
    migrate: bool = True,
    body_limit: int = protocol.MAX_BODY_BYTES,
    trusted_proxies: Iterable[str | auth.Network] = (),
) -> FastAPI:
    proxies = auth.parse_networks(trusted_proxies)  # a wrong one fails here, before anything starts
    engine = create_server_engine(database) if isinstance(database, str) else database
    if migrate:
        upgrade(engine)
    rules = store.Questionnaire.of(form or load_intake_form())
    limiter = throttle or auth.AuthThrottle()
    app = FastAPI(title="intake_app sync", version="1", summary="Push and pull of answers between laptops")
    app.state.engine = engine
    app.state.throttle = limiter
    # Only a request from one of these may name its client in X-Forwarded-For (default: nobody).
    app.state.trusted_proxies = proxies

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _problem(error.status, error.code, error.reason, error.index, error.headers)

    @app.exception_handler(store.PushRefused)
    async def _refused(_request: Request, error: store.PushRefused) -> JSONResponse:
        return _problem(error.status, error.code, error.reason, error.index)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, error: HTTPException) -> JSONResponse:
        # FastAPI's own refusals (an unreadable body, an unknown path, a wrong method) get a Problem too.
        codes = {400: "unreadable_body", 404: "not_found", 405: "method_not_allowed"}
        code = codes.get(error.status_code, "http_error")
        headers = dict(error.headers) if error.headers else None  # e.g. Allow, with a 405
        return _problem(error.status_code, code, str(error.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        index = next((part for part in first.get("loc", ())[2:3] if isinstance(part, int)), None)
        return _problem(422, "invalid_request", f"{where}: {first.get('msg', 'ongeldig')}", index)

    @app.post(f"{protocol.API_PREFIX}/enrol", response_model=protocol.EnrolResponse,
              responses=_problem_responses(401, 429))
    def enrol(body: protocol.EnrolRequest, request: Request) -> dict[str, Any]:
        """Exchange a one-time enrolment code for a device token (shown once, stored only hashed)."""
        address = client_address(request)
        _check_not_throttled(limiter, address)
        now = store.now_iso()
        token = auth.new_token()
        with write_transaction(engine) as connection:
            code_hash = auth.digest(auth.normalise_code(body.code))
            claimed = connection.execute(
                update(EnrolmentCode)
                .where(EnrolmentCode.code_hash == code_hash, EnrolmentCode.used_at.is_(None),
                       EnrolmentCode.expires_at > now)
                .values(used_at=now)
                .returning(EnrolmentCode.officer_id)
            ).first()
            if claimed is None:
                limiter.failed(address)
                raise ApiError(401, "bad_code", "deze koppelcode is onbekend, verlopen of al gebruikt")
            officer = connection.execute(
                select(Officer.id, Officer.name, Officer.municipality_id, Municipality.name.label("municipality"))
                .join(Municipality, Municipality.id == Officer.municipality_id)
                .where(Officer.id == claimed.officer_id)
            ).one()
            device_id = connection.execute(
                insert(Device).values(
                    officer_id=officer.id, municipality_id=officer.municipality_id, name=body.device_name,
                    token_hash=auth.digest(token), created_at=now, revoked_at=None,
                ).returning(Device.id)
            ).scalar_one()
        limiter.succeeded(address)
        log.info("device enrolled")
        return {"token": token, "device": device_id, "officer": officer.name, "municipality": officer.municipality}

    @app.post(f"{protocol.API_PREFIX}/push", response_model=protocol.PushResponse,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}}}},
              responses=_problem_responses(403, 409))  # and 400, 401, 413, 422, 429: _document_problems
    async def push(request: Request, device: Identity) -> Response:
        """Apply a batch of changes. Re-sending a batch id returns the first answer and changes nothing."""
        try:
            body = await request.body()
        except ClientDisconnect:  # gone, or cut off by BodyLimit (which has answered 413 already)
            return Response(status_code=400)
        return await run_in_threadpool(apply_push, body, device)

    def apply_push(body: bytes, device: auth.DeviceIdentity) -> Response:
        # The body is read by protocol.parse_push rather than by FastAPI's model binding: the same
        # rules (PushRequest documents them), ten times faster on a batch of thousands of changes.
        # Read and checked before the write transaction, so while another batch of the municipality
        # is being stored.
        try:
            batch = protocol.parse_push(body)
        except protocol.PayloadError as error:
            raise ApiError(422, "invalid_request", error.reason, index=error.index) from None
        with write_transaction(engine) as connection:
            response = store.push(connection, device, rules, batch)
        return Response(response, media_type="application/json")

    @app.get(f"{protocol.API_PREFIX}/pull", response_model=protocol.PullResponse,
             responses={401: {"model": protocol.Problem}})
    def pull(
        device: Identity,
        after: Annotated[int, Query(ge=0, le=protocol.MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)] = protocol.DEFAULT_PULL_LIMIT,
        mine: bool = False,
    ) -> Response:
        """Events of the device's municipality after sequence number ``after``, oldest first; the
        device's own changes only with ``mine`` (a laptop restored from a backup re-reads them)."""
        with engine.connect() as connection:
            result = store.pull(connection, device.municipality_id, after, limit, device_id=device.device_id,
                                mine=mine)
        return Response(orjson.dumps(result), media_type="application/json")

    @app.get(f"{protocol.API_PREFIX}/cases", response_model=protocol.CaseList,
             responses={401: {"model": protocol.Problem}})
    def cases(device: Identity) -> dict[str, Any]:
        """The case ids of the device's municipality (a device sees no other municipality's cases)."""
        with engine.connect() as connection:
            return {"case_ids": store.case_ids(connection, device.municipality_id)}

    @app.get("/health")
    def health() -> dict[str, str]:
        with engine.connect() as connection:
            connection.execute(select(1))
        return {"status": "ok"}

    records.register(app, engine, device_identity)  # plan versions, case status, deletions
    _document_push_request(app)
    _document_problems(app)
    app.add_middleware(BodyLimit, limit=body_limit)
    return app
