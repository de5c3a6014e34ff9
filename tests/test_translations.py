"""Russian and Kazakh are complete: every string of the code and templates is in both catalogues,
translated, not fuzzy, and the compiled catalogues match the sources.

django-allauth ships no Kazakh catalogue, so alqa/locale_extra/kk carries the Kazakh of the
allauth messages that Alqa shows (the `account` and `mfa` apps); it is held to the same rules."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "kk")
OWN = ROOT / "alqa" / "locale"
EXTRA = ROOT / "alqa" / "locale_extra"
# Every catalogue that Alqa ships, as (locale directory, language).
CATALOGUES = [(OWN, language) for language in LANGUAGES] + [(EXTRA, "kk")]
CATALOGUE_IDS = [f"{path.name}-{language}" for path, language in CATALOGUES]
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n!=1);",
}
# The parts of allauth whose messages Alqa shows, as they are named in allauth's catalogues.
ALLAUTH_PARTS = ("account/", "mfa/", "templates/account/", "templates/mfa/", "templates/allauth/", "core/")


def _po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def _catalogue(language: str, locale_dir: Path = OWN) -> polib.POFile:
    path = _po_path(locale_dir, language)
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing")
    return polib.pofile(str(path))


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    """The msgids that makemessages finds in the code and templates now."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to check the catalogues: apt-get install gettext")
    work = tmp_path_factory.mktemp("messages")
    shutil.copytree(
        ROOT / "alqa", work / "alqa", ignore=shutil.ignore_patterns("*.po", "*.mo", "__pycache__")
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "alqa.settings",
        "DJANGO_DEBUG": "true",
        "PYTHONPATH": str(work),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--no-location", "-v0"],
        cwd=work / "alqa",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"makemessages failed:\n{result.stderr[-3000:]}")
    po = polib.pofile(str(work / "alqa" / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    return {_key(e) for e in po}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_in_the_catalogue(extracted, language):
    present = {_key(e) for e in _catalogue(language) if not e.obsolete}
    missing = sorted(extracted - present)
    assert not missing, f"{len(missing)} strings missing from {language}: {missing[:10]}"


def test_every_allauth_string_shown_is_in_the_extra_catalogue():
    """The Kazakh extra catalogue covers every message of allauth's account and mfa apps, as listed
    in allauth's own Russian catalogue; an upgrade of allauth that adds messages shows up here."""
    reference = polib.pofile(
        str(Path(allauth.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    )
    wanted = {
        _key(e)
        for e in reference
        if not e.obsolete and any(path.startswith(ALLAUTH_PARTS) for path, _ in e.occurrences)
    }
    present = {_key(e) for e in _catalogue("kk", EXTRA) if not e.obsolete}
    missing = sorted(wanted - present)
    assert not missing, f"{len(missing)} allauth strings missing from locale_extra/kk: {missing[:10]}"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES, ids=CATALOGUE_IDS)
def test_every_entry_is_translated_and_not_fuzzy(locale_dir, language):
    po = _catalogue(language, locale_dir)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {locale_dir.name}/{language}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {locale_dir.name}/{language}: {fuzzy[:10]}"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES, ids=CATALOGUE_IDS)
def test_header_names_the_language_and_its_plural_forms(locale_dir, language):
    po = _catalogue(language, locale_dir)
    assert po.metadata.get("Language") == language
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS[language]
    assert not po.metadata_is_fuzzy, f"the header of {locale_dir.name}/{language} is marked fuzzy"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES, ids=CATALOGUE_IDS)
def test_compiled_catalogue_is_up_to_date(locale_dir, language):
    source = _catalogue(language, locale_dir)
    mo_path = locale_dir / language / "LC_MESSAGES" / "django.mo"
    if not mo_path.is_file():
        pytest.fail(
            f"{mo_path.relative_to(ROOT)} is missing; run "
            "`uv run python manage.py compilemessages --ignore=.venv`"
        )
    compiled = polib.mofile(str(mo_path))
    compiled_ids = {_key(e): (e.msgstr, e.msgstr_plural) for e in compiled}
    stale = [
        e.msgid
        for e in source.translated_entries()
        if compiled_ids.get(_key(e)) != (e.msgstr, e.msgstr_plural)
    ]
    assert not stale, f"django.mo of {locale_dir.name}/{language} is stale; run compilemessages: {stale[:5]}"


def test_extra_catalogue_is_loaded_after_our_own():
    """LOCALE_PATHS puts our catalogue first (it wins where both translate a msgid), then the extra
    one, so that allauth's pages are in Kazakh for a Kazakh reader."""
    assert [Path(p) for p in settings.LOCALE_PATHS] == [OWN, EXTRA]
    extra = {_key(e): e.msgstr for e in _catalogue("kk", EXTRA)}
    with translation.override("kk"):
        assert translation.gettext("Sign In") == extra[("", "Sign In")]
        assert translation.pgettext("field label", "Login") == extra[("field label", "Login")]
