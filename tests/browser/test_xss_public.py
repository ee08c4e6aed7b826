"""The XSS corpus through every public page that echoes what a visitor typed, in Chromium.

- the search page: every payload as the query, on its own (the empty state echoes it) and after
  a word that finds guides (the results state), in the title, both search boxes and the message;
- every public form sent back with its errors (comment, consultation, sign-up): the corpus in
  four bundles, typed into every text field (hidden ones and the honeypot too, as a bot would),
  must come back as the fields' values and nowhere as markup.
Comment names and bodies on the guide page are in test_comments.py.
"""

from urllib.parse import urlencode

import pytest

from tests.xss.chromium import injected, new_context, settle
from tests.xss.corpus import bundles, normalise, payloads

GUIDE = "/id/setelah-melahirkan/pijat-oksitosin/"
# A word that finds guides, so the payload is echoed above a list of results.
FINDS_GUIDES = "pijat"


def _query_echoes(page) -> dict:
    return page.evaluate(
        """() => ({
            title: document.title,
            boxes: [...document.querySelectorAll("input[name=q]")].map((input) => input.value),
            message: document.querySelector(".search-empty__lead")?.innerText || "",
            results: document.querySelectorAll(".search-result").length,
        })"""
    )


def test_search_query_stays_text_in_results_and_empty_state(browser, site_url, screenshot_dir):
    context, watch = new_context(browser, site_url=site_url)
    page = context.new_page()
    problems, states = [], {"empty": 0, "results": 0}
    for number, payload in enumerate(payloads()):
        for query in (payload, f"{FINDS_GUIDES} {payload}"):
            response = page.goto(f"{site_url}/id/cari/?{urlencode({'q': query})}")
            assert response.status == 200
            settle(page, 20)
            echoes = _query_echoes(page)
            states["results" if echoes["results"] else "empty"] += 1
            typed = normalise(query)
            # An <input> drops line breaks from its value: compare as a browser shows it.
            boxes = {normalise(box) for box in echoes["boxes"]}
            if boxes != {typed} and boxes != {normalise(query.replace("\n", ""))}:
                problems.append(("search box", query, echoes["boxes"]))
            if typed not in normalise(echoes["title"]):
                problems.append(("title", query, echoes["title"]))
            if not echoes["results"] and typed not in normalise(echoes["message"]):
                problems.append(("empty state", query, echoes["message"]))
            found = injected(page)
            if found:
                problems.append(("injected", query, found))
            if number == 0 and query == payload:
                page.screenshot(path=str(screenshot_dir / "xss-search-empty.png"))
    context.close()
    assert problems == []
    watch.assert_clean()
    # Both states were really exercised: "pijat …" always finds guides; most payloads alone
    # find none (a few hold a word such as "line" that a guide has).
    assert states["results"] >= len(payloads()) and states["empty"] >= len(payloads()) // 2


def _fill_every_field(page, form: str, text: str) -> list[str]:
    """Type `text` into every text-like field of the form (maxlength removed, as a bot posts);
    returns the names of the fields filled."""
    return page.eval_on_selector(
        form,
        """(form, [line, block]) => {
            const skip = ["checkbox", "radio", "date", "submit", "button", "file"];
            const names = [];
            for (const field of form.querySelectorAll("input, textarea")) {
                if (field.name === "csrfmiddlewaretoken" || skip.includes(field.type)) continue;
                field.removeAttribute("maxlength");
                field.value = field.tagName === "TEXTAREA" ? block : line;
                names.push(field.name);
            }
            return names;
        }""",
        [text.replace("\n", " "), text],
    )


FORMS = [
    # (page, the form, fields a person sees: their values must come back as typed)
    (GUIDE, ".comment-form form", ["name", "email", "body"]),
    ("/id/konsultasi/", "form.leads-form", ["name", "phone", "email", "question"]),
    ("/id/daftar/", "form.leads-form", ["name", "email", "whatsapp"]),
]


@pytest.mark.parametrize("path, form, visible", FORMS, ids=["comment", "consultation", "signup"])
def test_forms_sent_back_with_errors_keep_the_corpus_as_values(
    browser, site_url, path, form, visible
):
    context, watch = new_context(browser, site_url=site_url)
    page = context.new_page()
    problems = []
    for text in bundles(4, separator="\n"):
        page.goto(site_url + path)
        filled = _fill_every_field(page, form, text)
        assert set(visible) <= set(filled)
        # submit() skips the browser's own checks (type=email), as a crafted post would.
        with page.expect_navigation():
            page.eval_on_selector(form, "form => form.submit()")
        # 400: the errors; 429: the rate limit (other tests post too). Both re-render the form.
        assert page.evaluate("document.querySelector('.field__error, .form-errors')") is not None
        settle(page, 150)
        for name in visible:
            field = page.locator(f"{form} [name={name}]")
            value = field.input_value()
            if normalise(value) != normalise(text):
                problems.append((name, value[:80]))
        found = injected(page)
        if found:
            problems.append(("injected", found))
    context.close()
    assert problems == []
    watch.assert_clean()
