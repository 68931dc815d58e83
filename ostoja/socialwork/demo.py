"""Demo data of the socialwork context (idempotent)."""


def load_demo() -> None:
    """Nothing yet."""
