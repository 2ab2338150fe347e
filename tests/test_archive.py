"""Download everything: Olivia takes every published value home in one archive."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from indicators.models import Actual
from indicators.spreadsheets import archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def zipped(client):
    response = client.get("/download/archive/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="beichen-open-data-')
    return zipfile.ZipFile(io.BytesIO(response.content))


def read_csv(zipped, name):
    return list(csv.DictReader(io.StringIO(zipped.read(name).decode("utf-8-sig"))))


def test_the_tidy_table_has_every_published_value_exactly_once(zipped):
    rows = read_csv(zipped, "数据/全部数据_长表.csv")
    assert list(rows[0]) == archive.TIDY_COLUMNS
    published = Actual.objects.published()
    assert len(rows) == published.count() > 90
    keys = [(r["对象代码"], r["指标代码"], r["年份"], r["统计期"]) for r in rows]
    assert len(set(keys)) == len(keys)
    expected = {
        (a.subject.slug, a.metric.slug, str(a.year), a.period_name)
        for a in published.select_related("subject", "metric")
    }
    assert set(keys) == expected


def test_unapproved_values_stay_out_of_the_archive(client):
    figure = Actual.objects.get(
        subject__slug="beichen", metric__slug="industrial-output", year=2024
    )
    figure.state = Actual.State.SUBMITTED
    figure.save()
    rows = read_csv(
        zipfile.ZipFile(io.BytesIO(client.get("/download/archive/").content)),
        "数据/全部数据_长表.csv",
    )
    assert len(rows) == Actual.objects.published().count()
    assert not [
        r
        for r in rows
        if r["对象代码"] == "beichen"
        and r["指标代码"] == "industrial-output"
        and r["年份"] == "2024"
    ]


def test_a_row_carries_plan_unit_source_and_progress_status(zipped):
    rows = read_csv(zipped, "数据/全部数据_长表.csv")
    row = next(
        r
        for r in rows
        if r["对象代码"] == "beichen"
        and r["指标代码"] == "mfg-va-gdp-share"
        and r["年份"] == "2024"
    )
    assert (row["对象"], row["指标"], row["数值"], row["单位"]) == (
        "北辰区",
        "制造业增加值占GDP比重",
        "39.8",
        "%",
    )
    assert row["来源文件"] == "北辰区工业经济“十四五”规划后评估报告"
    assert row["审核状态"] == "已审核"
    assert "提前达到" in row["进度状态"]
    partial = next(
        r for r in rows if r["指标代码"] == "industrial-output" and r["统计期"] == "1—10月"
    )
    assert (partial["年份"], partial["数值"], partial["进度状态"]) == (
        "2025",
        "1152.5",
        "非全年数据，不参与状态判定",
    )


def test_the_xlsx_holds_the_same_rows_as_numbers(zipped):
    ws = load_workbook(io.BytesIO(zipped.read("数据/全部数据_长表.xlsx"))).active
    assert ws.max_row - 1 == Actual.objects.published().count()
    header = [c.value for c in ws[1]]
    values = [row[header.index("数值")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, (int, float)) for v in values)


def test_a_wide_table_per_metric_has_subjects_by_years(zipped):
    rows = read_csv(zipped, "数据/宽表/chain-output.csv")
    new_energy = next(r for r in rows if r["对象代码"] == "new-energy")
    assert new_energy["对象"] == "新能源产业链"
    assert new_energy["2024年"] == "130.6"
    metrics = {a.metric.slug for a in Actual.objects.published().select_related("metric")}
    assert {n for n in zipped.namelist() if n.startswith("数据/宽表/")} == {
        f"数据/宽表/{m}.csv" for m in metrics
    }


def test_metadata_and_a_chinese_readme_explain_the_columns(zipped):
    names = set(zipped.namelist())
    assert {
        "README.txt",
        "元数据/指标.csv",
        "元数据/规划.csv",
        "元数据/对象.csv",
        "元数据/基数与目标.csv",
        "元数据/来源文件.csv",
    } <= names
    readme = zipped.read("README.txt").decode("utf-8")
    for column in archive.TIDY_COLUMNS:
        assert f"  {column}" in readme
    assert f"共 {Actual.objects.published().count()} 条实际值" in readme
    metric = next(
        r for r in read_csv(zipped, "元数据/指标.csv") if r["指标代码"] == "hightech-firms"
    )
    assert (metric["指标"], metric["单位"]) == ("国家级高新技术企业数量", "家")


def test_the_overview_links_the_archive(client):
    assert 'href="/download/archive/"' in client.get("/").content.decode()


def test_each_figure_page_offers_its_own_csv(client):
    url = "/indicators/industry-14th-fyp/beichen/mfg-va-gdp-share/"
    assert "_export=csv" in client.get(url).content.decode()
    response = client.get(url, {"_export": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "2024" in text and "39.8" in text
