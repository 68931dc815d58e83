"""Demo data of the payments context (idempotent)."""


def load_demo() -> None:
    """Nothing yet."""
