"""A page's live translations, looked up once per request (language links, hreflang)."""


def live_translations(page, request=None) -> list:
    """The live translations of a page (itself included), looked up once per request."""
    cache = getattr(request, "_asih_translations", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._asih_translations = cache
    if page.pk not in cache:
        cache[page.pk] = list(
            page.get_translations(inclusive=True).live().public().select_related("locale")
        )
    return cache[page.pk]
