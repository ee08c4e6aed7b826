"""JSON-LD on public pages: MedicalWebPage, HowTo, BreadcrumbList and the clinic, read back
out of the rendered HTML the way a search engine reads it."""

import io
import json
import re
from datetime import date, datetime

import pytest
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.models import Site

from asih.core.models import Clinician, ClinicSettings
from asih.guides.loader import translation_key
from asih.guides.models import GuidePage
from asih.seo import structured_data

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ISO_DURATION = re.compile(r"^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def seconds(duration: str) -> int:
    """ISO-8601 duration (time part only) → seconds; fails the test on anything else."""
    match = ISO_DURATION.match(duration)
    assert match, f"not an ISO-8601 duration: {duration!r}"
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + secs


def graph_of(client, url, **headers) -> tuple[dict, str]:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    html = response.content.decode()
    blocks = LD_JSON.findall(html)
    assert len(blocks) == 1, f"expected one JSON-LD block on {url}, found {len(blocks)}"
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    return data, html


def nodes(data: dict, kind: str) -> list[dict]:
    return [node for node in data["@graph"] if node["@type"] == kind]


def only(data: dict, kind: str) -> dict:
    found = nodes(data, kind)
    assert len(found) == 1, f"{kind}: {len(found)} nodes"
    return found[0]


def guide(key: str, code: str) -> GuidePage:
    return GuidePage.objects.get(
        translation_key=translation_key(f"guide:{key}"), locale__language_code=code
    )


def clinic_settings() -> ClinicSettings:
    return ClinicSettings.for_site(Site.objects.get(is_default_site=True))


# -- MedicalWebPage ----------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["id", "en"])
def test_guide_is_a_medical_web_page_with_author_and_dates(client, oxytocin, code):
    page = oxytocin[code]
    data, _html = graph_of(client, page.url)
    webpage = only(data, "MedicalWebPage")
    url = page.get_full_url()
    assert url.startswith("http")
    assert webpage["@id"] == url + "#webpage"
    assert webpage["url"] == url
    assert webpage["name"] == page.title
    assert webpage["description"] == page.summary
    assert webpage["inLanguage"] == code
    assert webpage["datePublished"] == "2026-05-01" == page.published_date.isoformat()
    modified = datetime.fromisoformat(webpage["dateModified"])
    assert modified.tzinfo is not None
    assert modified == page.last_published_at.replace(microsecond=0)
    assert webpage["author"] == {
        "@type": "Person",
        "name": page.author.name,
        "jobTitle": page.author.role,
    }
    assert webpage["image"].startswith(url.split("/", 3)[0] + "//")
    assert webpage["image"].endswith(".png")
    clinic = only(data, "MedicalClinic")
    assert webpage["publisher"] == {"@id": clinic["@id"]}
    assert webpage["breadcrumb"] == {"@id": only(data, "BreadcrumbList")["@id"]}


def test_unreviewed_guide_claims_no_reviewer_or_review_date(client, oxytocin):
    for page in oxytocin.values():
        assert not page.is_medically_reviewed
        data, _html = graph_of(client, page.url)
        webpage = only(data, "MedicalWebPage")
        assert "reviewedBy" not in webpage
        assert "lastReviewed" not in webpage
        assert "reviewedBy" not in json.dumps(data)


def test_reviewed_guide_names_its_clinician_and_review_date(client, oxytocin):
    page = oxytocin["en"]
    reviewer = Clinician.objects.create(
        name="Test Reviewer", credentials="IBCLC", role="Midwife", locale=page.locale
    )
    page.reviewer = reviewer
    page.last_reviewed = date(2026, 6, 1)
    page.next_review_due = date(2027, 6, 1)
    page.save_revision().publish()

    data, _html = graph_of(client, page.url)
    webpage = only(data, "MedicalWebPage")
    assert webpage["lastReviewed"] == "2026-06-01"
    assert webpage["reviewedBy"] == {
        "@type": "Person",
        "name": "Test Reviewer",
        "honorificSuffix": "IBCLC",
        "jobTitle": "Midwife",
    }
    # The other language was not reviewed, so it still claims nothing.
    other, _html = graph_of(client, oxytocin["id"].url)
    assert "reviewedBy" not in only(other, "MedicalWebPage")


def test_a_review_only_in_a_draft_is_not_published(client, oxytocin):
    page = oxytocin["en"]
    page.reviewer = Clinician.objects.create(
        name="Draft Reviewer", credentials="Sp.OG", locale=page.locale
    )
    page.last_reviewed = date(2026, 6, 1)
    page.next_review_due = date(2027, 6, 1)
    page.save_revision()  # saved for review, not published

    data, _html = graph_of(client, page.url)
    webpage = only(data, "MedicalWebPage")
    assert "reviewedBy" not in webpage and "lastReviewed" not in webpage
    assert "Draft Reviewer" not in json.dumps(data)


# -- HowTo ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["id", "en"])
def test_how_to_steps_match_the_step_data_and_anchors(client, oxytocin, code):
    page = oxytocin[code]
    data, html = graph_of(client, page.url)
    how_to = only(data, "HowTo")
    steps = page.steps()
    url = page.get_full_url()
    assert how_to["name"] == page.title
    assert how_to["inLanguage"] == code
    assert len(how_to["step"]) == len(steps) == 8
    for expected, step in zip(steps, how_to["step"], strict=True):
        number = expected["number"]
        assert step["@type"] == "HowToStep"
        assert step["position"] == number
        assert step["name"] == expected["title"]
        assert step["text"] == expected["instruction"]
        assert step["url"] == f"{url}#step-{number}"
        assert f'id="step-{number}"' in html, "the step URL's anchor exists in the article"
        assert seconds(step["timeRequired"]) == expected["duration"]
        assert step["image"].startswith("http") and step["image"].endswith(".png")
    step_total = sum(seconds(step["timeRequired"]) for step in how_to["step"])
    assert step_total == sum(step["duration"] for step in steps) == 255
    assert seconds(how_to["performTime"]) == step_total
    # The editor's total time (3–5 minutes) gives the longest: PT5M.
    assert how_to["totalTime"] == "PT5M"
    assert seconds(how_to["totalTime"]) == page.total_time()["max_minutes"] * 60
    assert seconds(how_to["totalTime"]) >= step_total


def test_step_durations_are_iso_8601():
    assert [structured_data.iso_duration(value) for value in (20, 60, 75, 255, 300, 3600)] == [
        "PT20S",
        "PT1M",
        "PT1M15S",
        "PT4M15S",
        "PT5M",
        "PT60M",
    ]


def test_how_to_total_time_is_the_sum_of_steps_without_a_total_time_block(client):
    # No demo guide has timed steps without a total-time block any more (latching steps are
    # untimed since issue 18), so take the oxytocin guide's total time and pictures away.
    page = guide("pijat-oksitosin", "en")
    raw = [block for block in page.body.get_prep_value() if block["type"] != "total_time"]
    for block in raw:
        if block["type"] == "steps":
            for step in block["value"]["steps"]:
                step["value"]["image"] = None
    page.body = raw
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.total_time() is None and page.steps()
    data, _html = graph_of(client, page.url)
    how_to = only(data, "HowTo")
    assert seconds(how_to["totalTime"]) == sum(step["duration"] for step in page.steps()) == 255
    assert how_to["totalTime"] == "PT4M15S"
    assert "image" not in how_to["step"][0]  # these steps have no illustration


def test_guide_without_steps_has_no_how_to(client):
    page = guide("tanda-bahaya-kehamilan", "id")
    assert not page.steps()
    data, _html = graph_of(client, page.url)
    assert nodes(data, "HowTo") == []
    assert only(data, "MedicalWebPage")["url"] == page.get_full_url()


# -- BreadcrumbList ------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["id", "en"])
def test_breadcrumb_runs_home_stage_guide_with_absolute_urls(client, oxytocin, code):
    page = oxytocin[code]
    stage = page.get_parent()
    home = stage.get_parent()
    data, _html = graph_of(client, page.url)
    crumbs = only(data, "BreadcrumbList")["itemListElement"]
    assert [(c["@type"], c["position"]) for c in crumbs] == [
        ("ListItem", 1),
        ("ListItem", 2),
        ("ListItem", 3),
    ]
    assert [c["name"] for c in crumbs] == [home.title, stage.title, page.title]
    assert [c["item"] for c in crumbs] == [
        home.get_full_url(),
        stage.get_full_url(),
        page.get_full_url(),
    ]
    assert all(c["item"].startswith("http") for c in crumbs)


def test_stage_page_is_a_collection_with_a_two_step_breadcrumb(client, oxytocin):
    stage = oxytocin["id"].get_parent()
    data, _html = graph_of(client, stage.url)
    assert only(data, "CollectionPage")["url"] == stage.get_full_url()
    crumbs = only(data, "BreadcrumbList")["itemListElement"]
    assert [c["item"] for c in crumbs] == [stage.get_parent().get_full_url(), stage.get_full_url()]


# -- the clinic ----------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["id", "en"])
def test_home_page_describes_the_clinic_from_the_site_settings(client, code):
    clinic = clinic_settings()
    data, _html = graph_of(client, f"/{code}/")
    node = only(data, "MedicalClinic")
    assert node["name"] == clinic.name
    # One clinic, one identity: the same @id and url from either language (issue 20.4).
    assert node["@id"] == "http://localhost/#clinic"
    assert node["url"] == "http://localhost/"
    assert clinic.locality and clinic.postal_code and clinic.region
    assert node["address"] == {
        "@type": "PostalAddress",
        "streetAddress": clinic.address,
        "addressLocality": clinic.locality,
        "postalCode": clinic.postal_code,
        "addressRegion": clinic.region,
        "addressCountry": "ID",
    }
    assert clinic.postal_code not in node["address"]["streetAddress"]
    assert node["telephone"] == "+" + clinic.whatsapp_number
    assert re.fullmatch(r"\+628\d{7,11}", node["telephone"])
    # The logo as a raster image of at least 112×112 (the demo logo is a 64×64 SVG).
    logo = fetch_png(client, node["logo"])
    assert logo.width >= 112 and logo.height >= 112
    assert node["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "08:00",
            "closes": "20:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Saturday"],
            "opens": "08:00",
            "closes": "14:00",
        },
    ]
    website = only(data, "WebSite")
    assert website["inLanguage"] == code
    assert website["publisher"] == {"@id": node["@id"]}
    # The site's name is given one way: the clinic's, as og:site_name says.
    assert website["name"] == clinic.name
    assert f'<meta property="og:site_name" content="{escape(clinic.name)}">' in _html


def test_clinic_node_follows_edits_to_the_settings(client, oxytocin):
    clinic = clinic_settings()
    clinic.name = "Klinik Baru"
    clinic.address = "Jl. Baru 2\nKel. Sukamaju"
    clinic.locality = "Kota Baru"
    clinic.whatsapp_number = "6281311112222"
    clinic.opening_hours = [
        ("hours", {"first_day": "6", "last_day": "6", "opens": "09:00", "closes": "12:00"})
    ]
    clinic.save()
    data, _html = graph_of(client, oxytocin["id"].url)
    node = only(data, "MedicalClinic")
    assert node["name"] == "Klinik Baru"
    assert node["address"]["streetAddress"] == "Jl. Baru 2, Kel. Sukamaju"
    assert node["address"]["addressLocality"] == "Kota Baru"
    assert node["telephone"] == "+6281311112222"
    assert node["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Sunday"],
            "opens": "09:00",
            "closes": "12:00",
        }
    ]


def test_clinic_without_a_name_is_left_out():
    clinic = ClinicSettings(name="")
    assert structured_data.clinic_node(clinic, root_url="http://localhost") is None
    assert structured_data.clinic_node(None, root_url="http://localhost") is None


# -- safety and sameness -------------------------------------------------------------------------
def test_json_ld_cannot_break_out_of_its_script_element(client, oxytocin):
    page = oxytocin["en"]
    nasty = 'Massage </script><script>alert(1)</script> & <!-- "quoted"'
    page.title = nasty
    page.summary = "</SCRIPT>summary & more"
    page.save_revision().publish()
    response = client.get(page.url)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    block = LD_JSON.findall(html)
    assert len(block) == 1
    assert not re.search(r"[<>]", block[0]), "markup characters are escaped inside the JSON"
    data = json.loads(block[0])
    assert only(data, "MedicalWebPage")["name"] == nasty
    assert only(data, "MedicalWebPage")["description"] == "</SCRIPT>summary & more"


def test_to_script_json_escapes_markup_and_round_trips():
    value = {"name": "</script><!-- & é"}
    text = structured_data.to_script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_json_ld_holds_no_email_or_ip_address(client, oxytocin):
    for url in ("/id/", "/en/", oxytocin["id"].url, oxytocin["en"].url):
        data, _html = graph_of(client, url, REMOTE_ADDR="203.0.113.9")
        text = json.dumps(data, ensure_ascii=False)
        assert not EMAIL.search(text), url
        assert not IPV4.search(text), url


def test_head_tags_are_the_same_bytes_for_every_visitor(client, oxytocin):
    url = oxytocin["id"].url
    head_tags = re.compile(
        r'<link rel="(?:canonical|alternate)"[^>]*>'
        r'|<script type="application/ld\+json">.*?</script>',
        re.S,
    )
    visitors = [
        {},
        {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9", "REMOTE_ADDR": "198.51.100.7"},
        {"HTTP_HOST": "other.example", "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 13)"},
    ]
    seen = set()
    for headers in visitors:
        response = client.get(url, **headers)
        assert response.status_code == 200
        assert "Set-Cookie" not in response
        seen.add(tuple(head_tags.findall(response.content.decode())))
    assert len(seen) == 1
    (tags,) = seen
    assert len(tags) >= 5  # canonical, three hreflang links, the feed link and the JSON-LD
    assert all("other.example" not in tag for tag in tags)


def fetch_png(client, url: str):
    assert url.startswith("http://localhost/"), url
    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    return PILImage.open(io.BytesIO(response.content))


@pytest.mark.parametrize("code", ["id", "en"])
def test_every_image_in_the_json_ld_is_raster(client, oxytocin, code):
    data, _html = graph_of(client, oxytocin[code].url)
    urls = [only(data, "MedicalWebPage")["image"], only(data, "HowTo")["image"]]
    urls += [step["image"] for step in only(data, "HowTo")["step"] if "image" in step]
    urls.append(only(data, "MedicalClinic")["logo"])
    assert len(urls) > 4  # the hero, steps with pictures and the logo
    for url in urls:
        assert not url.endswith(".svg"), url
        picture = fetch_png(client, url)
        assert picture.width in (512, 1200), url
    hero = fetch_png(client, only(data, "MedicalWebPage")["image"])
    assert hero.size == (1200, 630)


def test_an_image_copy_with_a_stale_print_or_odd_width_is_not_found(client, oxytocin):
    data, _html = graph_of(client, oxytocin["id"].url)
    url = only(data, "MedicalWebPage")["image"].removeprefix("http://localhost")
    image_id, width, print_ = re.fullmatch(r"/images/(\d+)-(\d+)-(\w+)\.png", url).groups()
    assert client.get(f"/images/{image_id}-{width}-{print_}.png").status_code == 200
    assert client.get(f"/images/{image_id}-{width}-000000000000.png").status_code == 404
    assert client.get(f"/images/{image_id}-4000-{print_}.png").status_code == 404
    assert client.get(f"/images/999999-{width}-{print_}.png").status_code == 404
    assert client.post(f"/images/{image_id}-{width}-{print_}.png").status_code == 405
