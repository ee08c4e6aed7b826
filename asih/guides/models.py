"""Page types of the guide tree (home → stage → guide) and the categories that cut across it."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from asih.core.localized_urls import subpage, subpage_url
from asih.core.visibility import public_pages

from .blocks import GuideBodyBlock, WarningSignGroupBlock
from .keys import translation_key
from .plan import plan_ics_view, plan_view
from .routing import route_remembered
from .session import my_sessions_view, session_view
from .stages import LifeStage, StageIndexPageForm

REVIEW_NEEDS_DATES = _("A reviewed guide needs both the review date and the next-review date.")
REVIEW_DATES_NEED_REVIEWER = _("Review dates only make sense with the clinician who reviewed it.")
REVIEW_IN_FUTURE = _("The review date cannot be in the future.")
REVIEW_NEXT_NOT_AFTER = _("The next review must come after the last review.")


class GuideCategory(TranslatableMixin, models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SubpageMixin(RoutablePageMixin):
    """Routed sub-pages (session, plan, my sessions) whose slug is the page's language's."""

    def subpage_url(self, name: str, request=None, *, absolute: bool = False) -> str:
        return subpage_url(self, name, request, absolute=absolute)


MAX_FEATURED_GUIDES = 4


class HomePage(SubpageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    banner_title = models.CharField(_("banner title"), max_length=120, blank=True)
    banner_text = models.CharField(_("banner text"), max_length=240, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "featured_guides",
            heading=_("Featured guides"),
            label=_("Featured guide"),
            max_num=MAX_FEATURED_GUIDES,
            help_text=_("Shown first on the home page, in this order."),
        ),
        MultiFieldPanel(
            [FieldPanel("banner_title"), FieldPanel("banner_text")],
            heading=_("Complete-guide banner"),
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["guides.StageIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        return route_remembered(self, request, path_components, super().route)

    @subpage("my-sessions/")
    def my_sessions(self, request):
        """The sessions this browser has kept (read from localStorage by the page's script)."""
        return my_sessions_view(request, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stages"] = (
            public_pages(StageIndexPage.objects.child_of(self))
            .select_related("image")
            .order_by("path")
        )
        context["featured"] = self.featured()
        return context

    def featured(self) -> list["GuidePage"]:
        """The live guides editors chose for the home page, in their order, in this language."""
        guides = []
        for choice in self.featured_guides.select_related("guide", "guide__hero_image"):
            guide = choice.guide
            if guide.locale_id != self.locale_id:
                # A home copied from another language still points at that language's guides.
                guide = guide.get_translation_or_none(self.locale)
            if guide is not None and guide.live and guide not in guides:
                guides.append(guide)
        return guides


class HomeFeaturedGuide(Orderable):
    """A guide the home page shows first (the oxytocin guide and the danger signs by default)."""

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_guides")
    guide = models.ForeignKey(
        "guides.GuidePage", verbose_name=_("guide"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("guide", "guides.GuidePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured guide")


class StageIndexPage(Page):
    """One of the three stages: before pregnancy, pregnancy, after birth."""

    # What the stage is, so the sign-up and the guides' calls to action find its page by meaning
    # (not by the content files' keys). Empty: a page the sign-up does not offer.
    stage = models.CharField(
        _("stage"),
        max_length=10,
        choices=LifeStage.choices,
        blank=True,
        help_text=_("The sign-up offers this page's guides to readers at this stage."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("illustration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("stage"),
        FieldPanel("intro"),
        FieldPanel("image"),
    ]
    base_form_class = StageIndexPageForm
    parent_page_types = ["guides.HomePage"]
    subpage_types = ["guides.GuidePage"]

    class Meta:
        verbose_name = _("stage")

    GUIDES_PER_PAGE = 24

    def guides(self):
        # Only what every visitor may see: this list is public, and so is the PDF built from it.
        return (
            public_pages(GuidePage.objects.child_of(self))
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")
            .order_by("path")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ancestors"] = list(self.get_ancestors().filter(depth__gt=1))
        # A stage may hold thousands of guides: a page of them per request, never all.
        paginator = Paginator(self.guides(), self.GUIDES_PER_PAGE)
        guides = paginator.get_page(request.GET.get("page"))
        context["guides"] = guides
        context["paginator"] = paginator
        return context


class GuidePage(SubpageMixin, Page):
    summary = models.TextField(_("summary"), max_length=300)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt = models.CharField(
        _("hero image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    categories = ParentalManyToManyField(
        "guides.GuideCategory", blank=True, verbose_name=_("categories")
    )
    author = models.ForeignKey(
        "core.Person",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_date = models.DateField(_("first published"), null=True, blank=True)
    reviewer = models.ForeignKey(
        "core.Clinician",
        verbose_name=_("medical reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only a clinician who really reviewed this guide."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    body = StreamField(GuideBodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Hero")),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("published_date"), FieldPanel("categories")],
            heading=_("Authorship"),
        ),
        # Read-only: a clinician's approval in the medical review writes these (asih/staff).
        MultiFieldPanel(
            [
                FieldPanel("reviewer", read_only=True),
                FieldPanel("last_reviewed", read_only=True),
                FieldPanel("next_review_due", read_only=True),
            ],
            heading=_("Medical review"),
            help_text=_("Recorded when a clinician approves the guide in the medical review."),
        ),
        InlinePanel("related_choices", heading=_("Related guides"), label=_("Related guide")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["guides.StageIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide")

    def clean(self):
        super().clean()
        errors = {}
        has_dates = self.last_reviewed or self.next_review_due
        if self.reviewer_id and not (self.last_reviewed and self.next_review_due):
            errors["last_reviewed"] = REVIEW_NEEDS_DATES
        elif has_dates and not self.reviewer_id:
            errors["reviewer"] = REVIEW_DATES_NEED_REVIEWER
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = REVIEW_IN_FUTURE
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed
        ):
            errors["next_review_due"] = REVIEW_NEXT_NOT_AFTER
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each ancestor carries its stage page's stage (None on the home page) from the same
        # query, for the sign-up link (asih.leads.selectors.stage_for_page).
        ancestors = SimpleLazyObject(
            lambda: list(
                self.get_ancestors()
                .filter(depth__gt=1)
                .annotate(stage=models.F("stageindexpage__stage"))
            )
        )
        # Lazy: the article, header and head are usually served from their cached fragments
        # (asih.pagecache.fragments), and then neither the ancestors and categories queries
        # nor the body's steps are needed.
        context.update(
            ancestors=ancestors,
            stage=SimpleLazyObject(lambda: ancestors[-1] if ancestors else None),
            categories=SimpleLazyObject(lambda: list(self.categories.all())),
            steps=SimpleLazyObject(self.steps),
            total_time=SimpleLazyObject(self.total_time),
            schedule=SimpleLazyObject(self.schedule),
        )
        return context

    # -- sub-pages: guided session and plan ---------------------------------------------
    @property
    def session_url(self) -> str:
        return self.subpage_url("session")

    @property
    def session_full_url(self) -> str:
        return self.subpage_url("session", absolute=True)

    @property
    def plan_url(self) -> str:
        return self.subpage_url("plan")

    @property
    def plan_ics_url(self) -> str:
        return self.subpage_url("plan_ics")

    @subpage("session/")
    def session(self, request):
        if not self.steps():
            return redirect(self.get_url(request))
        return session_view(request, self)

    @subpage("plan/")
    def plan(self, request):
        if self.schedule() is None:
            return redirect(self.get_url(request))
        return plan_view(request, self)

    @subpage("plan/calendar/")
    def plan_ics(self, request):
        if self.schedule() is None:
            return redirect(self.get_url(request))
        return plan_ics_view(request, self)

    # -- pages the sub-pages link to ------------------------------------------------------
    def home(self, ancestors=None) -> "HomePage | None":
        """This guide's home page: found among `ancestors` when they are loaded, else queried."""
        if ancestors is not None:
            return next((page for page in ancestors if isinstance(page, HomePage)), None)
        return HomePage.objects.ancestor_of(self).first()

    def guide_by_key(self, key: str) -> "GuidePage | None":
        """The live, public guide with the content key `key` in this guide's language."""
        return (
            GuidePage.objects.live()
            .public()
            .filter(translation_key=translation_key(key), locale_id=self.locale_id)
            .first()
        )

    # Machine-readable views of the body, shared by the article, session, calendar and PDF.
    def first_block(self, block_type):
        for block in self.body:
            if block.block_type == block_type:
                return block.value
        return None

    @property
    def is_medically_reviewed(self) -> bool:
        return bool(self.reviewer_id and self.last_reviewed)

    @property
    def updated_on(self):
        """The day the guide last changed, when that is after the day it was first published
        (the page then says "updated" beside "published"); otherwise None."""
        if not self.last_published_at:
            return None
        first = self.published_date or (
            timezone.localdate(self.first_published_at) if self.first_published_at else None
        )
        changed = timezone.localdate(self.last_published_at)
        return changed if first and changed > first else None

    @property
    def review_overdue(self) -> bool:
        """The next review date has passed: the page says so instead of looking current."""
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    def technique(self):
        """The steps block (heading, steps, aftercare) or None."""
        return self.first_block("steps")

    def steps(self) -> list[dict]:
        technique = self.technique()
        if technique is None:
            return []
        return [
            {
                "number": number,
                "title": step["title"],
                "instruction": step["instruction"],
                "duration": step["duration"],
                "image": step["image"],
                "image_alt": step.get("image_alt") or "",
            }
            for number, step in enumerate(technique["steps"], start=1)
        ]

    def total_time(self):
        """The total-time range as {min_minutes, max_minutes, note}, or None."""
        return self.first_block("total_time")

    def schedule(self):
        return self.first_block("schedule")

    def callouts(self, *kinds: str) -> list:
        return [
            block.value
            for block in self.body
            if block.block_type == "callout" and (not kinds or block.value["kind"] in kinds)
        ]


class ContentSource(models.Model):
    """What the content loader last wrote to a page, so it can tell editors' changes apart."""

    key = models.CharField(max_length=120)
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "locale"], name="unique_content_source")
        ]

    def __str__(self):
        return f"{self.key} ({self.locale_id})"


class WarningSignList(TranslatableMixin, models.Model):
    """A list of warning signs kept in one place; every guide that includes it shows the same."""

    name = models.CharField(
        _("name"), max_length=120, help_text=_("For editors: which list this is.")
    )
    heading = models.CharField(_("heading"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    groups = StreamField([("group", WarningSignGroupBlock())], verbose_name=_("signs"))
    note = models.TextField(_("note"), blank=True, help_text=_("e.g. where the signs come from."))
    more_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("guide with the full list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("heading"),
        FieldPanel("intro"),
        FieldPanel("groups"),
        FieldPanel("note"),
        FieldPanel("more_page"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("warning-sign list")
        verbose_name_plural = _("warning-sign lists")

    def __str__(self):
        return self.name
