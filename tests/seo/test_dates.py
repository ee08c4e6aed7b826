"""Dates that tell the truth (issue 20.3): the sitemap, the feeds, the structured data and the
guide page give the content's own dates, not the moment the site was installed."""

import json
import re
from datetime import datetime, time, timedelta

import pytest
import yaml
from django.conf import settings
from django.utils import timezone

from asih.guides.models import GuidePage, HomePage, StageIndexPage

from .test_sitemap_feeds import NS, feed, sitemap_entries

pytestmark = pytest.mark.django_db

UPDATED_WORD = {"id": "Diperbarui", "en": "Updated"}
JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


def content_file(name: str) -> dict:
    return yaml.safe_load((settings.ASIH_CONTENT_DIR / name).read_text(encoding="utf-8"))


def start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def guide_updated_text(html: str) -> str | None:
    pattern = r'<span class="guide__date">(Updated|Diperbarui) <time datetime="([^"]+)"'
    found = re.search(pattern, html)
    return found and found.group(2)


def date_modified(html: str, page_type: str) -> str:
    for script in JSON_LD.findall(html):
        data = json.loads(script)
        for node in data.get("@graph", [data]):
            if node.get("@type") == page_type and "dateModified" in node:
                return node["dateModified"]
    raise AssertionError(f"no {page_type} with dateModified")


@pytest.mark.parametrize("code", ["id", "en"])
def test_loaded_guides_carry_the_dates_of_their_content_file(oxytocin, code):
    data = content_file("guides/pijat-oksitosin.yaml")
    assert data["updated"] > data["published"]  # the demo guide was revised after it went live
    page = oxytocin[code]
    assert page.first_published_at == start_of(data["published"])
    assert page.last_published_at == start_of(data["updated"])


def test_loaded_home_and_stage_pages_carry_the_site_files_dates():
    data = content_file("site.yaml")
    for page in [*HomePage.objects.all(), *StageIndexPage.objects.all()]:
        assert page.first_published_at == start_of(data["published"]), page
        assert page.last_published_at == start_of(data["updated"]), page


@pytest.mark.parametrize("code", ["id", "en"])
def test_sitemap_feed_and_json_ld_give_the_contents_last_change(client, oxytocin, code):
    page = oxytocin[code]
    changed = content_file("guides/pijat-oksitosin.yaml")["updated"]

    assert sitemap_entries(client)[page.get_full_url()]["lastmod"] == changed.isoformat()

    entries = {
        entry.find("atom:link", NS).get("href"): entry
        for entry in feed(client, code).findall("atom:entry", NS)
    }
    entry = entries[page.get_full_url()]
    updated = datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))
    assert updated == start_of(changed)

    html = client.get(page.url).content.decode()
    assert datetime.fromisoformat(date_modified(html, "MedicalWebPage")) == start_of(changed)
    assert guide_updated_text(html) == changed.isoformat()
    assert f"{UPDATED_WORD[code]} <time" in html


def test_a_guide_published_and_never_changed_shows_no_updated_line(client, oxytocin):
    page = oxytocin["en"]
    GuidePage.objects.filter(pk=page.pk).update(last_published_at=page.first_published_at)
    html = client.get(page.url).content.decode()
    assert "Published <time" in html
    assert guide_updated_text(html) is None


def test_an_editors_publication_is_dated_now_everywhere(client, oxytocin):
    page = oxytocin["id"]
    before = timezone.now()
    page.summary = "Ringkasan yang diperbarui editor."
    page.save_revision().publish()
    page.refresh_from_db()
    assert before <= page.last_published_at <= timezone.now() + timedelta(seconds=1)
    today = timezone.localdate(page.last_published_at)

    assert sitemap_entries(client)[page.get_full_url()]["lastmod"] == today.isoformat()
    root = feed(client, "id")
    assert root.findtext("atom:updated", namespaces=NS) is not None
    feed_updated = datetime.fromisoformat(root.findtext("atom:updated", namespaces=NS))
    assert abs(feed_updated - page.last_published_at) < timedelta(seconds=1)
    html = client.get(page.url).content.decode()
    assert guide_updated_text(html) == today.isoformat()


def test_the_feed_is_dated_by_its_newest_change_not_by_the_install(client):
    for code in ("id", "en"):
        root = feed(client, code)
        feed_updated = datetime.fromisoformat(root.findtext("atom:updated", namespaces=NS))
        newest = max(
            datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))
            for entry in root.findall("atom:entry", NS)
        )
        assert feed_updated == newest
        # A content file's day in the clinic's zone, not the clock time of a loader run.
        assert timezone.localtime(feed_updated).time() == time.min
