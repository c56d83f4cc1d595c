"""The 500 page renders when the database is gone.

No ``django_db`` mark: pytest-django fails any query in these tests, so
rendering with context processors (the logged-in person, their roles) would
fail here.
"""

import pytest
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from apps.core import views


def _user_from_the_database():
    from apps.accounts.models import User

    return User.objects.get(pk=1)


@pytest.fixture
def request_with_lazy_user():
    request = RequestFactory().get("/faelle/4711/")
    # Like AuthenticationMiddleware: the user is loaded only when something looks at it.
    request.user = SimpleLazyObject(_user_from_the_database)
    return request


def test_server_error_renders_without_touching_the_database(settings, request_with_lazy_user):
    settings.DEBUG = False

    response = views.server_error(request_with_lazy_user)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Technischer Fehler" in html
    assert '<html lang="de"' in html
    assert "4711" not in html


def test_the_lazy_user_would_touch_the_database(request_with_lazy_user):
    """Guards the test above: reading the user really queries, and that fails here."""
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        request_with_lazy_user.user.is_authenticated  # noqa: B018


def test_server_error_page_has_no_scripts(request_with_lazy_user):
    html = views.server_error(request_with_lazy_user).content.decode()

    assert "<script" not in html
    assert "style=" not in html
