"""The admin's 年度实际值 import: template → fill → upload → preview → confirm."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from indicators.models import Actual
from indicators.spreadsheets import importing
from tests.test_import import METRIC, SUBJECT, VALUE, dump

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/indicators/actual/import/"


def upload(client, data, name="2025年实际值.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def downloaded_template(client, year=2025):
    response = client.get(f"{IMPORT_URL}template/?year={year}")
    assert response.status_code == 200
    assert 'filename="actuals-template-2025.xlsx"' in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def fill(wb, values):
    ws = wb[importing.SHEET_NAME]
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, SUBJECT).value, ws.cell(r, METRIC).value)
        if key in values:
            ws.cell(r, VALUE, value=values[key])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_actual_list_offers_the_template_and_the_import(client, alice):
    client.force_login(alice)
    html = client.get("/admin/indicators/actual/").content.decode()
    assert "下载填报模板" in html and f'href="{IMPORT_URL}"' in html


def test_round_trip_template_fill_preview_confirm(client, alice):
    client.force_login(alice)
    data = fill(
        downloaded_template(client),
        {("beichen", "strategic-output"): 688.5, ("new-energy", "chain-output"): 281},
    )
    before = dump()
    response = upload(client, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "将新增 2 条，修改 0 条，无变化 0 条" in html
    assert "确认导入" in html
    assert dump() == before  # the preview writes nothing
    token = response.context["token"]

    response = client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == "/admin/indicators/actual/"
    saved = Actual.objects.get(subject__slug="beichen", metric__slug="strategic-output", year=2025)
    assert saved.value == Decimal("688.5")
    assert (saved.state, saved.entered_by) == (Actual.State.DRAFT, alice)
    record = saved.history.get()
    assert (record.history_user, record.history_change_reason) == (
        alice,
        "表格导入：2025年实际值.xlsx",
    )
    chain = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2025)
    assert chain.value == 281

    # The same file again: nothing to apply.
    html = upload(client, data).content.decode()
    assert "将新增 0 条，修改 0 条，无变化 2 条" in html
    assert "确认导入" not in html
    assert "无变化" in html


def test_a_changed_value_shows_old_and_new(client, alice):
    client.force_login(alice)
    wb = downloaded_template(client)
    client.post(
        IMPORT_URL,
        {"token": upload(client, fill(wb, {("beichen", "rd-share"): 2.6})).context["token"]},
    )
    response = upload(client, fill(downloaded_template(client), {("beichen", "rd-share"): 2.7}))
    html = response.content.decode()
    assert "将新增 0 条，修改 1 条" in html
    assert "<td>2.6</td>" in html and "<td>2.7</td>" in html


def test_a_file_with_a_bad_row_shows_every_message_and_no_confirm_button(client, alice):
    client.force_login(alice)
    wb = downloaded_template(client)
    data = fill(wb, {("beichen", "strategic-output"): 690, ("beichen", "rd-share"): 120})
    before = dump()
    html = upload(client, data).content.decode()
    assert "文件有 1 处问题，全部改正后才能导入；本次未改动任何数据。" in html
    assert "R&amp;D经费投入占营业收入比重是百分比，须在 0 到 100 之间（填写的是 120）。" in html
    assert "确认导入" not in html
    assert dump() == before


def test_a_renamed_csv_is_refused_in_the_page(client, alice):
    client.force_login(alice)
    html = upload(client, "对象代码,数值\nbeichen,1\n".encode()).content.decode()
    assert "文件内容是 CSV 或文本，不是 Excel 工作簿" in html
    assert "确认导入" not in html


def test_an_upload_over_the_limit_is_refused_before_reading(client, alice, settings):
    settings.BEICHEN_IMPORT_MAX_BYTES = 1024
    client.force_login(alice)
    html = upload(client, b"PK" + b"\0" * 4096).content.decode()
    assert "文件大小为 4 KB，超过导入上限 1 KB，请分批导入。" in html


def test_a_confirm_without_a_preview_changes_nothing(client, alice):
    client.force_login(alice)
    before = dump()
    response = client.post(IMPORT_URL, {"token": "0" * 32}, follow=True)
    assert "导入预览已过期，请重新上传文件。" in response.content.decode()
    assert dump() == before


def test_an_official_cannot_reach_the_import(client, olivia):
    client.force_login(olivia)
    response = client.get(IMPORT_URL)
    assert response.status_code in (302, 403)
    assert client.get(f"{IMPORT_URL}template/?year=2025").status_code in (302, 403)


def test_a_town_clerk_uploading_another_towns_figures_is_told_so(client, bob):
    client.force_login(bob)
    data = fill(downloaded_template(client), {("tianmu", "srdi-firms"): 2})
    html = upload(client, data).content.decode()
    assert "您没有填报“天穆镇”数据的权限。" in html
    assert "确认导入" not in html


def test_a_preview_abandoned_for_a_day_is_removed(client, alice):
    from datetime import timedelta

    from django.utils import timezone

    from indicators.models import PendingImport

    stale = PendingImport.objects.create(
        token="f" * 32, user=alice, filename="旧.xlsx", data=b"old"
    )
    PendingImport.objects.filter(pk=stale.pk).update(created=timezone.now() - timedelta(hours=25))
    client.force_login(alice)
    upload(client, fill(downloaded_template(client), {("beichen", "rd-share"): 2.6}))
    assert not PendingImport.objects.filter(pk=stale.pk).exists()
    assert PendingImport.objects.count() == 1
