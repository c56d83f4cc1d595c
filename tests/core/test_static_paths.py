"""Static files in development: a path that climbs out of the folder is a 404, never a 500."""

import pytest
from django.core.management import get_commands
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_runserver_leaves_static_files_to_whitenoise():
    assert get_commands()["runserver"] == "whitenoise.runserver_nostatic"


@pytest.mark.parametrize(
    "path", ["/static/..%2f..%2fmanage.py", "/static/..%2fsettings.py", "/static/%2e%2e/x"]
)
def test_climbing_out_of_the_static_folder_is_not_found(path):
    with override_settings(DEBUG=True):
        response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 404


def test_a_real_static_file_is_served_in_development():
    with override_settings(DEBUG=True):
        response = Client().get("/static/vendor/kern/kern.min.css")

    assert response.status_code == 200
