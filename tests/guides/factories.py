"""Stage and guide pages for tests, built as an editor would in the admin (not by the loader)."""

import factory
import wagtail_factories
from wagtail.rich_text import RichText

from asih.guides.blocks import GuideBodyBlock, SectionBlock, StepBlock, StepsBlock
from asih.guides.models import GuidePage, HomePage, StageIndexPage


def home_page(language: str = "id") -> HomePage:
    """The home page of a language: where the admin puts a new stage page."""
    return HomePage.objects.get(locale__language_code=language)


class SectionBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Mengapa ini membantu"
    body = factory.LazyFunction(
        lambda: RichText("<p>Duduk dengan nyaman dan tarik napas perlahan.</p>")
    )

    class Meta:
        model = SectionBlock


class StepBlockFactory(wagtail_factories.StructBlockFactory):
    title = factory.Sequence(lambda n: f"Langkah {n + 1}")
    instruction = "Gerakkan kedua ibu jari melingkar pelan di kiri dan kanan tulang belakang."
    duration = 60
    image = None
    image_alt = ""

    class Meta:
        model = StepBlock


class StepsBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Langkah-langkah"
    intro = ""
    steps = wagtail_factories.ListBlockFactory(StepBlockFactory)
    aftercare = ""
    # The session texts' own empty value (a StructValue), as the admin saves an untouched one.
    session = factory.LazyFunction(lambda: StepsBlock().child_blocks["session"].get_default())

    class Meta:
        model = StepsBlock


class GuideBodyBlockFactory(wagtail_factories.StreamBlockFactory):
    section = factory.SubFactory(SectionBlockFactory)
    steps = factory.SubFactory(StepsBlockFactory)

    class Meta:
        model = GuideBodyBlock


class StageIndexPageFactory(wagtail_factories.PageFactory):
    """A stage page under the Indonesian home page unless given a parent; no stage unless given
    one (the shipped content already has a page of each stage in each language)."""

    title = factory.Sequence(lambda n: f"Tahap uji {n}")
    slug = factory.Sequence(lambda n: f"tahap-uji-{n}")
    stage = ""
    intro = "Panduan untuk tahap ini."
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = StageIndexPage


class GuidePageFactory(wagtail_factories.PageFactory):
    """A live guide with one section and two timed steps, under a new stage page unless given a
    parent."""

    title = factory.Sequence(lambda n: f"Panduan uji {n}")
    slug = factory.Sequence(lambda n: f"panduan-uji-{n}")
    summary = "Ringkasan panduan uji."
    body = wagtail_factories.StreamFieldFactory(GuideBodyBlockFactory)
    body__0 = "section"
    body__1__steps__steps__0__title = "Siapkan posisi"
    body__1__steps__steps__1__title = "Pijat punggung"
    parent = factory.SubFactory(StageIndexPageFactory)

    class Meta:
        model = GuidePage
