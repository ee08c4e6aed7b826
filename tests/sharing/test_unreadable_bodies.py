"""Bodies Django refuses to read are answered by the share endpoint in JSON, like any bad share.

Found by tests/hostile: a body over DATA_UPLOAD_MAX_MEMORY_SIZE, or a form not in UTF-8, raised
inside the view and came back as Django's HTML 400 page to a script expecting JSON.
"""

import json

import pytest
from django.conf import settings

from asih.sharing.views import SHARE_BAD_BODY

pytestmark = pytest.mark.django_db
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "application/json"),
        (b"page=1&network=whatsapp", "application/x-www-form-urlencoded; charset=latin-1"),
        (b"--b\r\nbroken", "multipart/form-data; boundary="),
    ],
)
def test_unreadable_bodies_get_the_json_error(client, body, content_type):
    response = client.post("/api/share/", body, content_type=content_type, **SAME_ORIGIN)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": str(SHARE_BAD_BODY)}
