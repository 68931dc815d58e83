"""Demo data of the cases context (idempotent)."""


def load_demo() -> None:
    """Nothing yet."""
