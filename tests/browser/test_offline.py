"""After one visit, a guide and its session view work with no network (service worker)."""

import json
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

GUIDES = {
    "id": ("/id/setelah-melahirkan/pijat-oksitosin/", "sesi/"),
    "en": ("/en/after-birth/oxytocin-massage/", "session/"),
}
UNVISITED = "/id/sebelum-hamil/persiapan-kehamilan/"
PHONE = {"width": 360, "height": 800}


@pytest.fixture(scope="module")
def site_shell(site_url, site_env):
    """Run Python with manage.py shell against the database the test server is using."""
    env = site_env

    def run(code: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c", code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


def publish_title(site_shell, slug, language, title):
    """Publish a new revision of a guide with another title; returns the title it had."""
    code = f"""
from asih.guides.models import GuidePage
page = GuidePage.objects.get(slug={slug!r}, locale__language_code={language!r})
old = page.title
page.title = {title!r}
page.save_revision().publish()
print(old)
"""
    return site_shell(code).strip()


def wait_for(page, expression, arg=None, timeout=20):
    """Poll an async page expression until it is truthy (caches and workers answer later)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.2)


# Ask the worker to keep URLs, as app.js does, and wait for its answer: the URLs it kept.
ASK_TO_KEEP = """async (urls) => {
  const registration = await navigator.serviceWorker.ready;
  const answer = new Promise((resolve, reject) => {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "cached") resolve(event.data.urls);
    });
    setTimeout(() => reject(new Error("the service worker did not answer")), 20000);
  });
  navigator.serviceWorker.startMessages();
  registration.active.postMessage({ type: "cache-urls", urls });
  return answer;
}"""
CACHE_NAMES = "async () => (await caches.keys()).filter((n) => n.startsWith('asih-offline-'))"
IS_KEPT = "async (url) => Boolean(await caches.match(url))"


def visit_until_kept(page, url, *also_kept):
    """Open a page online and wait until the worker controls it and has kept what it should."""
    response = page.goto(url)
    assert response.status == 200
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    wait_for(page, "() => navigator.serviceWorker.controller !== null")
    for kept in (url, *also_kept):
        wait_for(page, IS_KEPT, kept)


def test_manifest_and_worker_are_in_place(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + GUIDES["id"][0])
    manifest = page.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
    )
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/id/"
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == site_url + "/"
    context.close()


@pytest.mark.parametrize("code", ["id", "en"])
def test_guide_and_session_reload_offline(browser, site_url, screenshot_dir, code):
    guide_path, session_slug = GUIDES[code]
    guide, session = site_url + guide_path, site_url + guide_path + session_slug
    context = browser.new_context(viewport=PHONE, locale=code)
    page = context.new_page()
    visit_until_kept(page, guide, session)
    title = page.locator("h1").inner_text()
    images = page.evaluate("[...document.images].map((image) => image.src)")
    assert len(images) >= 9  # the hero and eight step illustrations
    for image in images:
        wait_for(page, IS_KEPT, image)
    assert context.cookies() == []

    context.set_offline(True)
    response = page.reload()
    assert response.status == 200 and response.from_service_worker
    assert page.locator("h1").inner_text() == title
    assert page.locator("ol.steps > li.step").count() == 8
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    wait_for(page, "() => [...document.images].every((image) => image.complete)")
    broken = page.evaluate(
        "[...document.images].filter((i) => i.naturalWidth === 0).map((i) => i.src)"
    )
    assert broken == []
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / f"offline-guide-{code}-phone.png"), full_page=True)

    response = page.goto(session)
    assert response.status == 200 and response.from_service_worker
    assert title in page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / f"offline-session-{code}-phone.png"))
    context.close()


def test_unvisited_page_offline_shows_the_offline_page(browser, site_url, screenshot_dir):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    guide = site_url + GUIDES["id"][0]
    visit_until_kept(page, guide)
    context.set_offline(True)
    response = page.goto(site_url + UNVISITED)
    assert response.from_service_worker
    assert page.locator("h1").inner_text() == "Anda sedang offline"
    assert "You are offline" in page.locator("main").inner_text()
    # The kept guide is listed, one tap away.
    saved = page.locator(f".glance a[href='{GUIDES['id'][0]}']")
    saved.wait_for()
    page.screenshot(path=str(screenshot_dir / "offline-page-phone.png"), full_page=True)
    saved.click()
    page.wait_for_url(guide)
    assert page.locator("ol.steps > li.step").count() == 8
    context.close()


def test_admin_is_never_kept(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    visit_until_kept(page, site_url + GUIDES["id"][0])
    login = site_url + "/admin/login/"
    assert page.goto(login).status == 200  # the admin login form, with its token and cookie
    assert "csrfmiddlewaretoken" in page.content()
    # Asked explicitly, the worker still refuses it.
    assert page.evaluate(ASK_TO_KEEP, [login, "/admin/"]) == []
    assert page.evaluate(IS_KEPT, login) is False
    assert page.evaluate(IS_KEPT, site_url + "/admin/") is False
    context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(login)
    context.close()


def test_a_password_form_is_never_kept(browser, site_url, site_shell):
    """A password-protected guide answers with Wagtail's password form: a form token, a cookie
    and Cache-Control: no-store, private."""
    slug, path = "persiapan-kehamilan", UNVISITED
    restrict = f"""
from wagtail.models import PageViewRestriction
from asih.guides.models import GuidePage
page = GuidePage.objects.get(slug={slug!r}, locale__language_code="id")
PageViewRestriction.objects.create(page=page, restriction_type="password", password="rahasia")
"""
    site_shell(restrict)
    try:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        visit_until_kept(page, site_url + GUIDES["id"][0])
        response = page.goto(site_url + path)
        assert response.status == 200 and response.from_service_worker
        assert "csrfmiddlewaretoken" in page.content()
        assert "no-store" in response.headers["cache-control"]
        # The answer may list the page's images (its own script asks for them too); never the page.
        kept = page.evaluate(ASK_TO_KEEP, [path])
        assert not [url for url in kept if url.rstrip("/").endswith(path.rstrip("/"))]
        assert page.evaluate(IS_KEPT, site_url + path) is False
        # The guide itself, without a form, was kept.
        assert page.evaluate(IS_KEPT, site_url + GUIDES["id"][0]) is True
        context.close()
    finally:
        site_shell(
            restrict.split("PageViewRestriction.objects.create")[0]
            + "PageViewRestriction.objects.filter(page=page).delete()"
        )


def test_a_page_carrying_a_form_token_is_never_kept(browser, site_url, site_shell):
    """Even with ordinary caching headers, a body naming the form token is not kept."""
    slug, path = "persiapan-kehamilan", UNVISITED
    field = "summary"
    read = f"""
from asih.guides.models import GuidePage
page = GuidePage.objects.get(slug={slug!r}, locale__language_code="id")
"""
    original = site_shell(read + f"print(page.{field})").strip()
    token = '<input type="hidden" name="csrfmiddlewaretoken" value="test">'
    write = read + "page.{field} = {value!r}; page.save_revision().publish()"
    site_shell(write.format(field=field, value=f"{original} {token}"))
    try:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        visit_until_kept(page, site_url + GUIDES["id"][0])
        response = page.goto(site_url + path)
        assert response.status == 200 and response.from_service_worker
        assert "no-store" not in response.headers.get("cache-control", "")
        assert "csrfmiddlewaretoken" in page.content()
        # The answer may list the page's images (its own script asks for them too); never the page.
        kept = page.evaluate(ASK_TO_KEEP, [path])
        assert not [url for url in kept if url.rstrip("/").endswith(path.rstrip("/"))]
        assert page.evaluate(IS_KEPT, site_url + path) is False
        context.close()
    finally:
        site_shell(write.format(field=field, value=original))


def test_new_content_version_replaces_the_kept_copy(browser, site_url, site_shell):
    guide_path, session_slug = GUIDES["id"]
    guide, session = site_url + guide_path, site_url + guide_path + session_slug
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    visit_until_kept(page, guide, session)
    [old_cache] = wait_for(page, CACHE_NAMES)
    new_title = "Pijat Oksitosin — versi baru"
    old_title = publish_title(site_shell, "pijat-oksitosin", "id", new_title)
    try:
        page.reload()  # online: the new page, and the browser finds a new worker
        assert page.locator("h1").inner_text() == new_title
        caches = wait_for(
            page,
            f"async () => {{ const n = await ({CACHE_NAMES})(); "
            f"return n.length === 1 && n[0] !== {json.dumps(old_cache)} && n; }}",
        )
        assert caches != [old_cache]
        wait_for(page, IS_KEPT, session)

        context.set_offline(True)
        page.reload()
        assert page.locator("h1").inner_text() == new_title
        # The session view was not opened again, yet its kept copy is the new version too.
        page.goto(session)
        assert new_title in page.locator("main").inner_text()
        context.close()
    finally:
        publish_title(site_shell, "pijat-oksitosin", "id", old_title)
