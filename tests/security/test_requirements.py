"""Issue 15, finding 19: test and lint tools stay out of what `make run` and deployments install."""

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_TOOLS = {"pytest", "pytest-django", "playwright", "pytest-playwright", "hypothesis"}
DEV_TOOLS |= {
    "aiosmtpd",
    "ruff",
    "djhtml",
    "factory-boy",
    "wagtail-factories",
    "pypdf",
    "pytest-xdist",
}


def pinned(path: Path) -> set[str]:
    names = re.findall(r"^([A-Za-z0-9_.-]+)==", path.read_text(), flags=re.MULTILINE)
    return {name.lower().replace("_", "-") for name in names}


def test_the_runtime_lock_has_no_test_or_lint_tool():
    runtime = pinned(ROOT / "requirements.lock")
    assert not runtime & DEV_TOOLS, runtime & DEV_TOOLS
    # Every runtime dependency in pyproject.toml is pinned there.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    assert wanted <= runtime, wanted - runtime


def test_the_dev_lock_adds_the_tools_on_top_of_the_runtime_set():
    text = (ROOT / "requirements-dev.lock").read_text()
    assert "-r requirements.lock" in text
    assert DEV_TOOLS <= pinned(ROOT / "requirements-dev.lock")
    assert not pinned(ROOT / "requirements-dev.lock") & pinned(ROOT / "requirements.lock")


def _recipe(target: str) -> str:
    """What `make -n` would run for a target, in a tree where nothing is installed yet."""
    result = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", target, "VENV=/nonexistent-venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout


def test_make_install_installs_the_runtime_set_only_and_make_test_adds_the_tools():
    install = _recipe("install")
    assert "-r requirements.lock" in install and "requirements-dev.lock" not in install
    assert "-r requirements-dev.lock" in _recipe("install-dev")
    assert "-r requirements-dev.lock" in _recipe("lint")
