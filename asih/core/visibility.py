"""Which pages every visitor may see: live, and outside any section under a view restriction."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def restricted(path_field: str = "path") -> Exists:
    """True for a row whose page (its tree path in `path_field`) lies in a private section.

    A page is private when it or an ancestor carries a view restriction, i.e. when a
    restricted page's path is a prefix of its own. As a correlated subquery this costs no
    extra round trip, and with no restriction at all (the usual case) next to nothing.
    """
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef(path_field), 1, Length("page__path"))
        )
    )


def public_pages(queryset):
    """A page queryset narrowed to what every visitor may see: for every public listing."""
    return queryset.live().filter(~restricted())


def restricted_page_sql(page_id_column: str) -> str:
    """The same rule for hand-written SQL (the search backends): a condition that holds when
    the page whose id is in `page_id_column` lies in a private section. (The search index holds
    live guides only, so liveness needs no second check there.)"""
    return (
        "EXISTS (SELECT 1 FROM wagtailcore_page restricted_page,"
        " wagtailcore_pageviewrestriction restriction, wagtailcore_page private_root"
        f" WHERE restricted_page.id = {page_id_column}"
        " AND private_root.id = restriction.page_id"
        " AND substr(restricted_page.path, 1, length(private_root.path)) = private_root.path)"
    )
