"""Uploaded files for visitors: images of public collections only, with headers that disarm them.

Documents are never served from here: Wagtail's own view (/documents/<id>/<name>) checks their
collection's privacy on every download (WAGTAILDOCS_SERVE_METHOD = "serve_view"). Images are
served when their collection and its ancestors carry no view restriction; renditions follow
their image. Anything else under MEDIA_ROOT (the complete-guide PDFs, link-preview cards) has its
own view and is not a file anyone may fetch by name.
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve
from wagtail.images import get_image_model

# A file opened on its own (an SVG in a tab, say) runs nothing and loads nothing: scripts and
# plugins are off in a sandbox, and nothing may be fetched beyond its own inline styles.
MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
# Browsers may keep an image they were shown; a shared cache only briefly, so an image moved
# to a private collection leaves nginx or a CDN within minutes.
MEDIA_CACHE_CONTROL = "public, max-age=86400, s-maxage=300"

ORIGINALS = "original_images/"
RENDITIONS = "images/"


def protect_media_response(response):
    response["Content-Security-Policy"] = MEDIA_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_image_for(path: str):
    """The image a media path belongs to, when every visitor may see it (else None)."""
    Image = get_image_model()
    if path.startswith(ORIGINALS):
        image = Image.objects.filter(file=path).select_related("collection").first()
    elif path.startswith(RENDITIONS):
        rendition = (
            Image.get_rendition_model()
            .objects.filter(file=path)
            .select_related("image__collection")
            .first()
        )
        image = rendition.image if rendition else None
    else:
        return None
    if image is None or image.collection.get_view_restrictions().exists():
        return None
    return image


@require_safe
def serve_media(request, path):
    if public_image_for(path) is None:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = MEDIA_CACHE_CONTROL
    return protect_media_response(response)
