"""Time the related-guide recompute on an existing database (e.g. one `make bench-search` filled).

Usage: DATABASE_URL=… DJANGO_SETTINGS_MODULE=asih.settings.test PYTHONPATH=. \
    python bench/related_timing.py [N]
Recomputes N (default 20) generated guides' lists, chosen with a fixed seed, then the oxytocin
guide's, and prints the timings and that list's slugs. It rewrites related lists: not for a
database anyone uses.
"""

import random
import statistics
import sys
import time

import django


def main(count):
    django.setup()
    from asih.guides.models import GuidePage
    from asih.search import services
    from asih.search.models import RelatedGuide, SearchEntry

    ids = sorted(SearchEntry.objects.filter(language="id").values_list("page_id", flat=True))
    sample = random.Random(7).sample(ids, count)
    services.related_recompute(page_id=sample[0])  # warm the connection and caches
    samples = []
    for page_id in sample:
        started = time.perf_counter()
        services.related_recompute(page_id=page_id)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"recompute ms: median {statistics.median(samples):.1f}, max {max(samples):.1f}")
    oxytocin = GuidePage.objects.get(slug="pijat-oksitosin", locale__language_code="id")
    started = time.perf_counter()
    services.related_recompute(page_id=oxytocin.pk)
    print(f"oxytocin ms: {(time.perf_counter() - started) * 1000:.1f}")
    related = RelatedGuide.objects.filter(from_page_id=oxytocin.pk).order_by("rank")
    print(list(related.values_list("to_page__slug", flat=True)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
