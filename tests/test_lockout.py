"""Login lockout that fits an office behind one proxy: the guessed account is locked, not
the address everyone shares; the proxy's header is believed only when configured."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = reverse("admin:login")
OFFICE = "10.8.0.1"  # the intranet proxy every request of the office arrives from


def office_client(**headers):
    return Client(REMOTE_ADDR=OFFICE, **headers)


def mistype(client, username, times=None):
    for _ in range(times or settings.AXES_FAILURE_LIMIT):
        response = client.post(ADMIN_LOGIN, {"username": username, "password": "wrong"})
    return response


def test_five_wrong_passwords_for_one_user_do_not_lock_another_at_the_same_address(alice, rita):
    assert mistype(office_client(), "alice").status_code == 429
    colleague = office_client()
    response = colleague.post(ADMIN_LOGIN, {"username": "rita", "password": "rita-pass-2024!"})
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(rita.pk)


def test_the_guessed_account_stays_locked_from_any_address(alice):
    mistype(office_client(), "alice")
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    response = elsewhere.post(ADMIN_LOGIN, {"username": "alice", "password": "alice-pass-2024!"})
    assert response.status_code == 429
    assert "该账号已被暂时锁定" in response.content.decode()


def test_failures_are_recorded_by_account_and_address(alice):
    mistype(office_client(), "alice", times=2)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "alice",
        OFFICE,
        2,
    )


def test_a_forwarded_address_is_ignored_unless_a_proxy_is_trusted(alice):
    mistype(office_client(HTTP_X_FORWARDED_FOR="203.0.113.7"), "alice", times=1)
    assert AccessAttempt.objects.get().ip_address == OFFICE


def test_behind_a_trusted_proxy_the_address_it_saw_is_recorded(alice, settings):
    settings.BEICHEN_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it really saw.
    forged = office_client(HTTP_X_FORWARDED_FOR="1.2.3.4, 192.168.5.23")
    mistype(forged, "alice", times=1)
    assert AccessAttempt.objects.get().ip_address == "192.168.5.23"


def test_a_malformed_forwarded_header_falls_back_to_the_connecting_address(alice, settings):
    settings.BEICHEN_TRUSTED_PROXY_COUNT = 1
    mistype(office_client(HTTP_X_FORWARDED_FOR="not-an-address"), "alice", times=1)
    assert AccessAttempt.objects.get().ip_address == OFFICE
