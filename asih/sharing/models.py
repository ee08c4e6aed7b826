"""How often each guide was shared (a first-party count) and the daily marks that dedupe it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The share controls of the share bar, in the order they appear on a phone (WhatsApp first).
NETWORKS = [
    ("whatsapp", "WhatsApp"),
    ("facebook", "Facebook"),
    ("x", "X"),
    ("telegram", "Telegram"),
    ("email", _("Email")),
    ("copy", _("Copy link")),
    ("native", _("Share menu")),
]
NETWORK_CODES = [code for code, _label in NETWORKS]


class ShareCount(models.Model):
    """One row per shared guide: its total and the total per network."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("guide"),
        on_delete=models.CASCADE,
        related_name="share_count",
    )
    total = models.PositiveIntegerField(_("total"), default=0, db_index=True)
    whatsapp = models.PositiveIntegerField("WhatsApp", default=0)
    facebook = models.PositiveIntegerField("Facebook", default=0)
    x = models.PositiveIntegerField("X", default=0)
    telegram = models.PositiveIntegerField("Telegram", default=0)
    email = models.PositiveIntegerField(_("email"), default=0)
    copy = models.PositiveIntegerField(_("copy link"), default=0)
    native = models.PositiveIntegerField(_("share menu"), default=0)
    last_shared_at = models.DateTimeField(_("last shared"), null=True, blank=True)

    class Meta:
        verbose_name = _("share count")
        verbose_name_plural = _("share counts")

    def __str__(self):
        return f"{self.page_id}: {self.total}"


class ShareMark(models.Model):
    """A visitor already counted for a guide today, as a hash of (visitor, guide, day).

    No address and no page id is readable from it; marks older than yesterday are purged.
    """

    digest = models.CharField(max_length=64, unique=True)
    # The same kind of hash for (network, guide, day): how many a network added is capped.
    network_digest = models.CharField(max_length=64, blank=True, db_index=True)
    day = models.DateField(db_index=True)

    class Meta:
        verbose_name = _("share mark")
        verbose_name_plural = _("share marks")

    def __str__(self):
        return f"{self.day} {self.digest[:8]}"
