"""Domain errors: each carries a Polish message for staff and, where it has one, the field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the operation; the message is shown to staff as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input broke one or more rules; ``errors`` maps field → Polish messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.items()))
        super().__init__(first[1][0], field=first[0])
        self.errors = errors

    def as_list(self) -> list[dict[str, str]]:
        return [{"field": f, "message": m} for f, msgs in self.errors.items() for m in msgs]


class ConflictError(DomainError):
    """Someone else saved the record since it was opened (optimistic locking)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "Ktoś inny zapisał ten rekord po jego otwarciu. Odśwież stronę, sprawdź zmiany "
            "i wprowadź swoje ponownie — nic nie zostało nadpisane.",
            field="version",
        )


class NotPermitted(DomainError):
    """The user may not do this (scope, role, authorisation)."""


def page_status(exc: DomainError) -> int:
    """The HTTP status of a page that shows a refused operation again, chosen by the error's
    type (never by its name): 403 for :class:`NotPermitted`, 409 for any other rule that
    refused the request in the record's present state. The API maps the same types in
    ``ostoja/api/main.py`` (exception handlers)."""
    if isinstance(exc, NotPermitted):
        return 403
    return 409
