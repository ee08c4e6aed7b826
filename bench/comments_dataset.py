"""Approved comments for the scale runs: threads with some replies, like a busy guide's."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone


def add_comments(*, page, count: int, rng: random.Random) -> None:
    from asih.comments.models import Comment

    from .dataset import sentence

    now = timezone.now()
    threads = max(1, count * 4 // 5)
    parents = Comment.objects.bulk_create(
        [
            Comment(
                page=page,
                language=page.locale.language_code,
                name=f"Pembaca {number}",
                email=f"pembaca{number}@example.test",
                body=sentence(rng, 24),
                status=Comment.Status.APPROVED,
                approved_at=now - timedelta(minutes=number),
            )
            for number in range(threads)
        ],
        batch_size=500,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                page=page,
                language=page.locale.language_code,
                parent=rng.choice(parents),
                name=f"Pembalas {number}",
                email=f"pembalas{number}@example.test",
                body=sentence(rng, 16),
                status=Comment.Status.APPROVED,
                approved_at=now - timedelta(seconds=number),
            )
            for number in range(count - threads)
        ],
        batch_size=500,
    )
