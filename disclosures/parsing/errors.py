"""Errors the parser raises. A ParseError is permanent: retrying will not help."""


class ParseError(Exception):
    """The file cannot be read as a disclosure; ``str(err)`` is a plain-words message
    a finance officer understands (in Chinese, with the reason)."""
