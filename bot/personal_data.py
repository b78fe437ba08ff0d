"""The callback data of the personal buttons (rate, seen, watchlist, not for me, lists, onboarding), strictly
decoded like `bot.callback_data` (whose codes they never collide with: theirs are one letter and ":").

    pr:ns1234:9        rate ns1234 9 half stars (4.5)     ps:ns1234 / pw:ns1234 / ph:ns1234   seen / watchlist / hide
    pe:ns1234          a suggestion list's "☆": show that line's star buttons in place
    pl:123456:2        page 2 of user 123456's watchlist  pu:123456:ns1234:2   remove it, show page 2 again
    pt:123456          pick one for tonight from it       pf:123456:1          /foryou, page 1
    px:123456:1        /forget confirmed (0: kept)        po:3:l:ns1234        onboarding step 3: Loved it
    pv:5 / pv:5:1      services chosen so far (a bit per platform) / chosen, go on

Lists carry their owner, so in a group only the member whose list it is can page it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
RATE, SEEN, WATCH, HIDE = "r", "s", "w", "h"
STARS = "e"  # expand a list line's "☆" into its five stars
LIST, UNLIST, TONIGHT, FOR_YOU, FORGET, ONBOARD, SERVICES = "l", "u", "t", "f", "x", "o", "v"
TITLE_ACTIONS = (RATE, SEEN, WATCH, HIDE)
ANSWERS = "lknus"  # onboarding: loved, liked, not for me, unseen (haven't seen), stop
_ID = r"[adhn]s[0-9]{1,7}"
_USER = r"[0-9]{1,16}"  # Telegram user ids fit in 52 bits
_PATTERNS = {
    RATE: re.compile(rf"(?P<title>{_ID}):(?P<number>[0-9]|10)"),
    SEEN: re.compile(rf"(?P<title>{_ID})"),
    WATCH: re.compile(rf"(?P<title>{_ID})"),
    HIDE: re.compile(rf"(?P<title>{_ID})"),
    STARS: re.compile(rf"(?P<title>{_ID})"),
    LIST: re.compile(rf"(?P<owner>{_USER}):(?P<number>[0-9]{{1,3}})"),
    UNLIST: re.compile(rf"(?P<owner>{_USER}):(?P<title>{_ID}):(?P<number>[0-9]{{1,3}})"),
    TONIGHT: re.compile(rf"(?P<owner>{_USER})"),
    FOR_YOU: re.compile(rf"(?P<owner>{_USER}):(?P<number>[0-9]{{1,2}})"),
    FORGET: re.compile(rf"(?P<owner>{_USER}):(?P<number>[01])"),
    ONBOARD: re.compile(rf"(?P<number>[0-9]{{1,2}}):(?P<answer>[{ANSWERS}])(?::(?P<title>{_ID}))?"),
    SERVICES: re.compile(r"(?P<number>[0-9]{1,2})(?::(?P<answer>1))?"),
}


@dataclass(frozen=True, slots=True)
class PersonalAction:
    kind: str
    title_id: str | None = None
    number: int = 0  # half stars, page, step, yes/no or a platform bit mask, by kind
    owner: int | None = None
    answer: str | None = None

    def encode(self) -> str:
        parts = {
            RATE: (self.title_id, self.number), SEEN: (self.title_id,), WATCH: (self.title_id,),
            HIDE: (self.title_id,), STARS: (self.title_id,), LIST: (self.owner, self.number),
            UNLIST: (self.owner, self.title_id, self.number),
            TONIGHT: (self.owner,), FOR_YOU: (self.owner, self.number), FORGET: (self.owner, self.number),
            ONBOARD: (self.number, self.answer, *((self.title_id,) if self.title_id else ())),
            SERVICES: (self.number, *(("1",) if self.answer else ())),
        }[self.kind]
        data = "p" + self.kind + ":" + ":".join(str(p) for p in parts)
        if len(data.encode()) > MAX_BYTES or decode(data) != self:
            raise ValueError(f"cannot encode {self!r} as callback data")
        return data


def decode(data: object) -> PersonalAction | None:
    """The personal action a button's data stands for; None when it is not one, or malformed."""
    if not isinstance(data, str) or len(data) > MAX_BYTES or not data.startswith("p") or data[2:3] != ":":
        return None
    pattern = _PATTERNS.get(data[1])
    match = pattern.fullmatch(data[3:]) if pattern else None
    if match is None:
        return None
    found = match.groupdict()
    return PersonalAction(
        data[1], found.get("title"), int(found.get("number") or 0),
        int(found["owner"]) if found.get("owner") else None, found.get("answer"))
