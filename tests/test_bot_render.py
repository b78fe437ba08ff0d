"""Renderers are pure: core values in, HTML (and its plain-text twin) and buttons out, within Telegram's limits."""
from __future__ import annotations

import dataclasses

import pytest

from bot import render
from bot.callback_data import SIMILAR, decode
from core.recommend import Shared, Suggestion
from core.search import Candidate
from core.vocabulary import Platform


@pytest.mark.parametrize("raw, shown", [
    ("brendan gleeson", "Brendan Gleeson"), ("conan o'brien", "Conan O'Brien"),
    ("carrie-anne moss", "Carrie-Anne Moss"),
    ("tv shows", "TV Shows"), ("sci-fi & fantasy", "Sci-Fi & Fantasy"), ("lgbtq+", "LGBTQ+"),
])
def test_names_and_genres_in_title_case(raw, shown):
    assert render.title_case(raw) == shown


def test_descriptions_in_sentence_case_with_names_restored(sample_catalog):
    assert render.sentence_case("a man. then i go! why? yes") == "A man. Then I go! Why? Yes"
    title = dataclasses.replace(sample_catalog.titles[0], display_description="", title="the boys",
                                display_title="The Boys",
                                cast=("karl urban",), description="in the boys, karl urban hunts heroes. it works.")
    assert render.describe(title) == "In The Boys, Karl Urban hunts heroes. It works."  # a table without layout 2
    raw = dataclasses.replace(title, display_description="In The Boys, Karl Urban hunts heroes. It works, mostly.")
    assert render.describe(raw) == "In The Boys, Karl Urban hunts heroes. It works, mostly."


@pytest.mark.parametrize("lang, count, score", [("en", "8,807", "3.5"), ("es", "8.807", "3,5")])
def test_numbers_follow_the_language(lang, count, score):
    assert render.number(8807, lang) == count and render.decimal(3.46, lang) == score


def test_plain_text_is_derived_from_the_html():
    reply = render.reply(["<b>Tom &amp; Jerry</b> &lt;3", "<i>x</i>"])
    assert reply.plain() == "Tom & Jerry <3\nx"


def test_long_lists_are_cut_at_a_line_under_the_limit():
    lines = [f"<b>{i}</b> " + "y" * 50 for i in range(200)]
    reply = render.reply(lines)
    assert len(reply.text) <= render.MAX_TEXT and reply.text.endswith("\n…")
    assert reply.text.count("<b>") == reply.text.count("</b>")
    photo = render.reply(lines, photo=b"png")
    assert len(photo.text) <= render.MAX_CAPTION


def test_a_title_card_escapes_and_carries_its_buttons(sample_catalog):
    title = dataclasses.replace(sample_catalog.titles[0], display_title="Tom & <Jerry>")
    card = render.title_card([title], "en")
    assert "<b>Tom &amp; &lt;Jerry&gt;</b>" in card.text
    similar, where = card.buttons[0]
    assert decode(similar.data).kind == SIMILAR and decode(where.data).title_id == title.id
    assert card.buttons[-1][0].inline_query == title.id
    assert render.title_card([title], "es").buttons[0][0].text == "Similares"


def test_did_you_mean_buttons_finish_the_command():
    candidates = [Candidate("ns9", "The Office " * 10, 2005, "tv show", (Platform.NETFLIX,), ("ns9",), 0.8, "fuzzy")]
    reply = render.did_you_mean(candidates, "r", "en", user_id=42)
    [[button]] = reply.buttons
    assert button.text.endswith("(2005, Netflix)") and len(button.text) < 64
    action = decode(button.data)
    assert (action.kind, action.title_id, action.user_id, action.replace) == ("r", "ns9", 42, True)


def suggestion(i: int, title: str = "Film") -> Suggestion:
    return Suggestion(f"ns{i}", f"{title} {i}", 2000 + i % 20, "movie", (Platform.NETFLIX, Platform.HULU), (f"ns{i}",),
                      0.5, "", Shared(("ana lópez",), ("bo",), ("dramas",)))


def test_suggestions_page_with_more_and_back(sample_catalog):
    titles = [sample_catalog.titles[0]]
    suggestions = [suggestion(i) for i in range(12)]
    first = render.similar(titles, suggestions, 0, "en")
    assert "1. <b>Film 0</b>" in first.text and first.plain().endswith("\n(1–5)")
    assert [b.text for b in first.buttons[-1]] == ["More ›"]
    assert [[b.text for b in row] for row in first.buttons[:2]] == [["1", "☆", "✓", "+", "✗"],
                                                                     ["2", "☆", "✓", "+", "✗"]]
    last = render.similar(titles, suggestions, 2, "es")
    assert "11. <b>Film 10</b>" in last.text and [b.text for b in last.buttons[-1]] == ["‹ Atrás"]
    assert "mismo director: Ana López" in last.text
    clamped = render.similar(titles, suggestions, 9, "en")  # an old "More" beyond the end: the last page
    assert "11. <b>Film 10</b>" in clamped.text and "(11–12)" in clamped.text


def test_huge_suggestions_still_fit(sample_catalog):
    suggestions = [suggestion(i, "W" * 3000) for i in range(5)]
    reply = render.similar([sample_catalog.titles[0]], suggestions, 0, "en")
    assert len(reply.text) <= render.MAX_TEXT
    assert all(len(b.data.encode()) <= 64 for row in reply.buttons for b in row if b.data)


@pytest.mark.parametrize("lang,predicted,based_on,expected", [
    ("en", 3.46, 1, ["★ 3.46: probably not for them", "Based on the one similar title they rated"]),
    ("es", 3.46, 1, ["★ 3,46: probablemente no le guste", "Basado en el único título parecido"]),
    ("en", 3.5, 4, ["★ 3.50: recommended", "Based on 4 similar titles they rated"]),
])
def test_the_verdict_shows_the_prediction_beside_its_threshold(sample_catalog, lang, predicted, based_on, expected):
    from core.recommend import Recommendation

    matrix = next(t for t in sample_catalog.titles if t.title == "the matrix")
    title = Candidate(matrix.id, matrix.display_title, matrix.release_year, matrix.type, (matrix.platform,),
                      (matrix.id,), 1.0, "exact")
    rec = Recommendation(42, True, title, (), predicted, predicted >= 3.5, based_on, 3.2, None, ())
    shown = render.plain(render.recommendation(rec, [matrix], 0, lang).text)
    for part in expected:
        assert part in shown
