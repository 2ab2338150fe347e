"""Administrators manage users and their 填报范围, without granting more than they have."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from indicators.domain import permissions
from indicators.domain.roles import CLERKS
from indicators.models import Assignment, Subject

pytestmark = pytest.mark.django_db


def user_form(user, **extra):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-subject": "",
        "assignments-0-note": "",
    }
    data.update(extra)
    return data


def test_an_administrator_binds_a_clerk_to_a_town(client, adam, django_user_model):
    clerk = django_user_model.objects.create_user("tianmu-clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name=CLERKS))
    client.force_login(adam)
    tianmu = Subject.objects.get(slug="tianmu")
    response = client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]),
        user_form(
            clerk, **{"assignments-0-subject": tianmu.pk, "assignments-0-note": "天穆镇经发办"}
        ),
    )
    assert response.status_code == 302
    assert list(Assignment.objects.filter(user=clerk).values_list("subject__slug", flat=True)) == [
        "tianmu"
    ]
    assert permissions.can_edit(clerk, tianmu)


def test_an_administrator_cannot_make_anyone_superuser(client, adam, bob):
    client.force_login(adam)
    client.post(reverse("admin:auth_user_change", args=[bob.pk]), user_form(bob, is_superuser="on"))
    bob.refresh_from_db()
    assert bob.is_superuser is False


def test_an_administrator_cannot_change_a_superuser(client, adam, alice):
    client.force_login(adam)
    url = reverse("admin:auth_user_change", args=[alice.pk])
    response = client.post(url, user_form(alice, username="alice2"))
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_a_clerk_cannot_manage_users(client, bob, carol):
    client.force_login(bob)
    response = client.get(reverse("admin:auth_user_change", args=[carol.pk]))
    assert response.status_code == 403


def test_one_assignment_per_clerk_and_subject(bob):
    duplicate = Assignment(user=bob, subject=Subject.objects.get(slug="shuangjie"))
    with pytest.raises(Exception) as error:
        duplicate.full_clean()
    assert error.value.messages == ["bob已负责双街镇的填报。"]
