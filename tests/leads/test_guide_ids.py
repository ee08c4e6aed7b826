"""?panduan= beyond 32 bits means "no guide", not a database error.

Found by tests/hostile: GuidePage's pk is its one-to-one link to Page, which Django does not
range-check, so `panduan=10000000000000000000` reached SQLite (OverflowError) or PostgreSQL
(out of range) and the consultation page answered 500.
"""

import pytest

from asih.leads.models import ConsultationRequest
from asih.leads.selectors import guide_by_id
from tests.guides.factories import GuidePageFactory

pytestmark = pytest.mark.django_db
HUGE = "1" + "0" * 19


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, str(2**31), "0"])
def test_out_of_range_ids_are_no_guide(value):
    assert guide_by_id(value) is None


def test_the_consultation_form_opens_and_is_sent_with_a_huge_guide_id(client):
    guide = GuidePageFactory()
    assert client.get("/id/konsultasi/", {"panduan": HUGE}).status_code == 200
    response = client.post(
        "/id/konsultasi/",
        {
            "name": "Ibu Rina",
            "phone": "0812 3456 7890",
            "preferred_time": "any",
            "question": "Boleh pijat oksitosin setelah operasi?",
            "consent": "on",
            "panduan": HUGE,
        },
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 303
    assert ConsultationRequest.objects.get().guide is None
    assert guide_by_id(str(guide.pk)) == guide
