"""Stored web addresses (a meeting's conference link): https only, http where the body's policy
allows it, never script or data, and a page renders nothing else as a link."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from alqa.domain.bodies import update_policy
from alqa.domain.meetings import schedule_meeting, update_meeting
from alqa.models import AuditEvent, Meeting
from alqa.models.links import clean_web_address, is_web_address

HTTPS_ONLY = "Enter a web address starting with https://."
HTTP_TOO = "Enter a web address starting with https:// or http://."
SPACES = "A web address cannot contain spaces."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("javascript:alert(1)", HTTPS_ONLY),
        ("JavaScript:alert(document.cookie)", HTTPS_ONLY),
        ("javascript://meet.example.kz/%0Aalert(1)", HTTPS_ONLY),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", HTTPS_ONLY),
        ("vbscript:msgbox(1)", HTTPS_ONLY),
        ("file:///etc/passwd", HTTPS_ONLY),
        ("ftp://files.example.kz/a", HTTPS_ONLY),
        ("http://meet.example.kz/room", HTTPS_ONLY),
        ("//meet.example.kz/room", HTTPS_ONLY),
        ("meet.example.kz/room", HTTPS_ONLY),
        ("https:meet.example.kz", HTTPS_ONLY),
        ("https://", HTTPS_ONLY),
        ("https://exa mple.kz", SPACES),
        ("https://meet.example.kz/a b", SPACES),
        ("java\tscript:alert(1)", SPACES),
        ("https://meet.example.kz/\nSet-Cookie:x", SPACES),
        ("https://meet.example.kz/\x00", SPACES),
    ],
)
def test_anything_but_an_https_address_of_a_host_is_refused(value, message):
    with pytest.raises(ValidationError) as caught:
        clean_web_address(value)
    assert caught.value.messages == [message]
    assert not is_web_address(value) or value.lower().startswith("http")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("https://meet.example.kz/room?id=7#x", "https://meet.example.kz/room?id=7#x"),
        ("HTTPS://Meet.Example.kz/Room", "https://Meet.Example.kz/Room"),
        ("  https://meet.example.kz/room  ", "https://meet.example.kz/room"),
        ("https://meet.example.kz:8443/r", "https://meet.example.kz:8443/r"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_https_addresses_are_kept_with_the_scheme_in_lower_case(value, stored):
    assert clean_web_address(value) == stored


def test_http_is_accepted_only_where_allowed():
    assert clean_web_address("HTTP://meet.example.kz/r", allow_http=True) == "http://meet.example.kz/r"
    with pytest.raises(ValidationError) as caught:
        clean_web_address("javascript:alert(1)", allow_http=True)
    assert caught.value.messages == [HTTP_TOO]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_refusal_is_in_the_users_language(language):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        clean_web_address("javascript:alert(1)")
    with translation.override(language):
        expected = translation.gettext(HTTPS_ONLY)
    assert caught.value.messages == [expected] and expected != HTTPS_ONLY


def test_what_a_page_may_render_as_a_link():
    assert is_web_address("https://meet.example.kz/r") and is_web_address("HTTP://meet.example.kz/r")
    for value in ("javascript:alert(1)", "data:text/html,x", " https://x.kz", "https://", "", None, "/r"):
        assert not is_web_address(value), value


def _online(body, secretary, chair, url):
    return schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="online",
        starts_at=timezone.now() + timedelta(days=7),
        conference_url=url,
        online_ground="urgent",
        presiding=chair,
    )


def test_the_domain_stores_only_what_the_policy_allows(body, admin_user, chair, secretary):
    with pytest.raises(ValidationError) as caught:
        _online(body, secretary, chair, "javascript:alert(1)")
    assert caught.value.message_dict == {"conference_url": [HTTPS_ONLY]}
    with pytest.raises(ValidationError) as caught:
        _online(body, secretary, chair, "http://meet.example.kz/r")
    assert caught.value.message_dict == {"conference_url": [HTTPS_ONLY]}
    assert not Meeting.objects.exists()

    meeting = _online(body, secretary, chair, "HTTPS://meet.example.kz/r")
    assert Meeting.objects.get(pk=meeting.pk).conference_url == "https://meet.example.kz/r"
    assert (
        AuditEvent.objects.get(action="meeting.scheduled").data["conference_url"]
        == "https://meet.example.kz/r"
    )

    update_policy(body.policy, actor=admin_user, changes={"allow_http_links": True})
    body.refresh_from_db()
    meeting.refresh_from_db()
    update_meeting(meeting, actor=secretary.user, changes={"conference_url": "http://meet.example.kz/plain"})
    assert Meeting.objects.get(pk=meeting.pk).conference_url == "http://meet.example.kz/plain"
    with pytest.raises(ValidationError) as caught:
        update_meeting(meeting, actor=secretary.user, changes={"conference_url": "data:text/html,x"})
    assert caught.value.message_dict == {"conference_url": [HTTP_TOO]}
    assert Meeting.objects.get(pk=meeting.pk).conference_url == "http://meet.example.kz/plain"


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_stored_address_is_checked_again_on_any_change(body, chair, secretary):
    """An address stored before the check (or by hand) must be mended before the meeting changes."""
    meeting = _online(body, secretary, chair, "https://meet.example.kz/r")
    Meeting.objects.filter(pk=meeting.pk).update(conference_url="javascript:alert(1)")
    meeting.refresh_from_db()
    assert meeting.conference_link == ""
    with pytest.raises(ValidationError) as caught:
        update_meeting(meeting, actor=secretary.user, changes={"duration_minutes": 90})
    assert caught.value.message_dict == {"conference_url": [HTTPS_ONLY]}
    update_meeting(
        meeting,
        actor=secretary.user,
        changes={"duration_minutes": 90, "conference_url": "https://meet.example.kz/n"},
    )
    meeting.refresh_from_db()
    assert meeting.conference_link == "https://meet.example.kz/n"
