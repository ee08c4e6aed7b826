"""Search benchmark: 10,000 generated Indonesian guides, 50 mixed queries, related recompute.

Run with `make bench-search`. For each backend (SQLite in a temporary file, PostgreSQL in the
database `asih_bench`, dropped and recreated) a worker process migrates, loads the real guides,
adds 10,000 generated guides and times the same work; the parent writes
bench/results/search.md. Not part of `make test`.

The generated guides are real GuidePage rows (so result URLs resolve like on the site), but
they are written in bulk with SQL rather than through Wagtail's add_child/publish, and their
index rows are written in bulk from the same stemming code the site uses (`search_entry_sync`
would take minutes for 10,000 pages); the related-guide recompute timed below is the real
service.
"""

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "search.md"
GUIDES = int(os.environ.get("BENCH_GUIDES", "10000"))
ROUNDS = 3
SEED = 20260501

# -- realistic Indonesian health text ------------------------------------------------
ROOT_FORMS = {
    # root: affixed forms a guide would use
    "pijat": ["pijat", "pijatan", "memijat", "dipijat", "pemijatan"],
    "susu": ["menyusui", "menyusu", "susu", "disusui", "penyusuan"],
    "hamil": ["hamil", "kehamilan", "menghamili", "sehamil"],
    "lahir": ["lahir", "melahirkan", "kelahiran", "dilahirkan", "persalinan"],
    "rawat": ["rawat", "merawat", "perawatan", "dirawat", "perawat"],
    "periksa": ["periksa", "memeriksa", "pemeriksaan", "diperiksa", "periksakan"],
    "makan": ["makan", "makanan", "memakan", "dimakan"],
    "minum": ["minum", "minuman", "meminum", "diminum"],
    "tidur": ["tidur", "tertidur", "menidurkan", "ketiduran"],
    "sakit": ["sakit", "kesakitan", "penyakit", "menyakitkan"],
    "nyeri": ["nyeri", "kenyerian"],
    "tenang": ["tenang", "menenangkan", "ketenangan", "ditenangkan"],
    "bantu": ["bantu", "membantu", "bantuan", "dibantu", "pembantu"],
    "jaga": ["jaga", "menjaga", "penjagaan", "terjaga"],
    "siap": ["siap", "persiapan", "menyiapkan", "disiapkan"],
    "lancar": ["lancar", "melancarkan", "kelancaran"],
    "sehat": ["sehat", "kesehatan", "menyehatkan"],
    "latih": ["latihan", "melatih", "berlatih"],
    "gerak": ["gerak", "gerakan", "menggerakkan", "bergerak"],
    "obat": ["obat", "pengobatan", "mengobati", "diobati"],
    "timbang": ["timbang", "menimbang", "penimbangan", "timbangan"],
    "darah": ["darah", "pendarahan", "perdarahan"],
    "tekan": ["tekanan", "menekan", "ditekan"],
    "hangat": ["hangat", "menghangatkan", "kehangatan"],
    "ukur": ["ukur", "mengukur", "ukuran", "pengukuran"],
}
NOUNS = (
    "ibu bayi ayah suami keluarga bidan dokter konselor laktasi payudara puting asi oksitosin "
    "punggung leher bahu tulang belakang perut rahim janin plasenta imunisasi vitamin zat besi "
    "asam folat gizi protein sayur buah air demam kontraksi ketuban tekanan darah gula klinik "
    "puskesmas posyandu buku kia jadwal minggu trimester kunjungan handuk minyak kulit "
    "pelekatan mulut dagu sendawa popok ruam kuning"
).split()
CONNECTORS = (
    "yang dan agar supaya untuk dengan saat ketika sebelum setelah selama karena jika".split()
)
ADVERBS = "pelan-pelan rutin setiap hari dua kali sehari dengan lembut secara teratur".split()
TITLES = [
    "Cara {a} {n} dengan Benar",
    "{A} {n}: Panduan untuk Ibu",
    "Tanda {n} yang Perlu Diwaspadai",
    "{A} dan {b} Setelah Persalinan",
    "Manfaat {a} bagi {n} dan Bayi",
    "Kapan Perlu {a} ke Bidan",
]


GENERAL = (
    "adalah akan ada bisa perlu harus boleh jangan coba mulai lanjut hentikan ulangi pilih "
    "pakai ambil letakkan tarik dorong putar angkat turunkan tahan lepaskan rasakan lihat "
    "dengar catat tanya jawab cerita kabar pagi siang sore malam hari minggu bulan tahun jam "
    "menit detik pertama kedua ketiga terakhir awal akhir tengah atas bawah kiri kanan depan "
    "belakang dalam luar dekat jauh besar kecil panjang pendek tinggi rendah banyak sedikit "
    "cukup lebih kurang sangat agak cepat lambat mudah sulit ringan berat lembut keras basah "
    "kering bersih kotor nyaman aman tepat salah baik buruk penting biasa jarang sering "
    "kadang selalu lagi sudah belum masih juga hanya saja pun bahkan tetapi namun lalu "
    "kemudian akhirnya misalnya terutama biasanya kursi bantal kasur meja kamar rumah "
    "dapur tangan jari kaki mata telinga kepala wajah dada lengan pinggang lutut tubuh "
    "pakaian baju selimut sabun gelas piring sendok botol termometer kalender catatan "
    "pertanyaan jawaban cerita pengalaman perasaan pikiran kebiasaan rencana tujuan hasil "
    "manfaat risiko batasan alasan contoh langkah cara waktu tempat orang teman tetangga"
).split()


def _topic(rng):
    return {
        "roots": rng.sample(list(ROOT_FORMS), 2),
        "nouns": rng.sample(NOUNS, 4),
    }


def _word(rng, topic):
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(ROOT_FORMS[rng.choice(topic["roots"])])
    if roll < 0.5:
        return rng.choice(topic["nouns"])
    if roll < 0.55:
        return rng.choice(NOUNS)
    return rng.choice(GENERAL)


def _sentence(rng, topic):
    words = [_word(rng, topic) for _ in range(rng.randint(5, 11))]
    position = rng.randint(1, len(words) - 1)
    words.insert(position, rng.choice(CONNECTORS))
    if rng.random() < 0.3:
        words.append(rng.choice(ADVERBS))
    return " ".join(words).capitalize() + "."


def generate_guide(rng, number):
    """A guide about two roots and four nouns, in a wider everyday vocabulary."""
    topic = _topic(rng)
    a = rng.choice(ROOT_FORMS[topic["roots"][0]])
    b = rng.choice(ROOT_FORMS[topic["roots"][1]])
    n = topic["nouns"][0]
    title = rng.choice(TITLES).format(a=a, A=a.capitalize(), b=b, n=n) + f" ({number})"
    summary = " ".join(_sentence(rng, topic) for _ in range(2))
    sections = [
        (
            rng.choice(topic["nouns"]).capitalize(),
            " ".join(_sentence(rng, topic) for _ in range(rng.randint(5, 9))),
        )
        for _ in range(rng.randint(3, 5))
    ]
    return title, summary, sections


QUERIES = [
    # single roots and affixed forms
    "pijat",
    "pemijatan",
    "menyusui",
    "susui",
    "kehamilan",
    "melahirkan",
    "perawatan",
    "pemeriksaan",
    "oksitosin",
    "payudara",
    "imunisasi",
    "demam",
    "kontraksi",
    "tidur",
    "menenangkan",
    "kelancaran",
    "gizi",
    "posyandu",
    "sendawa",
    "persalinan",
    # several words
    "pijat oksitosin",
    "cara menyusui bayi",
    "tanda bahaya kehamilan",
    "asi tidak lancar",
    "nyeri punggung saat hamil",
    "jadwal imunisasi bayi",
    "makanan ibu menyusui",
    "pemeriksaan tekanan darah",
    "tidur bayi setelah menyusu",
    "persiapan persalinan",
    "pijat laktasi payudara bengkak",
    "vitamin asam folat trimester",
    "ruam popok bayi",
    "minum air hangat",
    "latihan gerakan ringan",
    # with a stage or category filter (applied below)
    "pijat",
    "menyusui",
    "kehamilan",
    "asi",
    "bayi",
    "ibu",
    "perawatan bayi",
    "demam",
    "periksa",
    "gizi ibu",
    # nothing matches / odd input / fallback to any word
    "zzzqqq",
    '"pijat* NEAR susu',
    "'; DROP TABLE x; --",
    "pijat xyzzy",
    "🙂 " * 20,
]
FILTERED = range(35, 45)  # indexes of QUERIES that run with a filter


STEPLEN = 4  # characters per tree level in Wagtail's page paths (django-treebeard)
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _path_step(number):
    """One level of a page path: `number` in base 36, four characters."""
    digits = ""
    for _ in range(STEPLEN):
        number, digit = divmod(number, len(PATH_ALPHABET))
        digits = PATH_ALPHABET[digit] + digits
    return digits


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# -- worker: runs inside one database ---------------------------------------------------
def worker():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from wagtail.models import Locale, Page

    from asih.guides.loader import ContentLoader
    from asih.guides.models import GuideCategory, GuidePage, StageIndexPage
    from asih.search import selectors, services, text
    from asih.search.models import SearchEntry

    timings = {"vendor": connection.vendor}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ContentLoader().load()
    timings["setup_seconds"] = round(time.perf_counter() - started, 1)

    rng = random.Random(SEED)
    locale = Locale.objects.get(language_code="id")
    stages = list(StageIndexPage.objects.filter(locale=locale).order_by("path"))
    categories = list(GuideCategory.objects.filter(locale=locale).values_list("pk", flat=True))
    content_type_id = GuidePage().cached_content_type.pk
    next_id = (Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    numchild = {stage.pk: stage.numchild for stage in stages}
    # New children go after a stage's last child: its numchild says how many children it
    # has, not which path numbers they took (the loaded guides can leave a gap).
    last_step = {}
    for stage in stages:
        last = stage.get_last_child()
        last_step[stage.pk] = int(last.path[-STEPLEN:], 36) if last else 0

    started = time.perf_counter()
    pages, guide_rows, entries, category_links = [], [], [], []
    category_link = SearchEntry.categories.through
    for number in range(GUIDES):
        stage = stages[number % len(stages)]
        numchild[stage.pk] += 1
        last_step[stage.pk] += 1
        title, summary, sections = generate_guide(rng, number)
        slug = f"panduan-{number}"
        page = Page(
            pk=next_id + number,
            path=stage.path + _path_step(last_step[stage.pk]),
            depth=stage.depth + 1,
            numchild=0,
            title=title,
            draft_title=title,
            slug=slug,
            url_path=f"{stage.url_path}{slug}/",
            content_type_id=content_type_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=datetime.now(UTC),
            last_published_at=datetime.now(UTC),
            locale_id=locale.pk,
            translation_key=uuid.uuid4(),
        )
        pages.append(page)
        body = [
            {"type": "section", "value": {"heading": heading, "body": f"<p>{paragraph}</p>"}}
            for heading, paragraph in sections
        ]
        guide_rows.append(
            GuidePage(page_ptr_id=page.pk, summary=summary[:300], body=json.dumps(body))
        )
        plain = " ".join(f"{heading} {paragraph}" for heading, paragraph in sections)
        chosen = rng.sample(categories, k=rng.randint(1, 2))
        category_links += [
            category_link(searchentry_id=page.pk, guidecategory_id=pk) for pk in sorted(chosen)
        ]
        entries.append(
            SearchEntry(
                page_id=page.pk,
                language="id",
                stage_id=stage.pk,
                title=title,
                summary=summary[:300],
                body=plain,
                title_terms=" ".join(text.stems(title, "id")),
                summary_terms=" ".join(text.stems(summary[:300], "id")),
                body_terms=" ".join(text.stems(plain, "id")),
            )
        )
    timings["generate_and_stem_seconds"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    fields = GuidePage._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=500)
        rows = [
            [field.get_db_prep_save(getattr(guide, field.attname), connection) for field in fields]
            for guide in guide_rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {GuidePage._meta.db_table} ({columns}) VALUES ({placeholders})", rows
            )
        for stage in stages:
            Page.objects.filter(pk=stage.pk).update(numchild=numchild[stage.pk])
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        category_link.objects.bulk_create(category_links, batch_size=1000)
        vocabulary = {
            stem
            for entry in entries
            for column in (entry.title_terms, entry.summary_terms, entry.body_terms)
            for stem in column.split()
        }
        services.search_terms_add(language="id", stems=vocabulary)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO asih_search_fts(asih_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    timings["bulk_write_seconds"] = round(time.perf_counter() - started, 1)
    timings["guides"] = SearchEntry.objects.filter(language="id").count()

    def run(index, query):
        filters = {}
        if index in FILTERED:
            if index % 2:
                filters["stage_id"] = stages[index % len(stages)].pk
            else:
                filters["category_id"] = categories[index % len(categories)]
        return selectors.guide_search(query=query, language="id", **filters)

    for index, query in enumerate(QUERIES):  # warm caches once
        run(index, query)
    samples, totals = [], {}
    for _ in range(ROUNDS):
        for index, query in enumerate(QUERIES):
            started = time.perf_counter()
            results = run(index, query)
            samples.append((time.perf_counter() - started) * 1000)
            totals[query + str(index)] = results.total
    timings["query_ms"] = {
        "median": round(statistics.median(samples), 2),
        "p95": round(percentile(samples, 0.95), 2),
        "max": round(max(samples), 2),
        "samples": len(samples),
    }
    timings["results_per_query"] = {
        "median": statistics.median(totals.values()),
        "max": max(totals.values()),
        "zero": sum(1 for total in totals.values() if total == 0),
    }

    # The whole results page through Django (middleware, template, header), same queries.
    client = Client()
    page_samples = []
    for query in QUERIES:
        client.get("/id/cari/", {"q": query})
    for query in QUERIES:
        started = time.perf_counter()
        response = client.get("/id/cari/", {"q": query})
        page_samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (query, response.status_code)
    timings["page_ms"] = {
        "median": round(statistics.median(page_samples), 2),
        "p95": round(percentile(page_samples, 0.95), 2),
    }

    # Related guides: one guide's list (what publishing does first), then the whole
    # publish-time refresh (its list plus the lists it enters or leaves).
    sample = [entry.page_id for entry in rng.sample(entries, 20)]
    recompute = []
    for page_id in sample:
        started = time.perf_counter()
        services.related_recompute(page_id=page_id)
        recompute.append((time.perf_counter() - started) * 1000)
    refresh = []
    for page_id in sample[:10]:
        started = time.perf_counter()
        services.related_refresh_around(page_id=page_id)
        refresh.append((time.perf_counter() - started) * 1000)
    timings["related_recompute_ms"] = {
        "median": round(statistics.median(recompute), 1),
        "p95": round(percentile(recompute, 0.95), 1),
    }
    timings["related_refresh_ms"] = {
        "median": round(statistics.median(refresh), 1),
        "p95": round(percentile(refresh, 0.95), 1),
    }
    # A real publish of a real guide (index row + related refresh), through Wagtail.
    oxytocin = GuidePage.objects.get(slug="pijat-oksitosin", locale=locale)
    publish = []
    for _ in range(3):
        revision = oxytocin.save_revision()
        started = time.perf_counter()
        revision.publish()
        publish.append((time.perf_counter() - started) * 1000)
    timings["publish_ms"] = round(statistics.median(publish), 1)
    timings["related_of_oxytocin"] = list(
        oxytocin.related_guides.order_by("rank").values_list("to_page__title", flat=True)
    )
    print("BENCH-JSON " + json.dumps(timings))


# -- parent: one worker per backend, then the report ------------------------------------
def _postgres_reset(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def _run_worker(database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asih.settings.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="asih-bench-media-"),
    }
    result = subprocess.run(
        [sys.executable, __file__, "--worker"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stdout[-4000:] + result.stderr[-4000:])
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH-JSON "))
    return json.loads(line.removeprefix("BENCH-JSON "))


def _postgres_version():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def main():
    import sqlite3

    # BENCH_PG_DATABASE lets two checkouts on one machine bench at once without sharing a
    # database; BENCH_BACKENDS=sqlite (or postgresql) runs one side only.
    database = os.environ.get("BENCH_PG_DATABASE", "asih_bench")
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    runs = []
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory(prefix="asih-bench-") as workdir:
            print("SQLite …", flush=True)
            runs.append(_run_worker(f"sqlite:///{workdir}/bench.sqlite3"))
    if "postgresql" in backends:
        print("PostgreSQL …", flush=True)
        _postgres_reset(database)
        runs.append(_run_worker(f"postgres://postgres@127.0.0.1:5432/{database}"))

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    names = {
        "sqlite": f"SQLite {sqlite3.sqlite_version} (FTS5)",
        "postgresql": f"PostgreSQL {_postgres_version()} (tsvector + GIN)",
    }
    lines = [
        "# Search benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, shared with "
        "other work. `make bench-search` regenerates this file.",
        "",
        f"Data: the {runs[0]['guides'] - 7} generated guides plus the 7 real Indonesian guides "
        "(the generated ones: titles, summaries and 3–5 sections of sentences from a vocabulary "
        "of Indonesian health words in their affixed forms — pijat/pemijatan, "
        "susu/menyusui, hamil/kehamilan …; each guide is about 2 of 25 roots and 4 of 70 "
        "health nouns, in a vocabulary of ~230 everyday words). Generated guides are written "
        "in bulk "
        "(real GuidePage rows and index rows from the site's own stemming code), not through "
        "Wagtail's publish; the real guides were published normally.",
        "",
        f"Queries: {len(QUERIES)} mixed queries (single roots and affixed forms, 2–5 word "
        "phrases, 10 with a stage or category filter, no-match and query-syntax input), "
        f"{ROUNDS} rounds after a warm-up round; time of `guide_search` (count + ranked page "
        "of 10 + rows + snippets) and of the whole results page through Django's test client.",
        "",
        "| | " + " | ".join(names[run["vendor"]] for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]

    def row(label, get):
        lines.append(f"| {label} | " + " | ".join(str(get(run)) for run in runs) + " |")

    row("guides indexed (Indonesian)", lambda r: r["guides"])
    row("search: median (ms)", lambda r: r["query_ms"]["median"])
    row("search: p95 (ms)", lambda r: r["query_ms"]["p95"])
    row("search: max (ms)", lambda r: r["query_ms"]["max"])
    row("results page: median (ms)", lambda r: r["page_ms"]["median"])
    row("results page: p95 (ms)", lambda r: r["page_ms"]["p95"])
    row(
        "matches per query: median / max",
        lambda r: "{median} / {max}".format(**r["results_per_query"]),
    )
    row("related list of one guide: median (ms)", lambda r: r["related_recompute_ms"]["median"])
    row("related list of one guide: p95 (ms)", lambda r: r["related_recompute_ms"]["p95"])
    row(
        "publish-time related refresh (own + neighbours): median (ms)",
        lambda r: r["related_refresh_ms"]["median"],
    )
    row("publish-time related refresh: p95 (ms)", lambda r: r["related_refresh_ms"]["p95"])
    row("publish of the oxytocin guide through Wagtail (ms)", lambda r: r["publish_ms"])
    row("setup: migrate + load real guides (s)", lambda r: r["setup_seconds"])
    row("generate + stem 10,000 guides (s)", lambda r: r["generate_and_stem_seconds"])
    row("bulk write pages + index (s)", lambda r: r["bulk_write_seconds"])
    lines += [
        "",
        f"Related guides of the oxytocin guide after its publish, among {runs[0]['guides']} "
        f"guides ({names[runs[0]['vendor']]}): " + "; ".join(runs[0]["related_of_oxytocin"]),
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--worker" in sys.argv:
        worker()
    else:
        main()
