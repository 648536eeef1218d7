from __future__ import annotations

from intake_app.storage.hlc import HybridLogicalClock, Version


def test_versions_increase_even_when_the_wall_clock_stands_still_or_goes_back() -> None:
    wall = iter([1000, 1000, 999, 1001]).__next__
    clock = HybridLogicalClock("dev1", wall_ms=wall)
    versions = [clock.now() for _ in range(4)]
    assert versions == sorted(versions)
    assert len(set(versions)) == 4
    assert [str(v) for v in versions] == sorted(str(v) for v in versions)


def test_observing_a_later_remote_version_moves_past_it() -> None:
    clock = HybridLogicalClock("a", wall_ms=lambda: 1000)
    remote = Version(86_400_000 + 1000, 7, "b")  # a laptop a day ahead
    clock.observe(remote)
    mine = clock.now()
    assert (mine.millis, mine.counter) > (remote.millis, remote.counter)
    assert Version.parse(str(mine)) == mine
