"""The one error that stops an ETL run: input that is missing or has the wrong shape."""


class InputError(Exception):
    """A missing file or column; the message says which, in one line."""
