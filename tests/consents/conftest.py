import pytest

from tests.cases.conftest import open_case, submit_referral


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def west_case(school_leader, school_west, familienamt_worker):
    return open_case(submit_referral(school_leader, school_west), familienamt_worker)


@pytest.fixture
def nord_case(school_leader_nord, school_nord, familienamt_worker):
    referral = submit_referral(school_leader_nord, school_nord, first_name="Lena")
    return open_case(referral, familienamt_worker)
