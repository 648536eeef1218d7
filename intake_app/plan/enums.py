"""The plan's vocabulary: target groups, routes, levels, education, literacy, the LBT status.

Every member has a stable storage code (its value; never rename it) and a Dutch label marked with
:func:`N_`, translated at display time through ``member.label``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Final

from intake_app.i18n import N_


class TargetGroup(Enum):
    ASIELSTATUSHOUDER = "asielstatushouder"
    GEZINSMIGRANT = "gezinsmigrant"
    OVERIGE_MIGRANT = "overige_migrant"

    @property
    def label(self) -> str:
        return _TARGET_GROUP_LABELS[self]

    @property
    def is_refugee(self) -> bool:
        """Refugees get a municipality-paid school, social guidance and ontzorgen; others do not."""
        return self is TargetGroup.ASIELSTATUSHOUDER


class Route(Enum):
    B1 = "b1_route"
    ONDERWIJS = "onderwijsroute"
    Z = "z_route"

    @property
    def label(self) -> str:
        return _ROUTE_LABELS[self]


class LanguageLevel(Enum):
    A2 = "A2"
    B1 = "B1"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


class EducationLevel(Enum):
    """Highest education followed, in ascending order (``rank`` compares them)."""

    NONE = "geen"
    PRIMARY = "basisonderwijs"
    LOWER_SECONDARY = "onderbouw_voortgezet"
    UPPER_SECONDARY = "bovenbouw_voortgezet"
    VOCATIONAL = "mbo"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctoraat"

    @property
    def label(self) -> str:
        return _EDUCATION_LABELS[self]

    @property
    def rank(self) -> int:
        return _EDUCATION_ORDER.index(self)


class Literacy(Enum):
    """Literacy in one script (own script, or Latin script)."""

    NONE = "niet_geletterd"
    LIMITED = "beperkt_geletterd"
    LITERATE = "geletterd"

    @property
    def label(self) -> str:
        return _LITERACY_LABELS[self]


class LbtStatus(Enum):
    TAKEN = "afgenomen"
    SKIPPED_SENSORY = "niet_afgenomen_zintuiglijke_beperking"
    NOT_TAKEN = "nog_niet_afgenomen"

    @property
    def label(self) -> str:
        return _LBT_STATUS_LABELS[self]


def target_level_for(route: Route) -> LanguageLevel | None:
    """The level a route aims at when the plan is made; A2 only ever follows as a later step-down."""
    return None if route is Route.Z else LanguageLevel.B1


_TARGET_GROUP_LABELS: Final[Mapping[TargetGroup, str]] = {
    TargetGroup.ASIELSTATUSHOUDER: N_("asielstatushouder"),
    TargetGroup.GEZINSMIGRANT: N_("gezinsmigrant"),
    TargetGroup.OVERIGE_MIGRANT: N_("overige migrant"),
}
_ROUTE_LABELS: Final[Mapping[Route, str]] = {
    Route.B1: N_("B1-route"),
    Route.ONDERWIJS: N_("onderwijsroute"),
    Route.Z: N_("Z-route"),
}
_LEVEL_LABELS: Final[Mapping[LanguageLevel, str]] = {
    LanguageLevel.A2: N_("taalniveau A2"),
    LanguageLevel.B1: N_("taalniveau B1"),
}
_EDUCATION_ORDER: Final[tuple[EducationLevel, ...]] = tuple(EducationLevel)
_EDUCATION_LABELS: Final[Mapping[EducationLevel, str]] = {
    EducationLevel.NONE: N_("geen onderwijs"),
    EducationLevel.PRIMARY: N_("basisonderwijs"),
    EducationLevel.LOWER_SECONDARY: N_("lager voortgezet onderwijs"),
    EducationLevel.UPPER_SECONDARY: N_("hoger voortgezet onderwijs"),
    EducationLevel.VOCATIONAL: N_("middelbaar beroepsonderwijs (mbo)"),
    EducationLevel.BACHELOR: N_("bachelor"),
    EducationLevel.MASTER: N_("master"),
    EducationLevel.DOCTORATE: N_("doctoraat"),
}
_LITERACY_LABELS: Final[Mapping[Literacy, str]] = {
    Literacy.NONE: N_("niet geletterd"),
    Literacy.LIMITED: N_("beperkt geletterd"),
    Literacy.LITERATE: N_("geletterd"),
}
_LBT_STATUS_LABELS: Final[Mapping[LbtStatus, str]] = {
    LbtStatus.TAKEN: N_("afgenomen"),
    LbtStatus.SKIPPED_SENSORY: N_("niet afgenomen vanwege een zintuiglijke beperking"),
    LbtStatus.NOT_TAKEN: N_("nog niet afgenomen"),
}
