"""`python -m bot console`: the bot in a terminal, without Telegram.

Each input line is a message from you in a private chat: a command (`/count netflix`), a title, or
`@inline <query>` for inline mode. Replies are printed as plain text; buttons are listed as [1], [2]…
and a line with just that number presses one (a "Share" button runs its inline query, an inline
result number posts that card). Piped input scripts it:

    echo "/count netflix" | python -m bot console
    printf '/similar the matrix\\n1\\n' | python -m bot console --lang es

The same Application, handlers and renderers run as under Telegram: only the transport differs
(`bot.local.LocalBotAPI` answers the Bot API calls in-process).
"""
from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from bot.app import build_application
from bot.live import ready_catalog
from bot.local import BOT_USERNAME, CONSOLE_TOKEN, Call, LocalBotAPI, LocalSession
from bot.render import plain
from bot.settings import Settings, SettingsError, database_url
from core import Catalog
from core.errors import DataNotFound
from core.settings import setting_values

INLINE_PREFIX = "@inline"
# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
BUTTON_NUMBER = re.compile(r"#?([0-9]{1,6})")


@dataclass(frozen=True)
class Choice:
    """Something a number can press: a button on a message, or an inline result to post."""

    label: str
    call: Call | None = None  # the message the button is on
    button: dict | None = None
    result: dict | None = None  # an inline query result


class Console:
    def __init__(self, session: LocalSession, lang: str, out=sys.stdout) -> None:
        self.session = session
        self.lang = lang
        self.out = out
        self.choices: list[Choice] = []
        self.images = Path(tempfile.mkdtemp(prefix="bot-console-"))

    def print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    async def line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        number = BUTTON_NUMBER.fullmatch(line)
        if number and 1 <= int(number[1]) <= len(self.choices):
            await self.press(self.choices[int(number[1]) - 1])
        elif line.lower().startswith(INLINE_PREFIX):
            self.show(await self.session.inline(line[len(INLINE_PREFIX):].strip(), lang=self.lang))
        else:
            self.show(await self.session.message(line, lang=self.lang))

    async def press(self, choice: Choice) -> None:
        if choice.result is not None:  # posting an inline result: show the card as the chat would
            content = choice.result.get("input_message_content", {})
            self.choices = []
            self.print(plain(content.get("message_text", "")))
            self.list_buttons(Call("sendMessage", {"reply_markup": choice.result.get("reply_markup")}))
            self.print()
            return
        button = choice.button or {}
        if "callback_data" in button:
            self.show(await self.session.press(button["callback_data"], choice.call, lang=self.lang))
        elif "switch_inline_query" in button:
            self.show(await self.session.inline(button["switch_inline_query"], lang=self.lang))
        elif "url" in button:
            start = parse_qs(urlparse(button["url"]).query).get("start")
            if start:  # a deep link into this bot: Telegram would send /start <payload>
                self.show(await self.session.message(f"/start {start[0]}", lang=self.lang))
            else:
                self.print(button["url"])

    def show(self, calls: list[Call]) -> None:
        """Print what the bot did: messages, edits, photos, notices and inline results."""
        self.choices = []
        for call in calls:
            if call.method in ("sendMessage", "editMessageText"):
                self.print(plain(call.text))
                self.list_buttons(call)
            elif call.method == "editMessageReplyMarkup":  # a press changed the buttons of the message it was on
                self.print("(buttons updated)")
                self.list_buttons(call)
            elif call.method == "sendDocument":  # /mydata, an import's unmatched titles
                document = self.images / f"file-{len(list(self.images.iterdir())) + 1}"
                document.write_bytes(next(iter(call.files.values()), b""))
                self.print(f"[file: {document}]")
                self.print(plain(call.text))
            elif call.method == "sendPhoto":
                image = self.images / f"chart-{len(list(self.images.iterdir())) + 1}.png"
                image.write_bytes(next(iter(call.files.values()), b""))
                self.print(f"[image: {image}]")
                self.print(plain(call.text))
                self.list_buttons(call)
            elif call.method == "answerCallbackQuery" and call.params.get("text"):
                self.print(f"({call.params['text']})")
            elif call.method == "answerInlineQuery":
                self.list_results(call.params.get("results") or [], call.params.get("button"))
        self.print()

    def list_buttons(self, call: Call) -> None:
        rows = ((call.params.get("reply_markup") or {}).get("inline_keyboard")) or []
        for row in rows:
            labels = []
            for button in row:
                self.choices.append(Choice(button["text"], call, button))
                labels.append(f"[{len(self.choices)}] {button['text']}")
            self.print("  ".join(labels))

    def list_results(self, results: list[dict], button: dict | None = None) -> None:
        if not results:
            self.print("(no inline results)")
        if button:  # Telegram shows it above the results; it opens the private chat with /start <parameter>
            deep_link = {"url": f"https://t.me/{BOT_USERNAME}?start={button.get('start_parameter', '')}"}
            self.choices.append(Choice(button["text"], button=deep_link))
            self.print(f"[{len(self.choices)}] {button['text']}")
        for result in results:
            self.choices.append(Choice(result["title"], result=result))
            first_line = (result.get("description") or "").split("\n")[0]
            self.print(f"[{len(self.choices)}] {result['title']} — {first_line}")


async def run(catalog: Catalog, lang: str, lines, out=sys.stdout, interactive: bool = False,
              database_url: str | None = None) -> None:
    """`database_url` None: a private in-memory database (tests); `main` passes the bot's own."""
    api = LocalBotAPI()
    settings = Settings(token=CONSOLE_TOKEN, state_file=None, throttle_burst=10**6, database_url=database_url)
    application = build_application(catalog, settings, request=api, rate_limiter=False)
    async with application:
        console = Console(LocalSession(application, api), lang, out)
        try:
            while True:
                if interactive:
                    print("> ", end="", flush=True, file=out)
                line = await asyncio.to_thread(lines.readline)
                if not line:
                    break
                await console.line(line)
        finally:  # the charts shown during the session go with it (one bot-console-* folder per run)
            shutil.rmtree(console.images, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot console", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="processed data folder (default: CATALOG_DATA_DIR "
                                                                  "or data/processed)")
    parser.add_argument("--lang", choices=("en", "es"), default="en", help="your Telegram language (default: en)")
    args = parser.parse_args(argv)
    data = args.data or Settings(token=CONSOLE_TOKEN).data_dir
    try:  # the bot's own database (DATABASE_URL), so what you rate here is still there next time
        url = database_url(setting_values())
    except SettingsError as error:
        print(f"bot console: {error}", file=sys.stderr)
        return 2
    try:
        catalog = ready_catalog(data)
    except DataNotFound as error:
        print(f"bot console: {error}", file=sys.stderr)
        return 2
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"{len(catalog):,} titles loaded. Type a command, a title, or @inline <query>; "
              "a number presses a button; Ctrl-D quits.")
    asyncio.run(run(catalog, args.lang, sys.stdin, interactive=interactive, database_url=url))
    return 0



