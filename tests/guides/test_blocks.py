"""Block validation gives editors a clear message on the field that is wrong."""

import pytest
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from asih.guides import blocks


def clean(block, raw):
    return block.clean(block.to_python(raw))


def field_error(error: StructBlockValidationError, name: str) -> str:
    return " ".join(error.block_errors[name].messages)


STEP = {"title": "Posisi duduk", "instruction": "Ibu duduk condong ke depan.", "image": None}


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (None, blocks.STEP_DURATION_MISSING),
        (0, blocks.STEP_DURATION_NOT_POSITIVE),
        (-30, blocks.STEP_DURATION_NOT_POSITIVE),
        (3601, blocks.STEP_DURATION_TOO_LONG),
    ],
)
def test_step_duration_must_be_given_and_positive(duration, message):
    with pytest.raises(StructBlockValidationError) as error:
        clean(blocks.StepBlock(), {**STEP, "duration": duration})
    assert field_error(error.value, "duration") == str(message)


def test_a_valid_step_keeps_its_duration():
    value = clean(blocks.StepBlock(), {**STEP, "duration": 45})
    assert value["duration"] == 45


def test_steps_value_adds_up_durations():
    value = clean(
        blocks.StepsBlock(),
        {"heading": "Langkah", "steps": [{**STEP, "duration": 20}, {**STEP, "duration": 60}]},
    )
    assert value.total_seconds == 80


def test_total_time_minimum_cannot_exceed_maximum():
    with pytest.raises(StructBlockValidationError) as error:
        clean(blocks.TotalTimeBlock(), {"min_minutes": 6, "max_minutes": 5})
    assert field_error(error.value, "max_minutes") == str(blocks.TOTAL_MIN_OVER_MAX)


def test_total_time_must_be_positive():
    with pytest.raises(StructBlockValidationError) as error:
        clean(blocks.TotalTimeBlock(), {"min_minutes": 0, "max_minutes": 5})
    assert field_error(error.value, "min_minutes") == str(blocks.TOTAL_NOT_POSITIVE)


def test_total_time_range_accepted():
    value = clean(blocks.TotalTimeBlock(), {"min_minutes": 3, "max_minutes": 5, "note": ""})
    assert (value["min_minutes"], value["max_minutes"]) == (3, 5)


SCHEDULE = {"times_per_day": 1, "every_n_days": 1, "relative_to": "birth", "start_day": 1}


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"end_day": 0}, "end_day", blocks.SCHEDULE_END_BEFORE_START),
        ({"focus_start_day": 1}, "focus_end_day", blocks.SCHEDULE_FOCUS_INCOMPLETE),
        (
            {"focus_start_day": 3, "focus_end_day": 2},
            "focus_end_day",
            blocks.SCHEDULE_FOCUS_REVERSED,
        ),
        (
            {"end_day": 5, "focus_start_day": 4, "focus_end_day": 9},
            "focus_start_day",
            blocks.SCHEDULE_FOCUS_OUTSIDE,
        ),
    ],
)
def test_schedule_rejects_inconsistent_days(extra, field, message):
    with pytest.raises(StructBlockValidationError) as error:
        clean(blocks.ScheduleBlock(), {**SCHEDULE, **extra})
    assert field_error(error.value, field) == str(message)


def test_schedule_preview_marks_the_emphasis_days():
    value = clean(blocks.ScheduleBlock(), {**SCHEDULE, "focus_start_day": 1, "focus_end_day": 3})
    days = value.preview_days()
    assert [day["number"] for day in days] == [1, 2, 3, 4, 5, 6, 7]
    assert [day["number"] for day in days if day["focus"]] == [1, 2, 3]


def test_comparison_rows_need_one_cell_per_column():
    with pytest.raises(StructBlockValidationError) as error:
        clean(
            blocks.ComparisonTableBlock(),
            {
                "heading": "Beda",
                "columns": ["", "Oksitosin", "Laktasi"],
                "rows": [{"label": "Area", "cells": ["Punggung"]}],
            },
        )
    assert "Area" in field_error(error.value, "rows")


def test_comparison_pairs_cells_with_their_column():
    value = clean(
        blocks.ComparisonTableBlock(),
        {
            "heading": "Beda",
            "columns": ["", "Oksitosin", "Laktasi"],
            "rows": [{"label": "Area", "cells": ["Punggung", "Payudara"]}],
        },
    )
    assert value.table_rows() == [
        {"label": "Area", "cells": [("Oksitosin", "Punggung"), ("Laktasi", "Payudara")]}
    ]


def test_steps_block_in_a_guide_body_is_limited_to_one():
    body = blocks.GuideBodyBlock()
    step = {"heading": "L", "steps": [{**STEP, "duration": 10}]}
    raw = [{"type": "steps", "value": step}, {"type": "steps", "value": step}]
    with pytest.raises(StreamBlockValidationError) as error:
        body.clean(body.to_python(raw))
    assert error.value.non_block_errors
