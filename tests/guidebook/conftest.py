"""Fixtures of the complete-guide tests: a fresh PDF folder per test and the stages by key."""

import unicodedata

import pytest
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def guidebook_dir(settings, tmp_path):
    # Files outlive the rolled-back database: each test gets its own PDF folder.
    settings.ASIH_GUIDEBOOK_DIR = str(tmp_path / "guidebook")
    return tmp_path / "guidebook"


def _stage(stage):
    from asih.guides.models import StageIndexPage

    # The shipped content's page of that stage in each language.
    pages = StageIndexPage.objects.filter(stage=stage)
    return {page.locale.language_code: page for page in pages.select_related("locale")}


@pytest.fixture
def after_birth(db):
    return _stage("born")


@pytest.fixture
def pregnancy(db):
    return _stage("pregnant")


def flat(text: str) -> str:
    """Text with ligatures undone and all whitespace (line and page breaks) as single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(source) -> str:
    reader = PdfReader(source)
    return flat(" ".join(page.extract_text() or "" for page in reader.pages))
