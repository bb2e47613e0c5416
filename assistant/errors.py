"""One error hierarchy for the whole product.

Each class carries the HTTP status it maps to; the web layer registers one handler for the base
class and the CLI turns any of them into a one-line message and a non-zero exit.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error the product raises on purpose."""

    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(AssistantError):
    """The caller sent something we cannot act on."""

    status_code = 400


class InvalidInput(AssistantError):
    """Input of the right type but outside its allowed values (an empty query, a huge one)."""

    status_code = 422


class NotFound(AssistantError):
    """A document, passage or page that does not exist."""

    status_code = 404


class PayloadTooLarge(AssistantError):
    """A request body above the configured limit."""

    status_code = 413


class SettingError(AssistantError):
    """A setting has a value the product cannot use; the message names the setting."""

    status_code = 500


class CorpusError(AssistantError):
    """The corpus folder is missing or holds nothing we can index."""

    status_code = 400


class IndexMissing(AssistantError):
    """No index has been built yet in the index folder."""

    status_code = 503


class Busy(AssistantError):
    """Every slot for computing answers stayed taken for longer than a request may wait."""

    status_code = 503


class IndexDamaged(AssistantError):
    """A generation on disk is incomplete or corrupt: a file is missing, truncated or altered."""

    status_code = 503


class IndexMismatch(AssistantError):
    """The index on disk was built with other settings or another format than this code expects."""

    status_code = 503


class UnreadableFile(AssistantError):
    """A corpus file that cannot be turned into text; the build reports it and goes on."""

    status_code = 400


def reason(exc: BaseException) -> str:
    """What a system error says, with the file it names: "No space left on device (/idx/x)"."""
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    return str(exc) or type(exc).__name__
