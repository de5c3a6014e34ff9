"""Fixtures of the parallel tests: the live server, signed-in callers, the second factor waived
(these tests are about races, not about sign-in)."""

import pytest

from alqa.domain.tokens import issue_token
from tests.concurrency.parallel import session_of


@pytest.fixture(autouse=True)
def _no_second_factor(waive_mfa):
    """Chair, secretary and administrator pages are reached without setting up TOTP."""


@pytest.fixture
def server(live_server):
    """The live test server (threaded); implies `transactional_db`."""
    return live_server


@pytest.fixture
def token():
    """token(user) -> a bearer token of that user for the API."""
    return lambda user: issue_token(user=user, name="parallel", actor=user).secret


@pytest.fixture
def session():
    """session(user) -> a session cookie of that user signed in, for the pages."""
    return session_of
