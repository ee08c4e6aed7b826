"""The benchmark's dataset: the real guides plus generated ones with plausible Indonesian text."""

from __future__ import annotations

import random

WORDS = (
    "ibu bayi menyusui asi payudara pijat pijatan punggung hamil kehamilan persalinan nifas "
    "gizi makanan minum air istirahat tidur bidan dokter klinik periksa pemeriksaan rutin "
    "tanda bahaya demam nyeri bengkak darah tekanan vitamin zat besi asam folat olahraga "
    "jalan kaki napas tenang rileks hangat minyak lembut perlahan gerakan tangan jari tulang "
    "belakang leher bahu pagi malam hari minggu bulan pertama kedua ketiga sehat aman nyaman "
    "keluarga suami ayah dukungan konsultasi konselor laktasi pelekatan mulut puting kulit "
    "sentuhan imunisasi timbang berat badan panjang tumbuh kembang cairan mual muntah lelah"
).split()
PREFIXES = ("", "", "", "me", "mem", "pe", "pem", "di", "ber", "ke")
SUFFIXES = ("", "", "", "an", "kan", "nya", "i")


def sentence(rng: random.Random, length: int) -> str:
    words = []
    for _ in range(length):
        word = rng.choice(WORDS)
        if rng.random() < 0.25:
            word = rng.choice(PREFIXES) + word + rng.choice(SUFFIXES)
        words.append(word)
    return " ".join(words).capitalize() + "."


def build(*, guides: int, comments: int, seed: int = 7) -> None:
    """Add `guides` generated guides across the Indonesian stages, and `comments` approved
    comments on the flagship guide when the comments app is installed."""
    from django.apps import apps
    from django.db import transaction

    from asih.guides.models import GuidePage, StageIndexPage

    rng = random.Random(seed)
    stages = list(StageIndexPage.objects.filter(locale__language_code="id").order_by("path"))
    with transaction.atomic():
        for number in range(guides):
            stage = stages[number % len(stages)]
            title = sentence(rng, 6).rstrip(".")
            body = [
                {
                    "type": "section",
                    "value": {
                        "heading": sentence(rng, 4).rstrip("."),
                        "body": "".join(f"<p>{sentence(rng, 18)}</p>" for _ in range(8)),
                    },
                }
            ]
            page = GuidePage(
                title=f"{title} {number}",
                slug=f"contoh-{number}",
                summary=sentence(rng, 20),
                body=body,
                locale=stage.locale,
            )
            stage.add_child(instance=page)
            if number and number % 1000 == 0:
                print(f"   {number} guides", flush=True)
    if comments and apps.is_installed("asih.comments"):
        from bench.comments_dataset import add_comments

        add_comments(page=flagship(), count=comments, rng=rng)


def flagship():
    from asih.guides.loader import translation_key
    from asih.guides.models import GuidePage

    return GuidePage.objects.get(
        translation_key=translation_key("guide:pijat-oksitosin"), locale__language_code="id"
    )


def flagship_path() -> str:
    return flagship().get_url(request=None)


def count_queries(path: str) -> int:
    """SQL queries of one rendering of `path` with warm per-process caches (page cache off)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ASIH_PAGE_CACHE = False
    client = Client()
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(queries)
