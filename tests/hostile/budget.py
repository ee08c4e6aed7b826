"""Generated inputs per hostile test: CI's counts under the ci profile, fewer by default."""

from hypothesis import settings

# The counts the tests name are CI's, set at Hypothesis's 100 examples per test: the ci profile
# (tests/conftest.py) runs them as written, the default profile in proportion to its own number.
CI_MAX_EXAMPLES = 100
# A whole run of the package under the ci profile sends at least this many inputs (checked at
# the end of the run, over every worker: tests/hostile/conftest.py).
MINIMUM_INPUTS = 10_000


def examples(ci_count: int) -> int:
    """Examples for a test that CI runs `ci_count` times, under the profile loaded now."""
    return max(1, ci_count * settings.default.max_examples // CI_MAX_EXAMPLES)


def is_ci_profile() -> bool:
    return settings.default.max_examples >= CI_MAX_EXAMPLES
