"""Search by person (issue 8, item 4): `/person`, plain messages and inline queries naming an actor or
director, and the "Titles with <name>" button on a card whose title is also a name. Expected titles
are read from the raw CSVs here, not from the code under test."""
from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from bench import fulldata
from bot import render
from bot.callback_data import PERSON, Action, decode
from core.models import Title
from core.people import CAST, DIRECTOR, Credit, People, Person, normalise_name
from core.search import Works
from core.settings import SAMPLE_RAW_DIR
from core.vocabulary import Platform
from tests.test_bot_handlers import button, full_session, one_reply, replies, session  # noqa: F401 - fixtures


def raw_ids(folder, column: str, name: str) -> set[str]:
    """Ids of the raw rows whose `column` (cast or director) lists `name`, read straight from the CSVs."""
    found = set()
    for platform in Platform:
        path = folder / platform.raw_file
        path = path if path.is_file() else folder / f"{platform.key}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if name in [n.strip() for n in row[column].split(",")]:
                    found.add(platform.code + row["show_id"])
    return found


@pytest.mark.parametrize(("text", "key"), [("Zoë Saldaña", "zoe saldana"), ("Samuel L. Jackson", "samuel l jackson"),
                                           ("  TOM   hanks ", "tom hanks"), ("Conan O'Brien", "conan obrien")])
def test_names_are_found_whatever_the_casing_accents_or_dots(text, key):
    assert normalise_name(text) == key


def test_a_person_with_titles_on_two_services(sample_catalog):
    person = sample_catalog.people.find("Matt Damon")
    ids = {i for c in person.credits for i in c.title_ids}
    assert ids == raw_ids(SAMPLE_RAW_DIR, "cast", "Matt Damon")  # as5, hs7, hs27, ns3, ns6
    good_will = next(c for c in person.credits if c.display_title.startswith("Good"))
    assert set(good_will.platforms) == {Platform.AMAZON, Platform.HULU}  # one work, both copies
    assert [c.year for c in person.credits] == sorted((c.year for c in person.credits), reverse=True)
    assert all(c.roles == (CAST,) for c in person.credits)


def test_a_director_is_a_person_too(sample_catalog):
    person = sample_catalog.people.find("christopher nolan")
    assert {i for c in person.credits for i in c.title_ids} == raw_ids(SAMPLE_RAW_DIR, "director", "Christopher Nolan")
    assert all(c.roles == (DIRECTOR,) for c in person.credits)


def test_a_near_spelling_offers_the_closest_names(sample_catalog):
    assert sample_catalog.people.find("matt damn") is None
    assert sample_catalog.people.closest("matt damn")[0].name == "matt damon"
    assert sample_catalog.people.closest("qqqq zzzz") == ()


def test_the_closest_names_come_nearest_first_then_by_credits_then_by_name():
    # rapidfuzz's token_sort_ratio to "ann smitx": one letter changed 88.9, one short 87.5, "ann smyth" 77.8 (< 80)
    credits = {"ann smith": 1, "ann smitz": 2, "ann smity": 2, "ann smi": 3, "ann smyth": 4}
    titles = [Title(k, f"ns{k}", Platform.NETFLIX, "movie", f"film {k}", f"Film {k}", 2000, 90, "min", "pg", (),
                    (name,), (), (), "", None, None, 0)
              for k, name in enumerate(name for name, n in credits.items() for _ in range(n))]
    people = People(Works(titles))
    assert [p.name for p in people.closest("Ann Smitx")] == ["ann smity", "ann smitz", "ann smith", "ann smi"]
    assert [p.name for p in people.closest("ann smitx", limit=2)] == ["ann smity", "ann smitz"]
    assert [len(p.credits) for p in people.closest("ann smitx")] == [2, 2, 1, 3]


def test_person_buttons_fit_and_decode():
    data = Action(PERSON, "", 3, None, True, 71450, "0badf00d").encode()
    assert data == "P:71450:3:0badf00d" and decode(data) == Action(PERSON, "", 3, None, True, 71450, "0badf00d")
    # without the name check (buttons from before it, which a new catalog may point at someone else): stale
    for forged in ("p:abc:0", "p:1:10", "p:12345678:0", "p::0", "p:5:0", "p:5:0:0BADF00D", "p:5:0:0badf00"):
        assert decode(forged) is None


def test_a_long_list_pages_with_more_and_back():
    credit = Credit("ds1", "Toy Story", 1995, "movie", (Platform.DISNEY,), ("ds1",), (CAST,))
    person = Person(7, "tom hanks", tuple(replace(credit, id=f"ds{k}", title_ids=(f"ds{k}",)) for k in range(23)))
    first = render.person_titles(person, 0, "en")
    labels = [b.text for row in first.buttons for b in row]
    assert labels[:10] == [str(k) for k in range(1, 11)] and labels[10:] == ["More ›"]
    last = render.person_titles(person, 2, "es")
    heading = "Títulos con Tom Hanks en Amazon Prime Video, Disney+, Hulu o Netflix: 23."
    assert render.plain(last.text).startswith(heading)
    assert [b.text for b in last.buttons[-1]] == ["‹ Atrás"] and "21. " in last.text and "(21–23)" in last.text


async def test_person_command_message_and_alias(session, sample_catalog):  # noqa: F811
    reply = one_reply(await session.message("/person matt damon"))
    assert reply.startswith("Titles with Matt Damon on Amazon Prime Video, Disney+, Hulu or Netflix: 4.")
    assert "Good Will Hunting (1997, movie) · Amazon Prime Video, Hulu · cast" in reply
    assert one_reply(await session.message("matt damon")) == reply  # a plain message naming a person
    spanish = one_reply(await session.message("/persona christopher nolan", lang="es"))
    assert spanish.startswith("Títulos con Christopher Nolan") and "· dirección" in spanish
    assert one_reply(await session.message("/person")).startswith("Which actor or director?")
    assert one_reply(await session.message("/person qqqq zzzz")).startswith("No actor or director named “qqqq zzzz”")


async def test_a_near_name_offers_people_whose_button_lists_their_titles(session):  # noqa: F811
    [offer] = replies(await session.message("/person matt damn"))
    choice = button(offer, "Matt Damon (4 titles)")
    calls = await session.press(choice["callback_data"], offer)
    edited = [c for c in calls if c.method == "editMessageText"]
    assert render.plain(edited[0].text).startswith("Titles with Matt Damon")


async def test_inline_lists_a_persons_titles(session):  # noqa: F811
    [answer] = await session.inline("matt damon")
    assert {r["title"] for r in answer.params["results"]} == {"Good Will Hunting", "The Departed", "The Martian",
                                                                  "Interstellar"}


@pytest.mark.full
async def test_tom_hanks_lists_his_titles_not_tom_green(full_session, full_catalog):  # noqa: F811
    [reply] = replies(await full_session.message("tom hanks"))
    assert render.plain(reply.text).startswith("Titles with Tom Hanks on Amazon Prime Video, Disney+, Hulu or Netflix")
    assert "Tom Green" not in reply.text
    credited = raw_ids(fulldata.FULL_RAW_DIR, "cast", "Tom Hanks")
    person = full_catalog.people.find("tom hanks")
    # every row that lists him, each work once (a Hulu copy with no cast listed comes with its work)
    assert credited <= {i for c in person.credits for i in c.title_ids}
    assert all(set(c.title_ids) & credited for c in person.credits)


@pytest.mark.full
@pytest.mark.parametrize(("text", "card", "name"), [("bruce lee", "Bruce Lee (2017)", "Bruce Lee"),
                                                    ("annie", "Annie (1999)", "Annie")])
async def test_a_title_that_is_also_a_name_gets_a_button_to_the_person(full_session, text, card, name):  # noqa: F811
    [reply] = replies(await full_session.message(text))
    assert render.plain(reply.text).startswith(card)
    calls = await full_session.press(button(reply, f"Titles with {name}")["callback_data"], reply)
    assert render.plain(replies(calls)[0].text).startswith(f"Titles with {name} on")


# Tom Hanks in the raw CSVs: 21 rows, 18 works (Philadelphia and Catch Me If You Can on Amazon and Netflix,
# Saving Mr. Banks on Disney+ and Netflix), newest first.
HANKS_WORKS = {"Toy Story 4", "Defying the Nazis: The Sharps' War", "Toy Story: That Time Forgot", "Saving Mr. Banks",
               "Toy Story of Terror!", "Cloud Atlas", "Toy Story Toons: Partysaurus Rex",
               "Toy Story Toons: Hawaiian Vacation", "Toy Story Toons: Small Fry", "Toy Story 3", "Angels & Demons",
               "The Da Vinci Code", "The Polar Express", "Catch Me If You Can", "Toy Story 2", "Toy Story",
               "Philadelphia", "Splash"}


@pytest.mark.full
async def test_tom_hanks_by_command_spanish_alias_and_inline(full_session):  # noqa: F811
    english = one_reply(await full_session.message("/person tom hanks"))
    assert english.startswith("Titles with Tom Hanks on Amazon Prime Video, Disney+, Hulu or Netflix: 18.\n"
                              "1. Toy Story 4 (2019, movie) · Disney+ · cast")
    assert "Saving Mr. Banks (2013, movie) · Disney+, Netflix · cast" in english
    spanish = one_reply(await full_session.message("/persona tom hanks", lang="es"))
    assert spanish.startswith("Títulos con Tom Hanks en Amazon Prime Video, Disney+, Hulu o Netflix: 18.")
    [answer] = await full_session.inline("tom hanks")
    assert {r["title"] for r in answer.params["results"]} == HANKS_WORKS
