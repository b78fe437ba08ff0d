"""The bot's settings: environment variables, then `.env` in the project root, then defaults
(read through `core.settings`, the one settings path of every entry point).

Every setting is listed in `.env.example`. `BOT_ENV_FILE` (environment only) reads another file
instead of the project's `.env`, e.g. one per deployment, or a temporary one in tests.
The token is validated here and never logged: `configure_logging` redacts it (and the webhook
secret) from every log record, whoever logs it.
"""
from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core import settings as paths
from core.settings import PROJECT_ROOT, data_dir
from storage import engine_url

DEFAULT_STATE_FILE = PROJECT_ROOT / "data" / "state" / "bot.pickle"  # the old settings file, migrated once
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'state' / 'bot.db'}"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CONSOLE_HINT = "To try the bot without Telegram: python -m bot console"
DEFAULT_CHECK_SECONDS = 10.0  # a new ETL output is answered from within this long (plus its load)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one line, fit for the terminal."""


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    data_dir: Path = field(default_factory=data_dir)
    state_file: Path | None = DEFAULT_STATE_FILE  # the pre-database pickle to migrate once (None: none)
    database_url: str | None = None  # sqlite:///file or postgresql://...; None: a private in-memory database
    # PostgreSQL: connections each process keeps open (and up to twice as many more during a burst)
    database_pool_size: int = 10
    base_url: str | None = None  # a self-hosted Bot API server, e.g. http://localhost:8081/bot
    webhook_url: str | None = None  # set: webhook mode; unset: long polling
    webhook_secret: str = field(default="", repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    # Webhook mode: worker processes of the server (gunicorn, uvicorn workers), each the same app.
    workers: int = 1
    # Where the workers share what one process kept in memory per user (flood budget, inline lane);
    # None: each process keeps its own, in memory (right for one process).
    redis_url: str | None = None
    redis_prefix: str = "streamcatalog:"
    log_level: str = "INFO"
    # Per-user flood control: a burst of `throttle_burst` updates, refilled at `throttle_rate` per second.
    throttle_burst: int = 8
    throttle_rate: float = 1.0
    # Start-up tries of the Bot API after the first (each already resends a request that never left):
    # enough to ride out a Telegram blip, then exit so a supervisor restarts or alerts.
    start_retries: int = 3
    # Seconds between looks at the data folder's manifest.json for `python -m etl`'s new output (bot.live);
    # 0: never (the tests' and the console's default: a test checks when it means to).
    catalog_check_seconds: float = 0.0

    @property
    def base_file_url(self) -> str | None:
        return None if self.base_url is None else re.sub(r"/bot$", "/file/bot", self.base_url)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The strings no log line may contain: the token, its secret half, the webhook secret."""
        parts = [self.token, self.token.partition(":")[2], self.webhook_secret]
        return tuple(p for p in parts if len(p) >= 8)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        """Read the settings from `environ` (default: os.environ), then `env_file` (default: the file
        BOT_ENV_FILE names, else ENV_FILE; a missing file is no settings). Raises SettingsError with a
        one-line message for a bad or missing token."""
        values = paths.setting_values(environ, env_file)
        token = validate_token(values.get("TELEGRAM_BOT_TOKEN", ""))
        webhook_url = values.get("WEBHOOK_URL", "").strip() or None
        secret = values.get("WEBHOOK_SECRET", "").strip()
        if secret and not SECRET_PATTERN.match(secret):
            raise SettingsError("WEBHOOK_SECRET may only use A-Z, a-z, 0-9, _ and - (1 to 256 characters)")
        state = values.get("BOT_STATE_FILE", "").strip()
        try:
            port = int(values.get("WEBHOOK_PORT", "8443"))
        except ValueError:
            raise SettingsError("WEBHOOK_PORT must be a number, e.g. 8443") from None
        try:
            workers = int(values.get("WORKERS", "1"))
        except ValueError:
            raise SettingsError("WORKERS must be a whole number, e.g. 3") from None
        if not 1 <= workers <= 64:
            raise SettingsError(f"WORKERS must be between 1 and 64 (got {workers})")
        redis_url = values.get("REDIS_URL", "").strip() or None
        if redis_url and not re.match(r"^(redis|rediss|unix)://", redis_url):
            raise SettingsError("REDIS_URL must look like redis://host:6379/0 (or rediss://, unix://)")
        level = values.get("LOG_LEVEL", "INFO").strip().upper()
        if not isinstance(logging.getLevelName(level), int):
            raise SettingsError(f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR (got {level!r})")
        try:
            start_retries = int(values.get("TELEGRAM_START_RETRIES", "3"))
        except ValueError:
            raise SettingsError("TELEGRAM_START_RETRIES must be a number, e.g. 3") from None
        try:
            pool_size = int(values.get("DATABASE_POOL_SIZE", "").strip() or "10")
        except ValueError:
            pool_size = 0
        if pool_size < 1:
            raise SettingsError("DATABASE_POOL_SIZE must be a whole number of connections, at least 1 (default 10)")
        try:
            check_seconds = float(values.get("CATALOG_CHECK_SECONDS", "").strip() or DEFAULT_CHECK_SECONDS)
        except ValueError:
            raise SettingsError("CATALOG_CHECK_SECONDS must be a number of seconds, e.g. 10 (0: never)") from None
        return cls(
            token=token,
            data_dir=data_dir(values),
            state_file=Path(state).expanduser() if state else DEFAULT_STATE_FILE,
            database_url=database_url(values),
            database_pool_size=pool_size,
            base_url=normalise_base_url(values.get("TELEGRAM_BASE_URL", "")),
            webhook_url=webhook_url,
            # Webhook mode always uses a secret token: a random one when none is configured.
            webhook_secret=secret or (secrets.token_urlsafe(32) if webhook_url else ""),
            webhook_listen=values.get("WEBHOOK_LISTEN", "0.0.0.0").strip(),
            webhook_port=port,
            workers=workers,
            redis_url=redis_url,
            redis_prefix=values.get("REDIS_PREFIX", "").strip() or "streamcatalog:",
            log_level=level,
            start_retries=max(start_retries, 0),
            catalog_check_seconds=max(check_seconds, 0.0),
        )


def database_url(values: Mapping[str, str]) -> str:
    """DATABASE_URL (sqlite:///path or postgresql://...), checked; the SQLite file data/state/bot.db by default.
    The console reads it the same way, so what a person rates there is still there next time."""
    url = values.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    try:
        engine_url(url)
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return url


def validate_token(token: str) -> str:
    token = token.strip()
    if not token:
        raise SettingsError(f"TELEGRAM_BOT_TOKEN is not set (environment or .env; see .env.example). {CONSOLE_HINT}")
    if not TOKEN_PATTERN.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<secret> as given by @BotFather. " + CONSOLE_HINT
        )
    return token


def normalise_base_url(url: str) -> str | None:
    """`http://host:8081` or `http://host:8081/bot` -> `http://host:8081/bot` (PTB appends the token)."""
    url = url.strip().rstrip("/")
    if not url:
        return None
    return url if url.endswith("/bot") or "{token}" in url else url + "/bot"


def configure_logging(level: str, hidden: tuple[str, ...] = ()) -> None:
    """Log to stderr at `level`; the token and webhook secret are redacted from every record.

    httpx logs each request URL (which contains the token) at INFO, so its loggers stay at WARNING;
    python-telegram-bot itself logs the API URL at DEBUG, hence the redaction for everyone else.
    """
    logging.basicConfig(format=LOG_FORMAT, level=level)
    logging.getLogger().setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_redaction(hidden)


_redacted: set[str] = set()


def install_redaction(hidden: tuple[str, ...]) -> None:
    """Wrap the log record factory once so each record's message and traceback lose every secret."""
    if not _redacted:
        make_record = logging.getLogRecordFactory()

        def redacting_factory(*args, **kwargs) -> logging.LogRecord:
            record = ids_not_content(make_record(*args, **kwargs))
            return redact_record(record) if _redacted else record

        logging.setLogRecordFactory(redacting_factory)
    _redacted.update(s for s in hidden if s)


def ids_not_content(record: logging.LogRecord) -> logging.LogRecord:
    """python-telegram-bot's DEBUG lines print whole updates, API parameters and results: users' names and
    what they wrote. Keep what identifies them (update, user and chat ids, the endpoint), not the content."""
    if record.levelno > logging.DEBUG or not record.name.startswith("telegram") or not record.args:
        return record
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    record.args = tuple(_identity(value) for value in args)
    return record


def _identity(value: object) -> object:
    from telegram import Update

    if isinstance(value, Update):
        user, chat = value.effective_user, value.effective_chat
        return f"update {value.update_id} (user {user.id if user else None}, chat {chat.id if chat else None})"
    if isinstance(value, dict):  # API parameters: the ids only
        return {k: v for k, v in value.items() if k in ("chat_id", "message_id", "callback_query_id",
                                                        "inline_query_id", "offset", "user_id")}
    if isinstance(value, list) and all(isinstance(item, int) for item in value):
        return value  # update ids
    if value is None or isinstance(value, (bool, int, float)) or (isinstance(value, str) and len(value) <= 40
                                                                   and value.isidentifier()):
        return value  # endpoint names, counts, ids
    return f"<{type(value).__name__}>"


def redact(text: str) -> str:
    for secret in sorted(_redacted, key=len, reverse=True):
        text = text.replace(secret, "[REDACTED]")
    return text


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it to logging's own error reporting
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record
