"""Hours per route and target group: Z-route course/participation hours, MAP and PVT minimums."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.plan.enums import Route, TargetGroup


@dataclass(frozen=True)
class HoursPolicy:
    """Hour norms. MAP (labour-market and participation module) only in ``map_routes``; PVT
    (participation statement trajectory) in ``pvt_routes``."""

    z_course_hours: int = 800
    z_participation_hours_refugee: int = 800
    z_participation_hours_other: int = 0
    map_min_hours: int = 40
    pvt_min_hours: int = 12
    map_routes: frozenset[Route] = frozenset({Route.B1, Route.Z})
    pvt_routes: frozenset[Route] = frozenset(Route)

    def __post_init__(self) -> None:
        if Route.ONDERWIJS in self.map_routes:
            raise ValueError("the onderwijsroute has no MAP")
        hours = (
            self.z_course_hours,
            self.z_participation_hours_refugee,
            self.z_participation_hours_other,
            self.map_min_hours,
            self.pvt_min_hours,
        )
        if min(hours) < 0:
            raise ValueError("hours cannot be negative")


@dataclass(frozen=True)
class HoursRequirement:
    """``None`` means the element is not part of the route (no MAP, no fixed course hours)."""

    course_hours: int | None
    participation_hours: int | None
    map_min_hours: int | None
    pvt_min_hours: int | None


def required_hours(
    route: Route, target_group: TargetGroup, policy: HoursPolicy | None = None
) -> HoursRequirement:
    policy = policy or HoursPolicy()
    course: int | None = None
    participation: int | None = None
    if route is Route.Z:
        course = policy.z_course_hours
        participation = (
            policy.z_participation_hours_refugee
            if target_group.is_refugee
            else policy.z_participation_hours_other
        ) or None
    return HoursRequirement(
        course_hours=course,
        participation_hours=participation,
        map_min_hours=policy.map_min_hours if route in policy.map_routes else None,
        pvt_min_hours=policy.pvt_min_hours if route in policy.pvt_routes else None,
    )
