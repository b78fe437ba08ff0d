"""One settings path for every entry point: flags > environment > .env > defaults, and `.env.example`
lists every setting the code reads."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings
from core import settings
from core.settings import PROJECT_ROOT, full_data_dir, full_ratings_dir, full_raw_dir

# Names the code reads that are not ours to document: pyarrow's own variable.
NOT_OURS = {"ARROW_DEFAULT_MEMORY_POOL"}
READ = re.compile(r"""(?:values\.get|setting|_path|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_env_example_lists_every_setting_the_code_reads():
    read = set()
    for folder in ("bot", "core", "etl", "bench", "charts"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            read |= set(READ.findall(path.read_text(encoding="utf-8")))
    assert {"CATALOG_RAW_DIR", "CATALOG_DATA_DIR", "FULL_RAW_DIR", "TELEGRAM_BOT_TOKEN"} <= read  # the scan works
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    listed |= set(re.findall(r"\b(BOT_ENV_FILE)=", example))  # environment only: named in a comment
    assert read - NOT_OURS - listed == set()


def test_environment_wins_over_the_env_file_which_wins_over_the_defaults(tmp_path):
    env_file = tmp_path / "dev.env"
    env_file.write_text("CATALOG_RAW_DIR=/from/file\nCATALOG_DATA_DIR=/from/file/out\nFULL_RAW_DIR=/full/file\n")
    values = settings.setting_values({"BOT_ENV_FILE": str(env_file), "CATALOG_DATA_DIR": "/from/env"})
    assert settings.raw_dir(values) == settings.Path("/from/file")
    assert settings.data_dir(values) == settings.Path("/from/env")
    assert settings.full_raw_dir(values) == settings.Path("/full/file")
    assert settings.ratings_dir(settings.Path("/r"), values) == settings.Path("/r/ratings")
    nothing = settings.setting_values({"BOT_ENV_FILE": str(tmp_path / "absent.env")})
    assert settings.raw_dir(nothing) == settings.SAMPLE_RAW_DIR
    assert settings.data_dir(nothing) == settings.DEFAULT_DATA_DIR
    bot = Settings.from_env({"BOT_ENV_FILE": str(env_file), "TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35})
    assert bot.data_dir == settings.Path("/from/file/out")


def test_the_tests_read_no_developers_env_file():
    assert os.environ["BOT_ENV_FILE"] == os.devnull
    assert settings.env_file_path(os.environ) != settings.ENV_FILE


def run_module(args: list[str], env_file, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CATALOG_")}
    environment |= {"BOT_ENV_FILE": str(env_file), **env}
    return subprocess.run([sys.executable, "-m", *args], input=stdin, capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=environment, timeout=180)


def test_the_etl_and_the_console_read_their_folders_from_the_env_file(tmp_path):
    out, flagged = tmp_path / "from-env-file", tmp_path / "from-flag"
    env_file = tmp_path / "dev.env"
    env_file.write_text(f"CATALOG_RAW_DIR={settings.SAMPLE_RAW_DIR}\nCATALOG_DATA_DIR={out}\n")
    done = run_module(["etl"], env_file)
    assert done.returncode == 0, done.stderr
    assert (out / "titles.parquet").is_file()
    done = run_module(["etl", "--out", str(flagged)], env_file)  # the flag wins over the file
    assert done.returncode == 0 and (flagged / "titles.parquet").is_file(), done.stderr
    done = run_module(["bot", "console"], env_file, "/count netflix\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Netflix has ")
    done = run_module(["bot", "console"], env_file, "/count netflix\n", CATALOG_DATA_DIR=str(tmp_path / "none"))
    assert done.returncode == 2 and str(tmp_path / "none") in done.stderr  # the environment wins over the file


def test_the_full_data_folders_default_to_data_beside_the_code():
    assert full_data_dir({}) == PROJECT_ROOT / "data" / "processed_full"
    assert full_ratings_dir({}) == PROJECT_ROOT / "data" / "ratings_full"
    assert full_data_dir({"FULL_DATA_DIR": "/srv/full"}) == Path("/srv/full")
    assert full_raw_dir({}) == PROJECT_ROOT.parent / "shared" / "data" / "raw"  # ../shared beside the project


def test_the_env_file_is_the_projects_dot_env_unless_bot_env_file_names_another():
    assert settings.env_file_path({}) == PROJECT_ROOT / ".env"
    assert settings.env_file_path({"BOT_ENV_FILE": "  "}) == PROJECT_ROOT / ".env"
    assert settings.env_file_path({"BOT_ENV_FILE": "/etc/bot.env"}) == Path("/etc/bot.env")
