"""Demo data of the registry context (idempotent)."""


def load_demo() -> None:
    """Nothing yet."""
