"""manage.py build_guidebook prints each file with its size."""

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_build_one_stage_in_one_language(guidebook_dir):
    out = io.StringIO()
    call_command("build_guidebook", "--stage", "setelah-melahirkan", "--language", "en", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    path, size, _seconds = lines[0].split("\t")
    assert path.startswith(str(guidebook_dir / "setelah-melahirkan-en-"))
    assert int(size.split()[0]) == (guidebook_dir / path.rsplit("/", 1)[1]).stat().st_size


def test_unknown_stage_is_an_error():
    with pytest.raises(CommandError):
        call_command("build_guidebook", "--stage", "no-such-stage", stdout=io.StringIO())
