"""Staff sign-in: lockout after repeated failures, two-step verification (TOTP) held on every
admin request and required for accounts that can read readers' personal details."""

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


def verified_with(client, device):
    """What a right code at sign-in leaves in the session (django_otp.login)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in(client) -> bool:
    return client.get("/admin/", follow=False).status_code == 200


@pytest.fixture
def editor(django_user_model):
    """A staff member who edits guides and sees no reader's details (two-step optional)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Guide writers (test)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("bidan", "bidan@example.test", PASSWORD)
    user.groups.add(group)
    return user


@pytest.mark.django_db
def test_password_alone_signs_in_without_two_step(client, editor, settings):
    settings.ASIH_TWO_STEP_REQUIRED = True
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
    verified_with(client, device)
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


# --- The second step on every path into the admin (issue 15, finding 1) -------------------


def sign_in_on_public_page(client, password=PASSWORD):
    """Wagtail's own sign-in page for private pages: username and password, no code field."""
    return client.post(
        "/id/_util/login/", {"username": "bidan", "password": password}, REMOTE_ADDR="10.1.1.2"
    )


@pytest.mark.django_db
def test_public_sign_in_page_does_not_open_the_admin_without_the_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    assert sign_in_on_public_page(client).status_code == 302
    assert client.session.get("_auth_user_id") == str(staff.pk)  # signed in with the password
    for path in ("/admin/", "/admin/leads/consultations/", "/admin/pages/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/two-step/verify/?next="), path
    # Nothing of the admin on the code page itself, and a wrong code does not open it.
    page = client.get("/admin/two-step/verify/?next=/admin/leads/consultations/")
    assert page.status_code == 200 and b"consultations" not in page.content.lower()
    wrong = "123456" if current_code(device) != "123456" else "654321"
    assert client.post(page.request["PATH_INFO"], {"code": wrong}).status_code == 200
    assert not signed_in(client)
    right = client.post(
        "/admin/two-step/verify/?next=/admin/leads/consultations/", {"code": current_code(device)}
    )
    assert right.status_code == 302 and right["Location"] == "/admin/leads/consultations/"
    assert signed_in(client)


@pytest.mark.django_db
def test_code_page_never_sends_anyone_to_another_site(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    sign_in_on_public_page(client)
    response = client.post(
        "/admin/two-step/verify/?next=https://evil.example/", {"code": current_code(device)}
    )
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_unverified_session_cannot_turn_two_step_off_or_set_up_another_device(client, staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    sign_in_on_public_page(client)
    response = client.get("/admin/two-step/")
    assert response["Location"].startswith("/admin/two-step/verify/")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_superuser_without_a_device_must_set_one_up_first(client, staff, settings):
    settings.ASIH_TWO_STEP_REQUIRED = True
    assert sign_in(client).status_code == 302  # the password is right: set-up comes next
    for path in ("/admin/", "/admin/leads/signups/", "/admin/comments/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/two-step/?next="), path
    page = client.get("/admin/two-step/?next=/admin/leads/signups/")
    assert page.status_code == 200 and page.context["required"] is True
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    done = client.post(
        "/admin/two-step/?next=/admin/leads/signups/", {"code": current_code(device)}
    )
    assert done["Location"] == "/admin/leads/signups/"
    assert signed_in(client)  # the set-up code verified this session
    # Required means it cannot be turned off again.
    client.post("/admin/two-step/", {"code": current_code(device)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "perm",
    [
        "leads.view_consultationrequest",
        "leads.view_signup",
        "comments.change_comment",
        "leads.export_signups",
    ],
)
def test_permission_on_readers_data_makes_two_step_required(client, editor, settings, perm):
    from django.contrib.auth.models import Permission

    settings.ASIH_TWO_STEP_REQUIRED = True
    sign_in(client)
    assert signed_in(client)  # guides only: optional
    # The rule follows what the account may do, whatever its group is called.
    app_label, codename = perm.split(".")
    editor.groups.first().permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/two-step/?next=")


@pytest.mark.django_db
def test_an_administrator_can_reset_a_lost_authenticator(staff):
    from django.core.management import call_command

    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    call_command("reset_two_step", "bidan")
    assert not TOTPDevice.objects.filter(user=staff).exists()


# --- Lockout per account and per address, notice, password reset (issue 15, finding 6) -----


def fail_as(client, username, address):
    return client.post(
        LOGIN, {"username": username, "password": "salah", "otp_token": ""}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_one_account_tried_from_many_addresses_is_locked(client, staff, settings):
    per_account = settings.ASIH_SIGNIN_FAILURE_LIMITS[1]
    for number in range(per_account):  # one or two tries from each address: never 5 at one
        response = fail_as(client, "bidan", f"198.51.100.{number // 2 + 1}")
    assert response.status_code == 429
    # The right password from yet another address is refused while the account is locked.
    assert sign_in(client, address="192.0.2.200").status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked(client, staff, settings):
    per_address = settings.ASIH_SIGNIN_FAILURE_LIMITS[2]
    for number in range(per_address):
        response = fail_as(client, f"tebakan{number}", "203.0.113.50")
    assert response.status_code == 429
    assert sign_in(client, address="203.0.113.50").status_code == 429
    # Someone else's address is not affected.
    assert sign_in(client, address="203.0.113.51").status_code == 302


@pytest.mark.django_db
def test_signing_in_to_ones_own_account_does_not_clear_guesses_at_others(
    client, staff, settings, django_user_model
):
    django_user_model.objects.create_user("orang-dalam", "od@example.test", PASSWORD)
    per_address = settings.ASIH_SIGNIN_FAILURE_LIMITS[2]
    for number in range(per_address - 1):
        fail_as(client, f"tebakan{number}", "203.0.113.60")
        if number % 4 == 3:
            ok = client.post(
                LOGIN,
                {"username": "orang-dalam", "password": PASSWORD, "otp_token": ""},
                REMOTE_ADDR="203.0.113.60",
            )
            assert ok.status_code == 302
            client.logout()
    assert fail_as(client, "tebakan-akhir", "203.0.113.60").status_code == 429


@pytest.mark.django_db
def test_the_owner_is_emailed_once_when_the_account_is_locked(client, staff, settings, mailoutbox):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        fail_as(client, "bidan", "198.51.100.70")
    fail_as(client, "tidak-ada", "198.51.100.70")  # an unknown name: nobody to tell
    assert [message.to for message in mailoutbox] == [["bidan@example.test"]]
    assert "bidan" in mailoutbox[0].body and "198.51.100.70" not in mailoutbox[0].body


@pytest.mark.django_db
def test_admin_password_reset_emails_are_rate_limited(client, staff, mailoutbox):
    statuses = [
        client.post(
            "/admin/password_reset/", {"email": "bidan@example.test"}, REMOTE_ADDR="198.51.100.80"
        ).status_code
        for _ in range(12)
    ]
    assert len(mailoutbox) == 3  # the mailbox's limit (12 emails in a second before)
    assert statuses[:3] == [302, 302, 302] and set(statuses[5:]) == {429}
    # Spread over addresses, the mailbox's own limit still holds.
    client.post("/admin/password_reset/", {"email": "bidan@example.test"}, REMOTE_ADDR="192.0.2.9")
    assert len(mailoutbox) == 3
    # One address asking for many mailboxes stops too (no email sent to unknown mailboxes).
    other = [
        client.post(
            "/admin/password_reset/", {"email": f"x{n}@example.test"}, REMOTE_ADDR="192.0.2.10"
        ).status_code
        for n in range(7)
    ]
    assert other[:5] == [302] * 5 and other[5:] == [429, 429]
