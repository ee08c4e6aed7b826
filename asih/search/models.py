"""The search index (one row per live guide), related-guide lists and editors' pins/exclusions."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Orderable

CHOICE_SELF = _("A guide cannot be related to itself.")
CHOICE_OTHER_LANGUAGE = _("Choose a guide in the same language as this one.")


class SearchEntry(models.Model):
    """What search sees of a live guide: plain text for snippets, stems for matching.

    The full-text index lives beside it and is kept in step by the database itself: an FTS5
    table with triggers on SQLite; on PostgreSQL an expression GIN index for search and stored
    tsvectors for ranking and related guides (migrations 0005, 0006). No foreign-key constraint
    to the page, so the benchmark can write rows for guides that only exist as text; deleting a
    page still deletes its row (Django's cascade).
    """

    page = models.OneToOneField(
        "guides.GuidePage",
        primary_key=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="search_entry",
    )
    language = models.CharField(max_length=8, db_index=True)
    stage = models.ForeignKey(
        "guides.StageIndexPage",
        null=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    # The guide's categories, copied so a category filter is an indexed join on this table's
    # own rows, not a walk through Wagtail's page tables.
    categories = models.ManyToManyField(
        "guides.GuideCategory", blank=True, related_name="search_entries"
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """One stem that some indexed guide contains: the vocabulary that typo correction reads.

    Written when a guide is indexed and pruned when the whole index is rebuilt, so it may hold
    a stem no live guide uses any more; a correction to such a stem simply finds nothing.
    """

    language = models.CharField(max_length=8)
    stem = models.CharField(max_length=40)
    # First letter and length: a typo keeps the first letter (nearly always) and changes the
    # length by at most the edit distance, so candidates are one indexed range, not a scan.
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=["language", "stem"], name="unique_search_term")
        ]
        indexes = [
            models.Index(fields=["language", "initial", "length"], name="search_term_candidates")
        ]

    def __str__(self):
        return f"{self.stem} ({self.language})"


class RelatedGuide(models.Model):
    """One line of a guide's "Other useful articles" list, computed when a guide is published."""

    from_page = models.ForeignKey(
        "guides.GuidePage",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="related_guides",
    )
    to_page = models.ForeignKey(
        "guides.GuidePage", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["from_page", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["from_page", "to_page"], name="unique_related_guide")
        ]

    def __str__(self):
        return f"{self.from_page_id} → {self.to_page_id} ({self.rank})"


class RelatedGuideChoice(Orderable):
    """An editor's decision about one guide in a guide's related list: always show, or never."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Always show (pinned, in this order)")
        EXCLUDE = "exclude", _("Never show")

    page = ParentalKey("guides.GuidePage", on_delete=models.CASCADE, related_name="related_choices")
    guide = models.ForeignKey(
        "guides.GuidePage", verbose_name=_("guide"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("show it"), max_length=8, choices=Kind.choices, default=Kind.PIN)

    panels = [PageChooserPanel("guide", "guides.GuidePage"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("related guide choice")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.guide}"

    def clean(self):
        super().clean()
        try:
            page = self.page
        except ObjectDoesNotExist:  # a new guide's inline row before the guide exists
            return
        if self.guide_id is None or page is None:
            return
        if self.guide_id == page.pk:
            raise ValidationError({"guide": CHOICE_SELF})
        if page.locale_id and self.guide.locale_id != page.locale_id:
            raise ValidationError({"guide": CHOICE_OTHER_LANGUAGE})
