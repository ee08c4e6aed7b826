from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "asih.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import invalidation  # noqa: F401  (connects the signal receivers)
