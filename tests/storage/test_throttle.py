"""The unlock throttle: growing waits, persistence across restarts, never blocking on a bad file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from intake_app.storage import throttle as throttle_module
from intake_app.storage.throttle import (
    ATTEMPTS_FILE_NAME,
    MAX_DELAY,
    TooManyAttempts,
    UnlockThrottle,
    delay_after,
)

T0 = 1_700_000_000.0


@pytest.fixture
def throttle(tmp_path: Path) -> UnlockThrottle:
    return UnlockThrottle.for_vault(tmp_path)


def fail(throttle: UnlockThrottle, times: int, now: float = T0) -> None:
    for _ in range(times):
        throttle.record_failure(now)


def test_delays_grow_from_the_fourth_failure_and_are_capped() -> None:
    assert [delay_after(n) for n in range(11)] == [0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60]
    assert delay_after(10_000) == MAX_DELAY


def test_the_first_three_failures_cost_nothing(throttle: UnlockThrottle) -> None:
    assert throttle.required_wait(T0) == 0
    fail(throttle, 3)
    assert throttle.required_wait(T0) == 0
    throttle.raise_if_waiting(T0)


def test_the_wait_counts_down_from_the_last_failure(throttle: UnlockThrottle) -> None:
    fail(throttle, 5)
    assert throttle.required_wait(T0) == 4
    assert throttle.required_wait(T0 + 1.5) == 2.5
    assert throttle.required_wait(T0 + 4) == 0
    throttle.record_failure(T0 + 10)
    assert throttle.required_wait(T0 + 10) == 8


def test_a_clock_set_back_does_not_stretch_the_wait(throttle: UnlockThrottle) -> None:
    fail(throttle, 6)
    assert throttle.required_wait(T0 - 86_400) == 8


def test_state_survives_a_restart_and_names_nothing(throttle: UnlockThrottle, tmp_path: Path) -> None:
    fail(throttle, 4)
    restarted = UnlockThrottle.for_vault(tmp_path)
    assert restarted.failures == 4
    assert restarted.required_wait(T0 + 1) == 1
    document = json.loads((tmp_path / ATTEMPTS_FILE_NAME).read_bytes())
    assert set(document) == {"version", "failures", "last_failure"}


def test_success_resets(throttle: UnlockThrottle, tmp_path: Path) -> None:
    fail(throttle, 7)
    throttle.record_success()
    assert throttle.required_wait(T0) == 0
    assert not (tmp_path / ATTEMPTS_FILE_NAME).exists()
    assert UnlockThrottle.for_vault(tmp_path).failures == 0


def test_raise_if_waiting_gives_whole_seconds_for_the_message(throttle: UnlockThrottle) -> None:
    fail(throttle, 4)
    with pytest.raises(TooManyAttempts) as error:
        throttle.raise_if_waiting(T0 + 1.2)
    assert error.value.seconds == 1 and math.isclose(error.value.wait, 0.8, abs_tol=1e-6)
    # The UI picks singular or plural through catalog.ngettext(message, plural_message, seconds).
    assert error.value.message.format(**error.value.params) == (
        "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."
    )
    assert "{seconds}" in error.value.plural_message


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"failures": "9", "last_failure": 1}',
        b'{"failures": -1, "last_failure": 1}',
        b'{"failures": true, "last_failure": 1}',
        b'{"failures": 9, "last_failure": NaN}',
        b'{"failures": 9}',
    ],
)
def test_a_garbled_file_is_a_fresh_state(throttle: UnlockThrottle, tmp_path: Path, content: bytes) -> None:
    (tmp_path / ATTEMPTS_FILE_NAME).write_bytes(content)
    assert throttle.required_wait(T0) == 0
    fail(throttle, 4)
    assert throttle.required_wait(T0) == 2


def test_an_unwritable_file_never_breaks_unlock_and_still_counts(
    throttle: UnlockThrottle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(path: Path, data: bytes) -> None:
        raise PermissionError("read-only medium")

    monkeypatch.setattr(throttle_module, "write_file_atomically", read_only)
    fail(throttle, 4)  # no exception
    assert throttle.required_wait(T0) == 2


def test_deleting_the_file_while_running_does_not_reset_the_count(
    throttle: UnlockThrottle, tmp_path: Path
) -> None:
    fail(throttle, 5)
    (tmp_path / ATTEMPTS_FILE_NAME).unlink()
    assert throttle.required_wait(T0) == 4
