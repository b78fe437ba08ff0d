"""Core results -> replies. Pure: every function takes values and returns a `Reply` (HTML text,
buttons, maybe a photo); the console prints `reply.plain()`, derived from the same HTML.

Catalog text is stored lowercase; people's names, countries and descriptions are shown as the raw data
writes them (layout 2's display columns, "Leonardo DiCaprio"); genres in title case. Anything the user
typed is escaped here.
"""
from __future__ import annotations

import html
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.callback_data import CARD, RECOMMEND, SIMILAR, WHERE, Action, person_action
from bot.genre_names import genre_name
from bot.texts import text
from core.countries import country_name
from core.models import ActorCount, MaxDuration, PlatformCount, ScoreCount, Title
from core.vocabulary import Platform

if TYPE_CHECKING:
    from core import Catalog

MAX_TEXT = 4096  # Telegram's limit for a message
MAX_CAPTION = 1024  # and for a photo's caption
PAGE_SIZE = 5
DESCRIPTION_CHARS = 280
ACRONYMS = {"tv": "TV", "lgbtq": "LGBTQ", "lgbtq+": "LGBTQ+", "usa": "USA", "uk": "UK", "ii": "II", "iii": "III"}
_TAG = re.compile(r"<[^>]+>")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n)([a-z])")


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    data: str | None = None  # callback data
    inline_query: str | None = None  # "Share": switch to inline mode with this query
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    text: str  # HTML, at most MAX_TEXT characters (MAX_CAPTION with a photo)
    buttons: tuple[tuple[Button, ...], ...] = ()
    photo: bytes | None = field(default=None, repr=False)

    def plain(self) -> str:
        return plain(self.text)


def plain(html_text: str) -> str:
    """The reply as plain text for the console: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def reply(lines: Sequence[str] | str, buttons=(), photo: bytes | None = None) -> Reply:
    body = lines if isinstance(lines, str) else "\n".join(lines)
    return Reply(fit(body, MAX_CAPTION if photo else MAX_TEXT), tuple(tuple(row) for row in buttons if row), photo)


def fit(body: str, limit: int) -> str:
    """Cut at a line boundary so no HTML tag is split (every line closes its own tags)."""
    if len(body) <= limit:
        return body
    cut = body.rfind("\n", 0, limit - 2)
    return (body[:cut] if cut > 0 else plain(body)[: limit - 2]) + "\n…"


# ---- words and numbers ----------------------------------------------------------------------------
def escape(value: object) -> str:
    return html.escape(str(value), quote=False)


def number(value: int, lang: str) -> str:
    formatted = f"{value:,}"
    return formatted.replace(",", ".") if lang == "es" else formatted


def decimal(value: float, lang: str, digits: int = 1) -> str:
    formatted = f"{value:.{digits}f}"
    return formatted.replace(".", ",") if lang == "es" else formatted


def title_case(name: str) -> str:
    """'brendan gleeson' -> 'Brendan Gleeson', "conan o'brien" -> "Conan O'Brien", 'sci-fi' -> 'Sci-Fi'."""
    def word(w: str) -> str:
        if w in ACRONYMS:
            return ACRONYMS[w]
        w = "-".join(part[:1].upper() + part[1:] for part in w.split("-"))
        if len(w) > 2 and w[1] == "'":
            w = w[:2] + w[2].upper() + w[3:]
        return w

    return " ".join(word(w) for w in name.split())


# Lowercase name -> the raw data's spelling, learnt from each catalog the application answers from
# (`learn_display_names`): a table of spellings, the same for every catalog that lists a name.
_DISPLAY_NAMES: dict[str, str] = {}
_UNLEARNT: list[Catalog] = []  # catalogs whose spellings are still to learn, oldest first
_LEARNT: weakref.WeakSet[Catalog] = weakref.WeakSet()
_LEARNING = threading.Lock()


def learn_display_names(catalog: Catalog) -> None:
    """Learn the catalog's spellings (once) before a name is next shown. Building them takes a quarter of a
    second on the full catalog, so it waits for `learn_now` (`python -m bot` calls it in a thread once it
    polls) or for the first name shown, whichever comes first."""
    with _LEARNING:
        if catalog not in _LEARNT and catalog not in _UNLEARNT:
            _UNLEARNT.append(catalog)


def learn_now() -> dict[str, str]:
    """Every spelling learnt so far; a name shown meanwhile waits for the thread learning them."""
    if _UNLEARNT:
        with _LEARNING:
            while _UNLEARNT:
                catalog = _UNLEARNT[0]
                _DISPLAY_NAMES.update(catalog.display_names)  # the newest catalog's spelling wins
                _LEARNT.add(catalog)
                _UNLEARNT.pop(0)
    return _DISPLAY_NAMES


def proper_name(name: str) -> str:
    """A person or country as the catalogs write it ("matt leblanc" -> "Matt LeBlanc"); title case if unknown."""
    return learn_now().get(name) or title_case(name)


def country_label(name: str, lang: str) -> str:
    """A catalog country in the reader's language: "germany" -> "Germany", or "Alemania" in Spanish."""
    return country_name(name, lang) or proper_name(name)


def genre_label(genre: str, lang: str) -> str:
    """A genre in the reader's language: "horror" -> "Horror", or "Terror" in Spanish."""
    return genre_name(genre, lang) or title_case(genre)


def capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def sentence_case(description: str) -> str:
    text_ = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), description)
    return re.sub(r"\bi\b", "I", text_)


def shorten(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    cut = value.rfind(" ", 0, limit - 1)
    return value[: cut if cut > limit // 2 else limit - 1].rstrip(" ,.;:") + "…"


def platform_names(platforms: Sequence[Platform]) -> str:
    return ", ".join(dict.fromkeys(p.label for p in platforms))  # a work may have two copies on one service


def duration(value: int | None, unit: str, lang: str) -> str:
    if value is None:
        return text(lang, "duration_unknown")
    if unit == "season":
        return f"{value} {text(lang, 'season' if value == 1 else 'seasons')}"
    return f"{value} min"


def counted(count: int, singular: str, plural: str, lang: str) -> str:
    """The word for `count` things: "1 movie", "2 movies", "0 películas"."""
    return text(lang, singular if count == 1 else plural)


def shown_title(display_title: str, year: int) -> str:
    """The title without a trailing "(year)" when that is its release year ("Aladdin (2019)"), so a
    reply that adds the year does not say it twice."""
    suffix = f" ({year})"
    return display_title[: -len(suffix)] if display_title.endswith(suffix) and len(display_title) > len(suffix) \
        else display_title


def score_threshold(value: float, lang: str) -> str:
    """A threshold as typed: 3.55 stays 3.55 (one decimal would say 3.5, a different question)."""
    formatted = f"{value:g}"
    return formatted.replace(".", ",") if lang == "es" else formatted


def kind(title_type: str, lang: str, plural: bool = False) -> str:
    if plural:
        return text(lang, "movies" if title_type == "movie" else "tv shows")
    return text(lang, title_type)


# ---- help and errors --------------------------------------------------------------------------------
def usage_line(name: str, usage: str) -> str:
    return f"/{name} {escape(usage)}".rstrip()


def input_error(problem: str, value: object, choices: Sequence[str], usage: str | None, lang: str,
                limit: int = 0) -> Reply:
    """A short explanation of what was wrong and, for a command, its usage line."""
    lines = [text(lang, problem, value=escape(shorten(str(value), 60)), choices=escape(", ".join(choices)),
                  limit=limit)]
    if usage:
        lines.append(text(lang, "usage", usage=usage))
    return reply(lines)


def message(lang: str, key: str, **values: object) -> Reply:
    return reply(text(lang, key, **values))


# ---- the catalog queries ------------------------------------------------------------------------------
def _filters(year: int | None, platform: Platform | None, lang: str) -> str:
    return f"{platform.label if platform else text(lang, 'any_platform')}, {year or text(lang, 'any_year')}"


def max_duration(result: MaxDuration, lang: str) -> Reply:
    kind_word = kind("movie" if result.duration_type == "min" else "tv show", lang)
    filters = _filters(result.year, result.platform, lang)
    if not result.titles:
        return message(lang, "max_duration_none", kind=kind_word, filters=filters)
    names = ", ".join(f"<b>{escape(shown_title(t.display_title, t.release_year))}</b>"
                      + _unless_filtered(t, result) for t in result.titles[:10])
    if len(result.titles) > 1:
        names = text(lang, "max_duration_tie", count=len(result.titles)) + ": " + names
    return message(lang, "max_duration", kind=kind_word, filters=filters, titles=names,
                   duration=duration(result.duration_int, result.duration_type, lang))


def _unless_filtered(t: Title, result: MaxDuration) -> str:
    """The year and platform of a longest title, leaving out what the filters already say."""
    details = [str(t.release_year)] if result.year is None else []
    details += [t.platform.label] if result.platform is None else []
    return f" ({', '.join(details)})" if details else ""


def _kinds(movies: int, shows: int, lang: str) -> dict[str, str]:
    return {"movies": number(movies, lang), "movies_word": counted(movies, "movie", "movies", lang),
            "shows": number(shows, lang), "shows_word": counted(shows, "tv show", "tv shows", lang)}


def score_count(result: ScoreCount, lang: str) -> Reply:
    return message(lang, "score_count", platform=result.platform.label, year=result.year,
                   score=score_threshold(result.threshold, lang), **_kinds(result.movies, result.tv_shows, lang))


def count(result: PlatformCount, lang: str) -> Reply:
    return message(lang, "count", platform=result.platform.label, total=number(result.total, lang),
                   **_kinds(result.movies, result.tv_shows, lang))


def actors(found: Sequence[ActorCount], platform: Platform, year: int, lang: str, shown: int = 3) -> Reply:
    """The `shown` most frequent cast members of `found` (every one, ranked), and how many more tie with the last."""
    if not found:
        return message(lang, "actors_none", platform=platform.label, year=year)
    lines = [text(lang, "actors", platform=platform.label, year=year)]
    lines += [f"{i}. " + text(lang, "actor_line", name=f"<b>{escape(proper_name(a.name))}</b>", count=a.count,
                              titles_word=counted(a.count, "title", "titles", lang))
              for i, a in enumerate(found[:shown], 1)]
    tied = sum(1 for a in found[shown:] if a.count == found[shown - 1].count) if len(found) > shown else 0
    if tied:
        count_ = found[shown - 1].count
        lines.append(text(lang, "actors_tied", others=number(tied, lang), count=count_,
                          titles_word=counted(count_, "title", "titles", lang)))
    return reply(lines)


def country(title_type: str, country_name: str, year: int | None, found: int, lang: str) -> Reply:
    kinds = kind(title_type, lang, plural=True)
    return message(lang, "country", kinds=capitalised(kinds), country=escape(country_label(country_name, lang)),
                   year=text(lang, "country_year", year=year) if year else "", count=number(found, lang))


def maturity_rating(rating: str, found: int, lang: str, unrated: int = 0) -> Reply:
    """The count for a maturity rating; for the one missing ratings become (`unrated` of `found`), both parts."""
    if unrated:
        return message(lang, "rating_with_unrated", rating=escape(rating.upper()), count=number(found, lang),
                       rated=number(found - unrated, lang), unrated=number(unrated, lang))
    return message(lang, "rating", rating=escape(rating.upper()), count=number(found, lang))


# ---- titles -----------------------------------------------------------------------------------------
def _score(titles: Sequence[Title]) -> tuple[float | None, int]:
    """A work's score over its platform copies, weighted by how many ratings each has."""
    rated = [t for t in titles if t.score is not None and t.rating_count]
    votes = sum(t.rating_count for t in rated)
    if not votes:
        return None, 0
    return sum(t.score * t.rating_count for t in rated) / votes, votes


def describe(t: Title) -> str:
    """The description as the catalog writes it; rebuilt from the lowercase text only without layout 2."""
    if t.display_description:
        return t.display_description
    described = sentence_case(t.description)
    names = {t.title: t.display_title} | {n: title_case(n) for n in (*t.cast, *t.directors) if " " in n}
    for lower, proper in names.items():
        if len(lower) > 3:
            described = re.sub(rf"\b{re.escape(lower)}\b", proper, described, flags=re.IGNORECASE)
    return described


def score_text(score: float | None, votes: int, lang: str) -> str:
    return text(lang, "no_score") if score is None else text(
        lang, "score", score=decimal(score, lang), count=number(votes, lang),
        ratings_word=counted(votes, "user_rating", "user_ratings", lang))


def maturity(t: Title, lang: str) -> str:
    """The maturity rating as the service gave it; "not rated" where it gave none (stored as g by rule)."""
    return text(lang, "not_rated") if t.rating_unknown else escape(t.rating.upper())


def copies_duration(titles: Sequence[Title], lang: str) -> str:
    """One duration when every copy agrees; else each platform's ("10 seasons (Amazon Prime Video),
    9 seasons (Hulu)"): copies are per-platform facts, a show's seasons often differ."""
    each = [duration(t.duration_int, t.duration_type, lang) for t in titles]
    if len(set(each)) == 1:
        return each[0]
    return ", ".join(f"{d} ({t.platform.label})" for d, t in zip(each, titles))


def card_text(titles: Sequence[Title], lang: str, name: str | None = None) -> str:
    """The body of a title card: one work on every platform that streams it, under the work's
    `name` (without a studio prefix) and its earliest year, with one score over every copy."""
    first = titles[0]
    year = min(t.release_year for t in titles)  # a show's copies often give their latest season's year
    genres = list(dict.fromkeys(g for t in titles for g in t.genres))[:6]
    cast = list(first.display_cast[:4]) or [proper_name(c) for c in first.cast[:4]]  # this title's own spelling
    lines = [
        f"<b>{escape(shown_title(name or first.display_title, year))}</b> ({year})",
        " · ".join((capitalised(kind(first.type, lang)), copies_duration(titles, lang), maturity(first, lang))),
        f"{text(lang, 'on')}: {platform_names([t.platform for t in titles])} ({text(lang, 'catalog_scope')})",
    ]
    if genres:
        lines.append(f"{text(lang, 'genres')}: {escape(', '.join(genre_label(g, lang) for g in genres))}")
    if cast:
        lines.append(f"{text(lang, 'cast')}: {escape(', '.join(cast))}")
    lines.append(score_text(*_score(titles), lang))
    if first.description:
        lines += ["", f"<i>{escape(shorten(describe(first), DESCRIPTION_CHARS))}</i>"]
    return "\n".join(lines)


def card_buttons(title_id: str, lang: str) -> tuple[tuple[Button, ...], ...]:
    from bot.personal_render import title_rows  # it renders with this module's helpers

    return (
        (Button(text(lang, "button_similar"), Action(SIMILAR, title_id).encode()),
         Button(text(lang, "button_where"), Action(WHERE, title_id).encode())),
        *title_rows(title_id, lang),  # your stars; seen, watchlist, not for me
        (Button(text(lang, "button_share"), inline_query=title_id),),
    )


def title_card(titles: Sequence[Title], lang: str, name: str | None = None) -> Reply:
    return reply(card_text(titles, lang, name), card_buttons(titles[0].id, lang))


def where(titles: Sequence[Title], lang: str, name: str | None = None) -> Reply:
    """Every copy of the work with its own year, type and duration; then one score for the work. Two copies
    on one service that say the same (Amazon's 4K listing beside the plain one) are one line."""
    lines = [text(lang, "where", title=escape(name or titles[0].display_title))]
    for t in titles:
        details = [str(t.release_year), kind(t.type, lang), duration(t.duration_int, t.duration_type, lang)]
        line = f"• <b>{t.platform.label}</b>: {', '.join(details)}"
        if line not in lines:
            lines.append(line)
    lines.append(score_text(*_score(titles), lang))
    return reply(lines, ((Button(text(lang, "button_similar"), Action(SIMILAR, titles[0].id).encode()),
                          Button(text(lang, "button_share"), inline_query=titles[0].id)),))


def candidate_label(display_title: str, year: int, platforms: Sequence[Platform]) -> str:
    names = ", ".join(p.label for p in platforms)
    return f"{shorten(shown_title(display_title, year), 40)} ({year}, {names})"


def did_you_mean(candidates: Sequence, kind_: str, lang: str, user_id: int | None = None) -> Reply:
    """Buttons for the works the text may mean; each finishes the original command for its title."""
    buttons = [(Button(candidate_label(c.display_title, c.year, c.platforms),
                       Action(kind_, c.id, 0, user_id, replace=True).encode()),)
               for c in candidates]
    return reply(text(lang, "did_you_mean"), buttons)


def absent_line(query: str, lang: str) -> str:
    return text(lang, "not_on_services", value=escape(shorten(query, 80)), scope=text(lang, "catalog_scope"))


def not_on_services(query: str, candidates: Sequence, kind_: str, lang: str, user_id: int | None = None) -> Reply:
    """A title on none of the four services says so; titles with a similar name follow, if any."""
    lines = [absent_line(query, lang)]
    if not candidates:
        return reply(lines + [text(lang, "check_spelling")])
    return reply(lines + [text(lang, "similar_names")], did_you_mean(candidates, kind_, lang, user_id).buttons)



def _page(items: Sequence, page: int, size: int = PAGE_SIZE) -> tuple[Sequence, int, bool]:
    """The items on `page` (clamped to the last page, so an old "More" button still shows something)."""
    page = max(0, min(page, (len(items) - 1) // size))
    start = page * size
    return items[start:start + size], start, start + size < len(items)


# ---- people ------------------------------------------------------------------------------------------
PERSON_PAGE_SIZE = 10


def person_name(person) -> str:
    return proper_name(person.name)


def role_words(roles: Sequence[str], lang: str) -> str:
    return ", ".join(text(lang, f"role_{role}") for role in roles)


def person_titles(person, page: int, lang: str) -> Reply:
    """A page of a person's titles, newest first: year, platforms and role, a button to each card."""
    shown, start, has_more = _page(person.credits, page, PERSON_PAGE_SIZE)
    page = start // PERSON_PAGE_SIZE
    lines = [text(lang, "person_titles", name=escape(person_name(person)), count=number(len(person.credits), lang))]
    lines += [f"{start + i}. <b>{escape(c.display_title)}</b> ({c.year}, {kind(c.type, lang)}) · "
              f"{platform_names(c.platforms)} · {role_words(c.roles, lang)}" for i, c in enumerate(shown, 1)]
    if has_more or page > 0:
        lines.append(text(lang, "page", first=start + 1, last=start + len(shown)))
    cards = [Button(str(start + i), Action(CARD, c.id).encode()) for i, c in enumerate(shown, 1)]
    paging = []
    if page > 0:
        paging.append(Button(text(lang, "button_back"), _person_page(person, page - 1)))
    if has_more and page < 9:
        paging.append(Button(text(lang, "button_more"), _person_page(person, page + 1)))
    return reply(lines, (tuple(cards[:5]), tuple(cards[5:]), tuple(paging)))


def _person_page(person, page: int) -> str:
    return person_action(person, page, True).encode()


def people_did_you_mean(people: Sequence, query: str, lang: str) -> Reply:
    """Buttons for the people a name may mean, or a short "no one by that name"."""
    if not people:
        return message(lang, "person_none", value=escape(shorten(query, 80)))
    buttons = [(Button(text(lang, "person_label", name=shorten(person_name(p), 40), count=len(p.credits)),
                       person_action(p, 0, True).encode()),) for p in people]
    return reply(text(lang, "did_you_mean"), buttons)


def with_person_button(card: Reply, person, lang: str) -> Reply:
    """A title card whose text also names a person ("Bruce Lee"): a button to that person's titles."""
    button = Button(text(lang, "button_person", name=shorten(person_name(person), 40)),
                    person_action(person, 0, False).encode())
    return Reply(card.text, card.buttons + ((button,),), card.photo)


def reason(shared, lang: str, limit: int = 120) -> str:
    """Why a suggestion was made, from what it shares with the title asked about: whole parts only, as
    many as fit in `limit` characters (a part cut mid-phrase, "genres…", says nothing)."""
    parts = [text(lang, key, names=", ".join(spell(n) for n in names[:limit]))
             for key, names, limit, spell in (("reason_directors", shared.directors, 2, proper_name),
                                              ("reason_cast", shared.cast, 3, proper_name),
                                              ("reason_genres", shared.genres, 3, lambda g: genre_label(g, lang))) if names]
    kept = parts[:1]
    for part in parts[1:]:
        if len("; ".join([*kept, part])) > limit:
            break
        kept.append(part)
    return shorten("; ".join(kept), limit) if kept else text(lang, "reason_story")


def suggestion_line(position: int, s, lang: str) -> str:
    line = (f"{position}. <b>{escape(shown_title(s.display_title, s.year))}</b> ({s.year}, {kind(s.type, lang)}) · "
            f"{platform_names(s.platforms)}")
    return f"{line}\n    <i>{escape(reason(s.shared, lang))}</i>"


def suggestion_list(heading: list[str], suggestions: Sequence, page: int, more: Action, lang: str,
                    legend: bool = True) -> Reply:
    """One page of suggestions: numbered lines, a row of buttons per title (its number opens the card; rate,
    seen, watchlist, not for me), and ‹ Back / More › buttons."""
    shown, start, has_more = _page(suggestions, page)
    page = start // PAGE_SIZE
    from bot.personal_render import line_rows  # it renders with this module's helpers

    lines = heading + [suggestion_line(start + i, s, lang) for i, s in enumerate(shown, 1)]
    if legend:  # what the buttons below do (an inline card has none of them: no legend)
        lines.append(text(lang, "lines_legend"))
    if has_more or page > 0:
        lines.append(text(lang, "page", first=start + 1, last=start + len(shown)))
    rows = line_rows([(start + i, s.id) for i, s in enumerate(shown, 1)])  # open, and rate / seen / ... each
    paging = []
    if page > 0:
        paging.append(Button(text(lang, "button_back"), _replace(more, page - 1).encode()))
    if has_more and page < 9:
        paging.append(Button(text(lang, "button_more"), _replace(more, page + 1).encode()))
    return reply(lines, (*rows, tuple(paging)))


def _replace(action: Action, page: int) -> Action:
    return Action(action.kind, action.title_id, page, action.user_id, replace=True)


def similar(titles: Sequence[Title], suggestions: Sequence, page: int, lang: str, name: str | None = None) -> Reply:
    name = escape(name or titles[0].display_title)
    if not suggestions:
        return message(lang, "similar_none", title=name)
    return suggestion_list([text(lang, "similar", title=name)], suggestions, page, Action(SIMILAR, titles[0].id), lang)


def recommendation(rec, titles: Sequence[Title], page: int, lang: str, legend: bool = True,
                   name: str | None = None) -> Reply:
    """The verdict for (user, title), what it rests on, and a page of other suggestions."""
    name = escape(name or titles[0].display_title)
    instead = False
    if not rec.user_known:
        heading = [text(lang, "recommend_unknown_user", user=rec.user_id, title=name)]
    elif rec.user_rating is not None:  # they rated it: that is the answer, not a prediction
        heading = [text(lang, "recommend_own", user=rec.user_id, title=name, rating=decimal(rec.user_rating, lang))]
    elif not rec.based_on:  # nothing similar rated: their average is no verdict on this title
        heading = [text(lang, "recommend_unsure", user=rec.user_id, title=name, mean=decimal(rec.user_mean, lang))]
    else:
        key = "recommend_yes" if rec.recommend else "recommend_no"
        # Two decimals: the yes/no threshold is 3.5, and 3.46 shown as "3.5" would read as a contradiction.
        predicted = decimal(rec.predicted_rating, lang, digits=2)
        heading = [text(lang, key, user=rec.user_id, title=name, predicted=predicted)]
        key = "based_on" if rec.based_on > 1 else "based_on_one"
        heading.append(text(lang, key, count=rec.based_on, mean=decimal(rec.user_mean, lang)))
        instead = not rec.recommend
    if not rec.suggestions:
        return reply(heading, card_buttons(titles[0].id, lang)[:1])
    heading += ["", text(lang, ("suggestions_instead" if instead else "suggestions") if rec.user_known else "like_it")]
    more = Action(RECOMMEND, titles[0].id, 0, rec.user_id)
    return suggestion_list(heading, rec.suggestions, page, more, lang, legend)


def chart_words(lang: str) -> dict[str, str]:
    """The /stats chart's labels in `lang` (keys of charts.titles.CHART_WORDS)."""
    return {"movies": text(lang, "movies"), "tv_shows": text(lang, "tv shows"),
            "release_year": text(lang, "chart_release_year"), "titles": text(lang, "titles"),
            "heading": text(lang, "chart_heading"), "all_platforms": text(lang, "all_platforms")}


def stats(png: bytes, facts: dict, platform: Platform | None, lang: str) -> Reply:
    """The chart with a one-line summary worded in the user's language from the chart's own numbers."""
    name = platform.label if platform else text(lang, "all_platforms")
    if facts.get("total"):
        summary = text(lang, "stats_summary", total=number(facts["total"], lang), first=facts["first"],
                       last=facts["last"], peak=facts["peak"], peak_titles=number(facts["peak_titles"], lang),
                       peak_shows=number(facts["peak_shows"], lang), recent=facts["recent_percent"])
    else:
        summary = text(lang, "stats_empty")
    return reply(text(lang, "stats_caption", platform=name, finding=summary), photo=png)


# ---- inline mode ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class InlineCard:
    """One inline result: what the list shows (title, description) and what gets posted (text, buttons)."""

    id: str
    title: str
    description: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def open_button(title_id: str, bot_username: str, lang: str) -> tuple[tuple[Button, ...], ...]:
    return ((Button(text(lang, "button_open"), url=f"https://t.me/{bot_username}?start=t_{title_id}"),),)


def inline_title(titles: Sequence[Title], bot_username: str, lang: str, name: str | None = None) -> InlineCard:
    first = titles[0]
    genres = ", ".join(genre_label(g, lang) for g in first.genres[:3])
    summary = f"{first.release_year} · {platform_names([t.platform for t in titles])}"
    if genres:
        summary += f" · {genres}"
    description = summary + "\n" + shorten(describe(first), 100)
    return InlineCard(first.id, name or first.display_title, description, card_text(titles, lang, name),
                      open_button(first.id, bot_username, lang))


def inline_absent(query: str, lang: str) -> InlineCard:
    """Inline mode's one result for a title on none of the services: posting it says so."""
    body = absent_line(query, lang)
    return InlineCard("absent", text(lang, "inline_absent", value=shorten(query, 60)), plain(body), body)


def inline_recommendation(rec, titles: Sequence[Title], bot_username: str, lang: str,
                          name: str | None = None) -> InlineCard:
    body = recommendation(rec, titles, 0, lang, legend=False, name=name)
    if rec.user_rating is not None:
        predicted = decimal(rec.user_rating, lang)
    elif rec.predicted_rating is None or not rec.based_on:
        predicted = "?"
    else:
        predicted = decimal(rec.predicted_rating, lang)
    head = text(lang, "inline_rec_title", user=rec.user_id, title=name or titles[0].display_title, predicted=predicted)
    return InlineCard(f"r{rec.user_id}_{titles[0].id}", head, plain(body.text.split("\n")[0]), body.text,
                      open_button(titles[0].id, bot_username, lang))
