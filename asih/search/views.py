"""The results page at /id/cari/ and /en/search/: the same bytes for everyone for the same URL."""

from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from asih.core.localized_urls import reverse_in

from . import selectors
from .forms import QUERY_SHORTENED, SearchForm
from .text import MAX_QUERY_CHARS


def search_url(language: str | None = None) -> str:
    return reverse_in(language or translation.get_language(), "search")


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request):
    language = translation.get_language()
    stages = selectors.search_stages(language=language)
    categories = selectors.search_categories(language=language)
    form = SearchForm(request.GET, stages=stages, categories=categories)
    form.is_valid()  # invalid filters only add a message; the search still runs
    query = form.value("q") or ""
    results = selectors.guide_search(
        query=query,
        language=language,
        stage_id=form.value("stage"),
        category_id=form.value("category"),
        page=_page_number(request.GET.get("page")),
        request=request,
    )
    context = {
        "form": form,
        "results": results,
        "search_query": query,
        "shortened_message": (QUERY_SHORTENED % {"limit": MAX_QUERY_CHARS})
        if form.shortened
        else "",
        "stages": stages,
        "base_query": _query_without_page(request),
        "document_title": (_("Search: %(query)s") % {"query": query})
        if query
        else _("Search the guides"),
        # What someone searched for is theirs: a shared link's preview never repeats it.
        "preview_title": _("Search the guides"),
    }
    if not results.hits:
        context["starter_guides"] = selectors.starter_guides(stages=stages)
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    # What people search for on a health site is theirs: no shared cache (the page cache,
    # nginx, a CDN) keeps a results page, so none can be read back or found on disk.
    add_never_cache_headers(response)
    return response


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
