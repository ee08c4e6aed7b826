"""manage.py rebuild_search_index: re-index every live guide and recompute related lists."""

from django.core.management.base import BaseCommand

from asih.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Re-index every live guide for search and recompute every related-guides list."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} guides and recomputed their related guides.")
