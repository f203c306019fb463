"""Errors the parser raises. A ParseError is permanent: retrying will not help."""


class ParseError(Exception):
    """The file cannot be read as a disclosure.

    ``str(err)`` is a plain-words message a finance officer understands (Chinese, the
    product's default language); ``err.en`` says the same in English for the English UI.
    """

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en
