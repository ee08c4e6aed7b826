"""Load the guides in content/ into Wagtail: idempotent, and never over an editor's change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from asih.core.models import ClinicSettings, Person, normalise_whatsapp

# The roles and the review workflow come from a migration (asih/staff/roles.py).
from asih.staff.roles import CLINICIANS as CLINICIANS_GROUP  # noqa: F401
from asih.staff.roles import REVIEW_TASK, REVIEW_WORKFLOW  # noqa: F401

from .blocks import GuideBodyBlock
from .keys import TRANSLATION_NAMESPACE, translation_key  # noqa: F401 (the loader's names)
from .models import (
    ContentSource,
    GuideCategory,
    GuidePage,
    HomeFeaturedGuide,
    HomePage,
    StageIndexPage,
    WarningSignList,
)
from .stages import LifeStage

# The guides the home page features until an editor chooses others: the flagship and the two
# that say when to go to a health facility now. They also come first on their stage.
DEFAULT_FEATURED_GUIDES = (
    "pijat-oksitosin",
    "tanda-bahaya-setelah-melahirkan",
    "tanda-bahaya-kehamilan",
)


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


def content_dates(data: dict) -> tuple[datetime, datetime] | None:
    """(first published, last changed) from a content file's `published` and `updated` dates,
    as the start of that day in the clinic's time zone; None when the file gives no date."""
    published: date | None = data.get("published")
    if not published:
        return None
    updated = max(data.get("updated") or published, published)
    zone = timezone.get_default_timezone()
    first, last = (datetime.combine(day, time.min, tzinfo=zone) for day in (published, updated))
    return first, last


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
        self.site_dates = content_dates(site_data)
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
        # A shared warning-sign list may link to a guide, and guides show the lists: guides
        # that show none go first, then the lists, then the guides that show them.
        guide_pages = {}
        showing = [guide for guide in guides if _shows_warning_signs(guide)]
        for guide in guides:
            if guide not in showing:
                guide_pages[guide["key"]] = self._load_guide(stages[guide["stage"]], guide)
        signs_path = self.content_dir / "warning-signs.yaml"
        sign_lists = self._read_yaml(signs_path) if signs_path.exists() else []
        self.warning_signs = self._load_warning_signs(sign_lists or [])
        for guide in showing:
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
        for name in ("locality", "postal_code", "region", "country"):
            setattr(clinic, name, str(data.get(name, "")))
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
                dates=self.site_dates,
            )
            homes[code] = home
            if code == settings.LANGUAGE_CODE and home is not None:
                # Before the other languages: Wagtail's placeholder page holds the slug "home".
                self._point_site_at(home)
        return homes

    def _point_site_at(self, home: Page) -> None:
        from asih.core.public_address import site_address, site_sync

        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port = site_address()
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name="Asih",
            )
            return
        site_sync()  # seeding keeps the Site at ASIH_PUBLIC_URL
        site.refresh_from_db()
        if site.root_page_id == home.pk:
            return
        old_root = site.root_page.specific
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page goes; a page someone built stays.
        if type(old_root) is Page and old_root.depth == 2 and not old_root.get_children().exists():
            old_root.delete()

    def _load_stage(self, homes: dict, data: dict) -> dict[str, StageIndexPage]:
        if data.get("stage") not in LifeStage.values:
            raise ContentError(
                f"stage {data['key']}: stage {data.get('stage')!r} is not one of {LifeStage.values}"
            )
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
                    "stage": data["stage"],
                    "intro": fields["intro"],
                    "search_description": fields.get("search_description", ""),
                    "image": self._image(data.get("image")),
                    "show_in_menus": True,
                },
                raw=data,
                dates=self.site_dates,
            )
        return pages

    def _load_guide(self, stage_pages: dict, data: dict) -> dict[str, GuidePage]:
        pages = {}
        for code, locale in self.locales.items():
            if code not in data:
                raise ContentError(f"{data['key']}: no {code!r} translation")
            fields = data[code]
            body = [self._block(block, data["key"], code) for block in fields["body"]]
            # The session's own words sit in one key beside the body, per language.
            session_texts = (data.get("session_texts") or {}).get(code)
            for block in body:
                if session_texts and block["type"] == "steps":
                    block["value"]["session"] = session_texts
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
                dates=content_dates(data),
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
            _put_first_on_their_stages(chosen)
            revision = home.save_revision(log_action=False)
            revision.publish(log_action=False)
            _date_from_content(home, self.site_dates)
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
        if kind in ("checklist", "callout"):
            _require_plain_lines(value.get("items", []), f"{guide_key} ({code}) {kind}")
        if kind == "steps":
            value["steps"] = [
                {**step, "image": self._image_id(step.get("image"))} for step in value["steps"]
            ]
        elif kind == "comparison":
            value["columns"] = [column or "" for column in value["columns"]]
        elif kind == "warning_signs":
            signs = self.warning_signs.get((value.pop("list", None), code))
            if signs is None:
                raise ContentError(f"{guide_key} ({code}): unknown warning-sign list")
            value["signs"] = signs.pk
        elif kind not in self.body_block.child_blocks:
            raise ContentError(f"{guide_key} ({code}): unknown block type {kind!r}")
        return {"type": kind, "value": value}

    def _load_warning_signs(self, rows: list[dict]) -> dict:
        """Shared warning-sign lists, updated from the file unless an editor changed them."""
        found = {}
        for row in rows:
            for code, locale in self.locales.items():
                if code not in row:
                    raise ContentError(f"warning signs {row['key']}: no {code!r} translation")
                found[(row["key"], code)] = self._sync_warning_signs(row, code, locale)
        return found

    def _sync_warning_signs(self, row: dict, code: str, locale: Locale) -> WarningSignList:
        key = f"signs:{row['key']}"
        label = f"{key} [{code}]"
        fields = row[code]
        more_page = None
        if row.get("more_guide"):
            more_page = GuidePage.objects.filter(
                translation_key=translation_key(f"guide:{row['more_guide']}"), locale=locale
            ).first()
            if more_page is None:
                raise ContentError(f"{label}: no guide {row['more_guide']!r}")
        signs = WarningSignList.objects.filter(
            translation_key=translation_key(key), locale=locale
        ).first()
        source = ContentSource.objects.filter(key=key, locale=locale).first()
        is_new = signs is None
        if is_new:
            signs = WarningSignList(translation_key=translation_key(key), locale=locale)
        else:
            current = _warning_signs_digest(signs)
            if source is None or source.source_hash != current:
                self.report.kept_editor_changes.append(label)
                return signs
        signs.name = fields["name"]
        signs.heading = fields["heading"]
        signs.intro = " ".join(fields.get("intro", "").split())
        signs.note = " ".join(fields.get("note", "").split())
        signs.more_page = more_page
        for group in fields["groups"]:
            _require_plain_lines(group["items"], label)
        signs.groups = [
            {
                "type": "group",
                "value": {"heading": group.get("heading") or "", "items": group["items"]},
            }
            for group in fields["groups"]
        ]
        digest = _warning_signs_digest(signs)
        if not is_new and digest == current:
            self.report.unchanged.append(label)
            return signs
        signs.full_clean()
        signs.save()
        ContentSource.objects.update_or_create(
            key=key,
            locale=locale,
            defaults={"page": None, "revision": None, "source_hash": _warning_signs_digest(signs)},
        )
        (self.report.created if is_new else self.report.updated).append(label)
        return signs

    def _image_id(self, filename):
        image = self._image(filename)
        return image.pk if image else None

    def _sync_page(self, *, key, locale, parent, model, fields, m2m=None, raw=None, dates=None):
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
        _date_from_content(page, dates)
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
        """Clinicians approve every guide before it goes live (the staff app's workflow)."""
        from asih.staff.services import review_workflow_attach

        review_workflow_attach(pages=homes)


def _date_from_content(page: Page, dates: tuple[datetime, datetime] | None) -> None:
    """Publishing stamps the time of this run; a loaded page carries its content's own dates
    instead (the sitemap's lastmod, the feeds, the JSON-LD and the guide's "updated" line)."""
    if dates:
        first, last = dates
        Page.objects.filter(pk=page.pk).update(first_published_at=first, last_published_at=last)


def _put_first_on_their_stages(guides: list[GuidePage]) -> None:
    """Featured guides lead their stage (once; after that the order is the editors')."""
    for guide in reversed(guides):
        guide = Page.objects.get(pk=guide.pk)  # tree paths change as siblings move
        first = guide.get_parent().get_children().first()
        if first is not None and first.pk != guide.pk:
            guide.move(first, pos="left")


def _shows_warning_signs(guide: dict) -> bool:
    return any(
        block.get("type") == "warning_signs"
        for code, _name in settings.LANGUAGES
        for block in guide.get(code, {}).get("body", [])
    )


def _without_block_ids(data):
    if isinstance(data, dict):
        return {key: _without_block_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    return data


def _warning_signs_digest(signs: WarningSignList) -> str:
    """What a list says (not its block ids), to tell an editor's change from the file's."""
    return source_hash(
        {
            "name": signs.name,
            "heading": signs.heading,
            "intro": signs.intro,
            "note": signs.note,
            "more_page": signs.more_page_id,
            "groups": _without_block_ids(signs.groups.get_prep_value()),
        }
    )


def _require_plain_lines(items: list, where: str) -> None:
    # An unquoted "text: more text" in YAML becomes a mapping, and would print as one.
    for item in items:
        if not isinstance(item, str):
            raise ContentError(f"{where}: {item!r} is not a line of text (quote it?)")
