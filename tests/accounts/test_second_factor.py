import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_factor_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True
    settings.DEBUG = False


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_without_a_device_every_page_leads_to_the_setup(
    client, familienamt_worker, second_factor_on
):
    client.force_login(familienamt_worker)

    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/anmelden/zweiter-faktor/einrichten/"


def test_setup_confirms_the_app_and_shows_recovery_codes_once(
    client, familienamt_worker, second_factor_on
):
    client.force_login(familienamt_worker)
    page = client.get("/anmelden/zweiter-faktor/einrichten/")
    assert page.status_code == 200
    assert b"<svg" in page.content  # QR code inline, no external request
    device = TOTPDevice.objects.get(user=familienamt_worker)

    response = client.post("/anmelden/zweiter-faktor/einrichten/", {"code": _code(device)})

    assert response.status_code == 200
    assert "Wiederherstellungscodes" in response.content.decode()
    assert StaticToken.objects.filter(device__user=familienamt_worker).count() == 10
    assert client.get("/").status_code == 200


def test_a_wrong_setup_code_confirms_nothing(client, familienamt_worker, second_factor_on):
    client.force_login(familienamt_worker)
    client.get("/anmelden/zweiter-faktor/einrichten/")

    response = client.post("/anmelden/zweiter-faktor/einrichten/", {"code": "000000x"})

    assert response.status_code == 400
    assert "Der Code stimmt nicht" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=familienamt_worker, confirmed=True).exists()


def test_with_a_device_the_code_is_asked_and_a_recovery_code_works_once(
    client, familienamt_worker, second_factor_on, settings
):
    # django-otp slows down repeated wrong codes; not the subject here.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=familienamt_worker, name="App", confirmed=True)
    from apps.accounts.second_factor import confirm_device

    codes = confirm_device(device)
    client.force_login(familienamt_worker)
    assert client.get("/").url == "/anmelden/zweiter-faktor/"

    wrong = client.post("/anmelden/zweiter-faktor/", {"code": "123456"})
    assert wrong.status_code == 400
    assert client.get("/").status_code == 302

    assert client.post("/anmelden/zweiter-faktor/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.logout()
    client.force_login(familienamt_worker)
    assert client.post("/anmelden/zweiter-faktor/", {"code": codes[0]}).status_code == 400


def test_demo_accounts_skip_the_second_factor_only_while_debugging(
    client, familienamt_worker, settings
):
    settings.SECOND_FACTOR_REQUIRED = True
    familienamt_worker.is_demo = True
    familienamt_worker.save()
    client.force_login(familienamt_worker)

    settings.DEBUG = True
    assert client.get("/").status_code == 200
    settings.DEBUG = False
    assert client.get("/").status_code == 302


def test_production_settings_require_the_second_factor():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.SECOND_FACTOR_REQUIRED)"
    env = {
        "DJANGO_SETTINGS_MODULE": "weimar_sozialraum.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "True"
