"""The personal-data registry asks every registered feature to export and erase."""

import pytest

from asih.core import privacy


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(privacy, "_holders", {})


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_registry")
def test_every_holder_exports_and_erases_for_the_normalised_address():
    seen = []
    privacy.register(
        "notes",
        export=lambda email: [{"email": email}],
        erase=lambda email: seen.append(email) or 2,
    )
    privacy.register("none", export=lambda email: [], erase=lambda email: 0)
    assert privacy.export_for_email("  Ibu@Example.COM ") == {
        "notes": [{"email": "ibu@example.com"}],
        "none": [],
    }
    assert privacy.erase_for_email("Ibu@Example.com") == {"notes": 2, "none": 0}
    assert seen == ["ibu@example.com"]


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_registry")
def test_a_failing_holder_rolls_back_the_whole_erasure():
    from django.contrib.auth.models import Group

    def erase_group(email):
        Group.objects.filter(name=email).delete()
        return 1

    def broken(email):
        raise RuntimeError("disk full")

    Group.objects.create(name="ibu@example.com")
    privacy.register("groups", export=lambda email: [], erase=erase_group)
    privacy.register("broken", export=lambda email: [], erase=broken)
    with pytest.raises(RuntimeError):
        privacy.erase_for_email("ibu@example.com")
    assert Group.objects.filter(name="ibu@example.com").exists()
