"""Share links: each network's URL carries the title and the canonical URL, correctly encoded."""

from urllib.parse import parse_qs, urlsplit

from asih.sharing.links import share_links

URL = "https://klinik.example/id/setelah-melahirkan/pijat-oksitosin/"
TITLE = 'Ibu & Bayi: "Pijat" #1 + 50% 🙂'


def _query(href: str) -> dict[str, str]:
    parts = urlsplit(href)
    assert parts.fragment == ""  # a raw "#" in the title would cut the link here
    return {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}


def test_order_puts_whatsapp_first():
    assert list(share_links(url=URL, title=TITLE)) == [
        "whatsapp",
        "facebook",
        "x",
        "telegram",
        "email",
    ]


def test_whatsapp_carries_title_and_url_in_one_text():
    href = share_links(url=URL, title=TITLE)["whatsapp"]
    assert href.startswith("https://wa.me/?text=")
    assert _query(href) == {"text": f"{TITLE} {URL}"}


def test_facebook_carries_the_url():
    href = share_links(url=URL, title=TITLE)["facebook"]
    assert href.startswith("https://www.facebook.com/sharer/sharer.php?")
    assert _query(href) == {"u": URL}


def test_x_and_telegram_carry_title_and_url():
    links = share_links(url=URL, title=TITLE)
    assert links["x"].startswith("https://x.com/intent/post?")
    assert _query(links["x"]) == {"text": TITLE, "url": URL}
    assert links["telegram"].startswith("https://t.me/share/url?")
    assert _query(links["telegram"]) == {"url": URL, "text": TITLE}


def test_email_has_subject_and_body_with_summary_then_url():
    href = share_links(url=URL, title=TITLE, summary="Pijatan lembut & tenang.")["email"]
    assert href.startswith("mailto:?")
    assert _query(href) == {"subject": TITLE, "body": f"Pijatan lembut & tenang.\n\n{URL}"}


def test_spaces_are_percent_encoded_never_plus():
    # Mail apps and WhatsApp show "+" literally; a real plus in the title must stay a plus.
    for href in share_links(url=URL, title=TITLE, summary="a b").values():
        query = urlsplit(href).query
        assert " " not in query and "+" not in query
        assert '"' not in href
        # The "&" of the title is encoded: the only raw "&"s separate the parameters.
        assert query.count("&") == len(parse_qs(query)) - 1
