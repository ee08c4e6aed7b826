"""Load the guides in content/ into Wagtail: idempotent, and never over an editor's change."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from asih.core.models import ClinicSettings, Person, normalise_whatsapp

from .blocks import GuideBodyBlock
from .models import (
    ContentSource,
    GuideCategory,
    GuidePage,
    HomeFeaturedGuide,
    HomePage,
    StageIndexPage,
)

# Fixed namespace so a content key maps to the same translation key on every machine.
TRANSLATION_NAMESPACE = uuid.UUID("6f1d0a52-5b8e-4f55-9a57-3c1f3f1e2a10")
CLINICIANS_GROUP = "Clinicians"
REVIEW_WORKFLOW = "Medical review"
REVIEW_TASK = "Clinician approval"
# The guides the home page features until an editor chooses others: the flagship and the one
# that says when to go to a clinic now. They also come first on their stage.
DEFAULT_FEATURED_GUIDES = ("pijat-oksitosin", "tanda-bahaya-kehamilan")


class ContentError(Exception):
    """The content files are inconsistent; the message says where."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_editor_changes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for label, items in (
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("kept (changed by an editor)", self.kept_editor_changes),
        ):
            out.append(f"{label}: {len(items)}")
            out.extend(f"  - {item}" for item in items if label != "unchanged")
        return out


def translation_key(key: str) -> uuid.UUID:
    return uuid.uuid5(TRANSLATION_NAMESPACE, key)


def source_hash(data) -> str:
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


class ContentLoader:
    def __init__(self, content_dir: Path | None = None):
        self.content_dir = Path(content_dir or settings.ASIH_CONTENT_DIR)
        self.report = LoadReport()
        self.images = {}
        self.body_block = GuideBodyBlock()

    # -- entry point ---------------------------------------------------------------
    @transaction.atomic
    def load(self) -> LoadReport:
        site_data = self._read_yaml(self.content_dir / "site.yaml")
        guide_files = sorted((self.content_dir / "guides").glob("*.yaml"))
        guides = [self._read_yaml(path) for path in guide_files]
        # New pages are added last on their stage: featured guides are created first.
        guides.sort(key=lambda guide: guide["key"] not in DEFAULT_FEATURED_GUIDES)
        self.locales = self._ensure_locales()
        root = self._ensure_root()
        self.categories = self._ensure_snippets(GuideCategory, site_data["categories"], "cat")
        self.people = self._ensure_snippets(Person, site_data["people"], "person")
        homes = self._load_home(root, site_data["home"])
        self._ensure_clinic(site_data["clinic"])
        stages = {}
        for stage in site_data["stages"]:
            stages[stage["key"]] = self._load_stage(homes, stage)
        guide_pages = {}
        for guide in guides:
            if guide["stage"] not in stages:
                raise ContentError(f"{guide['key']}: unknown stage {guide['stage']!r}")
            guide_pages[guide["key"]] = self._load_guide(stages[guide["stage"]], guide)
        self._ensure_featured_guides(homes, guide_pages)
        self._ensure_review_workflow(list(homes.values()))
        return self.report

    # -- files ---------------------------------------------------------------------
    def _read_yaml(self, path: Path):
        try:
            with path.open(encoding="utf-8") as handle:
                return yaml.safe_load(handle)
        except (OSError, yaml.YAMLError) as error:
            raise ContentError(f"{path}: {error}") from error

    def _image(self, filename: str | None):
        if not filename:
            return None
        if filename in self.images:
            return self.images[filename]
        image_model = get_image_model()
        image = image_model.objects.filter(title=filename).first()
        if image is None:
            path = self.content_dir / "images" / filename
            if not path.exists():
                raise ContentError(f"missing image {path}")
            with path.open("rb") as handle:
                image = image_model(title=filename)
                image.file.save(filename, File(handle), save=False)
                image.save()
        self.images[filename] = image
        return image

    # -- tree and settings ---------------------------------------------------------
    def _ensure_locales(self) -> dict[str, Locale]:
        return {
            code: Locale.objects.get_or_create(language_code=code)[0]
            for code, _name in settings.LANGUAGES
        }

    def _ensure_root(self) -> Page:
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(
                instance=Page(title="Root", slug="root", locale=self.locales["id"])
            )
        return root

    def _ensure_clinic(self, data: dict) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return  # the home page step below creates it; settings follow on the next load
        clinic = ClinicSettings.for_site(site)
        if clinic.name:
            return  # never overwrite what the clinic entered
        clinic.name = data["name"]
        clinic.address = data.get("address", "")
        clinic.whatsapp_number = normalise_whatsapp(data["whatsapp"])
        clinic.opening_hours = [
            (
                "hours",
                {
                    "first_day": str(row["first_day"]),
                    "last_day": str(row["last_day"]),
                    "opens": row["opens"],
                    "closes": row["closes"],
                },
            )
            for row in data.get("hours", [])
        ]
        clinic.logo = self._image(data.get("logo"))
        clinic.save()

    def _ensure_snippets(self, model, rows: list[dict], prefix: str) -> dict:
        """Create missing snippets per language; existing ones are the clinic's to edit."""
        found = {}
        for row in rows:
            key = translation_key(f"{prefix}:{row['key']}")
            for code, locale in self.locales.items():
                values = {k: v for k, v in row.items() if k not in ("key", "id", "en")}
                values.update(row.get(code, {}))
                obj = model.objects.filter(translation_key=key, locale=locale).first()
                if obj is None:
                    obj = model.objects.create(translation_key=key, locale=locale, **values)
                found[(row["key"], code)] = obj
        return found

    # -- pages ---------------------------------------------------------------------
    def _load_home(self, root: Page, data: dict) -> dict[str, HomePage]:
        homes = {}
        for code, locale in self.locales.items():
            fields = data[code]
            home = self._sync_page(
                key="home",
                locale=locale,
                parent=root,
                model=HomePage,
                fields={
                    "title": fields["title"],
                    "slug": fields["slug"],
                    "intro": fields["intro"],
                    "banner_title": fields["banner_title"],
                    "banner_text": fields["banner_text"],
                    "seo_title": fields.get("seo_title", ""),
                    "search_description": fields.get("search_description", ""),
                },
            )
            homes[code] = home
            if code == settings.LANGUAGE_CODE and home is not None:
                # Before the other languages: Wagtail's placeholder page holds the slug "home".
                self._point_site_at(home)
        return homes

    def _point_site_at(self, home: Page) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Asih",
            )
            return
        if site.root_page_id == home.pk:
            return
        old_root = site.root_page.specific
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page goes; a page someone built stays.
        if type(old_root) is Page and old_root.depth == 2 and not old_root.get_children().exists():
            old_root.delete()

    def _load_stage(self, homes: dict, data: dict) -> dict[str, StageIndexPage]:
        pages = {}
        for code, locale in self.locales.items():
            fields = data[code]
            pages[code] = self._sync_page(
                key=f"stage:{data['key']}",
                locale=locale,
                parent=homes[code],
                model=StageIndexPage,
                fields={
                    "title": fields["title"],
                    "slug": fields["slug"],
                    "intro": fields["intro"],
                    "search_description": fields.get("search_description", ""),
                    "image": self._image(data.get("image")),
                    "show_in_menus": True,
                },
                raw=data,
            )
        return pages

    def _load_guide(self, stage_pages: dict, data: dict) -> dict[str, GuidePage]:
        pages = {}
        for code, locale in self.locales.items():
            if code not in data:
                raise ContentError(f"{data['key']}: no {code!r} translation")
            fields = data[code]
            body = [self._block(block, data["key"], code) for block in fields["body"]]
            categories = []
            for category_key in data.get("categories", []):
                if (category_key, code) not in self.categories:
                    raise ContentError(f"{data['key']}: unknown category {category_key!r}")
                categories.append(self.categories[(category_key, code)])
            if (data["author"], code) not in self.people:
                raise ContentError(f"{data['key']}: unknown author {data['author']!r}")
            pages[code] = self._sync_page(
                key=f"guide:{data['key']}",
                locale=locale,
                parent=stage_pages[code],
                model=GuidePage,
                fields={
                    "title": fields["title"],
                    "slug": fields["slug"],
                    "summary": " ".join(fields["summary"].split()),
                    "hero_image": self._image(data.get("hero")),
                    "hero_alt": " ".join(fields.get("hero_alt", "").split()),
                    "author": self.people[(data["author"], code)],
                    "published_date": data.get("published"),
                    "search_description": " ".join(fields["summary"].split()),
                    "body": body,
                },
                m2m={"categories": categories},
                raw={k: v for k, v in data.items() if k not in ("id", "en")} | {code: fields},
            )
        return pages

    def _ensure_featured_guides(self, homes: dict, guide_pages: dict) -> None:
        """Feature the default guides once per home; after that the choice is the editors'."""
        for code, home in homes.items():
            if home is None:
                continue
            locale = self.locales[code]
            key = "home:featured"
            if ContentSource.objects.filter(key=key, locale=locale).exists():
                continue
            home = HomePage.objects.get(pk=home.pk)
            chosen = [
                guide_pages[guide_key][code]
                for guide_key in DEFAULT_FEATURED_GUIDES
                if guide_pages.get(guide_key, {}).get(code) is not None
            ]
            if home.featured_guides.exists() or home.has_unpublished_changes or not chosen:
                continue  # an editor chose already, or is at work on the home page
            previous = home.latest_revision_id
            home.featured_guides = [HomeFeaturedGuide(guide=guide) for guide in chosen]
            revision = home.save_revision(log_action=False)
            revision.publish(log_action=False)
            # The home page's own record still matches what the loader wrote.
            ContentSource.objects.filter(key="home", locale=locale, revision_id=previous).update(
                revision=revision
            )
            ContentSource.objects.create(
                key=key,
                locale=locale,
                page=home,
                revision=revision,
                source_hash=source_hash(list(DEFAULT_FEATURED_GUIDES)),
            )
            self.report.updated.append(f"{key} [{code}]")

    def _block(self, block: dict, guide_key: str, code: str) -> dict:
        kind = block.get("type")
        value = {k: v for k, v in block.items() if k != "type"}
        if kind == "steps":
            value["steps"] = [
                {**step, "image": self._image_id(step.get("image"))} for step in value["steps"]
            ]
        elif kind == "comparison":
            value["columns"] = [column or "" for column in value["columns"]]
        elif kind not in self.body_block.child_blocks:
            raise ContentError(f"{guide_key} ({code}): unknown block type {kind!r}")
        return {"type": kind, "value": value}

    def _image_id(self, filename):
        image = self._image(filename)
        return image.pk if image else None

    def _sync_page(self, *, key, locale, parent, model, fields, m2m=None, raw=None):
        digest = source_hash(
            {"fields": raw if raw is not None else fields, "model": model.__name__}
        )
        source = ContentSource.objects.filter(key=key, locale=locale).first()
        label = f"{key} [{locale.language_code}]"
        page = None
        if source is not None:
            if source.page_id is None:
                # An editor deleted the page: respect that.
                self.report.kept_editor_changes.append(f"{label} (deleted)")
                return None
            page = source.page.specific
            if page.latest_revision_id != source.revision_id:
                self.report.kept_editor_changes.append(label)
                return page
            if source.source_hash == digest:
                self.report.unchanged.append(label)
                return page

        is_new = page is None
        if is_new:
            page = model(locale=locale, translation_key=translation_key(key))
        for name, value in fields.items():
            setattr(page, name, value)
        if "body" in fields:
            # Validate like the admin does, so a bad content file fails with the block's message.
            try:
                self.body_block.clean(page.body)
            except ValidationError as error:
                detail = error.as_json_data() if hasattr(error, "as_json_data") else error.messages
                raise ContentError(f"{label}: {detail}") from error
        for name, values in (m2m or {}).items():
            getattr(page, name).set(values)
        if is_new:
            parent.add_child(instance=page)
        page.full_clean()
        revision = page.save_revision(log_action=False)
        revision.publish(log_action=False)
        page.refresh_from_db()
        ContentSource.objects.update_or_create(
            key=key,
            locale=locale,
            defaults={"page": page, "revision": revision, "source_hash": digest},
        )
        (self.report.created if is_new else self.report.updated).append(label)
        return page

    # -- editors and review --------------------------------------------------------
    def _ensure_review_workflow(self, homes: list[Page]) -> None:
        """Clinicians approve every guide before it goes live (Wagtail's workflow)."""
        group, _ = Group.objects.get_or_create(name=CLINICIANS_GROUP)
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for home in homes:
            for codename in ("change_page", "publish_page"):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=home,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
        task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
            task.groups.set([group])
        workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        for home in homes:
            if not WorkflowPage.objects.filter(page=home).exists():
                WorkflowPage.objects.create(page=home, workflow=workflow)
