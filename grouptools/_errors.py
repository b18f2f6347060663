"""Exceptions raised by grouptools.

Every error the library raises on bad input derives from :class:`GroupToolsError`,
so callers (and the command line) can catch one class. Messages are one line.
"""

from __future__ import annotations

__all__ = [
    "GroupToolsError",
    "PresentationSyntaxError",
    "SpecError",
    "InfiniteGroupError",
    "EnumerationLimitError",
    "InvalidGroupError",
    "GroupTooLargeError",
    "VerificationError",
    "CyclotomicError",
]


class GroupToolsError(Exception):
    """Base class of all errors raised by grouptools."""


class PresentationSyntaxError(GroupToolsError, ValueError):
    """A presentation or word could not be parsed.

    Attributes
    ----------
    text : str
        The text that was parsed.
    position : int
        0-based offset of the offending character in ``text``.
    """

    def __init__(self, message: str, text: str = "", position: int = 0) -> None:
        self.text = text
        self.position = position
        if text:
            message = f"{message} at position {position}: {text[:position]}<here>{text[position:]}"
        super().__init__(message)


class SpecError(GroupToolsError, ValueError):
    """A group specification (catalogue expression) is malformed or ambiguous."""


class InfiniteGroupError(GroupToolsError):
    """The presentation defines an infinite group (proved, e.g. by its abelianization)."""


class EnumerationLimitError(GroupToolsError):
    """Coset enumeration exceeded ``max_cosets``, ``max_order`` or its time budget.

    The group may be infinite or merely larger than the limits allow.
    """


class InvalidGroupError(GroupToolsError, ValueError):
    """Data (a Cayley table, permutations, matrices, an action) do not define a group."""


class GroupTooLargeError(GroupToolsError):
    """An operation would need more memory than allowed for a group of this order."""


class VerificationError(GroupToolsError):
    """An internal exact verification failed. This is a bug in grouptools; please report it."""


class CyclotomicError(GroupToolsError, ValueError):
    """Bad input to cyclotomic arithmetic (unparsable GAP notation, division by zero)."""
