"""Background work of the complete guide: rebuild a stage's PDF after its guides change."""

from django_tasks import task


@task()
def guidebook_refresh_task(stage_id: int, language: str) -> str:
    from asih.guides.models import StageIndexPage

    from .services import guidebook_refresh

    stage = StageIndexPage.objects.filter(pk=stage_id).first()
    if stage is None:
        return ""
    path = guidebook_refresh(stage=stage, language=language)
    return str(path or "")
