"""Readers' comments and questions on guides, the clinic's answers, and the moderation settings."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

NAME_MAX = 80
EMAIL_MAX = 254
BODY_MIN = 3
BODY_MAX = 3000


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def awaiting_moderation(self):
        return self.filter(status__in=[Comment.Status.PENDING, Comment.Status.SPAM])


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Suspected spam")

    # SET_NULL, not CASCADE: unpublishing never touches comments, and deleting a guide keeps its
    # questions and the clinic's answers (records, privacy export and erasure still reach them);
    # a comment without a page is simply no longer shown anywhere public.
    page = models.ForeignKey(
        "guides.GuidePage",
        verbose_name=_("guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # Readers reply one level deep; staff may answer a reply. CASCADE only matters for a hard
    # delete by staff: erasure blanks a comment that others answered instead of deleting it.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("email"), max_length=EMAIL_MAX, blank=True)
    body = models.TextField(
        _("comment"),
        max_length=BODY_MAX,
        validators=[MinLengthValidator(BODY_MIN), MaxLengthValidator(BODY_MAX)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    spam_reasons = models.TextField(_("why it was held"), blank=True)
    follow_replies = models.BooleanField(_("email me when someone replies"), default=False)
    # Reply emails go only to an address that confirmed it wants them (a link emailed to it):
    # anyone can type any address into the form (issue 15).
    follow_confirmed_at = models.DateTimeField(_("reply emails confirmed"), null=True, blank=True)
    is_staff_answer = models.BooleanField(_("answer from the clinic"), default=False)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A snapshot: the answer keeps the name and role it was given under, even if they change.
    staff_name = models.CharField(_("staff name"), max_length=120, blank=True)
    staff_role = models.CharField(_("staff role"), max_length=120, blank=True)
    # Hashed address from asih.core.protection.visitor_key: rate limits and duplicates, never an IP.
    visitor_hash = models.CharField(max_length=64, blank=True)
    is_removed = models.BooleanField(_("removed at the author's request"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unsubscribed_at = models.DateTimeField(_("stopped reply emails"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        # Moderating (change_comment) and answering as the clinic are separate duties: the
        # front desk moderates, clinicians answer.
        permissions = [("answer_comment", _("Can answer comments as the clinic"))]
        indexes = [
            # The public listing: a page's approved top-level comments, newest first, and count.
            # (-id breaks ties in the same order as the listing, so the index also sorts it.)
            models.Index(
                fields=["page", "status", "parent", "-created_at", "-id"],
                name="comment_listing_idx",
            ),
            # Replies of one page of parents.
            models.Index(fields=["parent", "status", "created_at"], name="comment_replies_idx"),
            # Moderation queue, duplicates and returning commenters.
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
            models.Index(fields=["visitor_hash", "-created_at"], name="comment_visitor_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.page.url}#komentar-{self.pk}" if self.page_id else ""

    @property
    def display_name(self) -> str:
        return self.staff_name if self.is_staff_answer and self.staff_name else self.name


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    comments_open = models.BooleanField(
        _("comments open"), default=True, help_text=_("Untick to close the form on every guide.")
    )
    auto_approve_returning = models.BooleanField(
        _("publish returning commenters at once"),
        default=False,
        help_text=_(
            "Publish a comment without moderation when an earlier comment from the same email "
            "address was approved and no spam rule held it."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        _("most links in a comment"), default=2, help_text=_("More links than this are refused.")
    )
    blocked_words = models.TextField(
        _("blocked words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one waits as suspected spam."
        ),
    )

    panels = [
        FieldPanel("comments_open"),
        FieldPanel("auto_approve_returning"),
        FieldPanel("max_links"),
        FieldPanel("blocked_words"),
    ]

    class Meta:
        verbose_name = _("comment settings")

    def blocked_word_list(self) -> list[str]:
        return [line.strip() for line in self.blocked_words.splitlines() if line.strip()]
