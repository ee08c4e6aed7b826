"""The clinic's roles (Editors, Clinicians, Front desk) with exactly their permissions, and the
medical-review workflow under its Indonesian name, approved through the clinical review task."""

from django.db import migrations

from asih.staff import roles

PERMISSION_NAMES = {
    "access_admin": "Can access Wagtail admin",
    "answer_comment": "Can answer comments as the clinic",
    "export_signups": "Can export confirmed sign-ups as CSV",
    "submit_translation": "Can submit translations",
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # Django creates permissions after migrating (post_migrate): on a fresh database they may
    # not exist yet, so create the ones the roles need now (Django then skips them).
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": PERMISSION_NAMES.get(codename, f"Can {codename.replace('_', ' ')}")},
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name in roles.ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [_permission(apps, *spec) for spec in roles.MODEL_PERMISSIONS[name]]
        )
        # Exactly these page permissions, on the root (earlier versions set them per home page).
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in roles.PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.create(
                group=group,
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for spec in roles.COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(apps, *spec)
            )


def create_review_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ClinicalReviewTask = apps.get_model("staff", "ClinicalReviewTask")
    clinicians = Group.objects.get(name=roles.CLINICIANS)

    task = ClinicalReviewTask.objects.filter(name=roles.REVIEW_TASK).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="staff", model="clinicalreviewtask"
        )
        task = ClinicalReviewTask.objects.create(
            name=roles.REVIEW_TASK, active=True, content_type=content_type
        )
    task.groups.set([clinicians])

    workflow = (
        Workflow.objects.filter(name=roles.REVIEW_WORKFLOW).first()
        or Workflow.objects.filter(name=roles.OLD_REVIEW_WORKFLOW).first()
        or Workflow.objects.create(name=roles.REVIEW_WORKFLOW, active=True)
    )
    workflow.name = roles.REVIEW_WORKFLOW
    workflow.save(update_fields=["name"])
    # The old plain group-approval task steps aside for the clinical review task.
    old_tasks = Task.objects.filter(name=roles.OLD_REVIEW_TASK)
    WorkflowTask.objects.filter(workflow=workflow, task__in=old_tasks).delete()
    old_tasks.update(active=False, name="Persetujuan klinisi (lama)")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_clinical_review_task"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("core", "0002_staff_account"),
        ("guides", "0001_initial"),
        ("comments", "0002_listing_index_sorts"),
        ("leads", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_review_workflow, migrations.RunPython.noop),
    ]
