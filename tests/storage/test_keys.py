"""The vault key file: wraps, recovery, atomic saves and damage detection (no SQLCipher needed)."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.storage import keys
from intake_app.storage.keys import (
    ForeignKeyFile,
    InvalidCredentials,
    KdfParams,
    KeyFile,
    KeyFileDamaged,
    KeyFileError,
    KeyFileMissing,
    KeyFileTooNew,
    LastOfficer,
    NoRecoveryKey,
    OfficerExists,
    RecoveryKeyUnreadable,
    UnknownOfficer,
    WrongRecoveryKey,
    generate_recovery_key,
    load_recovery_private_key,
    load_recovery_public_key,
    new_data_key,
    recovery_key_fingerprint,
    save_recovery_private_key,
    save_recovery_public_key,
)

FAST = KdfParams.FAST_FOR_TESTS
REAL_DEFAULT = KdfParams.DEFAULT
ANNA, ANNA_PW = "Anna de Vries", "fietsbel tulp regenjas"
BRAM, BRAM_PW = "Bram Yilmaz", "grachtenpand-zonnebloem-7"


@pytest.fixture(autouse=True)
def fast_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at test speed, also for the dummy work of an unknown name (see test_default_params)."""
    monkeypatch.setattr(KdfParams, "DEFAULT", FAST)


@pytest.fixture
def data_key() -> bytes:
    return new_data_key()


@pytest.fixture
def key_file(data_key: bytes) -> KeyFile:
    kf = KeyFile.create(data_key)
    kf.add_officer(ANNA, ANNA_PW, data_key, FAST)
    kf.add_officer(BRAM, BRAM_PW, data_key, FAST)
    return kf


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []
    real = keys.hash_secret_raw

    def spy(secret: bytes, salt: bytes, **kwargs: Any) -> bytes:
        calls.append({"salt": salt, **kwargs})
        return real(secret, salt, **kwargs)

    monkeypatch.setattr(keys, "hash_secret_raw", spy)
    yield calls


def rewrite(path: Path, change: Any, *, fix_checksum: bool = True) -> None:
    """Edit the JSON of a key file; recompute its checksum (sha256 of the canonical body) if asked."""
    document = json.loads(path.read_bytes())
    change(document)
    if fix_checksum:
        body = {k: v for k, v in document.items() if k != "checksum"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        document["checksum"] = hashlib.sha256(canonical.encode()).hexdigest()
    path.write_text(json.dumps(document), encoding="utf-8")


# --- wraps ----------------------------------------------------------------------------------------------


def test_new_data_keys_are_32_random_bytes() -> None:
    first, second = new_data_key(), new_data_key()
    assert len(first) == len(second) == 32
    assert first != second


def test_unlock_returns_the_data_key_before_and_after_a_save(
    key_file: KeyFile, data_key: bytes, tmp_path: Path
) -> None:
    assert key_file.unlock(ANNA, ANNA_PW) == data_key
    key_file.save(tmp_path / "keys.json")
    loaded = KeyFile.load(tmp_path / "keys.json")
    assert loaded == key_file
    assert loaded.unlock(BRAM, BRAM_PW) == data_key
    assert loaded.officer_names() == [ANNA, BRAM]


def test_officer_names_match_case_insensitively_and_trimmed(key_file: KeyFile, data_key: bytes) -> None:
    assert key_file.unlock("  anna   DE vries\t", ANNA_PW) == data_key
    assert key_file.officer_name("  anna   DE vries\t") == ANNA
    with pytest.raises(OfficerExists):
        key_file.add_officer(" ANNA DE VRIES ", "iets heel anders 123", data_key, FAST)


def test_wrong_passphrase_and_unknown_officer_are_indistinguishable(
    key_file: KeyFile, argon2_calls: list[dict[str, Any]]
) -> None:
    with pytest.raises(InvalidCredentials) as wrong_passphrase:
        key_file.unlock(ANNA, "not her passphrase")
    with pytest.raises(InvalidCredentials) as unknown_officer:
        key_file.unlock("Carla Nobody", ANNA_PW)
    with pytest.raises(InvalidCredentials) as empty_name:
        key_file.unlock("   ", ANNA_PW)
    errors = [wrong_passphrase.value, unknown_officer.value, empty_name.value]
    assert {type(e) for e in errors} == {InvalidCredentials}
    assert {e.message for e in errors} == {"Naam of wachtwoord klopt niet."}
    assert {str(e) for e in errors} == {"Naam of wachtwoord klopt niet."}
    assert {e.detail for e in errors} == {""}
    assert all(e.__cause__ is None and e.__suppress_context__ for e in errors)
    # The same Argon2id work each time: the unknown name pays the default cost on a dummy salt.
    costs = [(c["time_cost"], c["memory_cost"], c["parallelism"]) for c in argon2_calls]
    default = (KdfParams.DEFAULT.time_cost, KdfParams.DEFAULT.memory_cost, KdfParams.DEFAULT.parallelism)
    assert costs == [default, default, default]


def test_swapped_wraps_do_not_open(key_file: KeyFile, data_key: bytes) -> None:
    anna, bram = key_file.officers
    # Bram's entry carrying Anna's wrap: Anna's passphrase must not open it under Bram's name.
    key_file.officers = [dataclasses.replace(anna, officer=BRAM), dataclasses.replace(bram, officer=ANNA)]
    with pytest.raises(InvalidCredentials):
        key_file.unlock(BRAM, ANNA_PW)
    with pytest.raises(InvalidCredentials):
        key_file.unlock(ANNA, BRAM_PW)
    # Anna's wrap copied into another vault (even one with the same data key) does not open either.
    other = KeyFile.create(data_key)
    other.officers = [anna]
    with pytest.raises(InvalidCredentials):
        other.unlock(ANNA, ANNA_PW)


def test_change_passphrase_rewraps_the_same_data_key(key_file: KeyFile, data_key: bytes) -> None:
    before = key_file.officers[0]
    key_file.change_passphrase("anna de vries", ANNA_PW, "nieuwe zin voor de lente")
    after = key_file.officers[0]
    assert key_file.unlock(ANNA, "nieuwe zin voor de lente") == data_key
    with pytest.raises(InvalidCredentials):
        key_file.unlock(ANNA, ANNA_PW)
    assert after.officer == ANNA
    assert after.kdf.salt != before.kdf.salt and after.nonce != before.nonce
    assert key_file.unlock(BRAM, BRAM_PW) == data_key


def test_change_passphrase_with_a_wrong_old_one_changes_nothing(key_file: KeyFile) -> None:
    before = list(key_file.officers)
    with pytest.raises(InvalidCredentials):
        key_file.change_passphrase(ANNA, "guess", "nieuwe zin voor de lente")
    with pytest.raises(InvalidCredentials):
        key_file.change_passphrase("Carla Nobody", ANNA_PW, "nieuwe zin voor de lente")
    assert key_file.officers == before


def test_remove_officer(key_file: KeyFile) -> None:
    key_file.remove_officer(" bram yilmaz")
    assert key_file.officer_names() == [ANNA]
    with pytest.raises(InvalidCredentials):
        key_file.unlock(BRAM, BRAM_PW)
    with pytest.raises(UnknownOfficer):
        key_file.remove_officer(BRAM)
    with pytest.raises(LastOfficer):
        key_file.remove_officer(ANNA)


def test_only_this_vaults_data_key_can_be_wrapped(key_file: KeyFile) -> None:
    with pytest.raises(ValueError, match="does not belong"):
        key_file.add_officer("Carla", "nog een wachtwoord hier", new_data_key(), FAST)
    with pytest.raises(ValueError):
        key_file.add_officer("Carla", "nog een wachtwoord hier", b"short", FAST)
    with pytest.raises(ValueError):
        key_file.set_recovery_key(generate_recovery_key().public_key(), new_data_key())


def test_default_params(data_key: bytes) -> None:
    """The one test with the real Argon2id cost (~0.3 s); timing itself is measured by benchmarks."""
    assert REAL_DEFAULT.memory_cost >= 64 * 1024
    assert REAL_DEFAULT.time_cost >= 3
    assert REAL_DEFAULT.parallelism == 4
    kf = KeyFile.create(data_key)
    kf.add_officer(ANNA, ANNA_PW, data_key, REAL_DEFAULT)
    wrap = kf.officers[0]
    assert (wrap.kdf.time_cost, wrap.kdf.memory_cost) == (REAL_DEFAULT.time_cost, REAL_DEFAULT.memory_cost)
    assert len(wrap.kdf.salt) == 16 and len(wrap.nonce) == 12
    assert kf.unlock(ANNA, ANNA_PW) == data_key


def test_parameters_are_stored_per_wrap_so_they_can_be_raised(
    key_file: KeyFile, data_key: bytes, tmp_path: Path
) -> None:
    stronger = KdfParams(time_cost=2, memory_cost=256, parallelism=2)
    key_file.change_passphrase(ANNA, ANNA_PW, ANNA_PW, params=stronger)
    key_file.save(tmp_path / "keys.json")
    loaded = KeyFile.load(tmp_path / "keys.json")
    assert (loaded.officers[0].kdf.time_cost, loaded.officers[0].kdf.memory_cost) == (2, 256)
    assert loaded.officers[1].kdf.memory_cost == FAST.memory_cost
    assert loaded.unlock(ANNA, ANNA_PW) == loaded.unlock(BRAM, BRAM_PW) == data_key


@pytest.mark.parametrize(
    "kwargs",
    [
        {"time_cost": 0, "memory_cost": 64, "parallelism": 1},
        {"time_cost": 1, "memory_cost": 8, "parallelism": 4},
        {"time_cost": 1, "memory_cost": 1 << 30, "parallelism": 1},
        {"time_cost": 1, "memory_cost": 64, "parallelism": 1, "salt": b"short"},
    ],
)
def test_kdf_params_out_of_bounds_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        KdfParams(**kwargs)


def test_params_without_salt_cannot_derive() -> None:
    with pytest.raises(ValueError, match="salt"):
        FAST.derive("x")


# --- recovery -------------------------------------------------------------------------------------------


def test_recovery_with_the_municipal_key(key_file: KeyFile, data_key: bytes, tmp_path: Path) -> None:
    municipal = generate_recovery_key()
    key_file.set_recovery_key(municipal.public_key(), data_key)
    key_file.save(tmp_path / "keys.json")
    loaded = KeyFile.load(tmp_path / "keys.json")
    assert loaded.recover(municipal) == data_key
    with pytest.raises(WrongRecoveryKey):
        loaded.recover(generate_recovery_key())


def test_recovery_then_reset_an_officers_passphrase(key_file: KeyFile, data_key: bytes) -> None:
    municipal = generate_recovery_key()
    key_file.set_recovery_key(municipal.public_key(), data_key)
    recovered = key_file.recover(municipal)
    key_file.reset_passphrase(ANNA, "weer een nieuwe zin hier", recovered, FAST)
    assert key_file.unlock(ANNA, "weer een nieuwe zin hier") == data_key
    with pytest.raises(InvalidCredentials):
        key_file.unlock(ANNA, ANNA_PW)


def test_recovery_needs_a_recovery_wrap(key_file: KeyFile) -> None:
    with pytest.raises(NoRecoveryKey):
        key_file.recover(generate_recovery_key())


def test_a_recovery_wrap_is_bound_to_its_vault(key_file: KeyFile, data_key: bytes) -> None:
    municipal = generate_recovery_key()  # one municipal key serves every laptop
    key_file.set_recovery_key(municipal.public_key(), data_key)
    other = KeyFile.create(data_key)
    other.recovery = key_file.recovery
    with pytest.raises(KeyFileDamaged):
        other.recover(municipal)


def test_recovery_key_pem_round_trip(key_file: KeyFile, data_key: bytes, tmp_path: Path) -> None:
    municipal = generate_recovery_key()
    save_recovery_private_key(municipal, tmp_path / "herstel.pem")
    save_recovery_public_key(municipal.public_key(), tmp_path / "herstel.pub.pem")
    public = load_recovery_public_key(tmp_path / "herstel.pub.pem")
    assert recovery_key_fingerprint(public) == recovery_key_fingerprint(municipal.public_key())
    key_file.set_recovery_key(public, data_key)
    assert key_file.recover(load_recovery_private_key(tmp_path / "herstel.pem")) == data_key
    assert (tmp_path / "herstel.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "herstel.pem").stat().st_mode) == 0o600


def test_protected_recovery_private_key(key_file: KeyFile, data_key: bytes, tmp_path: Path) -> None:
    municipal = generate_recovery_key()
    path = tmp_path / "herstel.pem"
    save_recovery_private_key(municipal, path, passphrase="gemeentelijke kluis sleutel")
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    key_file.set_recovery_key(municipal.public_key(), data_key)
    assert key_file.recover(load_recovery_private_key(path, "gemeentelijke kluis sleutel")) == data_key
    for wrong in ("verkeerd", None):
        with pytest.raises(RecoveryKeyUnreadable):
            load_recovery_private_key(path, wrong)


def test_recovery_key_files_are_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "herstel.pem"
    save_recovery_private_key(generate_recovery_key(), path)
    original = path.read_bytes()
    with pytest.raises(FileExistsError):
        save_recovery_private_key(generate_recovery_key(), path)
    with pytest.raises(FileExistsError):
        save_recovery_public_key(generate_recovery_key().public_key(), path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["herstel.pem"]


def test_a_public_key_is_not_a_private_key(tmp_path: Path) -> None:
    save_recovery_public_key(generate_recovery_key().public_key(), tmp_path / "herstel.pub.pem")
    (tmp_path / "rommel.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(RecoveryKeyUnreadable):
        load_recovery_private_key(tmp_path / "herstel.pub.pem")
    with pytest.raises(RecoveryKeyUnreadable):
        load_recovery_private_key(tmp_path / "rommel.pem")


# --- the file -------------------------------------------------------------------------------------------


def test_the_key_file_holds_no_secret_in_clear(key_file: KeyFile, data_key: bytes, tmp_path: Path) -> None:
    municipal = generate_recovery_key()
    key_file.set_recovery_key(municipal.public_key(), data_key)
    key_file.save(tmp_path / "keys.json")
    content = (tmp_path / "keys.json").read_bytes()
    private_raw = municipal.private_bytes_raw()
    for secret in (data_key, private_raw):
        for form in (
            secret,
            secret.hex().encode(),
            secret.hex().upper().encode(),
            base64.b64encode(secret),
            base64.urlsafe_b64encode(secret),
            base64.b64encode(secret)[:40],  # a fragment without padding artefacts
        ):
            assert form not in content
    for passphrase in (ANNA_PW, BRAM_PW):
        assert passphrase.encode() not in content
        assert base64.b64encode(passphrase.encode())[:16] not in content
    assert json.loads(content)["officers"][0]["name"] == ANNA


def test_save_is_atomic_when_writing_the_temp_file_fails(
    key_file: KeyFile, data_key: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)
    original = path.read_bytes()
    key_file.change_passphrase(ANNA, ANNA_PW, "nieuwe zin voor de lente")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keys.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        key_file.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]  # no temp file left behind
    assert KeyFile.load(path).unlock(ANNA, ANNA_PW) == data_key


def test_save_is_atomic_when_the_rename_fails(
    key_file: KeyFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)
    original = path.read_bytes()
    key_file.remove_officer(BRAM)

    def crash(src: object, dst: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(keys.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        key_file.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]
    key_file.save(path)
    assert KeyFile.load(path).officer_names() == [ANNA]


def test_the_key_file_is_private_to_the_user(key_file: KeyFile, tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    key_file.save(tmp_path / "keys.json")
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600


def test_save_never_overwrites_a_damaged_or_foreign_key_file(
    key_file: KeyFile, data_key: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)
    damaged = path.read_bytes()[:-40]
    path.write_bytes(damaged)
    with pytest.raises(KeyFileDamaged):
        key_file.save(path)
    assert path.read_bytes() == damaged
    foreign = tmp_path / "other" / "keys.json"
    foreign.parent.mkdir()
    KeyFile.create(new_data_key()).save(foreign)
    original = foreign.read_bytes()
    with pytest.raises(ForeignKeyFile):
        key_file.save(foreign)
    assert foreign.read_bytes() == original


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileMissing):
        KeyFile.load(tmp_path / "keys.json")


def test_truncated_key_file_is_damaged(key_file: KeyFile, tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)
    content = path.read_bytes()
    for cut in (0, 1, len(content) // 2, len(content) - 3):
        path.write_bytes(content[:cut])
        with pytest.raises(KeyFileDamaged) as error:
            KeyFile.load(path)
        assert error.value.message.startswith("Het sleutelbestand van deze kluis is beschadigd")
        assert path.read_bytes() == content[:cut]  # loading never writes


def test_a_flipped_base64_character_is_damage_not_a_wrong_passphrase(
    key_file: KeyFile, tmp_path: Path
) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)

    def flip(document: dict[str, Any]) -> None:
        wrapped = document["officers"][0]["wrapped_key"]
        document["officers"][0]["wrapped_key"] = ("B" if wrapped[0] == "A" else "A") + wrapped[1:]

    rewrite(path, flip, fix_checksum=False)
    with pytest.raises(KeyFileDamaged, match="checksum"):
        KeyFile.load(path)


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda d: d["officers"][0].update(nonce="!!not base64!!"), "base64"),
        (lambda d: d["officers"][0].update(wrapped_key=base64.b64encode(b"x" * 47).decode()), "length"),
        (lambda d: d["officers"][0]["kdf"].update(memory_cost=1 << 40), "memory_cost"),
        (lambda d: d["officers"][0]["kdf"].update(time_cost=True), "integer"),
        (lambda d: d["officers"][0]["kdf"].update(algorithm="scrypt"), "algorithm"),
        (lambda d: d["officers"][1].update(name=" ANNA de vries"), "duplicate"),
        (lambda d: d["officers"][0]["kdf"].pop("salt"), "salt"),
        (lambda d: d.update(vault_id="not-a-uuid"), "vault_id"),
        (lambda d: d.update(created="2025-01-01T00:00:00"), "time zone"),
        (lambda d: d.update(officers={}), "list"),
        (lambda d: d.update(recovery=[]), "recovery"),
        (lambda d: d.update(format="something.else"), "format"),
    ],
)
def test_garbled_fields_are_damage(key_file: KeyFile, tmp_path: Path, change: Any, detail: str) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)
    rewrite(path, change)
    with pytest.raises(KeyFileDamaged, match=detail):
        KeyFile.load(path)


def test_a_newer_format_is_not_called_damage(key_file: KeyFile, tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key_file.save(path)
    rewrite(path, lambda d: d.update(version=2))
    with pytest.raises(KeyFileTooNew):
        KeyFile.load(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_any_corrupted_byte_is_caught_or_harmless(key_file: KeyFile, position: int, value: int) -> None:
    content = bytearray(key_file.to_bytes())
    position %= len(content)
    content[position] = value
    try:
        loaded = KeyFile.from_bytes(bytes(content))
    except KeyFileError:
        return
    assert loaded == key_file  # only a harmless change (e.g. whitespace) may load


def _leaf_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _leaf_paths(value, (*prefix, key))]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in _leaf_paths(value, (*prefix, i))]
    return [prefix]


json_values = st.one_of(
    st.text(max_size=60),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edited_field_with_a_valid_checksum_fails_cleanly(
    key_file: KeyFile, data_key: bytes, data: st.DataObject
) -> None:
    """A hand-edited file (checksum recomputed) raises a KeyFileError, never anything else."""
    key_file.set_recovery_key(generate_recovery_key().public_key(), data_key)
    document = key_file.to_json()
    path = data.draw(st.sampled_from([p for p in _leaf_paths(document) if p != ("checksum",)]))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = data.draw(json_values)
    body = {k: v for k, v in document.items() if k != "checksum"}
    try:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:
        canonical = b""
    document["checksum"] = hashlib.sha256(canonical).hexdigest()
    try:
        loaded = KeyFile.from_bytes(json.dumps(document).encode())
    except KeyFileError:
        return
    kdf = loaded.officers[0].kdf
    if kdf.memory_cost <= 4096 and kdf.time_cost <= 4:
        with contextlib.suppress(KeyFileError):  # a wrong or refused wrap; a key must be the right one
            assert loaded.unlock(ANNA, ANNA_PW) == data_key


def test_unlock_refuses_a_wrap_of_another_vaults_key(key_file: KeyFile) -> None:
    # A wrap that decrypts fine but holds a foreign key (e.g. a hand-edited file) is damage, not a key.
    foreign_key = new_data_key()
    key_file.officers[0] = keys.PassphraseWrap.create(ANNA, ANNA_PW, foreign_key, key_file.vault_id, FAST)
    with pytest.raises(KeyFileDamaged):
        key_file.unlock(ANNA, ANNA_PW)


def test_vault_id_is_a_uuid_and_created_is_aware(key_file: KeyFile, tmp_path: Path) -> None:
    key_file.save(tmp_path / "keys.json")
    document = json.loads((tmp_path / "keys.json").read_bytes())
    assert uuid.UUID(document["vault_id"]) == key_file.vault_id
    assert document["version"] == 1
    assert key_file.created.utcoffset() is not None
