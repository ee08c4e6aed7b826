"""The data migration renames an existing English review workflow and swaps in the clinical task."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from asih.staff import roles
from asih.staff.models import ClinicalReviewTask

pytestmark = pytest.mark.django_db
migration = importlib.import_module("asih.staff.migrations.0002_roles_and_review_workflow")


def test_an_english_medical_review_becomes_tinjauan_medis(oxytocin):
    workflow = Workflow.objects.get(name=roles.REVIEW_WORKFLOW)
    workflow.name = roles.OLD_REVIEW_WORKFLOW
    workflow.save()
    WorkflowTask.objects.filter(workflow=workflow).delete()
    ClinicalReviewTask.objects.all().delete()
    old = GroupApprovalTask.objects.create(name=roles.OLD_REVIEW_TASK)
    old.groups.set([Group.objects.get(name=roles.CLINICIANS)])
    WorkflowTask.objects.create(workflow=workflow, task=old, sort_order=0)

    migration.create_review_workflow(apps, None)

    workflow.refresh_from_db()
    assert workflow.name == "Tinjauan medis"
    assert [type(t.specific) for t in workflow.tasks.all()] == [ClinicalReviewTask]
    assert workflow.tasks.get().name == "Persetujuan klinisi"
    old.refresh_from_db()
    assert not old.active
    assert oxytocin["id"].get_workflow() == workflow  # the guides stay under the review
