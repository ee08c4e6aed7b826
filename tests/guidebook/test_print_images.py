"""Editors' photos in the PDF: a JPEG or PNG print copy (WeasyPrint cannot embed AVIF)."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from pypdf import PdfReader
from wagtail.images import get_image_model

from asih.guidebook.services import guidebook_build
from asih.guidebook.templatetags.guidebook_tags import print_image_src

from ..core.test_images import set_step_image, upload_jpeg

pytestmark = pytest.mark.django_db


def upload_avif():
    picture = PillowImage.new("RGBA", (600, 400), (200, 120, 90, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "AVIF")
    return get_image_model().objects.create(
        title="AVIF drawing", file=ImageFile(buffer, name="drawing.avif")
    )


def test_print_copies_are_jpeg_or_png_and_svgs_stay_svg(oxytocin):
    assert print_image_src(upload_jpeg()).endswith(".jpg")
    assert print_image_src(upload_avif()).endswith(".png")
    svg = oxytocin["id"].steps()[0]["image"]
    assert print_image_src(svg) == svg.file.url


def test_pdf_embeds_uploaded_photos(after_birth, oxytocin):
    guide = oxytocin["id"]
    set_step_image(guide, 2, upload_jpeg())
    set_step_image(guide, 3, upload_avif())

    path = guidebook_build(stage=after_birth["id"], language="id")

    # Each page lists the document's shared images: count distinct ones.
    embedded = {image.name for page in PdfReader(path).pages for image in page.images}
    assert sum(name.endswith(".jpg") for name in embedded) == 1, embedded
    assert sum(name.endswith(".png") for name in embedded) >= 1, embedded
