"""Collected scripts load each other by hashed names, so a deploy never mixes two versions."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from asih.core import offline

ROOT = Path(__file__).resolve().parents[2]
JS_SOURCE = ROOT / "asih" / "static" / "asih" / "js"
PRODUCTION_STORAGE = "asih.core.storage.HashedModuleStaticFilesStorage"
# What a module names after `from`, after a bare `import`, or inside `import(…)`.
STATIC_SPECIFIER = re.compile(r"""\b(?:from|import)\s*["']([^"']+)["']""")
DYNAMIC_IMPORT = re.compile(r"""\bimport\s*\(([^)]*)\)""")
QUOTED = re.compile(r"""\s*["']([^"'`$]+)["']\s*""")
HASHED_JS = re.compile(r"\.[0-9a-f]{12}\.js$")
TEMPLATE_MODULE = re.compile(r"""data-module="asih-([a-z-]+)\"""")


def settings_storages() -> dict:
    return dict(settings.STORAGES)


def _specifiers(source: str) -> list[str]:
    """Every path the module imports; a computed import() fails the test (it cannot be hashed)."""
    found = STATIC_SPECIFIER.findall(source)
    for argument in DYNAMIC_IMPORT.findall(source):
        literal = QUOTED.fullmatch(argument)
        assert literal, f"import({argument}) is computed: collectstatic cannot hash it"
        found.append(literal.group(1))
    return found


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The site's own static files collected as production collects them, into a temp root."""
    root = tmp_path_factory.mktemp("static-root")
    storages = {**settings_storages(), "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    # Only the project's folder: Wagtail's admin files would take half a minute to compress.
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=storages,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
        yield root, manifest


def test_production_collects_with_the_hashed_module_storage():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asih.settings.production", "SECRET_KEY": "x"}
    printed = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.STORAGES)"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"'BACKEND': '{PRODUCTION_STORAGE}'" in printed


def test_every_import_of_a_collected_script_names_a_hashed_file_that_exists(collected):
    root, manifest = collected
    hashed_names = set(manifest.values())
    edges = set()
    scripts = [name for name in manifest if name.startswith("asih/js/") and name.endswith(".js")]
    assert "asih/js/app.js" in scripts and "asih/js/session.js" in scripts
    for name in scripts:
        hashed = root / manifest[name]
        for specifier in _specifiers(hashed.read_text()):
            assert specifier.startswith("./"), f"{name} imports {specifier}: not a sibling file"
            assert HASHED_JS.search(specifier), f"{name} imports the unhashed {specifier}"
            target = (hashed.parent / specifier).resolve().relative_to(root.resolve())
            assert target.as_posix() in hashed_names, f"{name} imports {specifier}: not collected"
            assert (root / target).is_file()
            edges.add((name, next(k for k, v in manifest.items() if v == target.as_posix())))
    # The imports the site relies on were seen, so the loop above was not vacuous.
    assert ("asih/js/session.js", "asih/js/my-sessions.js") in edges
    assert ("asih/js/app.js", "asih/js/share.js") in edges


def test_an_imported_module_changes_the_hash_of_its_importer(collected, tmp_path):
    """A deploy that changes only my-sessions.js also renames session.js, which imports it."""
    root, manifest = collected
    source_dir = tmp_path / "static"
    (source_dir / "asih" / "js").mkdir(parents=True)
    for script in ("session.js", "my-sessions.js"):
        (source_dir / "asih" / "js" / script).write_bytes((JS_SOURCE / script).read_bytes())
    with (source_dir / "asih" / "js" / "my-sessions.js").open("a") as changed:
        changed.write("\n// changed in the next deploy\n")
    next_root = tmp_path / "next-root"
    with override_settings(
        STATIC_ROOT=next_root,
        STATICFILES_DIRS=[source_dir],
        STORAGES={**settings_storages(), "staticfiles": {"BACKEND": PRODUCTION_STORAGE}},
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    following = json.loads((next_root / "staticfiles.json").read_text())["paths"]
    assert following["asih/js/my-sessions.js"] != manifest["asih/js/my-sessions.js"]
    assert following["asih/js/session.js"] != manifest["asih/js/session.js"]


def test_the_worker_precaches_every_module_under_its_hashed_name(collected):
    root, manifest = collected
    precache = set(offline.precache_urls())
    for name in manifest:
        if name.startswith("asih/js/") and name.endswith(".js") and name != offline.SW_SOURCE:
            assert f"/static/{manifest[name]}" in precache


def test_app_js_can_load_every_module_a_template_names():
    """app.js lists its modules literally (so they can be hashed); none a page asks for is
    missing from that list."""
    app = (JS_SOURCE / "app.js").read_text()
    templates = [*ROOT.glob("asih/templates/**/*.html"), *ROOT.glob("asih/*/templates/**/*.html")]
    named = {m for path in templates for m in TEMPLATE_MODULE.findall(path.read_text())}
    assert {"session", "share", "plan", "form-guard"} <= named
    for module in named:
        assert (JS_SOURCE / f"{module}.js").is_file()
        entry = rf"""["']?{re.escape(module)}["']?:\s*\(\)\s*=>\s*import\("\./{module}\.js"\)"""
        assert re.search(entry, app), f"app.js cannot load {module}.js"
