"""Sessions are Django's cached_db sessions and users Django's own backends: signing out ends the
session in the database and in the cache, an inactive user is signed out, and the sessions' cache
is one that every worker shares."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches

from tests.conftest import PASSWORD


def test_sign_in_and_out_store_and_end_the_session_in_the_database_and_the_cache(client, member):
    response = client.post("/accounts/login/", {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + key) is not None
    assert client.get("/profile/").status_code == 200

    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + key) is None
    assert client.get("/profile/").status_code == 302


def test_a_session_read_from_the_database_when_its_cached_copy_is_gone(client, member):
    """A worker whose copy was dropped (culled, restarted) reads the session from the database."""
    client.force_login(member.user)
    caches[settings.SESSION_CACHE_ALIAS].clear()
    assert client.get("/profile/").status_code == 200


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_session_whose_user_was_deactivated_is_anonymous(client, member):
    """Django's ModelBackend keeps its rule: an inactive user's session is signed out."""
    from django.contrib.auth import get_user_model

    client.force_login(member.user)
    assert client.get("/profile/").status_code == 200
    get_user_model().objects.filter(pk=member.user.pk).update(is_active=False)
    assert client.get("/profile/").status_code == 302


def test_the_production_sessions_cache_is_shared_by_every_worker():
    """A signed-out session must not live on in another worker's memory: production keeps the
    sessions' copies in Redis, or without it in files every worker of the machine reads."""
    from alqa import settings as production

    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    backend = production.CACHES[production.SESSION_CACHE_ALIAS]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.redis.RedisCache",
    )
