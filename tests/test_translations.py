"""Russian and Kazakh are complete: every string of the code and templates is in both catalogues,
translated, not fuzzy, and the compiled catalogues match the sources."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "kk")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "alqa" / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    """The msgids that makemessages finds in the code and templates now."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to check the catalogues: apt-get install gettext")
    work = tmp_path_factory.mktemp("messages")
    shutil.copytree(ROOT / "alqa", work / "alqa", ignore=shutil.ignore_patterns("*.po", "*.mo", "__pycache__"))
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "alqa.settings", "DJANGO_DEBUG": "true", "PYTHONPATH": str(work)}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--no-location", "-v0"],
        cwd=work / "alqa", env=env, check=True, capture_output=True, timeout=120,
    )
    po = polib.pofile(str(work / "alqa" / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt or "", e.msgid) for e in po}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_in_the_catalogue(extracted, language):
    present = {(e.msgctxt or "", e.msgid) for e in _catalogue(language) if not e.obsolete}
    missing = sorted(extracted - present)
    assert not missing, f"{len(missing)} strings missing from {language}: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language):
    po = _catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language):
    source = _catalogue(language)
    compiled = polib.mofile(str(ROOT / "alqa" / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled_ids = {(e.msgctxt or "", e.msgid): e.msgstr for e in compiled}
    stale = [e.msgid for e in source.translated_entries() if compiled_ids.get((e.msgctxt or "", e.msgid)) != e.msgstr]
    assert not stale, f"django.mo of {language} is stale; run compilemessages: {stale[:5]}"
