"""Typed StreamField blocks of a guide: the data the article, session, calendar and PDF share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

STEP_DURATION_MISSING = _("Give this step a duration in seconds.")
STEP_DURATION_NOT_POSITIVE = _("A step's duration must be more than 0 seconds.")
STEP_DURATION_TOO_LONG = _("A step can last at most 3600 seconds (one hour).")
TOTAL_MIN_OVER_MAX = _("The shortest total time cannot be longer than the longest.")
TOTAL_NOT_POSITIVE = _("Total times must be at least 1 minute.")
SCHEDULE_END_BEFORE_START = _("The last day cannot come before the first day.")
SCHEDULE_FOCUS_INCOMPLETE = _("Give both the first and the last day of the emphasis, or neither.")
SCHEDULE_FOCUS_REVERSED = _("The emphasis cannot end before it starts.")
SCHEDULE_FOCUS_OUTSIDE = _("The emphasis must lie within the days of the schedule.")
COMPARISON_ROW_WIDTH = _(
    "Row “%(label)s” has %(found)s cells; it needs %(needed)s, one per column."
)

MAX_STEP_SECONDS = 3600

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    body = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "guides/blocks/section.html"


EVIDENCE_CHOICES = [
    ("established", _("Well established")),
    ("small_studies", _("Reported by small studies")),
    ("expert_opinion", _("Expert opinion")),
]


class BenefitBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Benefit"), max_length=200)
    evidence = blocks.ChoiceBlock(
        choices=EVIDENCE_CHOICES, default="small_studies", label=_("Strength of evidence")
    )
    note = blocks.CharBlock(
        label=_("Evidence note"),
        required=False,
        max_length=300,
        help_text=_("e.g. small, mostly non-randomised studies"),
    )

    class Meta:
        icon = "tick"
        label = _("Benefit")


class BenefitListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    items = blocks.ListBlock(BenefitBlock(), min_num=1, label=_("Benefits"))

    class Meta:
        icon = "list-ul"
        label = _("Benefit list")
        template = "guides/blocks/benefits.html"


class ComparisonRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Row label"), max_length=80)
    cells = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Cells"))

    class Meta:
        label = _("Row")


class ComparisonValue(blocks.StructValue):
    def table_rows(self) -> list[dict]:
        """Rows with each cell paired to its column heading (for the stacked phone layout)."""
        headings = list(self["columns"])[1:]
        return [
            {"label": row["label"], "cells": list(zip(headings, row["cells"], strict=False))}
            for row in self["rows"]
        ]


class ComparisonTableBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    columns = blocks.ListBlock(
        blocks.CharBlock(required=False, max_length=80),
        min_num=2,
        label=_("Column headings"),
        help_text=_("The first heads the row labels and may be empty."),
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), min_num=1, label=_("Rows"))

    class Meta:
        icon = "table"
        label = _("Comparison table")
        template = "guides/blocks/comparison.html"
        value_class = ComparisonValue

    def clean(self, value):
        value = super().clean(value)
        needed = len(value["columns"]) - 1
        for row in value["rows"]:
            if len(row["cells"]) != needed:
                raise blocks.StructBlockValidationError(
                    block_errors={
                        "rows": ValidationError(
                            COMPARISON_ROW_WIDTH,
                            params={
                                "label": row["label"],
                                "found": len(row["cells"]),
                                "needed": needed,
                            },
                        )
                    }
                )
        return value


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1, label=_("Items"))

    class Meta:
        icon = "tasks"
        label = _("Preparation checklist")
        template = "guides/blocks/checklist.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=80)
    instruction = blocks.TextBlock(
        label=_("Instruction"),
        max_length=400,
        help_text=_("Plain sentences: they are shown in large type and read aloud."),
    )
    duration = blocks.IntegerBlock(
        label=_("Duration (seconds)"), required=False, help_text=_("How long this step lasts.")
    )
    image = ImageChooserBlock(label=_("Illustration"), required=False)
    image_alt = blocks.CharBlock(
        label=_("Illustration text"),
        max_length=200,
        required=False,
        help_text=_(
            "What the illustration shows, for people who cannot see it: where the hands are and "
            "which way they move. Leave empty only if the step's words already say all of it."
        ),
    )

    class Meta:
        icon = "order"
        label = _("Step")

    def clean(self, value):
        value = super().clean(value)
        duration = value.get("duration")
        message = None
        if duration is None:
            message = STEP_DURATION_MISSING
        elif duration <= 0:
            message = STEP_DURATION_NOT_POSITIVE
        elif duration > MAX_STEP_SECONDS:
            message = STEP_DURATION_TOO_LONG
        if message:
            raise blocks.StructBlockValidationError(
                block_errors={"duration": ValidationError(message)}
            )
        return value


CHECKIN_ANSWER_CHOICES = [
    ("relaxed", _("How relaxed: a scale from 1 to 5")),
    ("milk_flow", _("Milk flow: yes, no or not sure")),
]


class CheckinQuestionBlock(blocks.StructBlock):
    """One question of the check-in after a session; the answer stays in the reader's browser."""

    answer = blocks.ChoiceBlock(
        choices=CHECKIN_ANSWER_CHOICES, default="relaxed", label=_("Kind of answer")
    )
    question = blocks.CharBlock(label=_("Question"), max_length=120)

    class Meta:
        icon = "help"
        label = _("Check-in question")


class SessionTextBlock(blocks.StructBlock):
    """The guided session's own words for this guide; empty fields fall back to plain defaults.

    Kept apart from the steps themselves so that no massage-only wording ("oily hands", "did
    your milk flow?") reaches a guide it does not fit.
    """

    invitation = blocks.CharBlock(
        label=_("Invitation on the guide page"),
        required=False,
        max_length=200,
        help_text=_("Why to use the guided session for this guide. Empty: a general sentence."),
    )
    preparation = blocks.TextBlock(
        label=_("Before starting"),
        required=False,
        max_length=300,
        help_text=_("Shown above the Start button. Empty: a general sentence."),
    )
    checkin = blocks.ListBlock(
        CheckinQuestionBlock(),
        label=_("Check-in questions"),
        default=[],
        help_text=_("Asked after the session. Empty: only how relaxed the reader feels."),
    )

    class Meta:
        icon = "time"
        label = _("Guided session texts")
        collapsed = True


class StepsValue(blocks.StructValue):
    @property
    def total_seconds(self) -> int:
        return sum(step["duration"] for step in self["steps"])


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Steps"))
    aftercare = blocks.TextBlock(
        label=_("Aftercare"), required=False, help_text=_("What to do when the steps are done.")
    )
    session = SessionTextBlock(label=_("Guided session texts"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Technique steps")
        template = "guides/blocks/steps.html"
        value_class = StepsValue


class TotalTimeBlock(blocks.StructBlock):
    min_minutes = blocks.IntegerBlock(label=_("Shortest (minutes)"))
    max_minutes = blocks.IntegerBlock(label=_("Longest (minutes)"))
    note = blocks.CharBlock(label=_("Note"), required=False, max_length=200)

    class Meta:
        icon = "time"
        label = _("Total time")
        template = "guides/blocks/total_time.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["min_minutes"] < 1:
            errors["min_minutes"] = ValidationError(TOTAL_NOT_POSITIVE)
        if value["max_minutes"] < 1:
            errors["max_minutes"] = ValidationError(TOTAL_NOT_POSITIVE)
        if not errors and value["min_minutes"] > value["max_minutes"]:
            errors["max_minutes"] = ValidationError(TOTAL_MIN_OVER_MAX)
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


SCHEDULE_RELATIVE_CHOICES = [
    ("birth", _("days after birth")),
    ("pregnancy", _("days of pregnancy")),
    ("conception_plan", _("days before trying to conceive")),
]


class ScheduleValue(blocks.StructValue):
    def preview_days(self) -> list[dict]:
        """The first days of the schedule, with the emphasised ones marked (at least a week)."""
        start = self["start_day"]
        last = max(start + 6, self.get("focus_end_day") or start)
        if self.get("end_day") is not None:
            last = min(last, self["end_day"])
        focus_start, focus_end = self.get("focus_start_day"), self.get("focus_end_day")
        days = range(start, last + 1, self["every_n_days"])
        return [
            {
                "number": day,
                "focus": focus_start is not None and focus_start <= day <= focus_end,
            }
            for day in days
        ]


class ScheduleBlock(blocks.StructBlock):
    times_per_day = blocks.IntegerBlock(
        label=_("Times a day"), default=1, min_value=1, max_value=12
    )
    every_n_days = blocks.IntegerBlock(
        label=_("Every how many days"),
        default=1,
        min_value=1,
        max_value=30,
        help_text=_("1 means every day."),
    )
    relative_to = blocks.ChoiceBlock(
        choices=SCHEDULE_RELATIVE_CHOICES, default="birth", label=_("Days counted as")
    )
    start_day = blocks.IntegerBlock(label=_("First day"), default=1, min_value=0)
    end_day = blocks.IntegerBlock(
        label=_("Last day"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for as long as needed."),
    )
    focus_start_day = blocks.IntegerBlock(label=_("Emphasis from day"), required=False, min_value=0)
    focus_end_day = blocks.IntegerBlock(label=_("Emphasis to day"), required=False, min_value=0)
    note = blocks.TextBlock(label=_("Note"), required=False, max_length=600)

    class Meta:
        icon = "date"
        label = _("Schedule")
        template = "guides/blocks/schedule.html"
        value_class = ScheduleValue

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        start, end = value["start_day"], value.get("end_day")
        focus_start, focus_end = value.get("focus_start_day"), value.get("focus_end_day")
        if end is not None and end < start:
            errors["end_day"] = ValidationError(SCHEDULE_END_BEFORE_START)
        if (focus_start is None) != (focus_end is None):
            errors["focus_end_day"] = ValidationError(SCHEDULE_FOCUS_INCOMPLETE)
        elif focus_start is not None:
            if focus_end < focus_start:
                errors["focus_end_day"] = ValidationError(SCHEDULE_FOCUS_REVERSED)
            elif focus_start < start or (end is not None and focus_end > end):
                errors["focus_start_day"] = ValidationError(SCHEDULE_FOCUS_OUTSIDE)
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


CALLOUT_KINDS = [
    ("caution", _("Caution")),
    ("when_not_to", _("When not to")),
    ("get_help", _("When to get help")),
    ("info", _("Good to know")),
]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=CALLOUT_KINDS, default="caution", label=_("Kind"))
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1, label=_("Points"))

    class Meta:
        icon = "warning"
        label = _("Caution / when to get help")
        template = "guides/blocks/callout.html"


class ConsultBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"))
    button = blocks.CharBlock(label=_("Button label"), max_length=60)

    class Meta:
        icon = "help"
        label = _("Consult the clinic")
        template = "guides/blocks/consult.html"


class UntimedStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=80)
    instruction = blocks.TextBlock(label=_("Instruction"), max_length=400)
    image = ImageChooserBlock(label=_("Illustration"), required=False)

    class Meta:
        icon = "order"
        label = _("Step")


class UntimedStepsBlock(blocks.StructBlock):
    """Numbered steps without durations, for techniques a clock must not hurry (latching).

    A guide whose steps are all of this kind offers no guided session and no countdown: the
    session and the structured data read only the timed steps block.
    """

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    steps = blocks.ListBlock(UntimedStepBlock(), min_num=1, label=_("Steps"))
    aftercare = blocks.TextBlock(
        label=_("Aftercare"), required=False, help_text=_("What to do when the steps are done.")
    )

    class Meta:
        icon = "list-ol"
        label = _("Steps without timing (no guided session)")
        template = "guides/blocks/untimed_steps.html"


class WarningSignGroupBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=120,
        help_text=_("e.g. “For the mother”; leave empty for a single list."),
    )
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1, label=_("Signs"))

    class Meta:
        icon = "warning"
        label = _("Group of signs")


class WarningSignsBlock(blocks.StructBlock):
    """One shared warning-sign list (a snippet): every guide that shows it shows the same signs."""

    signs = SnippetChooserBlock("guides.WarningSignList", label=_("Warning-sign list"))

    class Meta:
        icon = "warning"
        label = _("Shared warning signs")
        template = "guides/blocks/warning_signs.html"


class GuideBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
    benefits = BenefitListBlock()
    comparison = ComparisonTableBlock()
    checklist = ChecklistBlock()
    steps = StepsBlock()
    total_time = TotalTimeBlock()
    schedule = ScheduleBlock()
    callout = CalloutBlock()
    consult = ConsultBlock()
    untimed_steps = UntimedStepsBlock()
    warning_signs = WarningSignsBlock()

    class Meta:
        block_counts = {
            "steps": {"max_num": 1},
            "total_time": {"max_num": 1},
            "schedule": {"max_num": 1},
        }
