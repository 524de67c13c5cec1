"""Agency detection with a gazetteer of agencies, roles and services, each in a sector."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from graph_schema import SECTORS
from loaders.extract.matching import PhraseMatcher
from loaders.extract.model import AgencyMention
from scrgraph.errors import InputError

GAZETTEER_PATH: Final = Path(__file__).resolve().parent.parent / "data" / "agency_gazetteer.json"


@dataclass(frozen=True)
class Gazetteer:
    """Canonical agencies with their sector and aliases, and readable sector labels."""

    sectors: dict[str, str]
    agencies: dict[str, tuple[str, tuple[str, ...]]]  # name -> (sector, aliases)


@lru_cache(maxsize=2)
def load_gazetteer(path: Path = GAZETTEER_PATH) -> Gazetteer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sectors = {str(k): str(v) for k, v in data["sectors"].items()}
        agencies = {
            str(a["name"]): (str(a["sector"]), tuple(str(x) for x in a["aliases"]))
            for a in data["agencies"]
        }
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"{path}: not a readable agency gazetteer ({e})") from e
    bad = sorted({s for s, _ in agencies.values()} - set(SECTORS))
    if bad:
        raise InputError(f"{path}: sectors {bad} are not schema sectors {list(SECTORS)}")
    return Gazetteer(sectors, agencies)


class AgencyDetector:
    """Finds the agencies a text names; each canonical agency once, in text order."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self._matcher = PhraseMatcher(
            {name: (name, *aliases) for name, (_, aliases) in self.gazetteer.agencies.items()}
        )

    def detect(self, text: str) -> list[AgencyMention]:
        return [
            AgencyMention(name, self.gazetteer.agencies[name][0], hit.phrase)
            for name, hit in self._matcher.first_hits(text).items()
        ]

    def sector_label(self, sector: str) -> str:
        return self.gazetteer.sectors.get(sector, sector.replace("_", " ").capitalize())
