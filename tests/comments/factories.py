"""Comment factories for tests (approved, pending, replies)."""

import factory

from asih.comments.models import Comment


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    language = factory.LazyAttribute(lambda o: o.page.locale.language_code)
    name = factory.Sequence(lambda n: f"Ibu Sari {n}")
    email = factory.Sequence(lambda n: f"sari{n}@example.test")
    body = factory.Sequence(lambda n: f"Pertanyaan nomor {n} tentang pijat oksitosin.")
    status = Comment.Status.APPROVED
    visitor_hash = "f" * 32
