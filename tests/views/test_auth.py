"""Signing in: passwords, the second factor for those who run the body, rate limits, sessions."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from alqa.models import AuditEvent, CalendarException
from tests.conftest import PASSWORD


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password}, HTTP_ACCEPT_LANGUAGE="en")


def test_plain_member_signs_in_with_email_and_password_and_lands_on_the_body(client, body, member):
    response = _login(client, "MEMBER@alqa.test")
    assert response.status_code == 302
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0] == f"/bodies/{body.pk}/"
    assert "Группа Алматы" in page.content.decode()


def test_wrong_password_is_refused_with_a_message(client, member):
    response = _login(client, "member@alqa.test", "wrong-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("fixture", ["chair", "secretary", "admin_user"])
def test_leaders_and_admins_cannot_work_without_a_second_factor(client, request, fixture):
    person = request.getfixturevalue(fixture)
    user = getattr(person, "user", person)
    _login(client, user.email)
    response = client.get("/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    # the activation page stays reachable (allauth asks for the password once more first)
    activation = client.get("/accounts/2fa/totp/activate/", follow=True)
    if activation.redirect_chain:
        assert activation.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
        client.post(activation.redirect_chain[-1][0], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


def test_leader_with_totp_works(client, secretary):
    Authenticator.objects.create(user=secretary.user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(secretary.user)
    assert client.get("/profile/").status_code == 200


def test_plain_member_is_not_forced(client, member):
    client.force_login(member.user)
    assert client.get("/profile/").status_code == 200


def test_failed_logins_are_rate_limited(client, settings, member):
    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login_failed": "3/5m/ip,3/5m/key"}
    for _ in range(3):
        _login(client, "member@alqa.test", "wrong")
    blocked = _login(client, "member@alqa.test", PASSWORD)  # even the right password now waits
    assert "_auth_user_id" not in client.session
    assert blocked.status_code in (200, 429)
    assert "Too many" in blocked.content.decode() or blocked.status_code == 429
    cache.clear()


def test_behind_the_proxy_each_client_address_has_its_own_limit(client, settings, member):
    """ALQA_BEHIND_PROXY: every request comes from nginx at 127.0.0.1; the per-address limit counts
    the address nginx appends to X-Forwarded-For, so one client's failures do not lock out others."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login_failed": "3/5m/ip"}
    for _ in range(3):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{_}@alqa.test", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    blocked = client.post(
        "/accounts/login/",
        {"login": "member@alqa.test", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",  # a forged first entry changes nothing
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "_auth_user_id" not in client.session
    assert blocked.status_code == 429 or "Too many" in blocked.content.decode()
    response = client.post(
        "/accounts/login/",
        {"login": "member@alqa.test", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(member.user.pk)


def test_sessions_expire_after_inactivity(settings, client, member):
    """Each request (at most once a minute) pushes the end of the session SESSION_COOKIE_AGE ahead;
    a session left alone longer than that is gone."""
    import time_machine
    from django.contrib.sessions.models import Session

    assert 5 * 60 <= settings.SESSION_COOKIE_AGE <= 24 * 3600
    with time_machine.travel("2026-11-26 10:00 +05:00", tick=False) as traveller:
        client.force_login(member.user)
        client.get("/profile/")
        key = client.session.session_key
        first = Session.objects.get(session_key=key).expire_date
        traveller.shift(120)
        assert client.get("/profile/").status_code == 200
        second = Session.objects.get(session_key=key).expire_date
        assert (second - first).total_seconds() == 120
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        response = client.get("/profile/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_public_sign_up_is_closed(client):
    response = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()


def test_language_switch_is_remembered_on_the_user(client, member):
    client.force_login(member.user)
    response = client.post("/lang/", {"language": "kk", "next": "/profile/"})
    assert response["Location"] == "/profile/"
    member.user.refresh_from_db()
    assert member.user.language == "kk"
    assert '<html lang="kk">' in client.get("/profile/").content.decode()
    client.post("/lang/", {"language": "xx", "next": "https://evil.example/"})
    member.user.refresh_from_db()
    assert member.user.language == "kk"


def test_anonymous_language_switch_uses_a_cookie(client):
    response = client.post("/lang/", {"language": "en", "next": "/workdays/"})
    assert response.cookies["alqa_language"].value == "en"
    assert '<html lang="en">' in client.get("/workdays/").content.decode()


def test_api_token_issued_on_the_profile_is_shown_once_and_works(client, member):
    client.force_login(member.user)
    page = client.post("/profile/", {"action": "token", "name": "Интеграция"}).content.decode()
    token = page.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert token.startswith("alqa_")
    answer = client.get("/api/v1/bodies", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and answer.json()[0]["name_ru"] == "Группа Алматы"
    assert token not in client.get("/profile/").content.decode()


# --- What the second-factor rule leaves open ------------------------------------------------------

ACTIVATE = "/accounts/2fa/totp/activate/"
EXCEPTION = {
    "date": "2026-12-04",
    "kind": "day_off",
    "name_ru": "Выходной день",
    "name_kk": "Демалыс күні",
    "legal_act": "Постановление Правительства РК № 1 от 1 ноября 2026 года",
}


def test_an_administrator_without_totp_cannot_add_a_calendar_exception(client, admin_user):
    """The /workdays/ prefix was exempt as a whole: an administrator without a second factor could
    post an exception and move every deadline."""
    client.force_login(admin_user)
    response = client.post("/workdays/calendar/new/", EXCEPTION)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE + "?next=/workdays/calendar/new/"
    assert not CalendarException.objects.exists()
    assert not AuditEvent.objects.filter(action__icontains="calendar").exists()
    assert client.get("/workdays/calendar/new/")["Location"].startswith(ACTIVATE)
    # the public pages stay readable for the same administrator
    assert client.get("/workdays/?start=2026-12-01&days=3").status_code == 200
    assert client.get("/workdays/calendar/?year=2026").status_code == 200


def test_with_totp_the_administrator_adds_the_exception(client, admin_user):
    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin_user)
    response = client.post("/workdays/calendar/new/", EXCEPTION)
    assert response.status_code == 302 and response["Location"] == "/workdays/calendar/?year=2026"
    assert CalendarException.objects.get().date.isoformat() == "2026-12-04"


def test_the_public_pages_stay_open_to_anonymous_readers(client, secretary):
    assert 'data-due="2026-12-04"' in client.get("/workdays/?start=2026-12-01&days=3").content.decode()
    assert client.get("/workdays/calendar/?year=2026").status_code == 200
    feed = client.get(reverse("calendar_feed", args=[secretary.user.calendar_token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/api/v1/workdays/deadline?start=2026-12-01&days=3").json()["due"] == "2026-12-04"


def _every_page():
    """(url name, address) for every page of the site, with placeholder ids: the rule is checked
    before the view runs, so an address need not name an existing object."""
    found = []

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace + (entry.namespace + ":" if entry.namespace else "")
                if entry.namespace in ("admin", "api"):
                    continue  # the admin: one address below; the API: its own bearer tokens
                walk(entry, inner)
            elif entry.name:
                pattern = entry.pattern
                names = getattr(pattern, "converters", None) or pattern.regex.groupindex
                kwargs = {
                    name: 999999
                    if isinstance(getattr(pattern, "converters", {}).get(name), IntConverter)
                    else "k1"
                    for name in names
                }
                found.append((entry.name, reverse(namespace + entry.name, kwargs=kwargs)))

    walk(get_resolver())
    return found + [("admin", "/admin/")]


def test_without_totp_only_the_listed_pages_stay_open(client, admin_user):
    """Every page of the site, GET and POST: an administrator without a second factor is sent to
    set it up, except on the pages the rule lists (a new page is covered without a new row)."""
    from alqa.middleware import RequireSecondFactorMiddleware as rule

    client.force_login(admin_user)
    pages = _every_page()
    assert len(pages) > 50 and {"calendar_exception_new", "home", "audit", "profile"} <= {n for n, _ in pages}
    for name, address in pages:
        for method in ("get", "post"):
            if name == "account_logout":
                continue  # signing out would end the session the loop runs in
            response = getattr(client, method)(address)
            sent_to_activate = response.status_code == 302 and response["Location"].startswith(ACTIVATE)
            open_page = name in rule.exempt_views or (name in rule.exempt_reads and method == "get")
            assert sent_to_activate != open_page, (method, address, response.status_code)


def test_a_password_changed_on_allauths_page_is_set_and_audited_without_the_password(client, member):
    _login(client, "member@alqa.test")
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Another-secret-2026", "password2": "Another-secret-2026"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("Another-secret-2026")
    event = AuditEvent.objects.get(action="user.password_set")
    assert (event.object_id, event.actor_id, event.data) == (str(member.user.pk), member.user.pk, {})


def test_a_wrong_old_password_changes_nothing_and_records_nothing(client, member):
    _login(client, "member@alqa.test")
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": "Another-secret-2026", "password2": "Another-secret-2026"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    member.user.refresh_from_db()
    assert member.user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_set").exists()
