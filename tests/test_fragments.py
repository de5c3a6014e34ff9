"""What a cached fragment may use (only what its caller passes), and the release in every key."""

import pytest
from django.template import Template

from alqa import fragments
from alqa.fragments import FragmentContextError, fragment_context, fragment_key


@pytest.mark.parametrize(
    "source",
    [
        "{{ request.path }}",
        "{% if user.is_authenticated %}in{% endif %}",
        "{% for code, name in LANGUAGES %}{{ code }}{% endfor %}",
        "{% if messages %}!{% endif %}",
        "{{ LANGUAGE_CODE }}",
        "{% if is_installation_admin %}admin{% endif %}",
    ],
)
def test_a_fragment_that_asks_for_what_only_a_request_has_fails(source):
    with pytest.raises(FragmentContextError, match="rendered without the request"):
        Template(source).render(fragment_context({}))


def test_a_fragment_renders_what_its_caller_passes():
    context = fragment_context({"LANGUAGES": [("kk", "Қазақша")], "user_label": "Исаев"})
    assert Template("{% for c, n in LANGUAGES %}{{ n }}{% endfor %} {{ user_label }}").render(context) == (
        "Қазақша Исаев"
    )
    assert Template("{% if absent %}x{% else %}none{% endif %}").render(fragment_context({})) == "none"


def test_the_release_is_in_every_key(settings):
    fragments.release.cache_clear()
    try:
        derived = fragments.release()
        assert len(derived) == 16 and derived == fragments.release()
        settings.ALQA_RELEASE = "2026.12-a"
        fragments.release.cache_clear()
        old = fragment_key("alqa/partials/header.html", ("header", 1), watch_changes=False)
        settings.ALQA_RELEASE = "2026.12-b"
        fragments.release.cache_clear()
        new = fragment_key("alqa/partials/header.html", ("header", 1), watch_changes=False)
        assert old != new
    finally:
        fragments.release.cache_clear()
