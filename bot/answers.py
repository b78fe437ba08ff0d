"""The title features as one function each: (catalog, what the user asked, their platforms, language) -> Reply.

Commands, buttons and inline mode all answer through these, so a button finishes exactly what its
command would have done. Pure over an immutable catalog: tested without Telegram.
"""
from __future__ import annotations

from collections.abc import Sequence

from bot import parsing, render
from bot.callback_data import CARD, MAX_PAGE, PERSON, RECOMMEND, SIMILAR, WHERE, Action, name_check
from bot.render import InlineCard, Reply
from core import Catalog
from core.models import Title
from core.search import Search
from core.vocabulary import Platform

LIST_LENGTH = render.PAGE_SIZE * (MAX_PAGE + 1)  # suggestions reachable with "More"
CANDIDATES = 5  # "did you mean" buttons at most
INLINE_CANDIDATES = 20  # works scored for an inline query; only those that match are listed


def work_titles(catalog: Catalog, title_ids: Sequence[str]) -> list[Title]:
    """A work's rows on every platform that streams it (in the order core gives, preferred first)."""
    return [t for t in (catalog.by_id(i) for i in title_ids) if t is not None]


def _offer(found: Search, query: str, kind: str, lang: str, user_id: int | None = None) -> Reply:
    """Nothing clear: a title on none of the services says so (with similar names, if any);
    otherwise "did you mean…" with the works that match (never empty: an exact or near one is there)."""
    if found.absent:
        return render.not_on_services(query, found.candidates[:CANDIDATES], kind, lang, user_id)
    exact = [c for c in found.candidates if c.match == "exact"]  # three Offices: not "Officer" beside them
    return render.did_you_mean((exact or found.candidates)[:CANDIDATES], kind, lang, user_id)


def resolve(catalog: Catalog, query: str, kind: str, platforms, lang: str) -> list[Title] | Reply:
    """The work the text clearly means, or the reply that asks (did you mean…) or says it is absent."""
    found = catalog.search(query, limit=CANDIDATES, platforms=platforms)
    if found.chosen is None:
        return _offer(found, query, kind, lang)
    return work_titles(catalog, found.chosen.title_ids)


def work_name(catalog: Catalog, titles: Sequence[Title]) -> str:
    """The name of the work these copies make up (works.parquet: without a studio prefix)."""
    return catalog.works.display_title[int(catalog.works.of_row[titles[0].index])]


def title_card(catalog: Catalog, query: str, platforms, lang: str) -> Reply:
    """The title's card; text that names a person too ("Bruce Lee") adds a button to their titles, and
    a person's name that is no title ("tom hanks") lists their titles instead."""
    found = resolve(catalog, query, CARD, platforms, lang)
    person = catalog.people.find(query)
    if isinstance(found, Reply):
        return found if person is None else render.person_titles(person, 0, lang)
    card = render.title_card(found, lang, work_name(catalog, found))
    return card if person is None else render.with_person_button(card, person, lang)


def person(catalog: Catalog, query: str, lang: str) -> Reply:
    """`/person tom hanks`: their titles; a near spelling offers the closest names; else says no one."""
    found = catalog.people.find(query)
    if found is not None:
        return render.person_titles(found, 0, lang)
    return render.people_did_you_mean(catalog.people.closest(query, CANDIDATES), query, lang)


def person_titles(catalog: Catalog, action: Action, lang: str) -> Reply:
    """A page of a person's titles (their "More ›" button); the button is checked by `still_valid` first."""
    return render.person_titles(catalog.people[person_index(catalog, action)], action.page, lang)


def person_index(catalog: Catalog, action: Action) -> int | None:
    """Where the person a button names sits in this catalog's people: at the button's index when the name
    there is theirs, else wherever their name is (the button came from a catalog since replaced, whose
    sorted names put them elsewhere); None when this catalog has no one of that name."""
    keys = catalog.people.keys
    if action.person is not None and action.person < len(keys) and name_check(keys[action.person]) == action.check:
        return action.person
    return next((i for i, key in enumerate(keys) if name_check(key) == action.check), None)


def still_valid(catalog: Catalog, action: Action) -> bool:
    """Whether a button's data still names something in the catalog (a title, or a person)."""
    if action.kind == PERSON:
        return person_index(catalog, action) is not None
    return catalog.by_id(action.title_id) is not None


def where(catalog: Catalog, query: str, platforms, lang: str) -> Reply:
    found = resolve(catalog, query, WHERE, platforms, lang)
    return found if isinstance(found, Reply) else render.where(found, lang, work_name(catalog, found))


def wanted(page: int) -> int:
    """Suggestions to fetch for a page: up to its end, plus one to know whether "More" has anything."""
    return min(LIST_LENGTH, (page + 1) * render.PAGE_SIZE + 1)


def similar(catalog: Catalog, query: str, page: int, platforms, lang: str) -> Reply:
    answer = catalog.similar(query, wanted(page), platforms=platforms)
    if answer.title is None:
        return _offer(catalog.search(query, CANDIDATES, platforms), query, SIMILAR, lang)
    titles = work_titles(catalog, answer.title.title_ids)
    return render.similar(titles, answer.suggestions, page, lang, work_name(catalog, titles))


def recommend(catalog: Catalog, user_id: int, query: str, page: int, platforms, lang: str) -> Reply:
    answer = catalog.recommend(user_id, query, wanted(page), platforms=platforms)
    if answer.title is None:
        return _offer(catalog.search(query, CANDIDATES, platforms), query, RECOMMEND, lang, user_id)
    titles = work_titles(catalog, answer.title.title_ids)
    return render.recommendation(answer, titles, page, lang, name=work_name(catalog, titles))


# ---- inline mode: (prefix, search) pairs; each search returns cards ------------------------------------
def inline_titles(catalog: Catalog, query: str, platforms, lang: str, bot_username: str) -> list[InlineCard]:
    """Only the works that match (never "Matriarch" for "the matrix"); a title on none of the services
    is one result that says so."""
    if not query.strip():
        return []
    found = catalog.search(query, limit=INLINE_CANDIDATES, platforms=platforms)
    person = catalog.people.find(query)  # an actor's or director's name lists their titles after any title
    titles = [] if found.absent else [c.title_ids for c in found.candidates]
    works = titles + [c.title_ids for c in (person.credits if person else ())]
    if not works:
        return [render.inline_absent(query, lang)]
    unique = list(dict.fromkeys(works))[:INLINE_CANDIDATES]
    works = [work_titles(catalog, ids) for ids in unique]
    return [render.inline_title(titles, bot_username, lang, work_name(catalog, titles)) for titles in works]


def inline_recommendation(catalog: Catalog, query: str, platforms, lang: str, bot_username: str) -> list[InlineCard]:
    try:
        args = parsing.recommend(query.split())
    except ValueError:  # UsageError or a CatalogInputError: not a full "rec <user id> <title>" yet
        return []
    answer = catalog.recommend(args.user_id, args.title, render.PAGE_SIZE, platforms=platforms)
    chosen = [answer.title] if answer.title is not None else list(answer.candidates[:3])
    cards = []
    for candidate in chosen:
        verdict = answer if answer.title is not None else catalog.recommend(
            args.user_id, candidate.id, render.PAGE_SIZE, platforms=platforms)
        titles = work_titles(catalog, candidate.title_ids)
        cards.append(render.inline_recommendation(verdict, titles, bot_username, lang, work_name(catalog, titles)))
    return cards


INLINE_MODES = (  # (prefix, search): the first whose prefix starts the query answers; "" catches the rest
    ("rec ", inline_recommendation),
    ("", inline_titles),
)


def inline(catalog: Catalog, query: str, platforms, lang: str, bot_username: str) -> list[InlineCard]:
    for prefix, search in INLINE_MODES:
        if query.lower().startswith(prefix):
            return search(catalog, query[len(prefix):].strip(), platforms, lang, bot_username)
    return []


def platform_keys(platforms: Sequence[Platform] | None) -> tuple[str, ...] | None:
    return tuple(p.key for p in platforms) if platforms else None
