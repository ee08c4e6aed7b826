"""Issue 15, findings 4 and 5: uploads of private collections stay private; SVGs cannot act."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection, CollectionViewRestriction

from asih.core import images

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PLAIN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="40" height="20"><defs><linearGradient id="g"/></defs>'
    b'<rect width="40" height="20" fill="url(#g)"/><use xlink:href="#g"/>'
    b"<style>rect { stroke: #333 }</style></svg>"
)
ACTIVE_SVGS = [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect OnClick="alert(1)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    b'<a x:href="java\nscript:alert(1)"><text>tap</text></a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.example/f#a)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(//x.example/a.css);</style></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
    b'to="javascript:alert(1)"/></a></svg>',
    b'<?xml-stylesheet href="https://x.example/a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><iframe src="https://x.example"/></svg>',
]


def _png(size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (200, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def _upload_form(name, data, superuser):
    Form = get_image_form(get_image_model())
    return Form(
        data={"title": "Ilustrasi", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, data, content_type="image/svg+xml")},
        user=superuser,
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("uploader", "u@example.com", "pw-long-1")


@pytest.mark.parametrize("payload", ACTIVE_SVGS)
def test_an_svg_that_could_act_is_refused_with_a_reason(superuser, payload):
    form = _upload_form("drawing.svg", payload, superuser)
    assert not form.is_valid()
    message = " ".join(form.errors["file"])
    assert str(images.SVG_ACTIVE_CONTENT) in message
    assert not get_image_model().objects.filter(title="Ilustrasi").exists()


def test_a_plain_svg_drawing_is_accepted(superuser):
    form = _upload_form("drawing.svg", PLAIN_SVG, superuser)
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.file.read() == PLAIN_SVG


def test_entity_tricks_are_refused_not_expanded():
    bomb = (
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    )
    with pytest.raises(ValueError):
        images.svg_active_content(bomb)


def test_the_upload_message_is_in_the_editors_language(superuser):
    from django.utils import translation

    with translation.override("id"):
        form = _upload_form("drawing.svg", ACTIVE_SVGS[0], superuser)
        assert not form.is_valid()
        message = " ".join(form.errors["file"])
    assert "konten aktif" in message


# -- Finding 4: private collections' files ----------------------------------------------------


@pytest.fixture
def private_collection():
    collection = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def _image(collection=None, name="photo.png"):
    kwargs = {"collection": collection} if collection else {}
    return get_image_model().objects.create(
        title="Photo", file=ContentFile(_png(), name=name), **kwargs
    )


def _document(collection=None, name="internal-notes.txt"):
    kwargs = {"collection": collection} if collection else {}
    return get_document_model().objects.create(
        title="Notes", file=ContentFile(b"private notes", name=name), **kwargs
    )


def test_a_private_document_is_not_downloadable_by_its_file_name(client, private_collection):
    document = _document(private_collection)
    assert client.get(document.file.url).status_code == 404
    answer = client.get(document.url)  # Wagtail's checking view
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_even_a_public_document_is_served_only_through_wagtails_view(client):
    document = _document()
    assert client.get(document.file.url).status_code == 404
    answer = client.get(document.url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"private notes"


def test_a_private_collections_image_and_its_renditions_are_not_served(client, private_collection):
    image = _image(private_collection)
    rendition = image.get_rendition("width-40")
    assert client.get(image.file.url).status_code == 404
    assert client.get(rendition.url).status_code == 404


def test_a_public_image_is_served_with_a_sandbox_and_nosniff(client):
    image = _image()
    rendition = image.get_rendition("width-40")
    for url in (image.file.url, rendition.url):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "sandbox" in answer["Content-Security-Policy"]
        assert "default-src 'none'" in answer["Content-Security-Policy"]
        assert answer["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/guidebook/anything.pdf").status_code == 404


def test_the_nginx_recipe_never_serves_uploads_from_the_folder():
    locations = (ROOT / "deploy/nginx/asih-locations.conf").read_text()
    media = locations.split("location /media/", 1)[1].split("}", 1)[0]
    assert "alias" not in media and "root " not in media
    assert "proxy_pass http://asih;" in media
    assert "sandbox" in media and "nosniff" in media
    assert "always" in media  # on errors too


def test_the_nginx_recipe_finds_a_session_cookie_written_with_spaces():
    import re

    http = (ROOT / "deploy/nginx/asih-http.conf").read_text()
    proxy = (ROOT / "deploy/nginx/asih-proxy.conf").read_text()
    assert "$cookie_sessionid" not in proxy
    assert "proxy_no_cache $asih_session" in proxy
    pattern = re.search(r'map \$http_cookie \$asih_session \{[^}]*"~([^"]+)" 1;', http)
    assert pattern, "the map that finds the session cookie"
    finds = re.compile(pattern[1]).search
    assert finds("sessionid =abc") and finds("a=b; sessionid=abc") and finds("a=1;sessionid\t=x")
    assert not finds("not_sessionid=1") and not finds("asih_language=id")
