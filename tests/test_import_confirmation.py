"""Confirming an import applies it once: a second confirmation, or six at once (a double
click on a slow connection), is answered with a message, never a server error."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from indicators.models import Actual, PendingImport
from indicators.spreadsheets.workbook import to_bytes
from tests.test_import import filled
from tests.test_import_admin import IMPORT_URL, upload

FIGURE = {"subject__slug": "beichen", "metric__slug": "strategic-output", "year": 2025}


def previewed(client):
    response = upload(client, to_bytes(filled({("beichen", "strategic-output"): 688.5})))
    return response.context["token"]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_confirming_twice_applies_once_and_says_so(client, alice):
    client.force_login(alice)
    token = previewed(client)
    first = client.post(IMPORT_URL, {"token": token}, follow=True)
    assert any(m.startswith("已导入 2025年实际值.xlsx：新增 1 条") for m in messages_of(first))
    history = Actual.history.count()
    second = client.post(IMPORT_URL, {"token": token}, follow=True)
    assert second.status_code == 200
    [message] = messages_of(second)
    assert message.startswith("2025年实际值.xlsx已在 ") and message.endswith(
        " 确认导入，本次确认没有重复导入任何数据。"
    )
    assert Actual.objects.filter(**FIGURE).count() == 1
    assert Actual.history.count() == history


@pytest.mark.django_db
def test_the_upload_waits_in_the_database_not_on_a_servers_disk(client, alice):
    client.force_login(alice)
    token = previewed(client)
    pending = PendingImport.objects.get(token=token)
    assert (pending.user, pending.filename, pending.applied) == (alice, "2025年实际值.xlsx", None)
    assert bytes(pending.data).startswith(b"PK")


@pytest.mark.django_db
def test_another_persons_token_is_not_accepted(client, alice, dan):
    client.force_login(alice)
    token = previewed(client)
    other = Client()
    other.force_login(dan)
    response = other.post(IMPORT_URL, {"token": token}, follow=True)
    assert "导入预览已过期，请重新上传文件。" in messages_of(response)
    assert not Actual.objects.filter(**FIGURE).exists()


@pytest.mark.django_db(transaction=True)
def test_six_confirmations_at_once_apply_the_file_once(reload_documents, alice):
    client = Client()
    client.force_login(alice)
    token = previewed(client)
    cookies = client.cookies
    barrier, results = threading.Barrier(6), []

    def confirm():
        # Each thread has its own database connection, as each request on a server does.
        clicker = Client()
        clicker.cookies = cookies
        barrier.wait()
        try:
            response = clicker.post(IMPORT_URL, {"token": token})
            results.append((response.status_code, response["Location"]))
        except Exception as error:  # a server error would surface here
            results.append((500, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [(302, "/admin/indicators/actual/")] * 6
    saved = Actual.objects.get(**FIGURE)
    assert saved.value == Decimal("688.5")
    assert saved.history.count() == 1
    assert PendingImport.objects.get(token=token).applied is not None
