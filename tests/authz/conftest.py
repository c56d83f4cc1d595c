"""The matrix world is built once per module and rolled back after it.

Each test still runs in its own savepoint (pytest-django's ``db``), so a POST
that changes the world is undone before the next test. Building the world
once keeps about a thousand probes within a minute. Tests here must not use
``transactional_db`` or ``live_server``: their flush would run inside the
module's open transaction.
"""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from tests.authz.world import World, build_world, sanity_check


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("authz-media")
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hasher),
        transaction.atomic(),
    ):
        world = build_world()
        sanity_check(world)
        try:
            yield world
        finally:
            # Nothing of the world outlives the module.
            transaction.set_rollback(True)


@pytest.fixture
def world(_module_world: World, db) -> World:
    return _module_world
