"""The databases the storage tests run against: a real SQLite file, and the real PostgreSQL server.

PostgreSQL is found through TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test; never the
bot's .env). Each test gets a fresh schema there, dropped afterwards, so runs never see each other. With
no server answering, the PostgreSQL tests skip with one line, except in CI (CI=true), where they fail.
"""
from __future__ import annotations

import asyncio
import os
import uuid

import asyncpg
import pytest

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgresql_test_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", "").strip() or DEFAULT_TEST_DATABASE_URL


async def fresh_postgresql_schema() -> str:
    """A new empty schema on the test server; skips (fails in CI) when the server does not answer."""
    url = postgresql_test_url()
    schema = f"taste_{uuid.uuid4().hex[:12]}"
    try:
        connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=3)
    except (OSError, asyncio.TimeoutError, asyncpg.PostgresError) as error:
        message = f"PostgreSQL not reachable at {url} ({type(error).__name__}); set TEST_DATABASE_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        await connection.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await connection.close()
    return schema


async def drop_postgresql_schema(schema: str) -> None:
    connection = await asyncpg.connect(postgresql_test_url().replace("+asyncpg", ""), timeout=3)
    try:
        await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await connection.close()
