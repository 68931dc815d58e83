"""Demo data of the decisions context (idempotent)."""


def load_demo() -> None:
    """Nothing yet."""
