"""Personal answers -> replies (pure, like `bot.render`): the rating buttons, picks, the watchlist, the
person's verdict on a title, onboarding steps, import summaries."""
from __future__ import annotations

from collections.abc import Sequence

from bot import render
from bot.callback_data import CARD, Action
from bot.personal_data import (
    FOR_YOU, FORGET, HIDE, LIST, ONBOARD, RATE, SEEN, SERVICES, TONIGHT, UNLIST, WATCH, PersonalAction,
)
from bot.render import PAGE_SIZE, Button, Reply, escape, kind, platform_names, reply
from bot.texts import text
from core.vocabulary import Platform

ONBOARD_ANSWERS = (("l", "button_loved"), ("k", "button_liked"), ("n", "button_hide"), ("u", "button_unseen"))


def stars(value: float) -> str:
    """4.5 -> '★★★★½ (4.5)'."""
    whole = int(value)
    return "★" * whole + ("½" if value - whole else "") + f" ({value:g})"


def title_rows(title_id: str, lang: str) -> tuple[tuple[Button, ...], ...]:
    """The personal buttons of a title card: five stars, then seen / watchlist / not for me."""
    star_row = tuple(Button(f"{n}★", PersonalAction(RATE, title_id, 2 * n).encode()) for n in range(1, 6))
    marks = tuple(Button(text(lang, key), PersonalAction(action, title_id).encode())
                  for action, key in ((SEEN, "button_seen"), (WATCH, "button_watchlist"), (HIDE, "button_hide")))
    return star_row, marks


def ask_stars(display_title: str, query: str, title_id: str, lang: str) -> Reply:
    return reply(text(lang, "rate_how", title=escape(display_title), query=escape(query)),
                 title_rows(title_id, lang)[:1])


def work_line(position: int, work, lang: str) -> str:
    return (f"{position}. <b>{escape(work.display_title)}</b> ({work.year}, {kind(work.type, lang)}) · "
            f"{platform_names(work.platforms)}")


def picks(found: Sequence, page: int, owner: int, has_more: bool, personal: bool, lang: str) -> Reply:
    """A page of /foryou: each pick with why ("because you liked X") and the stars it would get."""
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
    open_buttons = tuple(Button(str(i), Action(CARD, p.id).encode()) for i, p in enumerate(found, start + 1))
    paging = []
    if page > 0:
        paging.append(Button(text(lang, "button_back"), PersonalAction(FOR_YOU, None, page - 1, owner).encode()))
    if has_more and page < 99:
        paging.append(Button(text(lang, "button_more"), PersonalAction(FOR_YOU, None, page + 1, owner).encode()))
    return reply(lines, (open_buttons, tuple(paging)))


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


def verdict(recommendation, titles, lang: str) -> Reply:
    """`/recommend <title>` for the person: their own rating, or the predicted one, and titles re-ranked by taste."""
    name = escape(titles[0].display_title)
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
    open_buttons = tuple(Button(str(i), Action(CARD, s.id).encode()) for i, s in enumerate(shown, 1))
    return reply(heading, (*rows, open_buttons))


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
