"""The stages of the guide tree and the admin rule of one page per stage in each language."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

STAGE_TAKEN = _(
    "Another stage page in this language is already “%(stage)s”. The sign-up offers one page "
    "per stage: change that page first, or choose another stage."
)


class LifeStage(models.TextChoices):
    """Where a family is; the sign-up's stages (asih.leads.models.Stage) use the same values."""

    PLANNING = "planning", _("Before pregnancy")
    PREGNANT = "pregnant", _("Pregnancy")
    BORN = "born", _("After birth")


class StageIndexPageForm(WagtailAdminPageForm):
    """Refuses a second page of the same stage in one language, where the editor chose it.

    Checked here rather than in the model: the rule spans Page.locale and the stage page's own
    table (no database constraint can), and a page copy (which validates the model) should not
    fail with an error page; the sign-up then uses the first of the two in the tree.
    """

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage:
            page_model = type(self.instance)
            # The admin sets a new page's locale (its parent's) before it builds this form.
            others = page_model.objects.filter(stage=stage, locale_id=self.instance.locale_id)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                label = LifeStage(stage).label
                self.add_error("stage", STAGE_TAKEN % {"stage": label})
        return cleaned
