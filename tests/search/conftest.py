"""Helpers for search tests: publish extra guides into the loaded content tree."""

import itertools

import pytest
from wagtail.rich_text import RichText

from asih.guides.models import GuidePage, StageIndexPage

_numbers = itertools.count(1)


@pytest.fixture
def publish_guide(db):
    """Create and publish a guide under a stage (by slug) in the given language."""

    def publish(
        *, language="id", stage="setelah-melahirkan", title, summary="", body="", categories=()
    ):
        stages = StageIndexPage.objects.filter(locale__language_code=language)
        parent = stages.filter(slug=stage).first() or stages.order_by("path").first()
        number = next(_numbers)
        page = GuidePage(
            title=title,
            slug=f"uji-{number}",
            summary=summary or f"Ringkasan uji {number}.",
            body=[("section", {"heading": f"Bagian {number}", "body": RichText(f"<p>{body}</p>")})],
        )
        parent.add_child(instance=page)
        if categories:
            page.categories.set(categories)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return publish
