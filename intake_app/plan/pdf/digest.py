"""The fingerprint of a plan's content: SHA-256 over its canonical JSON.

The content is language-free (Dutch templates, codes, dates), so the Dutch PDF and every
translation of the same plan print the same fingerprint: a translation can be matched to the
binding text it explains, and any change of the content changes it.

Canonical form: dataclasses as objects with their field names, enums by their stable storage code,
dates in ISO 8601, sets sorted, mappings with sorted keys, no whitespace, UTF-8.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from enum import Enum

from intake_app.plan.content import PipContent

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def canonical(value: object) -> JsonValue:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(canonical(key)): canonical(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        items = [canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    if isinstance(value, tuple | list):
        return [canonical(item) for item in value]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def canonical_json(content: PipContent) -> bytes:
    text = json.dumps(canonical(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def content_digest(content: PipContent) -> str:
    """Hex SHA-256 of the canonical JSON of ``content``."""
    return hashlib.sha256(canonical_json(content)).hexdigest()
