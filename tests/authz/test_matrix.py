"""Tests generated from the authorisation matrix (``tests/authz/matrix.py``).

One test per URL, persona and object; a URL of the project without a row
in the matrix, or a row whose URL is gone, fails the suite.
"""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import Role, RoleAssignment
from tests.authz.matrix import LOGIN, MATRIX, Bug, Cell, Row
from tests.authz.world import World

pytestmark = pytest.mark.django_db

# The Django admin enforces its own rule (tests/test_access_rules.py).
EXEMPT_NAMESPACES = {"admin"}


def _target(entry: Row, scope: int) -> str:
    return "-".join(names[scope] for names in entry.kwargs.values()).replace("{persona}", "own")


def _probes() -> Iterator[object]:
    for entry in MATRIX:
        label = entry.name + (f"({entry.variant})" if entry.variant else "")
        for persona, expected in entry.expect.items():
            if not entry.kwargs and isinstance(expected, tuple):
                raise ValueError(f"{label}: a pair of answers needs URL arguments")
            scopes: list[int | None] = [0, 1] if entry.kwargs else [None]
            for scope in scopes:
                cell: Cell = expected[scope or 0] if isinstance(expected, tuple) else expected
                test_id = f"{label}-{persona}" + (
                    f"@{_target(entry, scope)}" if scope is not None else ""
                )
                marks = []
                if isinstance(cell, Bug):
                    marks.append(pytest.mark.xfail(strict=True, reason=cell.reason))
                    cell = cell.expected
                yield pytest.param(entry, persona, scope, cell, id=test_id, marks=marks)


def _url(entry: Row, world: World, persona: str, scope: int | None) -> str:
    if scope is None:
        return reverse(entry.name)
    kwargs = {key: world.pk_of(names[scope], persona) for key, names in entry.kwargs.items()}
    return reverse(entry.name, kwargs=kwargs)


@pytest.mark.parametrize(("entry", "persona", "scope", "expected"), list(_probes()))
def test_the_matrix_answer(
    client: Client, world: World, entry: Row, persona: str, scope: int | None, expected: int | str
):
    user = world[persona]
    if user is not None:
        client.force_login(user)
    url = _url(entry, world, persona, scope)

    response = getattr(client, entry.method)(url, entry.data)

    if expected == LOGIN:
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response.url.startswith(reverse("accounts:login")), response.url
    else:
        assert response.status_code == expected, f"{entry.method.upper()} {url}"


# --- every URL of the project is in the matrix ------------------------------------------


def url_names(patterns: list, namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or f"(ohne Namen: {entry.pattern})"
            yield f"{namespace}:{name}" if namespace else name


def test_every_url_pattern_has_a_row_in_the_matrix():
    in_matrix = {entry.name for entry in MATRIX}

    missing = sorted(set(url_names(get_resolver().url_patterns)) - in_matrix)

    assert not missing, (
        "URL-Muster ohne Zeile in der Berechtigungsmatrix (tests/authz/matrix.py): "
        + ", ".join(missing)
    )


def test_every_row_of_the_matrix_names_an_existing_url():
    existing = set(url_names(get_resolver().url_patterns))

    gone = sorted({entry.name for entry in MATRIX} - existing)

    assert not gone, f"Zeilen der Berechtigungsmatrix ohne URL-Muster: {', '.join(gone)}"


def test_the_coverage_check_sees_a_forgotten_pattern():
    from django.urls import include, path

    from apps.core.access import public

    def view(request):  # pragma: no cover - never called
        raise AssertionError

    patterns = [
        path("a/", public(view), name="known"),
        path("b/", include(([path("x/", public(view), name="forgotten")], "demo"))),
    ]

    assert list(url_names(patterns)) == ["known", "demo:forgotten"]


# --- a role change takes effect on the next request -------------------------------------


def test_losing_the_team_role_closes_the_case_on_the_next_request(client: Client, world: World):
    member = world["west_member"]
    client.force_login(member)
    url = reverse("cases:detail", args=[world["west_case"].pk])
    assert client.get(url).status_code == 200

    RoleAssignment.objects.filter(user=member, role=Role.TEAM).delete()

    assert client.get(url).status_code == 403


def test_a_new_school_role_opens_that_schools_list_at_once(client: Client, world: World):
    member = world["west_member"]
    client.force_login(member)
    url = reverse("referrals:list")
    assert client.get(url).status_code == 403

    RoleAssignment.objects.create(user=member, role=Role.SCHULLEITUNG, school=world["school_nord"])
    response = client.get(url)

    assert response.status_code == 200
    assert world["nord_request"].reference in response.content.decode()
    assert world["west_request"].reference not in response.content.decode()
