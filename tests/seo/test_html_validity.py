"""Every public page type, in both languages, is valid HTML to the W3C Nu checker (issue 20.1).

The checker is the npm `vnu-jar` (package.json) on Debian's Java runtime (`make test` installs
both). All pages go to one checker run: the JVM starts once. Its warnings count too: the two it
gave ("Empty heading", "Section lacks heading") were real defects of the session and guide pages.
"""

import json
import pathlib
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.browser.public_pages import PUBLIC_PAGES

VNU_JAR = pathlib.Path(settings.BASE_DIR, "node_modules/vnu-jar/build/dist/vnu.jar")

# Pages only a form's answer shows: the sign-up and consultation forms sent empty.
FORM_ERROR_PAGES = {
    "signup-errors": {"id": "/id/daftar/", "en": "/en/sign-up/"},
    "consultation-errors": {"id": "/id/konsultasi/", "en": "/en/consultation/"},
}


def nu_check(files: list[pathlib.Path]) -> list[dict]:
    java = shutil.which("java")
    assert java, "no Java runtime: `make test` installs Debian's default-jre-headless"
    assert VNU_JAR.exists(), "no vnu.jar: `make test` runs `npm ci` (package.json has vnu-jar)"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    return json.loads(result.stdout)["messages"]


@pytest.mark.django_db
def test_every_public_page_type_passes_the_nu_html_checker(client, tmp_path):
    files = []
    for name, paths in PUBLIC_PAGES.items():
        for language, path in paths.items():
            response = client.get(path)
            expected = 404 if name == "not-found" else 200
            assert response.status_code == expected, path
            files.append(tmp_path / f"{name}-{language}.html")
            files[-1].write_bytes(response.content)
    for name, paths in FORM_ERROR_PAGES.items():
        for language, path in paths.items():
            response = client.post(path, {}, HTTP_SEC_FETCH_SITE="same-origin")
            assert response.status_code in (200, 400), path
            assert b"error" in response.content.lower(), path
            files.append(tmp_path / f"{name}-{language}.html")
            files[-1].write_bytes(response.content)

    messages = nu_check(files)

    # Every file was read: a checker that could not open a file says so as a non-document error.
    assert not [m for m in messages if m.get("type") == "non-document-error"], messages
    problems = [
        f"{pathlib.Path(m['url']).name}:{m.get('lastLine')}: {m['type']} {m.get('subType', '')}: "
        f"{m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == [], "\n".join(problems)


def test_the_checker_finds_an_invalid_page(tmp_path):
    # The check above can fail: the defects it was written for are reported.
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="id"><head><title>x</title></head><body>'
        '<form method="post" action=""><input type="time" placeholder="09:00"></form>'
        "<section><p>x</p></section><h2></h2></body></html>"
    )
    messages = nu_check([page])
    texts = " ".join(m["message"] for m in messages)
    assert "action" in texts
    assert "placeholder" in texts
    assert "Empty heading" in texts
    assert "Section lacks heading" in texts
