"""The FastAPI application: enrolment, push, pull, case list. OpenAPI at ``/docs`` and ``/openapi.json``."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, insert, select, update

from intake_app.forms import Form, load_intake_form
from intake_app.sync import protocol
from intake_app.sync.server import auth, store
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


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


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
) -> FastAPI:
    engine = create_server_engine(database) if isinstance(database, str) else database
    if migrate:
        upgrade(engine)
    questionnaire = form or load_intake_form()
    limiter = throttle or auth.AuthThrottle()
    app = FastAPI(title="intake_app sync", version="1", summary="Push and pull of answers between laptops")
    app.state.engine = engine
    app.state.throttle = limiter

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _problem(error.status, error.code, error.reason, error.index, error.headers)

    @app.exception_handler(store.PushRefused)
    async def _refused(_request: Request, error: store.PushRefused) -> JSONResponse:
        return _problem(error.status, error.code, error.reason, error.index)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        index = next((part for part in first.get("loc", ())[2:3] if isinstance(part, int)), None)
        return _problem(422, "invalid_request", f"{where}: {first.get('msg', 'ongeldig')}", index)

    @app.post(f"{protocol.API_PREFIX}/enrol", response_model=protocol.EnrolResponse)
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
              responses={401: {"model": protocol.Problem}, 403: {"model": protocol.Problem},
                         413: {"model": protocol.Problem}, 422: {"model": protocol.Problem}})
    def push(body: protocol.PushRequest, device: Identity) -> Response:
        """Apply a batch of changes. Re-sending a batch id returns the first answer and changes nothing."""
        store.check_batch(questionnaire, body)
        with write_transaction(engine) as connection:
            result = store.push(connection, device, questionnaire, body)
        return Response(json.dumps(result, ensure_ascii=False, separators=(",", ":")), media_type="application/json")

    @app.get(f"{protocol.API_PREFIX}/pull", response_model=protocol.PullResponse,
             responses={401: {"model": protocol.Problem}})
    def pull(
        device: Identity,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_LIMIT)] = protocol.DEFAULT_PULL_LIMIT,
    ) -> Response:
        """Events of the device's municipality after sequence number ``after``, oldest first."""
        with engine.connect() as connection:
            result = store.pull(connection, device.municipality_id, after, limit)
        return Response(json.dumps(result, ensure_ascii=False, separators=(",", ":")), media_type="application/json")

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

    app.add_middleware(BodyLimit, limit=body_limit)
    return app
