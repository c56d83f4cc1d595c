"""apps.core.submissions in a real race: a repeat waits for the first POST, gets its record."""

import threading
import time
import uuid

import pytest
from django.db import connection, connections

from apps.accounts.models import User
from apps.core import submissions
from apps.referrals.models import SavedFilter


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_repeat_that_arrives_while_the_first_post_runs_gets_the_first_record():
    user = User.objects.create_user(username="doppelklick", password="x")
    key = uuid.uuid4()
    claimed, release = threading.Event(), threading.Event()
    results: dict[str, tuple[SavedFilter, bool]] = {}

    def post(name: str, wait: bool) -> None:
        def create() -> SavedFilter:
            if wait:
                claimed.set()  # the key is claimed (not yet committed)
                release.wait(timeout=60)  # held open until the repeat waits on the key
            return SavedFilter.objects.create(owner=user, name=name, query="urgent=on")

        try:
            results[name] = submissions.once(user, key, create)
        finally:
            connections.close_all()

    first = threading.Thread(target=post, args=("erster", True))
    first.start()
    assert claimed.wait(timeout=60)
    repeat = threading.Thread(target=post, args=("zweiter", False))
    repeat.start()
    for _ in range(3000):  # until the repeat waits on the key's unique index
        if _waiting_on_a_lock():
            break
        time.sleep(0.01)
    release.set()
    first.join()
    repeat.join()

    assert results["erster"][1] is True
    assert results["zweiter"] == (results["erster"][0], False)
    assert list(SavedFilter.objects.values_list("name", flat=True)) == ["erster"]
