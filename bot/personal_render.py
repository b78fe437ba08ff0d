"""Personal answers -> replies (pure, like `bot.render`): the rating buttons, picks, the watchlist, the
person's verdict on a title, onboarding steps, import summaries."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import callback_data, personal_data, render
from bot.callback_data import CARD, SIMILAR, Action
from bot.personal_data import (
    FOR_YOU, FORGET, HIDE, LIST, ONBOARD, RATE, SEEN, SERVICES, STARS, TONIGHT, UNLIST, WATCH, PersonalAction,
)
from bot.render import PAGE_SIZE, Button, Reply, escape, kind, platform_names, reply
from bot.texts import text
from core.vocabulary import Platform
from storage import ItemStatus

ON_TITLES = (RATE, SEEN, WATCH, HIDE, STARS)  # the personal buttons that act on one title
ONBOARD_ANSWERS = (("l", "button_loved"), ("k", "button_liked"), ("n", "button_hide"), ("u", "button_unseen"))


def stars(value: float) -> str:
    """4.5 -> '★★★★½ (4.5)'."""
    whole = int(value)
    return "★" * whole + ("½" if value - whole else "") + f" ({value:g})"


MARKS = (  # (action, label key, label key when on, compact glyph, compact glyph when on)
    (SEEN, "button_seen", "button_seen_on", "✓", "✅"),
    (WATCH, "button_watchlist", "button_watchlist_on", "+", "📌"),
    (HIDE, "button_hide", "button_hide_on", "✗", "🚫"),
)
_MARKED = {SEEN: "seen", WATCH: "listed", HIDE: "hidden"}  # ItemStatus's field for each mark


def star_buttons(title_id: str, status: ItemStatus | None = None) -> tuple[Button, ...]:
    """1★ to 5★; the person's own rating (when shown to them) is ticked: ✅4★."""
    rated = status.stars if status else None
    return tuple(Button(("✅" if rated == n else "") + f"{n}★", PersonalAction(RATE, title_id, 2 * n).encode())
                 for n in range(1, 6))


def mark_buttons(title_id: str, lang: str | None, status: ItemStatus | None = None) -> tuple[Button, ...]:
    """Seen / watchlist / not for me, each saying when it is on (pressing it again undoes it); `lang` None:
    the compact glyphs of a list line."""
    buttons = []
    for action, key, key_on, glyph, glyph_on in MARKS:
        on = bool(status and getattr(status, _MARKED[action]))
        label = (glyph_on if on else glyph) if lang is None else text(lang, key_on if on else key)
        buttons.append(Button(label, PersonalAction(action, title_id).encode()))
    return tuple(buttons)


def title_rows(title_id: str, lang: str, status: ItemStatus | None = None) -> tuple[tuple[Button, ...], ...]:
    """The personal buttons of a title card: five stars, then seen / watchlist / not for me."""
    return star_buttons(title_id, status), mark_buttons(title_id, lang, status)


def line_row(opener: Button, title_id: str, status: ItemStatus | None = None,
             expanded: bool = False) -> tuple[Button, ...]:
    """One suggestion of a list: its number (opens the card), then ☆ (rate: shows the five stars in this
    row), ✓ seen, + watchlist, ✗ not for me. Expanded: the number, then 1★..5★."""
    if expanded:
        return opener, *star_buttons(title_id, status)
    stars_given = status.stars if status else None
    rate = Button("☆" if stars_given is None else f"{stars_given:g}★", PersonalAction(STARS, title_id).encode())
    return opener, rate, *mark_buttons(title_id, None, status)


def line_rows(items: Sequence[tuple[int, str]]) -> tuple[tuple[Button, ...], ...]:
    """A row per numbered suggestion (position, title id)."""
    return tuple(line_row(Button(str(position), Action(CARD, title_id).encode()), title_id)
                 for position, title_id in items)


def titles_in(rows: Sequence[Sequence[Button]]) -> tuple[str, ...]:
    """The titles whose personal buttons a keyboard holds, in order."""
    found = (personal_data.decode(b.data) for row in rows for b in row)
    return tuple(dict.fromkeys(a.title_id for a in found if a is not None and a.kind in ON_TITLES))


def card_of(rows: Sequence[Sequence[Button]]) -> str | None:
    """The title when the keyboard is that title's card (Similar beside its stars), else None."""
    for row in rows:
        for b in row:
            action = callback_data.decode(b.data)
            if action is not None and action.kind == SIMILAR and not action.replace:
                return action.title_id if action.title_id in titles_in(rows) else None
    return None


def verdict_of(rows: Sequence[Sequence[Button]]) -> str | None:
    """The title when the keyboard is `/recommend me <title>`'s answer about it (its five stars, then its
    marks, then the suggestion lines; no Similar, which makes a card), else None. `/rate <title>`'s question
    has the stars row only."""
    if len(rows) < 2 or card_of(rows) is not None:
        return None
    head = [personal_data.decode(b.data) for row in rows[:2] for b in row]
    if any(a is None for a in head) or len({a.title_id for a in head}) != 1:
        return None
    stars_row = [a.kind for a in head[:len(rows[0])]]
    return head[0].title_id if stars_row and all(k == RATE for k in stars_row) else None


def personalised(rows: Sequence[Sequence[Button]], lang: str | None, statuses: Mapping[str, ItemStatus] | None,
                 expand: str | None = None) -> tuple[tuple[Button, ...], ...]:
    """A keyboard's personal buttons rebuilt: labelled with the reader's own `statuses` (None: neutral,
    as a group sees them), the list line of `expand` showing its five stars and every other line
    folded back to ☆. `lang` None leaves a card's rows as they are (a press in a group may come from a
    member who reads another language). Other buttons stay."""
    out = []
    for row in rows:
        actions = [personal_data.decode(b.data) for b in row]
        titled = {a.title_id for a in actions if a is not None and a.kind in ON_TITLES}
        if len(titled) != 1:
            out.append(tuple(row))
            continue
        title_id = titled.pop()
        status = statuses.get(title_id) if statuses else None
        opener = callback_data.decode(row[0].data)
        if opener is not None and opener.kind == CARD and opener.title_id == title_id:
            out.append(line_row(row[0], title_id, status, expanded=title_id == expand))
        elif lang is not None and all(a is not None and a.kind == RATE for a in actions):
            out.append(star_buttons(title_id, status))
        elif lang is not None and all(a is not None and a.kind in _MARKED for a in actions):
            out.append(mark_buttons(title_id, lang, status))
        else:
            out.append(tuple(row))
    return tuple(out)


def state_line(status: ItemStatus | None, lang: str) -> str | None:
    """What the person told the bot about a title, for their own card: "You: ★★★★ (4) · seen"."""
    if status is None:
        return None
    parts = [stars(status.stars)] if status.stars is not None else []
    parts += [text(lang, f"state_{field}") for field in ("seen", "listed", "hidden") if getattr(status, field)]
    return f"<i>{text(lang, 'state', marks=' · '.join(parts))}</i>" if parts else None


def ask_stars(display_title: str, query: str, title_id: str, lang: str) -> Reply:
    return reply(text(lang, "rate_how", title=escape(display_title), query=escape(query)),
                 title_rows(title_id, lang)[:1])


def work_line(position: int, work, lang: str) -> str:
    return (f"{position}. <b>{escape(work.display_title)}</b> ({work.year}, {kind(work.type, lang)}) · "
            f"{platform_names(work.platforms)}")


def picks(found: Sequence, page: int, owner: int, has_more: bool, personal: bool, lang: str,
          services: int = 0) -> Reply:
    """A page of /foryou: each pick with why ("because you liked X") and the stars it would get. For someone
    who rated nothing yet: well-known titles, and a button to the first /start's questions (`services`: the
    bit mask of their services, kept as they are)."""
    if not found:
        return render.message(lang, "foryou_none")
    lines = [text(lang, "foryou" if personal else "foryou_popular")]
    start = page * PAGE_SIZE
    for i, pick in enumerate(found, start + 1):
        line = work_line(i, pick, lang)
        why = []
        if getattr(pick, "because_title", None):
            why.append(text(lang, "because", title=escape(pick.because_title)))
        if personal and getattr(pick, "score", None):
            why.append(text(lang, "you_would_rate", stars=render.decimal(pick.score, lang)))
        lines.append(line + (f"\n    <i>{'; '.join(why)}</i>" if why else ""))
    lines.append(text(lang, "lines_legend"))
    rows = line_rows([(i, p.id) for i, p in enumerate(found, start + 1)])
    paging = []
    if page > 0:
        paging.append(Button(text(lang, "button_back"), PersonalAction(FOR_YOU, None, page - 1, owner).encode()))
    if has_more and page < 99:
        paging.append(Button(text(lang, "button_more"), PersonalAction(FOR_YOU, None, page + 1, owner).encode()))
    ask = () if personal else (Button(text(lang, "button_ask_me"),
                                      PersonalAction(SERVICES, None, services, None, "1").encode()),)
    return reply(lines, (*rows, tuple(paging), ask))


def watchlist(works: Sequence, page: int, owner: int, lang: str) -> Reply:
    """One page of the watchlist: open / remove buttons per title, paging, and "pick one for tonight"."""
    if not works:
        return render.message(lang, "watchlist_empty")
    last = (len(works) - 1) // PAGE_SIZE
    page = max(0, min(page, last, 999))
    start = page * PAGE_SIZE
    shown = works[start:start + PAGE_SIZE]
    lines = [text(lang, "watchlist", count=len(works))]
    lines += [work_line(i, w, lang) for i, w in enumerate(shown, start + 1)]
    open_buttons = tuple(Button(str(i), Action(CARD, w.id).encode()) for i, w in enumerate(shown, start + 1))
    remove = tuple(Button(f"✗ {i}", PersonalAction(UNLIST, w.title_ids[0], page, owner).encode())
                   for i, w in enumerate(shown, start + 1))
    paging = []
    if page > 0:
        paging.append(Button(text(lang, "button_back"), PersonalAction(LIST, None, page - 1, owner).encode()))
    if page < last:
        paging.append(Button(text(lang, "button_more"), PersonalAction(LIST, None, page + 1, owner).encode()))
    tonight = (Button(text(lang, "button_tonight"), PersonalAction(TONIGHT, None, 0, owner).encode()),)
    return reply(lines, (open_buttons, remove, tuple(paging), tonight))


def verdict(recommendation, titles, lang: str, name: str | None = None) -> Reply:
    """`/recommend <title>` for the person: their own rating, or the predicted one, and titles re-ranked by taste."""
    name = escape(name or titles[0].display_title)
    verdict_ = recommendation.verdict
    if verdict_ is None:
        heading = [text(lang, "you_no_ratings", title=name)]
    elif verdict_.own_rating is not None:
        heading = [text(lang, "you_rated", title=name, stars=stars(verdict_.own_rating))]
    else:
        key = "you_yes" if verdict_.recommend else "you_no"
        heading = [text(lang, key, title=name, predicted=render.decimal(verdict_.predicted_rating, lang, 2))]
        if verdict_.based_on and verdict_.mean is not None:  # None: they only hid titles, rated none
            heading.append(text(lang, "you_based_on", count=verdict_.based_on,
                                mean=render.decimal(verdict_.mean, lang)))
    rows = title_rows(titles[0].id, lang)
    if not recommendation.suggestions:
        return reply(heading, rows)
    heading += ["", text(lang, "you_might_like")]
    shown = recommendation.suggestions[:PAGE_SIZE]
    heading += [render.suggestion_line(i, s, lang) for i, s in enumerate(shown, 1)]
    heading.append(text(lang, "lines_legend"))
    return reply(heading, (*rows, *line_rows([(i, s.id) for i, s in enumerate(shown, 1)])))


# ---- onboarding ----------------------------------------------------------------------------------------
def services(mask: int, lang: str, welcome: str = "") -> Reply:
    """The first /start: toggle the services they pay for, then go on (none chosen = every platform)."""
    toggles = tuple(Button(("✓ " if mask & (1 << bit) else "") + p.label,
                           PersonalAction(SERVICES, None, mask ^ (1 << bit)).encode())
                    for bit, p in enumerate(Platform))
    go = (Button(text(lang, "button_continue"), PersonalAction(SERVICES, None, mask, None, "1").encode()),)
    lines = [welcome, "", text(lang, "onboard_services")] if welcome else [text(lang, "onboard_services")]
    return reply(lines, (toggles[:2], toggles[2:], go))


def platforms_of(mask: int) -> tuple[Platform, ...]:
    return tuple(p for bit, p in enumerate(Platform) if mask & (1 << bit))


def services_mask(platforms) -> int:
    """The bit mask of `platforms` (None or empty: 0, every platform), as the services buttons carry it."""
    return sum(1 << bit for bit, p in enumerate(Platform) if p in (platforms or ()))


def onboarding_step(step: int, total: int, candidate, lang: str) -> Reply:
    line = f"<b>{escape(candidate.display_title)}</b> ({candidate.year}, {kind(candidate.type, lang)}) · " \
           f"{platform_names(candidate.platforms)}"
    answers = [Button(text(lang, key), PersonalAction(ONBOARD, candidate.id, step, None, code).encode())
               for code, key in ONBOARD_ANSWERS]
    stop = (Button(text(lang, "button_stop"), PersonalAction(ONBOARD, None, step, None, "s").encode()),)
    return reply([text(lang, "onboard_step", step=step + 1, total=total), line],
                 (tuple(answers[:2]), tuple(answers[2:]), stop))


def forget_confirm(counts: dict[str, int], owner: int, lang: str) -> Reply:
    buttons = ((Button(text(lang, "button_forget_yes"), PersonalAction(FORGET, None, 1, owner).encode()),
                Button(text(lang, "button_forget_no"), PersonalAction(FORGET, None, 0, owner).encode())),)
    return reply(text(lang, "forget_confirm", **counts), buttons)


def forgotten(counts: dict[str, int], lang: str) -> Reply:
    return render.message(lang, "forgotten", **counts)
