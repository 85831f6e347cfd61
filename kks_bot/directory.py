"""The municipalities and how a postcode suggests one.

Shipped as data (kks_bot/data/gemeenten.json, from ../shared/domain/gemeenten.md):
the CBS code is the routing key. A postcode only *suggests* a municipality,
which the professional confirms; a 4-digit area may straddle a border, so a
postcode can suggest more than one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db.models import Municipality as Row


@dataclass(frozen=True)
class Municipality:
    code: str  # CBS code, e.g. GM0917
    name: str
    subregion: str
    postcodes: frozenset[int]
    knooppunt_active: bool = True


def expand_postcodes(spec: str) -> frozenset[int]:
    numbers: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        numbers.update(range(int(low), int(high or low) + 1))
    return frozenset(numbers)


class Directory:
    """Municipalities by CBS code, with postcode suggestions."""

    def __init__(self, municipalities: list[Municipality]) -> None:
        self._by_code = {m.code: m for m in municipalities}
        self._ordered = sorted(municipalities, key=lambda m: m.name)

    @classmethod
    def shipped(cls) -> Directory:
        text = resources.files("kks_bot.data").joinpath("gemeenten.json").read_text("utf-8")
        data = json.loads(text)
        return cls([
            Municipality(row["code"], row["name"], row["subregion"],
                         expand_postcodes(row["postcodes"]),
                         bool(row.get("knooppunt_active", True)))
            for row in data["municipalities"]
        ])

    def all(self) -> list[Municipality]:
        return list(self._ordered)

    def get(self, code: str) -> Municipality | None:
        return self._by_code.get(code)

    def suggest(self, postcode_digits: int) -> list[Municipality]:
        """Municipalities whose postcode list holds these four digits."""
        return [m for m in self._ordered if postcode_digits in m.postcodes]

    def find_by_name(self, text: str) -> Municipality | None:
        wanted = " ".join(text.casefold().split())
        for m in self._ordered:
            if m.name.casefold() == wanted:
                return m
        return None


async def load_directory(session: AsyncSession) -> Directory:
    """The directory as the administrators keep it in the database."""
    rows = (await session.execute(select(Row))).scalars().all()
    if not rows:
        return Directory.shipped()
    return Directory([Municipality(r.code, r.name, r.subregion, expand_postcodes(r.postcodes),
                                   r.knooppunt_active) for r in rows])


def gemeente_label(value: object, directory: Directory) -> str:
    if isinstance(value, str) and value.startswith("anders:"):
        return value.partition(":")[2]
    if isinstance(value, str):
        municipality = directory.get(value)
        return municipality.name if municipality else value
    return ""
