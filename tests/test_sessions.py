"""alqa.sessions reads a session in SQL: a live one loads, an expired or unknown one does not."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from alqa.sessions import SessionStore


def test_a_live_session_loads_and_an_expired_or_unknown_one_does_not(db):
    store = SessionStore()
    store["alqa_body_id"] = 7
    store.save()
    key = store.session_key
    assert SessionStore(key).load() == {"alqa_body_id": 7}

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_sign_in_and_out_go_through_the_sql_session(client, member):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/profile/").status_code == 302


def test_a_session_whose_user_was_deactivated_is_anonymous(client, member):
    """alqa.auth_backends reads the session's user in SQL and keeps Django's rule: an inactive
    user, or one that no longer exists, is signed out."""
    client.force_login(member.user)
    assert client.get("/profile/").status_code == 200
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert client.get("/profile/").status_code == 302
    from alqa.auth_backends import AuthenticationBackend, ModelBackend

    for backend in (ModelBackend(), AuthenticationBackend()):
        assert backend.get_user(member.user.pk) is None
        assert backend.get_user("not-a-number") is None
        assert backend.get_user(10**9) is None
    member.user.is_active = True
    member.user.save(update_fields=["is_active"])
    for backend in (ModelBackend(), AuthenticationBackend()):
        user = backend.get_user(str(member.user.pk))
        assert (
            user == member.user and user.email == member.user.email and user.language == member.user.language
        )
