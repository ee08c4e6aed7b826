"""{% share_bar %}: the guide's share links (its script shows the first-party share count)."""

from django import template

from asih.sharing.links import share_links

register = template.Library()


@register.inclusion_tag("sharing/includes/bar.html", takes_context=True)
def share_bar(context):
    page = context.get("page")
    if page is None or not page.pk:
        return {}
    # The site's root URL, not the request's host: the page stays the same bytes for everyone.
    url = page.get_full_url()
    return {
        "page": page,
        "share_url": url,
        "links": share_links(url=url, title=page.title, summary=getattr(page, "summary", "")),
    }
