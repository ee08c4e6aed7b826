"""The demo guides say what a clinical editor would sign (issue 18), in both languages alike."""

import json
import re

import pytest
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Site

from asih.core.models import ClinicSettings
from asih.guidebook import pdf
from asih.guides.loader import translation_key
from asih.guides.models import GuidePage, HomePage, StageIndexPage, WarningSignList
from tests.pagecache.test_django import get, guide_path, site  # noqa: F401 (site: a fixture)

pytestmark = pytest.mark.django_db

LANGUAGES = ("id", "en")
AFTER_BIRTH = [
    "pijat-oksitosin",
    "pijat-laktasi",
    "pelekatan-menyusui",
    "inisiasi-menyusu-dini",
    "tanda-bahaya-setelah-melahirkan",
]
PREGNANCY = ["pemeriksaan-kehamilan", "tanda-bahaya-kehamilan"]
WARNING_SIGNS_GUIDE = "tanda-bahaya-setelah-melahirkan"


def guide(key: str, code: str) -> GuidePage:
    return GuidePage.objects.get(
        translation_key=translation_key(f"guide:{key}"), locale__language_code=code
    )


def blocks(page: GuidePage, block_type: str) -> list:
    return [block.value for block in page.body if block.block_type == block_type]


def lines_of(page: GuidePage) -> list[str]:
    """Every list line a reader sees: checklists, callouts, shared signs, steps."""
    found = []
    for block in page.body:
        value = block.value
        if block.block_type in ("checklist", "callout"):
            found.extend(value["items"])
        elif block.block_type == "warning_signs":
            for group in value["signs"].groups:
                found.extend(group.value["items"])
        elif block.block_type in ("steps", "untimed_steps"):
            found.extend(step["instruction"] for step in value["steps"])
    return found


def text_of(page: GuidePage) -> str:
    return " ".join([page.title, page.summary, str(page.body.raw_data)])


def order(page: GuidePage) -> list[str]:
    return [
        block.value["kind"] if block.block_type == "callout" else block.block_type
        for block in page.body
    ]


def html(client, page: GuidePage) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


# -- 1. two tiers after birth, and the emergency line ----------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("key", [key for key in AFTER_BIRTH if key != WARNING_SIGNS_GUIDE])
def test_after_birth_guides_send_urgent_signs_to_a_facility_now(client, key, code):
    page = guide(key, code)
    (shared,) = blocks(page, "warning_signs")
    signs = shared["signs"]
    assert signs.translation_key == translation_key("signs:setelah-melahirkan")
    assert signs.locale.language_code == code
    go_now = " ".join(item for group in signs.groups for item in group.value["items"]).lower()
    needed = {
        "id": [
            "demam",
            "perdarahan",
            "pandangan kabur",
            "betis",
            "sesak",
            "menyusu",
            "sulit dibangunkan",
            "napas cepat",
            "24 jam",
            "14 hari",
            "telapak",
            "dingin",
        ],
        "en": [
            "fever",
            "bleeding",
            "blurred vision",
            "calf",
            "breathless",
            "feed",
            "hard to wake",
            "fast breathing",
            "24 hours",
            "14 days",
            "palms",
            "cold",
        ],
    }[code]
    for sign in needed:
        assert sign in go_now, sign
    # The second tier (the counsellor) never holds a go-now sign without saying "now".
    urgent = {
        "id": ("demam", "sulit dibangunkan", "tidak mau menyusu"),
        "en": ("fever", "hard to wake", "will not feed"),
    }[code]
    now = {"id": ("segera",), "en": ("now",)}[code]
    for callout in blocks(page, "callout"):
        if callout["kind"] == "info":
            for item in callout["items"]:
                if any(word in item.lower() for word in urgent):
                    assert any(word in item.lower() for word in now), item
    rendered = html(client, page)
    assert signs.heading in rendered
    assert f'href="{guide(WARNING_SIGNS_GUIDE, code).url}"' in rendered


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("key", AFTER_BIRTH)
def test_every_consult_block_after_birth_says_not_to_wait_for_a_reply(key, code):
    consults = blocks(guide(key, code), "consult")
    assert consults
    for consult in consults:
        text = consult["text"].lower()
        assert "whatsapp" in text
        assert {"id": "jangan menunggu", "en": "do not wait"}[code] in text


def test_every_guide_in_the_after_birth_stage_is_checked_here():
    stage = StageIndexPage.objects.get(
        translation_key=translation_key("stage:setelah-melahirkan"), locale__language_code="id"
    )
    keys = {page.translation_key for page in GuidePage.objects.child_of(stage)}
    assert keys == {translation_key(f"guide:{key}") for key in AFTER_BIRTH}


def test_imd_no_longer_asks_anyone_at_home_to_call_the_midwife():
    for code in LANGUAGES:
        page = guide("inisiasi-menyusu-dini", code)
        for callout in blocks(page, "callout"):
            if callout["kind"] == "get_help":
                # That tier is for the birth room only; at home the shared go-now list applies.
                assert {"id": "selama imd", "en": "during early initiation"}[code] in callout[
                    "heading"
                ].lower()
                assert not any(
                    "hari-hari berikutnya" in i or "days after" in i for i in callout["items"]
                )


# -- 2. honey ---------------------------------------------------------------------------------


def test_no_line_leaves_honey_permissible():
    mentions = []
    for page in GuidePage.objects.all():
        for line in lines_of(page):
            lower = line.lower()
            if "madu" in lower or "honey" in lower:
                mentions.append(line)
                assert "12" in lower, line
                for loophole in ("kecuali", "unless", "alasan medis", "medical reason"):
                    assert loophole not in lower, line
    assert len(mentions) == 2  # the IMD checklist, once per language


# -- 3. oxytocin: contraindications before the technique, on the page and in the PDF -----------


@pytest.mark.parametrize("code", LANGUAGES)
def test_oxytocin_cautions_come_before_the_steps(client, code):
    page = guide("pijat-oksitosin", code)
    sequence = order(page)
    assert sequence.index("when_not_to") < sequence.index("steps")
    assert sequence.index("caution") < sequence.index("steps")
    assert sequence.index("when_not_to") < sequence.index("checklist")
    when_not, caution = page.callouts("when_not_to")[0], page.callouts("caution")[0]
    steps_heading = page.technique()["heading"]

    rendered = html(client, page)
    assert rendered.index(when_not["heading"]) < rendered.index(steps_heading)
    assert rendered.index(caution["heading"]) < rendered.index(steps_heading)

    default_site = Site.objects.get(is_default_site=True)
    context = {
        "stage": page.get_parent().specific,
        "guides": [page],
        "clinic": ClinicSettings.for_site(default_site),
        "content_date": None,
        "language": code,
        "origin": "http://testserver",
    }
    printed = pdf.render_html(context, code)
    assert printed.index(when_not["heading"]) < printed.index(steps_heading)
    assert printed.index(caution["heading"]) < printed.index(steps_heading)


# -- 4. step 7 beside the spine, above the shoulder blades --------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_oxytocin_steps_stay_beside_the_spine_and_above_the_shoulder_blades(code):
    steps = guide("pijat-oksitosin", code).steps()
    fist = steps[6]["instruction"].lower()
    assert {"id": "kiri dan kanan tulang belakang", "en": "either side of the spine"}[code] in fist
    assert {"id": "setinggi tulang belikat", "en": "shoulder-blade level"}[code] in fist
    assert {"id": "tidak lebih rendah", "en": "no lower"}[code] in fist
    for number in (3, 5, 6, 7):  # every step that works down the spine says where to stop
        lower = steps[number - 1]["instruction"].lower()
        assert {"id": "tulang belikat", "en": "shoulder blade"}[code] in lower.replace("-", " ")
    for step in steps:
        lower = step["instruction"].lower()
        assert "seluruh punggung" not in lower and "whole back" not in lower, step["title"]
        assert "over her back" not in lower


# -- 5. dizziness has a next step ---------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_dizziness_says_what_to_do_next(code):
    items = guide("pijat-oksitosin", code).callouts("caution")[0]["items"]
    text = " ".join(items).lower()
    assert {"id": "berbaring", "en": "lie down"}[code] in text
    assert {"id": "igd", "en": "emergency department"}[code] in text
    assert {"id": "perdarahan banyak", "en": "heavy bleeding"}[code] in text


# -- 6. one danger-sign list in pregnancy ----------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_both_pregnancy_guides_render_the_one_shared_danger_sign_list(client, code):
    shared = WarningSignList.objects.get(
        translation_key=translation_key("signs:kehamilan"), locale__language_code=code
    )
    for key in PREGNANCY:
        page = guide(key, code)
        assert [value["signs"].pk for value in blocks(page, "warning_signs")] == [shared.pk]
        # No second, diverging list of its own.
        assert page.callouts("get_help") == []
        rendered = html(client, page)
        for group in shared.groups:
            for item in group.value["items"]:
                assert item in rendered
    signs = " ".join(item for group in shared.groups for item in group.value["items"]).lower()
    needed = {
        "id": [
            "kaki bengkak",
            "sakit kepala hebat atau pandangan kabur, walaupun tidak ada bengkak",
            "37 minggu",
            "walaupun belum ada mulas",
            "gerakan bayi",
            "demam",
            "muntah",
        ],
        "en": [
            "feet",
            "severe headache or blurred vision, even without any swelling",
            "37 weeks",
            "even without contractions",
            "baby moving less",
            "fever",
            "vomiting",
        ],
    }[code]
    for sign in needed:
        assert sign in signs, sign
    assert shared.note.lower().startswith({"id": "sebagian besar", "en": "most of"}[code])


def test_no_pregnancy_guide_says_every_sign_is_in_buku_kia():
    for key in PREGNANCY:
        for code in LANGUAGES:
            text = text_of(guide(key, code)).lower()
            assert "tanda-tanda ini juga tercantum" not in text
            assert not re.search(r"(?<!most of )these signs are also listed", text)


# -- 7. lactation massage follows ABM #36 --------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_lactation_massage_follows_current_guidance_for_blocked_ducts(code):
    page = guide("pijat-laktasi", code)
    text = text_of(page).lower()
    assert {"id": "ke arah ketiak", "en": "towards the armpit"}[code] in text
    assert {"id": "kompres dingin", "en": "cold compress"}[code] in text
    assert {"id": "perlu diperiksa dokter", "en": "seen by a doctor"}[code] in text
    assert "handuk hangat" not in text and "warm towel" not in text
    for line in lines_of(page):
        lower = line.lower()
        if "hamil" in lower or "pregnan" in lower:
            assert "kecuali" not in lower and "unless" not in lower, line
    shivering = {"id": "menggigil", "en": "shivering"}[code]
    assert any(
        shivering in item.lower()
        for value in blocks(page, "warning_signs")
        for group in value["signs"].groups
        for item in group.value["items"]
    )


def test_lactation_massage_headings_carry_the_same_urgency_in_both_languages():
    headings = {
        code: [c["heading"] for c in guide("pijat-laktasi", code).callouts()] for code in LANGUAGES
    }
    for indonesian, english in zip(headings["id"], headings["en"], strict=True):
        assert ("segera" in indonesian.lower()) == ("now" in english.lower())
        assert ("hari ini" in indonesian.lower()) == ("today" in english.lower())
        assert "soon" not in english.lower()


# -- 8. no overstatement ------------------------------------------------------------------------


def test_oxytocin_makes_no_promise_the_english_does_not():
    indonesian, english = guide("pijat-oksitosin", "id"), guide("pijat-oksitosin", "en")
    assert "mudah mengalir" not in indonesian.title.lower()
    assert "membantu" in indonesian.title.lower() and "help" in english.title.lower()
    for page in (indonesian, english):
        (research,) = blocks(page, "benefits")
        # Established physiology stays out of the massage-research list.
        assert all(item["evidence"] != "established" for item in research["items"])
        assert "satu tempat" not in research["intro"] and "mostly at one" not in research["intro"]
        assert "kapan saja" not in text_of(page).lower() and "any time" not in text_of(page).lower()
        (total,) = blocks(page, "total_time")
        assert "15" in total["note"]
    assert "bersandar dengan nyaman" not in text_of(indonesian)
    assert "banyak ibu" in text_of(indonesian) and "many mothers" in text_of(english)


def test_indonesian_evidence_badge_is_no_stronger_than_the_english():
    with translation.override("id"):
        assert translation.gettext("Well established") != "Sudah terbukti kuat"
        assert "terbukti" not in translation.gettext("Well established").lower()


def test_guides_call_the_partner_pasangan():
    for page in GuidePage.objects.filter(locale__language_code="id"):
        text = text_of(page)
        assert not re.search(r"\b(Ayah|suami)\b", text), page.title


# -- 9. IMD -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_imd_bath_cap_and_face(code):
    page = guide("inisiasi-menyusu-dini", code)
    text = text_of(page).lower()
    assert {"id": "paling cepat 6 jam", "en": "at least 6 hours"}[code] in text
    assert {"id": "setelah 24 jam", "en": "24 hours"}[code] in text
    assert {"id": "diberi topi", "en": "a cap on their head"}[code] in text
    assert {"id": "hidung dan mulutnya", "en": "nose and mouth"}[code] in text
    assert {"id": "banyak bayi", "en": "many babies"}[code] in page.summary.lower()
    assert "kepalanya diselimuti" not in text and "blanket over their back and head" not in text


# -- 10. latching -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_latching_has_no_countdown_and_no_guided_session(client, code):
    page = guide("pelekatan-menyusui", code)
    assert page.steps() == [] and blocks(page, "steps") == []
    (untimed,) = blocks(page, "untimed_steps")
    assert all("duration" not in step for step in untimed["steps"])
    rendered = html(client, page)
    assert "step__duration" not in rendered
    assert page.session_url not in rendered
    for step in untimed["steps"]:
        assert escape(step["instruction"]) in rendered
    response = client.get(page.session_url)
    assert response.status_code == 302 and response["Location"].endswith(page.url)


@pytest.mark.parametrize("code", LANGUAGES)
def test_latching_counts_from_day_5_and_is_kind_to_mothers_who_cannot_yet(code):
    text = text_of(guide("pelekatan-menyusui", code)).lower()
    for needed in {
        "id": [
            "hari ke-5",
            "6 popok basah",
            "2 kali buang air besar",
            "sekitar 2 minggu",
            "bagian bawah areola",
            "bukan kesalahan ibu",
            "memerah asi",
        ],
        "en": [
            "day 5",
            "6 wet nappies",
            "2 stools",
            "about 2 weeks",
            "lower part of the areola",
            "not your fault",
            "express your milk",
        ],
    }[code]:
        assert needed in text, needed
    assert "sebagian besar areola" not in text and "a good part of the areola" not in text


# -- 11. preparation ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_preparation_covers_folic_acid_rubella_spacing_anaemia_and_weight(code):
    text = text_of(guide("persiapan-kehamilan", code)).lower()
    for needed in {
        "id": [
            "sampai usia kehamilan 12 minggu",
            "sekitar 1 bulan",
            "tabung saraf",
            "epilepsi",
            "diabetes",
            "24 bulan",
            "anemia",
            "terlalu rendah",
        ],
        "en": [
            "until you are 12 weeks pregnant",
            "about 1 month",
            "neural-tube",
            "epilepsy",
            "diabetes",
            "24 months",
            "anaemia",
            "underweight",
        ],
    }[code]:
        assert needed in text, needed


# -- 12. the project's own voice ------------------------------------------------------------------


def test_home_banner_does_not_overclaim():
    for home in HomePage.objects.all():
        banner = f"{home.banner_title} {home.banner_text}".lower()
        assert "lengkap" not in banner and "complete" not in banner
        assert "sampai setelah melahirkan" not in banner and "to after birth" not in banner


def test_lactation_massage_does_not_list_the_areas_like_the_other_site():
    for code in LANGUAGES:
        text = text_of(guide("pijat-laktasi", code)).lower()
        assert "kepala, leher, bahu, punggung" not in text
        assert "head, neck, shoulders, back" not in text


# -- 13. the warning-signs guide after birth --------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_warning_signs_after_birth_guide_lists_mother_and_newborn(client, code):
    page = guide(WARNING_SIGNS_GUIDE, code)
    assert page.live and page.get_parent().specific.translation_key == translation_key(
        "stage:setelah-melahirkan"
    )
    urgent = page.callouts("get_help")
    assert len(urgent) == 2
    mother, baby = (" ".join(c["items"]).lower() for c in urgent)
    for sign in {
        "id": ["perdarahan", "berbau", "betis", "sedih"],
        "en": ["bleeding", "smells", "calf", "sadness"],
    }[code]:
        assert sign in mother, sign
    for sign in {
        "id": ["tali pusat", "60 kali", "kuning", "tinja berwarna pucat"],
        "en": ["cord", "60 breaths", "yellow", "pale stools"],
    }[code]:
        assert sign in baby, sign
    # Strength as the facts sheet labels it: no temperature cut-off, the mother's list unchecked.
    assert not re.search(r"\d\d[.,]\d ?°", text_of(page))
    assert {"id": "belum mencocokkannya", "en": "not yet checked"}[code] in urgent[0]["intro"]
    shared = WarningSignList.objects.get(
        translation_key=translation_key("signs:setelah-melahirkan"), locale__language_code=code
    )
    assert shared.more_page_id == page.pk
    assert html(client, page).count(urgent[1]["heading"]) == 1


# -- both languages say the same ---------------------------------------------------------------


def _shape(page: GuidePage) -> list:
    shape = []
    for block in page.body:
        value = block.value
        size = None
        if block.block_type in ("checklist", "callout"):
            size = len(value["items"])
        elif block.block_type in ("steps", "untimed_steps"):
            size = len(value["steps"])
        elif block.block_type == "benefits":
            size = [item["evidence"] for item in value["items"]]
        elif block.block_type == "warning_signs":
            size = [len(group.value["items"]) for group in value["signs"].groups]
        shape.append((order_name(block), size))
    return shape


def order_name(block) -> str:
    return block.value["kind"] if block.block_type == "callout" else block.block_type


def test_both_languages_have_the_same_blocks_items_and_evidence():
    for key in {page.translation_key for page in GuidePage.objects.all()}:
        pages = {p.locale.language_code: p for p in GuidePage.objects.filter(translation_key=key)}
        assert _shape(pages["id"]) == _shape(pages["en"]), pages["en"].title


# -- a shared list edited once reaches every cached guide that shows it ---------------------


def test_editing_a_shared_list_retires_the_cached_guides_that_show_it(site):  # noqa: F811
    page = guide("pemeriksaan-kehamilan", "id")
    get(site, guide_path(page))
    assert get(site, guide_path(page))["headers"]["X-Page-Cache"] == "HIT"
    shared = WarningSignList.objects.get(
        translation_key=translation_key("signs:kehamilan"), locale__language_code="id"
    )
    shared.heading = "Berangkat sekarang bila"
    shared.save()
    fresh = get(site, guide_path(page))
    assert fresh["headers"]["X-Page-Cache"] == "MISS"
    assert "Berangkat sekarang bila" in fresh["body"].decode()


@pytest.mark.parametrize("code", ["id", "en"])
def test_every_oxytocin_step_picture_says_where_the_hands_go(client, oxytocin, code):
    """Issue 19.9: the step pictures show hand positions, so they carry short alt text, on the
    guide and in the guided session's data."""
    page = oxytocin[code]
    steps = page.steps()
    assert len(steps) == 8 and all(step["image"] for step in steps)
    alts = [step["image_alt"] for step in steps]
    assert all(len(alt) > 20 for alt in alts) and len(set(alts)) == 8
    html = client.get(page.url).content.decode()
    for alt in alts:
        assert f'alt="{escape(alt)}"' in html
    session = client.get(page.url + ("sesi/" if code == "id" else "session/")).content.decode()
    data = json.loads(
        session.split('id="asih-session-data" type="application/json">', 1)[1].split("</script>")[0]
    )
    assert [step["imageAlt"] for step in data["steps"]] == alts
