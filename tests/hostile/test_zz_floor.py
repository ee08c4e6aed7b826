"""Runs last (conftest moves it there): the package as a whole sent enough generated inputs."""

from . import tally


def test_the_run_sent_enough_generated_inputs():
    assert tally.total() >= tally.MINIMUM_INPUTS, dict(tally.inputs)
