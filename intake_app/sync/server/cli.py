"""``intake-server``: run the sync server and administer it.

    intake-server migrate --db URL
    intake-server admin create-municipality --db URL --code 0363 --name Amsterdam
    intake-server admin create-officer --db URL --municipality 0363 --name "Fatima de Vries"
    intake-server admin enrol-code --db URL --officer 1 [--valid-hours 72]
    intake-server admin revoke-device --db URL --device 3
    intake-server admin list-devices --db URL
    intake-server serve --db URL [--host 127.0.0.1] [--port 8443] [--ssl-certfile F --ssl-keyfile F]
                        [--trusted-proxy CIDR ...]

``--db`` defaults to $INTAKE_SERVER_DB, else ``sqlite:///intake-server.db``. PostgreSQL:
``postgresql://user@host/dbname`` (psycopg 3). ``--trusted-proxy`` (repeatable) defaults to
$INTAKE_SERVER_TRUSTED_PROXIES (comma-separated), else none: X-Forwarded-For is ignored.
"""

from __future__ import annotations

import argparse
import os
import sys

from intake_app.sync.server import admin, auth
from intake_app.sync.server.db import create_server_engine, upgrade

TRUSTED_PROXIES_ENV = "INTAKE_SERVER_TRUSTED_PROXIES"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake-server", description="Sync-server voor intake_app.")
    default_db = os.environ.get("INTAKE_SERVER_DB", "sqlite:///intake-server.db")
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="het databaseschema bijwerken")
    migrate.add_argument("--db", default=default_db)

    serve = sub.add_parser("serve", help="de server starten")
    serve.add_argument("--db", default=default_db)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--ssl-certfile")
    serve.add_argument("--ssl-keyfile")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--trusted-proxy", action="append", type=_network, metavar="CIDR",
        help="reverse proxy (adres of netwerk) waarvan X-Forwarded-For geloofd wordt; herhaalbaar "
             "(standaard: $INTAKE_SERVER_TRUSTED_PROXIES, anders geen)",
    )

    adm = sub.add_parser("admin", help="gemeenten, medewerkers en laptops beheren")
    adm_sub = adm.add_subparsers(dest="action", required=True)
    municipality = adm_sub.add_parser("create-municipality")
    municipality.add_argument("--code", required=True)
    municipality.add_argument("--name", required=True)
    officer = adm_sub.add_parser("create-officer")
    officer.add_argument("--municipality", required=True, help="code van de gemeente")
    officer.add_argument("--name", required=True)
    code = adm_sub.add_parser("enrol-code", help="eenmalige koppelcode voor één laptop")
    code.add_argument("--officer", type=int, required=True, help="nummer van de medewerker")
    code.add_argument("--valid-hours", type=float, default=72)
    revoke = adm_sub.add_parser("revoke-device")
    revoke.add_argument("--device", type=int, required=True)
    adm_sub.add_parser("list-devices")
    for action in (municipality, officer, code, revoke, adm_sub.choices["list-devices"]):
        action.add_argument("--db", default=default_db)
    return parser


def _network(value: str) -> str:
    try:
        auth.parse_networks([value])
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value.strip()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        return _serve(args)
    engine = create_server_engine(args.db)
    try:
        upgrade(engine)
        if args.command == "migrate":
            print("Databaseschema is bijgewerkt.")
            return 0
        return _admin(engine, args)
    except admin.AdminError as error:
        print(str(error), file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _admin(engine: object, args: argparse.Namespace) -> int:
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    if args.action == "create-municipality":
        print(f"Gemeente {args.code} aangemaakt (nummer {admin.create_municipality(engine, args.code, args.name)}).")
    elif args.action == "create-officer":
        print(f"Medewerker aangemaakt: nummer {admin.create_officer(engine, args.municipality, args.name)}.")
    elif args.action == "enrol-code":
        code = admin.create_enrolment_code(engine, args.officer, args.valid_hours)
        print(f"Koppelcode (eenmalig, {args.valid_hours:g} uur geldig): {code}")
    elif args.action == "revoke-device":
        admin.revoke_device(engine, args.device)
        print(f"Apparaat {args.device} ingetrokken.")
    elif args.action == "list-devices":
        for device_id, name, officer, municipality, revoked in admin.list_devices(engine):
            print(f"{device_id}\t{name}\t{officer}\t{municipality}\t{'ingetrokken' if revoked else 'actief'}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    os.environ["INTAKE_SERVER_DB"] = args.db
    if args.trusted_proxy is not None:
        os.environ[TRUSTED_PROXIES_ENV] = ",".join(args.trusted_proxy)
    try:  # $INTAKE_SERVER_TRUSTED_PROXIES is checked too, before anything starts
        proxies = auth.parse_networks(_trusted_proxies())
    except ValueError as error:
        print(f"{TRUSTED_PROXIES_ENV}: {error}", file=sys.stderr)
        return 2
    if proxies:
        print(f"X-Forwarded-For wordt alleen geloofd van: {', '.join(map(str, proxies))}")
    engine = create_server_engine(args.db)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    uvicorn.run(
        "intake_app.sync.server.cli:app_from_environment", factory=True, host=args.host, port=args.port,
        ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile, workers=args.workers,
        proxy_headers=False, log_level="info", timeout_graceful_shutdown=10,
    )
    return 0


def app_from_environment() -> object:
    """The app for uvicorn's factory mode (also for several workers): database from $INTAKE_SERVER_DB."""
    import gc

    from intake_app.sync.server.app import create_app

    app = create_app(os.environ.get("INTAKE_SERVER_DB", "sqlite:///intake-server.db"), migrate=False,
                     trusted_proxies=_trusted_proxies())
    # The long-lived objects (modules, the app, the questionnaire) out of the collector's way, and
    # fewer young-generation passes: a push allocates tens of thousands of short-lived lists, and
    # collections over the whole heap paused pushes by up to a tenth of a second.
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    return app


def _trusted_proxies() -> list[str]:
    return [item for item in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if item.strip()]


if __name__ == "__main__":
    sys.exit(main())
