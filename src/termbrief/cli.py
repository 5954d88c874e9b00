"""Command line entry point (placeholder until the real CLI lands)."""


def main(argv: list[str] | None = None) -> int:
    return 0
