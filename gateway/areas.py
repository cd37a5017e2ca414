"""The district's areas as a code list (两乡四办): two townships and four sub-district offices by
default, configured as data (`gateway/plan/areas.json`; names are placeholders a district
replaces).

Areas were free text before this list existed, and existing profiles, activities and posts
still hold such text. So text is *located* rather than refused: a code (`subdistrict_2`), a name
in either language (`二号街道`), or a text that starts with a name (`二号街道幸福社区`) is in
that area; any other text stays as it was written and is counted under `other` in the
breakdowns, so no record is lost and nothing that worked before is refused.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

AREAS_FILE = Path(__file__).parent / "plan" / "areas.json"

#: the breakdown cell of a text that names no configured area (or of no text at all)
OTHER = "other"


@dataclass(frozen=True)
class Area:
    """A township (乡) or a sub-district office (街道办事处) of the district."""

    code: str
    kind: str
    name: dict

    def as_dict(self) -> dict:
        return {"code": self.code, "kind": self.kind, "name": dict(self.name)}


def load_areas(path: Path = AREAS_FILE) -> tuple[Area, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    areas = tuple(Area(a["code"], a["kind"], a["name"]) for a in data["areas"])
    codes = [area.code for area in areas]
    if len(set(codes)) != len(codes) or OTHER in codes:
        raise ValueError(f"area codes must be unique and not {OTHER!r}: {codes}")
    return areas


@functools.cache
def configured() -> tuple[Area, ...]:
    """The area list, read once per process."""
    return load_areas()


def locate(text: str | None, areas: tuple[Area, ...] | None = None) -> str | None:
    """The code of the area `text` names (a code, a name, or a text starting with a name),
    or None."""
    text = (text or "").strip()
    if not text:
        return None
    for area in areas or configured():
        names = [area.code, *area.name.values()]
        if text in names or any(text.startswith(name) for name in area.name.values()):
            return area.code
    return None
