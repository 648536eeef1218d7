"""Administration: municipalities, officers, one-time enrolment codes, revoking a laptop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, select, update

from intake_app.sync.server import auth
from intake_app.sync.server.db import write_transaction
from intake_app.sync.server.models import Device, EnrolmentCode, Municipality, Officer


class AdminError(Exception):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def create_municipality(engine: Engine, code: str, name: str) -> int:
    with write_transaction(engine) as connection:
        if connection.execute(select(Municipality.id).where(Municipality.code == code)).first():
            raise AdminError(f"gemeente {code} bestaat al")
        return int(connection.execute(
            insert(Municipality).values(code=code, name=name, last_seq=0).returning(Municipality.id)
        ).scalar_one())


def create_officer(engine: Engine, municipality_code: str, name: str) -> int:
    with write_transaction(engine) as connection:
        municipality_id = connection.execute(
            select(Municipality.id).where(Municipality.code == municipality_code)
        ).scalar()
        if municipality_id is None:
            raise AdminError(f"onbekende gemeente {municipality_code}")
        return int(connection.execute(
            insert(Officer).values(municipality_id=municipality_id, name=name, created_at=_now().isoformat())
            .returning(Officer.id)
        ).scalar_one())


def create_enrolment_code(engine: Engine, officer_id: int, valid_hours: float = 72) -> str:
    """A one-time code for one laptop of this officer; only its hash is stored."""
    code = auth.new_enrolment_code()
    now = _now()
    with write_transaction(engine) as connection:
        if connection.execute(select(Officer.id).where(Officer.id == officer_id)).first() is None:
            raise AdminError(f"onbekende medewerker {officer_id}")
        connection.execute(
            insert(EnrolmentCode).values(
                code_hash=auth.digest(auth.normalise_code(code)), officer_id=officer_id,
                created_at=now.isoformat(timespec="microseconds"),
                expires_at=(now + timedelta(hours=valid_hours)).isoformat(timespec="microseconds"),
                used_at=None,
            )
        )
    return code


def revoke_device(engine: Engine, device_id: int) -> None:
    with write_transaction(engine) as connection:
        result = connection.execute(
            update(Device).where(Device.id == device_id, Device.revoked_at.is_(None))
            .values(revoked_at=_now().isoformat(timespec="microseconds"))
        )
        if result.rowcount == 0:
            raise AdminError(f"geen actief apparaat {device_id}")


def list_devices(engine: Engine) -> list[tuple[int, str, str, str, bool]]:
    """(device id, name, officer, municipality code, revoked) for every enrolled laptop."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Device.id, Device.name, Officer.name, Municipality.code, Device.revoked_at)
            .join(Officer, Officer.id == Device.officer_id)
            .join(Municipality, Municipality.id == Device.municipality_id)
            .order_by(Device.id)
        )
        return [(r[0], r[1], r[2], r[3], r[4] is not None) for r in rows]
