"""Staff sign-in: lockout after repeated failures, optional two-step verification (TOTP)."""

import time

import pytest
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from asih.core.staff_auth import OTP_REQUIRED, OTP_WRONG

PASSWORD = "kata-sandi-yang-panjang-1"
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    # django-otp slows retries after a wrong code (1 s, 2 s, 4 s …); tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("bidan", "bidan@example.test", PASSWORD)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(client, password=PASSWORD, code="", address="10.1.1.1"):
    return client.post(
        LOGIN,
        {"username": "bidan", "password": password, "otp_token": code},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return client.get("/admin/", follow=False).status_code == 200


@pytest.mark.django_db
def test_password_alone_signs_in_without_two_step(client, staff):
    response = sign_in(client)
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_at_that_address(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password="salah").status_code == 200  # the form again
    assert sign_in(client, password="salah").status_code == 429  # the last allowed failure
    locked = sign_in(client)  # even the right password now
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert not signed_in(client)
    # Another address is not locked out by someone else's failures.
    assert sign_in(client, address="10.9.9.9").status_code == 302


@pytest.mark.django_db
def test_two_step_set_up_needs_a_right_code(client, staff):
    client.force_login(staff)
    page = client.get("/admin/two-step/")
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post("/admin/two-step/", {"code": "000000"})
    assert str(OTP_WRONG).encode() in wrong.content
    device.refresh_from_db()
    assert not device.confirmed
    right = client.post("/admin/two-step/", {"code": current_code(device)})
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_with_two_step_the_code_is_needed_to_sign_in(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    without = sign_in(client)
    assert str(OTP_REQUIRED).encode() in without.content and not signed_in(client)
    wrong = sign_in(client, code="123456" if current_code(device) != "123456" else "654321")
    assert str(OTP_WRONG).encode() in wrong.content and not signed_in(client)
    assert sign_in(client, code=current_code(device)).status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_turning_two_step_off_needs_a_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    assert client.get("/admin/two-step/").context["enabled"] is True
    client.post("/admin/two-step/", {"code": "000000"})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    # A code already used for signing in cannot be reused; wait for a fresh one if needed.
    client.post("/admin/two-step/", {"code": current_code(device)})
    assert not TOTPDevice.objects.filter(user=staff).exists()


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only_and_same_site(client, staff, settings):
    response = sign_in(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_behind_nginx_the_lockout_is_per_forwarded_address(client, staff, settings):
    settings.ASIH_TRUSTED_PROXY_COUNT = 1  # every request comes from nginx on 127.0.0.1

    def through_proxy(address, password="salah"):
        return client.post(
            LOGIN,
            {"username": "bidan", "password": password, "otp_token": ""},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("203.0.113.9")
    assert through_proxy("203.0.113.9", password=PASSWORD).status_code == 429
    # The attacker's failures do not lock the staff member out at her own address.
    assert through_proxy("198.51.100.4", password=PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_address_never_breaks_sign_in(client, staff, settings):
    from asih.core.protection import axes_client_ip

    settings.ASIH_TRUSTED_PROXY_COUNT = 1
    response = client.post(
        LOGIN,
        {"username": "bidan", "password": PASSWORD, "otp_token": ""},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 302  # recorded without an address (an inet column on PG)
    client.logout()
    client.force_login(staff)  # signals axes with a request that has no address at all
    request = RequestFactory().get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="2001:DB8::1")
    assert axes_client_ip(request) == "2001:db8::1"
    assert axes_client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
