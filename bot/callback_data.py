"""The compact `callback_data` of every button (Telegram allows 64 bytes), encoded and strictly decoded.

    c:ns1234          open the title card          w:ns1234         where to watch
    s:ns1234:0        similar titles, page 0       r:42:ns1234:1    user 42's recommendation, page 1
    p:5120:0:1a2b3c4d a person's titles, page 0: the person's index in `core.people.People` and a check of
                      their name, because a new catalog (bot.live) can put someone else at that index

An upper-case letter (`S:ns1234:1`) means "replace the message the button is on" (paging, did-you-mean);
lower case sends a new message (the actions on a title card). Anything else is stale or forged and
decodes to None. Everything a button needs is in its data, so buttons keep working after a restart.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from core.people import normalise_name

MAX_PAGE = 9
MAX_BYTES = 64
CARD, WHERE, SIMILAR, RECOMMEND = "c", "w", "s", "r"
PERSON = "p"
_ID = r"([adhn]s[0-9]{1,7})"
_PAGE = r"([0-9])"
_PATTERNS = {
    CARD: re.compile(rf"{_ID}"),
    WHERE: re.compile(rf"{_ID}"),
    SIMILAR: re.compile(rf"{_ID}:{_PAGE}"),
    RECOMMEND: re.compile(rf"([0-9]{{1,10}}):{_ID}:{_PAGE}"),
    PERSON: re.compile(rf"([0-9]{{1,7}}):{_PAGE}:([0-9a-f]{{8}})"),
}


@dataclass(frozen=True, slots=True)
class Action:
    kind: str  # CARD, WHERE, SIMILAR or RECOMMEND
    title_id: str
    page: int = 0
    user_id: int | None = None
    replace: bool = False  # edit the message the button is on instead of sending a new one
    person: int | None = None  # PERSON: whose titles (title_id is "")
    check: str = ""  # PERSON: `name_check` of the person's name, so an index from an older catalog is noticed

    def encode(self) -> str:
        code = self.kind.upper() if self.replace else self.kind
        if self.kind in (CARD, WHERE):
            data = f"{code}:{self.title_id}"
        elif self.kind == SIMILAR:
            data = f"{code}:{self.title_id}:{self.page}"
        elif self.kind == PERSON:
            data = f"{code}:{self.person}:{self.page}:{self.check}"
        else:
            data = f"{code}:{self.user_id}:{self.title_id}:{self.page}"
        if len(data.encode()) > MAX_BYTES or decode(data) != self:
            raise ValueError(f"cannot encode {self!r} as callback data")
        return data


def name_check(key: str) -> str:
    """Eight hex digits standing for a person's name key (`core.people.People.keys`): a button of a catalog
    since replaced still finds its person, wherever the new catalog's sorted names put them."""
    return f"{zlib.crc32(key.encode()):08x}"


def person_action(person, page: int, replace: bool) -> Action:
    """The button to a page of `person`'s titles (a `core.people.Person`)."""
    return Action(PERSON, "", page, None, replace, person.index, name_check(normalise_name(person.name)))


def decode(data: object) -> Action | None:
    """The action a button's data stands for, or None when it is malformed, stale or forged."""
    if not isinstance(data, str) or len(data) > MAX_BYTES or data[1:2] != ":":
        return None
    code, body = data[0], data[2:]
    pattern = _PATTERNS.get(code.lower())
    match = pattern.fullmatch(body) if pattern else None
    if match is None:
        return None
    kind, groups = code.lower(), match.groups()
    if kind == RECOMMEND:
        user_id = int(groups[0])
        if user_id > 2**31 - 1:
            return None
        return Action(kind, groups[1], int(groups[2]), user_id, code.isupper())
    if kind == PERSON:
        return Action(kind, "", int(groups[1]), None, code.isupper(), int(groups[0]), groups[2])
    page = int(groups[1]) if len(groups) > 1 else 0
    return Action(kind, groups[0], page, None, code.isupper())
