"""Hour norms per route and target group."""

from __future__ import annotations

import pytest

from intake_app.plan import HoursPolicy, HoursRequirement, Route, TargetGroup, required_hours

REFUGEE, FAMILY, OTHER = TargetGroup.ASIELSTATUSHOUDER, TargetGroup.GEZINSMIGRANT, TargetGroup.OVERIGE_MIGRANT


@pytest.mark.parametrize(
    ("route", "group", "expected"),
    [
        (Route.Z, REFUGEE, HoursRequirement(800, 800, 40, 12)),
        (Route.Z, FAMILY, HoursRequirement(800, None, 40, 12)),
        (Route.Z, OTHER, HoursRequirement(800, None, 40, 12)),
        (Route.B1, REFUGEE, HoursRequirement(None, None, 40, 12)),
        (Route.ONDERWIJS, REFUGEE, HoursRequirement(None, None, None, 12)),  # never a MAP
        (Route.ONDERWIJS, FAMILY, HoursRequirement(None, None, None, 12)),
    ],
)
def test_required_hours(route: Route, group: TargetGroup, expected: HoursRequirement) -> None:
    assert required_hours(route, group) == expected


def test_hours_are_configurable() -> None:
    policy = HoursPolicy(z_course_hours=600, map_min_hours=48, pvt_min_hours=16)
    assert required_hours(Route.Z, REFUGEE, policy) == HoursRequirement(600, 800, 48, 16)


def test_policy_cannot_give_the_onderwijsroute_a_map() -> None:
    with pytest.raises(ValueError):
        HoursPolicy(map_routes=frozenset(Route))
