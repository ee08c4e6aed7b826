"""How many generated inputs each endpoint received in this run (read by the floor test)."""

from collections import Counter

MINIMUM_INPUTS = 10_000

inputs: Counter = Counter()


def total() -> int:
    return sum(inputs.values())
