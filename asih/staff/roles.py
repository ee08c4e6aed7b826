"""The clinic's staff roles (groups) and exactly the permissions each one's work needs.

Used by the data migration that creates the roles and by the content loader, which attaches
the medical-review workflow to the home pages it creates. Imports no feature app: permissions
are named by app label and codename, so a migration can apply them with historical models.
"""

from django.utils.translation import gettext_lazy as _

EDITORS = "Editors"
CLINICIANS = "Clinicians"
FRONT_DESK = "Front desk"
ROLES = (EDITORS, CLINICIANS, FRONT_DESK)

REVIEW_WORKFLOW = "Tinjauan medis"
REVIEW_TASK = "Persetujuan klinisi"
# The English names earlier versions created; the migration renames them.
OLD_REVIEW_WORKFLOW = "Medical review"
OLD_REVIEW_TASK = "Clinician approval"

# Model permissions: (app_label, model, codename).
MODEL_PERMISSIONS = {
    # Write and translate guides, submit them for medical review; never publish directly.
    EDITORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("core", "person", "add_person"),
        ("core", "person", "change_person"),
        ("guides", "guidecategory", "add_guidecategory"),
        ("guides", "guidecategory", "change_guidecategory"),
        ("simple_translation", "simpletranslation", "submit_translation"),
    ],
    # Approve guides in medical review, moderate and answer comments, read consultations.
    CLINICIANS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("comments", "comment", "change_comment"),
        ("comments", "comment", "answer_comment"),
        ("leads", "consultationrequest", "view_consultationrequest"),
    ],
    # Consultation requests and sign-ups (status, export); comment moderation.
    FRONT_DESK: [
        ("wagtailadmin", "admin", "access_admin"),
        ("comments", "comment", "change_comment"),
        ("leads", "consultationrequest", "view_consultationrequest"),
        ("leads", "consultationrequest", "change_consultationrequest"),
        ("leads", "signup", "view_signup"),
        ("leads", "signup", "change_signup"),
        ("leads", "signup", "export_signups"),
    ],
}

# Page permissions on the tree's root (they cover every page).
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    # A clinician may correct a clinical detail while reviewing. Wagtail publishes an approved
    # revision as the approver, so approving needs "publish" too.
    CLINICIANS: ["change_page", "publish_page"],
    FRONT_DESK: [],
}

# Image and document permissions on the root collection.
COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
    CLINICIANS: [
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "choose_document"),
    ],
    FRONT_DESK: [],
}

# Who hears about new work by email (ASIH_STAFF_EMAILS overrides both).
CONSULTATION_RECIPIENTS = (FRONT_DESK, CLINICIANS)
MODERATION_RECIPIENTS = (FRONT_DESK, CLINICIANS)

ROLE_LABELS = {EDITORS: _("Editors"), CLINICIANS: _("Clinicians"), FRONT_DESK: _("Front desk")}


def role_label(role: str) -> str:
    """The role's name in the current language (groups keep their English names as keys)."""
    return str(ROLE_LABELS.get(role, role))
