"""Handing a case to another municipality: an encrypted transfer package (``.intake-overdracht``).

When a newcomer moves, the receiving municipality continues the intake or the plan (the route stays:
the plan versions travel with the answers). The package holds the case, every answer and every plan
version (with the PDFs that were handed out), encrypted with AES-256-GCM under a key that is either

* derived from a passphrase with Argon2id (:class:`intake_app.storage.keys.KdfParams`, the same
  parameters that protect a vault), the passphrase told to the receiver by phone, never by e-mail; or
* agreed with the receiving municipality's X25519 public key (an ephemeral key pair, HKDF-SHA256),
  so only the holder of the matching private key can open it. A key pair is made with
  ``intake-app recovery-key generate`` and the public half sent to the sender.

File layout: ``MAGIC``, a 4-byte big-endian header length, the header (JSON: scheme, KDF parameters
or public keys, nonce; no personal data), then the ciphertext of the zlib-compressed JSON payload. The
header is the AES-GCM associated data, so changing any byte of it makes the package unreadable.

The receiving app imports the package as a new case marked "overgenomen" (transferred in) with the
sending municipality; the sending app marks its case "overgedragen", which can be undone (reopen).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from intake_app.forms import load_intake_form
from intake_app.i18n import N_
from intake_app.services.case_service import CaseStatus, NewCase, Origin
from intake_app.services.vault_service import VaultSession
from intake_app.storage import keys
from intake_app.storage.errors import VaultError
from intake_app.storage.passphrase import check_passphrase

MAGIC: Final = b"intake_app overdracht\n"
FORMAT: Final = "intake_app.transfer"
VERSION: Final = 1
SUFFIX: Final = ".intake-overdracht"
IMPORT_KIND: Final = "transfer"
MAX_BYTES: Final = 200_000_000  # plan PDFs included; a package is normally well under 1 MB
_HKDF_INFO: Final = b"intake_app/transfer/v1/x25519\0"
_SCHEME_PASSPHRASE: Final = "argon2id-aes-256-gcm"
_SCHEME_X25519: Final = "x25519-hkdf-sha256-aes-256-gcm"


class TransferError(VaultError):
    message = N_("Het overdrachtsbestand kan niet worden gelezen.")


class NotATransfer(TransferError):
    message = N_("Dit is geen overdrachtsbestand van intake_app.")


class TransferTooNew(TransferError):
    message = N_("Dit overdrachtsbestand is gemaakt met een nieuwere versie van de app. Werk de app bij.")


class WrongTransferSecret(TransferError):
    message = N_("Het wachtwoord klopt niet, of het bestand is onderweg beschadigd.")


class WrongTransferKey(TransferError):
    message = N_("Dit overdrachtsbestand is voor een andere sleutel gemaakt.")


class NeedsPassphrase(TransferError):
    message = N_("Dit overdrachtsbestand is met een wachtwoord beveiligd: vul het wachtwoord in.")


class NeedsPrivateKey(TransferError):
    message = N_("Dit overdrachtsbestand is voor de sleutel van uw gemeente gemaakt: kies het sleutelbestand.")


class WeakTransferPassphrase(TransferError):
    message = N_("Dit wachtwoord is te zwak voor een overdracht: {advice}")


class TransferFileExists(TransferError):
    message = N_("Er staat al een bestand met deze naam. Kies een andere naam; er is niets overschreven.")


class TransferAlreadyImported(TransferError):
    message = N_("Deze overdracht is al ingelezen (op {at}, door {officer}). Er is niets gewijzigd.")


@dataclass(frozen=True)
class Protection:
    """How a package is protected: exactly one of a passphrase or the receiver's public key."""

    passphrase: str | None = None
    public_key: X25519PublicKey | None = None

    def __post_init__(self) -> None:
        if (self.passphrase is None) == (self.public_key is None):
            raise ValueError("a transfer is protected by a passphrase or by a public key, not both")


@dataclass(frozen=True)
class TransferPreview:
    """A package opened and read, not yet imported."""

    sha256: str
    display_name: str
    status: str
    route: str  # of the newest plan version; "" when there is none
    answer_count: int
    plan_versions: int
    sending_municipality: str
    exported_at: str
    exported_by: str
    payload: dict[str, Any]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _x25519_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO + ephemeral + recipient).derive(shared)


# -- sealing and opening ----------------------------------------------------------------------------


def seal(payload: dict[str, Any], protection: Protection, *, kdf: keys.KdfParams | None = None) -> bytes:
    plain = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9)
    nonce = os.urandom(keys.NONCE_BYTES)
    header: dict[str, Any] = {"format": FORMAT, "version": VERSION, "nonce": _b64(nonce)}
    if protection.passphrase is not None:
        params = (kdf or keys.KdfParams.DEFAULT).with_new_salt()
        key = params.derive(protection.passphrase)
        header.update(scheme=_SCHEME_PASSPHRASE, kdf={
            "time_cost": params.time_cost, "memory_cost": params.memory_cost, "parallelism": params.parallelism,
            "salt": _b64(params.salt),
        })
    else:
        assert protection.public_key is not None
        ephemeral_key = X25519PrivateKey.generate()
        ephemeral, recipient = _raw(ephemeral_key.public_key()), _raw(protection.public_key)
        key = _x25519_key(ephemeral_key.exchange(protection.public_key), ephemeral, recipient)
        header.update(scheme=_SCHEME_X25519, ephemeral=_b64(ephemeral), recipient=_b64(recipient))
    header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    sealed = AESGCM(key).encrypt(nonce, plain, MAGIC + header_bytes)
    return MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes + sealed


def read_header(data: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, header bytes, ciphertext); raises NotATransfer / TransferTooNew."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise NotATransfer()
    (length,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    start = len(MAGIC) + 4
    header_bytes = data[start:start + length]
    try:
        header = json.loads(header_bytes)
    except ValueError:
        raise NotATransfer() from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise NotATransfer()
    if header.get("version") != VERSION:
        raise TransferTooNew()
    return header, header_bytes, data[start + length:]


def needs(data: bytes) -> str:
    """``"passphrase"`` or ``"key"``: what the receiver must supply to open this package."""
    header, _, _ = read_header(data)
    return "passphrase" if header.get("scheme") == _SCHEME_PASSPHRASE else "key"


def open_package(
    data: bytes, *, passphrase: str | None = None, private_key: X25519PrivateKey | None = None
) -> dict[str, Any]:
    header, header_bytes, sealed = read_header(data)
    try:
        nonce = _unb64(header["nonce"])
        if header.get("scheme") == _SCHEME_PASSPHRASE:
            if passphrase is None:
                raise NeedsPassphrase()
            kdf = header["kdf"]
            params = keys.KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]),
                                    _unb64(kdf["salt"]))
            key = params.derive(passphrase)
        elif header.get("scheme") == _SCHEME_X25519:
            if private_key is None:
                raise NeedsPrivateKey()
            recipient = _unb64(header["recipient"])
            if _raw(private_key.public_key()) != recipient:
                raise WrongTransferKey()
            ephemeral = _unb64(header["ephemeral"])
            key = _x25519_key(private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral)), ephemeral, recipient)
        else:
            raise TransferTooNew()
    except (KeyError, TypeError, ValueError):
        raise NotATransfer() from None
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, MAGIC + header_bytes)
    except InvalidTag:
        raise WrongTransferSecret() from None
    payload = json.loads(zlib.decompress(plain).decode("utf-8"))
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise NotATransfer()
    return payload


# -- the sending municipality -----------------------------------------------------------------------


def build_payload(session: VaultSession, case_id: str, sending_municipality: str = "") -> dict[str, Any]:
    rows = session.cases.export_rows(case_id)
    summary = session.case(case_id)
    return {
        "format": FORMAT, "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"), "exported_by": session.officer,
        "sending_municipality": sending_municipality.strip()[:200],
        "form_version": load_intake_form().version,
        "case": {
            "status": rows.status, "client_language": rows.client_language, "created_at": rows.created_at,
            "pip_date": rows.pip_date, "is_demo": summary.is_demo,
        },
        "answers": [[question, entry, value] for question, entry, value in rows.answers],
        "plan_versions": rows.plan_versions,
        "plan_documents": [{**document, "pdf": _b64(document["pdf"])} for document in rows.plan_documents],
    }


def export_case(
    session: VaultSession, case_id: str, path: Path, protection: Protection, *, sending_municipality: str = "",
    mark_transferred: bool = True, kdf: keys.KdfParams | None = None,
) -> Path:
    """Write the package (never over an existing file), audit it, and mark the case transferred."""
    if protection.passphrase is not None:
        verdict = check_passphrase(protection.passphrase)
        if not verdict.acceptable:
            raise WeakTransferPassphrase(advice=verdict.message.format(**verdict.params))
    data = seal(build_payload(session, case_id, sending_municipality), protection, kdf=kdf)
    try:
        keys.write_file_atomically(Path(path), data, overwrite=False)
    except FileExistsError:
        raise TransferFileExists() from None
    how = "passphrase" if protection.passphrase is not None else "x25519:" + keys.recovery_key_fingerprint(
        protection.public_key  # type: ignore[arg-type]
    ).replace(" ", "")[:16]
    session.cases.record_export(case_id, f"transfer:{how}")
    if mark_transferred:
        session.cases.mark_transferred(case_id)
    return Path(path)


# -- the receiving municipality ---------------------------------------------------------------------


def read_package(
    path: Path, *, passphrase: str | None = None, private_key: X25519PrivateKey | None = None
) -> TransferPreview:
    data = Path(path).read_bytes() if Path(path).stat().st_size <= MAX_BYTES else b""
    if not data:
        raise NotATransfer()
    payload = open_package(data, passphrase=passphrase, private_key=private_key)
    answers = {(q, e): v for q, e, v in payload.get("answers", [])}
    name = " ".join(str(answers[(q, "")]) for q in ("given_names", "family_name") if (q, "") in answers)
    versions = payload.get("plan_versions", [])
    return TransferPreview(
        sha256=hashlib.sha256(data).hexdigest(), display_name=name, status=payload["case"]["status"],
        route=versions[-1]["route"] if versions else "", answer_count=len(answers), plan_versions=len(versions),
        sending_municipality=payload.get("sending_municipality", ""), exported_at=payload.get("exported_at", ""),
        exported_by=payload.get("exported_by", ""), payload=payload,
    )


def import_package(session: VaultSession, preview: TransferPreview) -> str:
    """Create the case as "transferred in", with its answers and plan versions, in one transaction."""
    earlier = session.cases.find_import(preview.sha256)
    if earlier is not None:
        raise TransferAlreadyImported(at=earlier.imported_at[:16].replace("T", " "), officer=earlier.imported_by)
    payload = preview.payload
    case = payload["case"]
    status = CaseStatus(case["status"])
    if status in (CaseStatus.TRANSFERRED, CaseStatus.CLOSED):
        status = CaseStatus.INTAKE_IN_PROGRESS
    documents = [{**document, "pdf": _unb64(document["pdf"])} for document in payload.get("plan_documents", [])]
    new = NewCase(
        answers=[((q, e), v) for q, e, v in payload.get("answers", [])],
        status=status, client_language=case.get("client_language") or "nl", origin=Origin.TRANSFER_IN.value,
        origin_detail=payload.get("sending_municipality", ""), pip_date=case.get("pip_date"),
        is_demo=bool(case.get("is_demo")), plan_versions=payload.get("plan_versions", []), plan_documents=documents,
    )
    case_id, _import_id = session.cases.create(new, import_kind=IMPORT_KIND, sha256=preview.sha256)
    return case_id


def load_public_key(path: Path) -> X25519PublicKey:
    return keys.load_recovery_public_key(path)


def describe_public_key(path: Path) -> str:
    """The fingerprint of a receiver's public key, to compare by phone before sending."""
    return keys.recovery_key_fingerprint(load_public_key(path))


def load_private_key(path: Path, passphrase: str | None = None) -> X25519PrivateKey:
    return keys.load_recovery_private_key(path, passphrase)


def default_file_name(today: date | None = None) -> str:
    """No name in the file name: it shows in folder listings and mail attachments."""
    return f"overdracht-{(today or date.today()).isoformat()}{SUFFIX}"
