"""A license key as the command line reads it, with "did you mean …?" for a typo.

Known keys are taken by I3_* key or display name, any case. A word the catalogue does not
know used to become "Arbitrary: WORD" silently, so `--add-license "Clint Access"` tried to
allocate a license nobody sells. Now a near miss of a known key or display name is refused
with the closest one (difflib). Arbitrary keys stay possible (R29): a key the license in force
carries, an exact I3_* name, or a name written "Arbitrary: NAME" is taken as written, and a
key-shaped word close to nothing known is arbitrary as before (R2 then decides).
"""

from __future__ import annotations

import difflib
import re

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.services import allocation
from ia_licensing.services.errors import InvalidInput
from ia_licensing.services.holders import resolve_key

CUTOFF = 0.75  # difflib's ratio: "Clint Access" ~ "Client Access" is 0.96
_ARBITRARY = re.compile(r"\s*arbitrary\s*:", re.IGNORECASE)


def closest(text: str) -> str | None:
    """The display name of the known key closest to `text`, if one is close."""
    by_word: dict[str, str] = {}
    for info in catalog.KEYS:
        by_word.setdefault(info.display_name.casefold(), info.display_name)
        by_word.setdefault(info.key.casefold(), info.display_name)
    found = difflib.get_close_matches(text.strip().casefold(), by_word, n=1, cutoff=CUTOFF)
    return by_word[found[0]] if found else None


def licensed_keys(db: Database) -> frozenset[str]:
    """Every key the Licenses Allocation container lists: purchased or configured."""
    return frozenset(r.key for r in allocation.allocations(db))


def resolve(text: str, licensed: frozenset[str] = frozenset()) -> str:
    """`text` as an I3_* key, or InvalidInput naming the closest known key."""
    info = catalog.find(text)
    if info is not None and not info.arbitrary:
        return info.key
    word = text.strip()
    if info is not None and (
        _ARBITRARY.match(word) or info.key in licensed or info.key.startswith("I3_")
    ):
        return info.key
    suggestion = closest(word)
    if suggestion is not None:
        raise InvalidInput(f"unknown license {word!r}: did you mean {suggestion}?")
    return resolve_key(text)  # arbitrary when shaped like a key, else "unknown license"
