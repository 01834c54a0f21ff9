"""Which Italian place contains which: the regions and their provinces (``regions.csv``), and the
area a province names ("nel Maceratese" is the area of Macerata).

Used to tell whether two reports name the same place at different grains ("nelle Marche" and
"nel Maceratese"), never to make two places of one region the same: Milano and Brescia are both in
Lombardia, and two strikes there on one day are two events.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pipeline.common import slugify

REGIONS_CSV = Path(__file__).with_name("regions.csv")
# An area named after its town: "il Maceratese", "il Veronese", "il Padovano", "il Bresciano".
AREA_SUFFIXES = ("ese", "ano")


@lru_cache(maxsize=1)
def region_of_province() -> dict[str, str]:
    """Province slug -> region slug."""
    with REGIONS_CSV.open(encoding="utf-8", newline="") as fh:
        return {slugify(row["province"]): slugify(row["region"]) for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _province_of_stem() -> dict[str, str]:
    """The stem of a one-word province name (its last vowel dropped) -> the province: "macerat" -> "macerata"."""
    return {slug[:-1]: slug for slug in region_of_province() if "-" not in slug and slug[-1] in "aeiou"}


def canonical_place(slug: str) -> str:
    """The province an area adjective names ("maceratese" -> "macerata"), else the slug itself."""
    for suffix in AREA_SUFFIXES:
        if slug.endswith(suffix) and len(slug) > len(suffix) + 2:
            found = _province_of_stem().get(slug[: -len(suffix)])
            if found:
                return found
    return slug


def places_meet(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Do two sets of places name one place, at the same grain or one containing the other
    (a region and one of its provinces)? Two provinces of one region do not meet."""
    if set(a) & set(b):
        return True
    regions = region_of_province()
    return any(regions.get(x) in b for x in a) or any(regions.get(y) in a for y in b)


def cities_differ(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Do both name Italian provinces (their chief towns) and none in common? Then they are two
    places, whatever else they share: the name of a square or a street ("piazza San Teodoro",
    "via Roma") is found in many towns, and a march there in Milano is not one in Firenze."""
    regions = region_of_province()
    cities_a = {x for x in a if x in regions}
    cities_b = {y for y in b if y in regions}
    return bool(cities_a) and bool(cities_b) and not cities_a & cities_b

