"""How many generated inputs each endpoint received in this process (summed over workers)."""

from collections import Counter

inputs: Counter = Counter()


def total() -> int:
    return sum(inputs.values())
