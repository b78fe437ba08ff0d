"""`python -m bot console` scripts the bot through stdin; `python -m bot` refuses a bad token in one line."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from bot.settings import Settings, SettingsError
from core import settings as core_settings
from core.settings import PROJECT_ROOT


def run_bot(args: list[str], stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    # BOT_ENV_FILE stays as conftest set it: the bot reads no developer's .env here either.
    environment = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"} | env
    # never the project's own data/state/bot.db: each run gets a fresh database unless the test names one
    environment.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='console-db-')}/bot.db")
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=environment, timeout=120)


def test_piped_commands_print_plain_answers_and_buttons_press_by_number(sample_processed, sample_catalog):
    found = sample_catalog.count_platform("netflix")
    script = "/count netflix\n/similar toy story\n1\n@inline the matrix\n1\n/lang es\n/contar hulu\n"
    done = run_bot(["console"], script, CATALOG_DATA_DIR=str(sample_processed))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(f"Netflix has {found.total} titles: {found.movies} movies and {found.tv_shows} TV shows.")
    assert "Titles like Toy Story:" in out and "[1] 1" in out and "More ›" in out
    after_press = out.split("Titles like Toy Story:")[1]
    assert "\nOn: " in after_press  # button 1 opened the first suggestion's card
    assert "[1] The Matrix — 1999" in out and "Open in the bot" in out
    assert "Te responderé en español." in out and "Hulu tiene" in out
    assert "<b>" not in out


def test_odd_numbers_are_text_and_an_empty_inline_query_shows_its_hint_button(sample_processed):
    done = run_bot(["console"], "²\n@inline \n1\n@inline rec abc\n", CATALOG_DATA_DIR=str(sample_processed))
    assert done.returncode == 0, done.stderr
    answers = done.stdout.split("\n\n")
    assert answers[0].startswith(("Did you mean", "“²” is not on"))  # a title, not a button nor a crash
    assert answers[1] == "(no inline results)\n[1] How to search"
    # the hint button opens the chat with /start help: the help, whose footer follows a blank line
    assert answers[2].startswith("What I can do\n/where <title>")
    assert answers[3].startswith("Arguments go in any order.")
    assert answers[4] == "(no inline results)\n[1] Type: rec <user id> <title>"


def test_a_missing_or_malformed_token_stops_start_up_in_one_line(tmp_path):
    env_file = tmp_path / ".env"  # in place of the project's .env, which may hold a real token
    env_file.write_text("TELEGRAM_BOT_TOKEN=\n")
    for token in ("", "12345:short", "not-a-token"):
        done = run_bot([], TELEGRAM_BOT_TOKEN=token, HOME=str(tmp_path), BOT_ENV_FILE=str(env_file))
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, done.stderr
        assert "TELEGRAM_BOT_TOKEN" in lines[0] and "python -m bot console" in lines[0]
        assert not token or token not in lines[0]


def test_bot_env_file_names_the_settings_file_in_place_of_the_projects(tmp_path, monkeypatch):
    env_file = tmp_path / "bot.env"
    env_file.write_text("TELEGRAM_BOT_TOKEN=123456:" + "a" * 35 + "\nLOG_LEVEL=warning\n")
    monkeypatch.setattr(core_settings, "ENV_FILE", env_file)  # as if the project's .env held a token
    assert Settings.from_env({}).token == "123456:" + "a" * 35
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set"):
        Settings.from_env({"BOT_ENV_FILE": str(tmp_path / "absent.env")})
    monkeypatch.setattr(core_settings, "ENV_FILE", tmp_path / "absent.env")
    found = Settings.from_env({"BOT_ENV_FILE": str(env_file)})
    assert found.token == "123456:" + "a" * 35 and found.log_level == "WARNING"
    assert Settings.from_env({"BOT_ENV_FILE": str(env_file), "LOG_LEVEL": "ERROR"}).log_level == "ERROR"


def test_what_you_rate_in_the_console_is_still_there_next_time(sample_processed, tmp_path):
    database = f"sqlite:///{tmp_path / 'mine.db'}"
    first = run_bot(["console"], "/rate the irishman 4.5\n", CATALOG_DATA_DIR=str(sample_processed),
                    DATABASE_URL=database)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Saved: you rated The Irishman ★★★★½ (4.5).")
    second = run_bot(["console"], "/recommend the irishman\n", CATALOG_DATA_DIR=str(sample_processed),
                     DATABASE_URL=database)
    assert second.stdout.startswith("You rated The Irishman ★★★★½ (4.5)."), second.stdout
    fresh = run_bot(["console"], "/recommend the irishman\n", CATALOG_DATA_DIR=str(sample_processed))
    assert fresh.stdout.startswith("Rate a few titles first"), fresh.stdout
