"""Who may enter which figures: the permission matrix, through the functions and the admin.

Every refused cell also checks that the database did not change.
"""

import pytest
from django.urls import reverse

from indicators.domain import permissions
from indicators.models import Actual, Metric, Subject
from tests.helpers import entry_form as form

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:indicators_actual_add")

# persona → subjects (slugs) they may enter; everything else is refused.
SCOPES = {
    "bob": {"shuangjie", "shuangjie-park", "shuangyuan", "hangou", "shuangjie-unnamed"},
    "carol": {"new-energy"},
    "dan": {"beichen"},
    "rita": set(),
    "olivia": set(),
    "oscar": set(),
}
SUBJECTS = ["shuangjie", "shuangyuan", "tianmu", "qingguang-park", "new-energy", "tcm", "beichen"]
# A metric each subject carries, for entering a figure.
METRIC_OF = {
    "shuangjie": "hightech-firms",
    "shuangyuan": "park-output",
    "tianmu": "hightech-firms",
    "qingguang-park": "park-output",
    "new-energy": "chain-output",
    "tcm": "chain-output",
    "beichen": "mfg-value-added",
}


@pytest.fixture
def people(bob, carol, dan, rita, olivia, oscar, adam):
    return {p.username: p for p in (bob, carol, dan, rita, olivia, oscar, adam)}


def snapshot():
    return sorted(Actual.objects.values_list("subject_id", "metric_id", "year", "value", "state"))


def test_a_town_clerk_may_edit_the_town_and_every_park_it_manages(bob):
    editable = set(permissions.editable_subjects(bob).values_list("slug", flat=True))
    assert editable == SCOPES["bob"]


@pytest.mark.parametrize("name", sorted(SCOPES))
@pytest.mark.parametrize("subject", SUBJECTS)
def test_can_edit_matrix(people, name, subject):
    allowed = subject in SCOPES[name]
    assert permissions.can_edit(people[name], Subject.objects.get(slug=subject)) is allowed


@pytest.mark.parametrize("subject", SUBJECTS)
def test_an_administrator_may_edit_every_subject(adam, subject):
    assert permissions.can_edit(adam, Subject.objects.get(slug=subject))


def test_nobody_anonymous_or_inactive_may_edit(bob, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    shuangjie = Subject.objects.get(slug="shuangjie")
    assert not permissions.can_edit(AnonymousUser(), shuangjie)
    bob.is_active = False
    bob.save()
    assert not permissions.can_edit(bob, shuangjie)


def test_only_staff_preview_unapproved_figures(bob, rita, olivia, oscar):
    assert [permissions.can_preview(u) for u in (bob, rita, olivia, oscar)] == [
        True,
        True,
        False,
        False,
    ]


def test_only_reviewers_and_administrators_review(bob, carol, dan, rita, olivia, oscar, adam):
    reviewers = [
        u.username
        for u in (bob, carol, dan, rita, olivia, oscar, adam)
        if permissions.can_review(u)
    ]
    assert reviewers == ["rita", "adam"]


@pytest.mark.parametrize("name", ["bob", "carol", "dan"])
@pytest.mark.parametrize("subject", SUBJECTS)
def test_entering_a_figure_through_the_admin_matrix(client, people, name, subject):
    client.force_login(people[name])
    before = snapshot()
    response = client.post(ADD_URL, form(subject, METRIC_OF[subject], 2025, "7"))
    saved = Actual.objects.filter(subject__slug=subject, metric__slug=METRIC_OF[subject], year=2025)
    if subject in SCOPES[name]:
        assert response.status_code == 302
        assert saved.get().value == 7
        assert saved.get().entered_by == people[name]
    else:
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["subject"] == [
            "您没有填报该对象数值的权限，请选择您负责的对象。"
        ]
        assert snapshot() == before


@pytest.mark.parametrize("name", ["rita", "olivia", "oscar"])
def test_people_without_an_entry_role_cannot_enter_anything(client, people, name):
    client.force_login(people[name])
    before = snapshot()
    response = client.post(ADD_URL, form("beichen", "industrial-output", 2025, "1500"))
    # Non-staff are sent to the admin login; a reviewer has no add permission.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("admin:login") in response["Location"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "name, subject, allowed",
    [
        ("bob", "shuangyuan", True),
        ("bob", "tianmu", False),
        ("carol", "new-energy", True),
        ("carol", "tcm", False),
        ("dan", "beichen", True),
        ("dan", "shuangjie", False),
    ],
)
def test_changing_an_existing_draft_matrix(client, people, name, subject, allowed):
    metric = METRIC_OF[subject]
    actual = Actual.objects.create(
        subject=Subject.objects.get(slug=subject),
        metric=Metric.objects.get(slug=metric),
        year=2025,
        value=5,
    )
    client.force_login(people[name])
    url = reverse("admin:indicators_actual_change", args=[actual.pk])
    response = client.post(url, form(subject, metric, 2025, "6"))
    actual.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert actual.value == 6
    else:
        # Out of scope: the admin does not even find the figure.
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
        assert actual.value == 5


@pytest.mark.parametrize(
    "name, subject, allowed",
    [("bob", "shuangjie", True), ("bob", "tianmu", False), ("carol", "beichen", False)],
)
def test_deleting_a_draft_matrix(client, people, name, subject, allowed):
    actual = Actual.objects.create(
        subject=Subject.objects.get(slug=subject),
        metric=Metric.objects.get(slug=METRIC_OF[subject]),
        year=2025,
        value=5,
    )
    client.force_login(people[name])
    url = reverse("admin:indicators_actual_delete", args=[actual.pk])
    client.post(url, {"post": "yes"})
    assert Actual.objects.filter(pk=actual.pk).exists() is not allowed


@pytest.mark.parametrize(
    "name, subject, metric, allowed",
    [
        ("carol", "new-energy", "chain-firms", True),
        ("carol", "tcm", "chain-firms", False),
        ("dan", "beichen", "srdi-firms", True),
        ("dan", "shuangjie", "srdi-firms", False),
        ("bob", "shuangyuan", "park-output", True),
        ("bob", "qingguang-park", "park-output", False),
    ],
)
def test_importing_a_spreadsheet_matrix(people, name, subject, metric, allowed):
    from indicators.spreadsheets import importing
    from indicators.spreadsheets.workbook import to_bytes

    book = importing.template(2025)
    sheet = book[importing.SHEET_NAME]
    column = {h: i + 1 for i, h in enumerate(importing.HEADERS)}
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, column["对象代码"]).value == subject
        and sheet.cell(r, column["指标代码"]).value == metric
    )
    sheet.cell(row, column["数值"], value=9)
    before = snapshot()
    preview = importing.apply(to_bytes(book), "2025.xlsx", people[name])
    saved = Actual.objects.filter(subject__slug=subject, metric__slug=metric, year=2025)
    if allowed:
        assert preview.errors == []
        assert saved.get().entered_by == people[name]
    else:
        name_ = Subject.objects.get(slug=subject).name
        assert [str(e) for e in preview.errors] == [
            f"第{row}行“对象代码”列：您没有填报“{name_}”数据的权限。"
        ]
        assert snapshot() == before
