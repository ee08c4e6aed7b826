"""hreflang alternates: one link per translation in the site's language order, then x-default."""

from django.conf import settings


def hreflang_links(urls: dict[str, str]) -> list[dict]:
    """{language code: absolute URL} → [{lang_code, location}, …]; empty with no translation.

    x-default points at the default language (Indonesian), the version for everyone else.
    """
    order = [code for code, _name in settings.LANGUAGES]
    urls = {code: url for code, url in urls.items() if code in order and url}
    if len(urls) < 2:
        return []  # a page with no translation has no alternate to announce
    links = [{"lang_code": code, "location": urls[code]} for code in order if code in urls]
    if settings.LANGUAGE_CODE in urls:
        links.append({"lang_code": "x-default", "location": urls[settings.LANGUAGE_CODE]})
    return links
