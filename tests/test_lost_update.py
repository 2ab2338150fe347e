"""No lost update: two people open the same figure and both save; the second is told what
the first saved instead of silently overwriting it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from indicators.domain.roles import CLERKS
from indicators.models import Actual, Metric, Subject
from tests.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def figure(bob):
    return Actual.objects.create(
        subject=Subject.objects.get(slug="shuangjie"),
        metric=Metric.objects.get(slug="hightech-firms"),
        year=2025,
        value=40,
        note="快报",
        entered_by=bob,
    )


def opened(client, actual):
    """The change form as a person opens it: the version it carries."""
    html = client.get(reverse("admin:indicators_actual_change", args=[actual.pk])).content.decode()
    return int(re.search(r'name="opened_version" value="(\d+)"', html).group(1))


def save(client, actual, value, version):
    return client.post(
        reverse("admin:indicators_actual_change", args=[actual.pk]),
        {
            "subject": actual.subject_id,
            "metric": actual.metric_id,
            "year": actual.year,
            "value": value,
            "period": "",
            "note": "快报",
            "source": "",
            "opened_version": version,
        },
    )


def test_the_second_save_is_told_the_first_ones_value_instead_of_overwriting_it(bob, figure):
    colleague = person("bob2", CLERKS, ["shuangjie"])
    first, second = Client(), Client()
    first.force_login(bob)
    second.force_login(colleague)
    bob_opened, colleague_opened = opened(first, figure), opened(second, figure)
    assert bob_opened == colleague_opened == figure.version

    assert save(first, figure, "41", bob_opened).status_code == 302
    response = save(second, figure, "45", colleague_opened)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert re.fullmatch(
        r"您打开此页后，bob已于 \d{4}-\d\d-\d\d \d\d:\d\d 将双街镇 · 国家级高新技术企业数量 · 2025年"
        r"改为 41 家，状态为“草稿”。为免覆盖对方的修改，本次未保存；请核对对方的数值后重新填写。",
        errors[0],
    )
    assert Actual.objects.get(pk=figure.pk).value == 41

    # Having seen it, the colleague saves deliberately: the form now carries the new version.
    html = response.content.decode()
    seen = int(re.search(r'name="opened_version" value="(\d+)"', html).group(1))
    assert save(second, figure, "45", seen).status_code == 302
    assert Actual.objects.get(pk=figure.pk).value == 45


def test_every_save_and_transition_raises_the_version(bob, figure):
    from indicators.domain import workflow

    version = figure.version
    figure.value = 42
    figure.save()
    assert figure.version == version + 1
    workflow.submit(figure, bob)
    assert Actual.objects.get(pk=figure.pk).version == version + 2
