"""The key file of a vault (``keys.json`` beside the database).

The SQLCipher database is opened with a random 256-bit *data key*. The key file never holds that key in
clear: each officer's passphrase wraps it (Argon2id → AES-256-GCM) and a municipal X25519 recovery key can
wrap it too (sealed box: ephemeral X25519, HKDF-SHA256, AES-256-GCM). Changing a passphrase re-wraps the
key only; the data is not re-encrypted.

Security notes for callers:

* A wrong passphrase and an unknown officer raise the same :class:`InvalidCredentials` after the same
  Argon2id work, so the login screen does not tell whether an account exists. (The officer names *are*
  readable in the file itself: whoever can read the file can see them; they are not secret.)
* A checksum over the whole file tells accidental damage (:class:`KeyFileDamaged`) apart from a wrong
  passphrase. It is not a MAC; tampering is caught by the AES-GCM tags and the key check.
* Removing an officer removes their wrap, not their knowledge: an old copy of the key file still opens
  with their passphrase. Revoking an officer for cause needs a new data key (SQLCipher ``rekey``).
* Python cannot wipe ``bytes``: keep the data key in as few places as possible.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import os
import tempfile
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Final, TypeVar

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from intake_app.i18n import N_

log = logging.getLogger(__name__)
_T = TypeVar("_T")

KEY_FILE_NAME: Final = "keys.json"
FORMAT_NAME: Final = "intake_app.keyfile"
FORMAT_VERSION: Final = 1
DATA_KEY_BYTES: Final = 32
SALT_BYTES: Final = 16
NONCE_BYTES: Final = 12
_WRAPPED_KEY_BYTES: Final = DATA_KEY_BYTES + 16  # AES-GCM appends a 16-byte tag
_MAX_KEY_FILE_BYTES: Final = 1 << 20
_MAX_NAME_LENGTH: Final = 200
_ARGON2_VERSION: Final = 19
_KDF_ALGORITHM: Final = "argon2id"
_CIPHER: Final = "aes-256-gcm"
_RECOVERY_SCHEME: Final = "x25519-hkdf-sha256-aes-256-gcm"
# Domain separation: a value made for one purpose can never be accepted for another.
_PASSPHRASE_AAD: Final = b"intake_app/keys/v1/passphrase-wrap\0"
_RECOVERY_AAD: Final = b"intake_app/keys/v1/recovery-wrap\0"
_RECOVERY_INFO: Final = b"intake_app/keys/v1/recovery-kek\0"
_KEY_CHECK_LABEL: Final = b"intake_app/keys/v1/key-check\0"
_DUMMY_SALT: Final = b"\0" * SALT_BYTES


# --- errors ---------------------------------------------------------------------------------------------


class KeyFileError(Exception):
    """Base class. ``message`` is a Dutch msgid (translate at display time); ``detail`` is for the log."""

    message: ClassVar[str] = N_("Er ging iets mis met het sleutelbestand van de kluis.")

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail


class InvalidCredentials(KeyFileError):
    """Wrong passphrase *or* unknown officer: deliberately indistinguishable."""

    message = N_("Naam of wachtwoord klopt niet.")

    def __init__(self) -> None:
        super().__init__()


class KeyFileDamaged(KeyFileError):
    message = N_(
        "Het sleutelbestand van deze kluis is beschadigd en kan niet worden gelezen. Het bestand is niet "
        "gewijzigd. Neem contact op met de functioneel beheerder."
    )


class KeyFileMissing(KeyFileError):
    message = N_("Het sleutelbestand van deze kluis ontbreekt. Neem contact op met de functioneel beheerder.")


class KeyFileTooNew(KeyFileError):
    message = N_("Dit sleutelbestand is gemaakt met een nieuwere versie van de app. Werk de app bij.")


class ForeignKeyFile(KeyFileError):
    message = N_(
        "Op deze plek staat al een sleutelbestand van een andere kluis; het wordt niet overschreven."
    )


class OfficerExists(KeyFileError):
    message = N_("Er is al een medewerker met deze naam.")


class UnknownOfficer(KeyFileError):
    """Only for administrative actions; a login never raises this (see :class:`InvalidCredentials`)."""

    message = N_("Er is geen medewerker met deze naam.")


class LastOfficer(KeyFileError):
    message = N_("De laatste medewerker kan niet worden verwijderd.")


class NoRecoveryKey(KeyFileError):
    message = N_("Deze kluis heeft geen herstelsleutel.")


class WrongRecoveryKey(KeyFileError):
    message = N_("Deze herstelsleutel hoort niet bij deze kluis.")


class RecoveryKeyUnreadable(KeyFileError):
    message = N_(
        "Het herstelsleutelbestand kan niet worden gelezen. Controleer het bestand en het wachtwoord."
    )


# --- primitives -----------------------------------------------------------------------------------------


def new_data_key() -> bytes:
    """32 random bytes: the raw SQLCipher key of a new vault."""
    return os.urandom(DATA_KEY_BYTES)


def _passphrase_bytes(passphrase: str) -> bytes:
    # NFKC so the same passphrase typed on another keyboard or OS gives the same bytes (NIST 800-63B).
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def display_name(name: str) -> str:
    """The stored form of an officer name: NFC, trimmed, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _name_key(name: str) -> str:
    return display_name(name).casefold()


def _is_valid_name(shown: str) -> bool:
    return 0 < len(shown) <= _MAX_NAME_LENGTH and shown.isprintable()


def _check_data_key(data_key: bytes) -> None:
    if not isinstance(data_key, bytes) or len(data_key) != DATA_KEY_BYTES:
        raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters of one wrap, stored beside it so they can be raised for new wraps later."""

    time_cost: int
    memory_cost: int  # KiB
    parallelism: int
    salt: bytes = b""

    DEFAULT: ClassVar[KdfParams]
    FAST_FOR_TESTS: ClassVar[KdfParams]

    def __post_init__(self) -> None:
        # Bounds also stop a crafted key file from making an unlock allocate or spin without end.
        if not 1 <= self.parallelism <= 16:
            raise ValueError("parallelism must be 1..16")
        if not 1 <= self.time_cost <= 32:
            raise ValueError("time_cost must be 1..32")
        if not 8 * self.parallelism <= self.memory_cost <= 1 << 20:
            raise ValueError("memory_cost must be 8*parallelism KiB .. 1 GiB")
        if self.salt and not SALT_BYTES <= len(self.salt) <= 64:
            raise ValueError(f"a salt is {SALT_BYTES}..64 bytes")

    def with_new_salt(self) -> KdfParams:
        return replace(self, salt=os.urandom(SALT_BYTES))

    def derive(self, passphrase: str) -> bytes:
        """The 32-byte key-encryption key for ``passphrase``."""
        if len(self.salt) < SALT_BYTES:
            raise ValueError("KdfParams without a salt cannot derive a key")
        return hash_secret_raw(
            _passphrase_bytes(passphrase),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
            version=_ARGON2_VERSION,
        )


# 128 MiB, 4 passes, 4 lanes: 0.26-0.31 s on the 2-core build machine (64 MiB/3 passes: only 0.12 s).
KdfParams.DEFAULT = KdfParams(time_cost=4, memory_cost=128 * 1024, parallelism=4)
KdfParams.FAST_FOR_TESTS = KdfParams(time_cost=1, memory_cost=64, parallelism=1)


def _passphrase_aad(vault_id: uuid.UUID, officer: str) -> bytes:
    return _PASSPHRASE_AAD + vault_id.bytes + _name_key(officer).encode("utf-8")


@dataclass(frozen=True)
class PassphraseWrap:
    """One officer's wrap of the data key."""

    officer: str
    kdf: KdfParams
    nonce: bytes
    wrapped_key: bytes  # AES-GCM ciphertext + tag

    @classmethod
    def create(
        cls, officer: str, passphrase: str, data_key: bytes, vault_id: uuid.UUID, params: KdfParams
    ) -> PassphraseWrap:
        _check_data_key(data_key)
        if not passphrase:
            raise ValueError("empty passphrase")
        kdf = params.with_new_salt()
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(kdf.derive(passphrase)).encrypt(nonce, data_key, _passphrase_aad(vault_id, officer))
        return cls(officer=officer, kdf=kdf, nonce=nonce, wrapped_key=sealed)

    def open(self, passphrase: str, vault_id: uuid.UUID) -> bytes:
        kek = self.kdf.derive(passphrase)
        try:
            return AESGCM(kek).decrypt(self.nonce, self.wrapped_key, _passphrase_aad(vault_id, self.officer))
        except InvalidTag:
            raise InvalidCredentials() from None


def _burn_unlock_time(passphrase: str) -> None:
    """The work of a real unlock, for a name that has no wrap."""
    kek = replace(KdfParams.DEFAULT, salt=_DUMMY_SALT).derive(passphrase)
    with contextlib.suppress(InvalidTag):
        AESGCM(kek).decrypt(bytes(NONCE_BYTES), bytes(_WRAPPED_KEY_BYTES), _PASSPHRASE_AAD)


def _recovery_kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_RECOVERY_INFO + ephemeral + recipient)
    return hkdf.derive(shared)


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class RecoveryWrap:
    """The data key sealed to the municipal X25519 recovery key."""

    recipient: bytes  # raw public key it is sealed to
    ephemeral: bytes  # raw ephemeral public key
    nonce: bytes
    wrapped_key: bytes

    @classmethod
    def seal(cls, data_key: bytes, public_key: X25519PublicKey, vault_id: uuid.UUID) -> RecoveryWrap:
        _check_data_key(data_key)
        ephemeral_key = X25519PrivateKey.generate()
        ephemeral, recipient = _raw_public(ephemeral_key.public_key()), _raw_public(public_key)
        kek = _recovery_kek(ephemeral_key.exchange(public_key), ephemeral, recipient)
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(kek).encrypt(nonce, data_key, _RECOVERY_AAD + vault_id.bytes)
        return cls(recipient=recipient, ephemeral=ephemeral, nonce=nonce, wrapped_key=sealed)

    def open(self, private_key: X25519PrivateKey, vault_id: uuid.UUID) -> bytes:
        if not hmac.compare_digest(_raw_public(private_key.public_key()), self.recipient):
            raise WrongRecoveryKey()
        try:
            shared = private_key.exchange(X25519PublicKey.from_public_bytes(self.ephemeral))
            kek = _recovery_kek(shared, self.ephemeral, self.recipient)
            return AESGCM(kek).decrypt(self.nonce, self.wrapped_key, _RECOVERY_AAD + vault_id.bytes)
        except (ValueError, InvalidTag):
            raise KeyFileDamaged("recovery wrap does not open with its own key") from None


# --- files ----------------------------------------------------------------------------------------------


def write_file_atomically(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, even after a crash.

    Temp file in the same folder (created 0600), fsync, rename over the target, fsync the folder.
    With ``overwrite=False`` an existing ``path`` raises :class:`FileExistsError` instead.
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as tmp_file:
            tmp_file.write(data)
            tmp_file.flush()
            os.fsync(tmp_file.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_exclusively(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _link_exclusively(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # atomic, and fails if path exists
    except FileExistsError:
        raise
    except OSError:  # no hard links (FAT USB stick): check, then rename
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def _fsync_directory(directory: Path) -> None:
    if os.name == "nt":  # NTFS renames are journalled; folders cannot be opened for fsync
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:  # the rename happened; some file systems just cannot sync folders
        log.warning("could not fsync folder %s: %s", directory, exc)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Fields:
    """Typed reads from one JSON object; any surprise is a damaged key file, named by its path."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise KeyFileDamaged(f"{where}: not an object")
        self._data: dict[str, object] = value
        self.where = where

    def raw(self, key: str) -> object:
        if key not in self._data:
            raise KeyFileDamaged(f"{self.where}.{key}: missing")
        return self._data[key]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise KeyFileDamaged(f"{self.where}.{key}: not a string")
        return value

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise KeyFileDamaged(f"{self.where}.{key}: not an integer")
        return value

    def data(self, key: str, size: int | tuple[int, int]) -> bytes:
        low, high = (size, size) if isinstance(size, int) else size
        try:
            value = base64.b64decode(self.text(key), validate=True)
        except (binascii.Error, ValueError):
            raise KeyFileDamaged(f"{self.where}.{key}: invalid base64") from None
        if not low <= len(value) <= high:
            raise KeyFileDamaged(f"{self.where}.{key}: wrong length")
        return value

    def expect(self, key: str, value: object) -> None:
        if self.raw(key) != value:
            raise KeyFileDamaged(f"{self.where}.{key}: unsupported value")

    def nested(self, key: str) -> _Fields:
        return _Fields(self.raw(key), f"{self.where}.{key}")


def _kdf_to_json(kdf: KdfParams) -> dict[str, Any]:
    return {
        "algorithm": _KDF_ALGORITHM,
        "version": _ARGON2_VERSION,
        "time_cost": kdf.time_cost,
        "memory_cost": kdf.memory_cost,
        "parallelism": kdf.parallelism,
        "salt": _b64(kdf.salt),
    }


def _wrap_from_json(fields: _Fields) -> PassphraseWrap:
    kdf = fields.nested("kdf")
    kdf.expect("algorithm", _KDF_ALGORITHM)
    kdf.expect("version", _ARGON2_VERSION)
    fields.expect("cipher", _CIPHER)
    try:
        params = KdfParams(
            time_cost=kdf.integer("time_cost"),
            memory_cost=kdf.integer("memory_cost"),
            parallelism=kdf.integer("parallelism"),
            salt=kdf.data("salt", (SALT_BYTES, 64)),
        )
    except ValueError as exc:
        raise KeyFileDamaged(f"kdf: {exc}") from None
    name = display_name(fields.text("name"))
    if not _is_valid_name(name):
        raise KeyFileDamaged(f"{fields.where}.name: not a valid officer name")
    return PassphraseWrap(
        officer=name,
        kdf=params,
        nonce=fields.data("nonce", NONCE_BYTES),
        wrapped_key=fields.data("wrapped_key", _WRAPPED_KEY_BYTES),
    )


def _recovery_from_json(fields: _Fields) -> RecoveryWrap:
    fields.expect("scheme", _RECOVERY_SCHEME)
    return RecoveryWrap(
        recipient=fields.data("recipient", 32),
        ephemeral=fields.data("ephemeral", 32),
        nonce=fields.data("nonce", NONCE_BYTES),
        wrapped_key=fields.data("wrapped_key", _WRAPPED_KEY_BYTES),
    )


# --- the key file ---------------------------------------------------------------------------------------


def _key_check(data_key: bytes, vault_id: uuid.UUID) -> bytes:
    # Lets us refuse to wrap a key that is not this vault's; reveals nothing about a 256-bit random key.
    return hmac.digest(data_key, _KEY_CHECK_LABEL + vault_id.bytes, "sha256")


@dataclass
class KeyFile:
    """Everything in ``keys.json``. Mutating methods change this object only; call :meth:`save`."""

    vault_id: uuid.UUID
    created: datetime
    key_check: bytes
    officers: list[PassphraseWrap] = field(default_factory=list)
    recovery: RecoveryWrap | None = None
    version: int = FORMAT_VERSION

    @classmethod
    def create(cls, data_key: bytes, *, vault_id: uuid.UUID | None = None) -> KeyFile:
        """A key file for a new vault, still without officers."""
        _check_data_key(data_key)
        vault_id = vault_id or uuid.uuid4()
        return cls(vault_id=vault_id, created=datetime.now(UTC), key_check=_key_check(data_key, vault_id))

    # officers

    def officer_names(self) -> list[str]:
        return [wrap.officer for wrap in self.officers]

    def officer_name(self, name: str) -> str:
        """The stored spelling of ``name`` (for the audit log); call it only after a successful unlock."""
        return self.officers[self._require_index(name)].officer

    def _index(self, name: str) -> int | None:
        key = _name_key(name)
        return next((i for i, wrap in enumerate(self.officers) if _name_key(wrap.officer) == key), None)

    def _require_index(self, name: str) -> int:
        index = self._index(name)
        if index is None:
            raise UnknownOfficer()
        return index

    def _verify(self, data_key: bytes) -> None:
        _check_data_key(data_key)
        if not hmac.compare_digest(_key_check(data_key, self.vault_id), self.key_check):
            raise ValueError("this data key does not belong to this vault")

    def add_officer(
        self, name: str, passphrase: str, data_key: bytes, params: KdfParams | None = None
    ) -> None:
        shown = display_name(name)
        if not _is_valid_name(shown):
            raise ValueError("an officer name is 1..200 printable characters")
        if self._index(shown) is not None:
            raise OfficerExists()
        self._verify(data_key)
        params = params or KdfParams.DEFAULT
        self.officers.append(PassphraseWrap.create(shown, passphrase, data_key, self.vault_id, params))

    def unlock(self, name: str, passphrase: str) -> bytes:
        """The data key; :class:`InvalidCredentials` for a wrong passphrase and an unknown name alike."""
        index = self._index(name)
        if index is None:
            _burn_unlock_time(passphrase)
            raise InvalidCredentials() from None  # shaped exactly like the wrong-passphrase error
        data_key = self.officers[index].open(passphrase, self.vault_id)
        if not hmac.compare_digest(_key_check(data_key, self.vault_id), self.key_check):
            raise KeyFileDamaged("an officer's wrap holds a key of another vault")
        return data_key

    def change_passphrase(self, name: str, old: str, new: str, params: KdfParams | None = None) -> None:
        """Re-wrap the data key under ``new`` (fresh salt and nonce); ``params=None`` keeps the costs."""
        data_key = self.unlock(name, old)
        index = self._require_index(name)
        wrap = self.officers[index]
        self.officers[index] = PassphraseWrap.create(
            wrap.officer, new, data_key, self.vault_id, params or wrap.kdf
        )

    def reset_passphrase(
        self, name: str, new: str, data_key: bytes, params: KdfParams | None = None
    ) -> None:
        """Give an existing officer a new passphrase without the old one (after :meth:`recover`)."""
        index = self._require_index(name)
        self._verify(data_key)
        officer = self.officers[index].officer
        params = params or KdfParams.DEFAULT
        self.officers[index] = PassphraseWrap.create(officer, new, data_key, self.vault_id, params)

    def remove_officer(self, name: str) -> None:
        index = self._require_index(name)
        if len(self.officers) == 1:
            raise LastOfficer()
        del self.officers[index]

    # recovery

    def set_recovery_key(self, public_key: X25519PublicKey, data_key: bytes) -> None:
        self._verify(data_key)
        self.recovery = RecoveryWrap.seal(data_key, public_key, self.vault_id)

    def recover(self, private_key: X25519PrivateKey) -> bytes:
        """The data key, opened with the municipal recovery private key."""
        if self.recovery is None:
            raise NoRecoveryKey()
        data_key = self.recovery.open(private_key, self.vault_id)
        if not hmac.compare_digest(_key_check(data_key, self.vault_id), self.key_check):
            raise KeyFileDamaged("the recovery wrap holds a key of another vault")
        return data_key

    # (de)serialisation

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": FORMAT_NAME,
            "version": self.version,
            "vault_id": str(self.vault_id),
            "created": self.created.isoformat(),
            "key_check": _b64(self.key_check),
            "officers": [
                {
                    "name": wrap.officer,
                    "kdf": _kdf_to_json(wrap.kdf),
                    "cipher": _CIPHER,
                    "nonce": _b64(wrap.nonce),
                    "wrapped_key": _b64(wrap.wrapped_key),
                }
                for wrap in self.officers
            ],
            "recovery": None,
        }
        if self.recovery is not None:
            body["recovery"] = {
                "scheme": _RECOVERY_SCHEME,
                "recipient": _b64(self.recovery.recipient),
                "ephemeral": _b64(self.recovery.ephemeral),
                "nonce": _b64(self.recovery.nonce),
                "wrapped_key": _b64(self.recovery.wrapped_key),
            }
        return {**body, "checksum": _checksum(body)}

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyFile:
        if len(data) > _MAX_KEY_FILE_BYTES:
            raise KeyFileDamaged("key file too large")
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise KeyFileDamaged(f"not JSON: {exc}") from None
        top = _Fields(document, "$")
        top.expect("format", FORMAT_NAME)
        version = top.integer("version")
        if version > FORMAT_VERSION:
            raise KeyFileTooNew(f"format version {version}")
        top.expect("version", FORMAT_VERSION)
        body = {k: v for k, v in document.items() if k != "checksum"}
        try:
            intact = top.text("checksum") == _checksum(body)  # not a secret: plain comparison
        except (UnicodeEncodeError, RecursionError):  # e.g. a lone surrogate escaped in a string
            intact = False
        if not intact:
            raise KeyFileDamaged("checksum mismatch")
        return cls(
            vault_id=_parse(uuid.UUID, top.text("vault_id"), "vault_id"),
            created=_parse_time(top.text("created")),
            key_check=top.data("key_check", 32),
            officers=_parse_officers(top.raw("officers")),
            recovery=None if top.raw("recovery") is None else _recovery_from_json(top.nested("recovery")),
        )

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise KeyFileMissing(str(path)) from None
        return cls.from_bytes(data)

    def save(self, path: Path) -> None:
        """Atomically replace ``path``, refusing to overwrite a damaged key file or another vault's."""
        path = Path(path)
        if path.exists():
            existing = KeyFile.from_bytes(path.read_bytes())
            if existing.vault_id != self.vault_id:
                raise ForeignKeyFile(f"{path} belongs to vault {existing.vault_id}")
        write_file_atomically(path, self.to_bytes())


def _parse(convert: Callable[[str], _T], text: str, where: str) -> _T:
    try:
        return convert(text)
    except ValueError:
        raise KeyFileDamaged(f"{where}: invalid value") from None


def _parse_time(text: str) -> datetime:
    created = _parse(datetime.fromisoformat, text, "created")
    if created.tzinfo is None:
        raise KeyFileDamaged("created: no time zone")
    return created


def _parse_officers(value: object) -> list[PassphraseWrap]:
    if not isinstance(value, list):
        raise KeyFileDamaged("officers: not a list")
    wraps = [_wrap_from_json(_Fields(item, f"officers[{i}]")) for i, item in enumerate(value)]
    if len({_name_key(wrap.officer) for wrap in wraps}) != len(wraps):
        raise KeyFileDamaged("officers: duplicate names")
    return wraps


# --- the municipal recovery key -------------------------------------------------------------------------


def generate_recovery_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def recovery_key_fingerprint(public_key: X25519PublicKey) -> str:
    """A short hex fingerprint to compare by eye or phone when a laptop is set up."""
    digest = hashlib.sha256(_raw_public(public_key)).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def save_recovery_private_key(key: X25519PrivateKey, path: Path, passphrase: str | None = None) -> None:
    """PKCS#8 PEM, encrypted when a passphrase is given; never overwrites (``FileExistsError``)."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(_passphrase_bytes(passphrase))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    write_file_atomically(Path(path), pem, overwrite=False)


def save_recovery_public_key(key: X25519PublicKey, path: Path) -> None:
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    write_file_atomically(Path(path), pem, overwrite=False)


def load_recovery_private_key(path: Path, passphrase: str | None = None) -> X25519PrivateKey:
    password = _passphrase_bytes(passphrase) if passphrase else None
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise RecoveryKeyUnreadable(type(exc).__name__) from None
    if not isinstance(key, X25519PrivateKey):
        raise RecoveryKeyUnreadable("not an X25519 private key")
    return key


def load_recovery_public_key(path: Path) -> X25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise RecoveryKeyUnreadable(type(exc).__name__) from None
    if not isinstance(key, X25519PublicKey):
        raise RecoveryKeyUnreadable("not an X25519 public key")
    return key
