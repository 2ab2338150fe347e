"""The dashboard's roles as Django groups, created or brought up to date idempotently.

Visitors need no account while pages are public (BEICHEN_PUBLIC); officials log in to
read when they are not. Data-entry staff are bound to subjects by `Assignment`.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction

OFFICIALS = "领导干部（只读）"
CLERKS = "填报人员"
REVIEWERS = "审核人员"
ADMINISTRATORS = "管理员"

READ_MODELS = [
    "indicators.document",
    "indicators.plan",
    "indicators.metric",
    "indicators.subject",
    "indicators.target",
    "indicators.actual",
    "indicators.statedtotal",
    "indicators.statement",
    "indicators.project",
    "indicators.measure",
    "chains.chain",
    "parks.locality",
    "parks.park",
]
MANAGED_MODELS = READ_MODELS + ["indicators.assignment", "auth.user", "auth.group"]


def view(models):
    return [f"{m.split('.')[0]}.view_{m.split('.')[1]}" for m in models]


def manage(models):
    return [
        f"{m.split('.')[0]}.{action}_{m.split('.')[1]}"
        for m in models
        for action in ("view", "add", "change", "delete")
    ]


# Group name → permissions ("app_label.codename"). Kept as data so a new role is one entry.
ROLES = {
    OFFICIALS: [],
    CLERKS: view(READ_MODELS)
    + [
        "indicators.add_actual",
        "indicators.change_actual",
        "indicators.delete_actual",
        "indicators.submit_actual",
    ],
    REVIEWERS: view(READ_MODELS) + ["indicators.review_actual"],
    ADMINISTRATORS: manage(MANAGED_MODELS)
    + [
        "indicators.submit_actual",
        "indicators.review_actual",
        "indicators.enter_any_subject",
    ],
}
ROLE_HELP = {
    OFFICIALS: "阅读已审核发布的页面；看板设为需登录时使用。",
    CLERKS: "在“填报范围”内录入、修改并提交本单位的年度实际值。",
    REVIEWERS: "审核、退回（须写明原因）或重新打开（须写明原因）年度实际值。",
    ADMINISTRATORS: "管理规划、基数与目标、用户与填报范围，可填报全部对象。",
}
# Roles whose members use the admin (is_staff).
STAFF_ROLES = {CLERKS, REVIEWERS, ADMINISTRATORS}


@dataclass
class RolesReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def permission(name):
    app_label, codename = name.split(".")
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        raise LookupError(f"权限 {name} 不存在，请先运行 migrate。") from None


@transaction.atomic
def setup_roles():
    """Create the groups and give each exactly its permissions; safe to run again."""
    report = RolesReport()
    for name, names in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        wanted = {permission(n) for n in names}
        if not created and set(group.permissions.all()) == wanted:
            report.unchanged.append(name)
            continue
        group.permissions.set(wanted)
        (report.created if created else report.updated).append(name)
    return report


def grant(user, role):
    """Put a user in a role's group; staff roles also get admin access."""
    user.groups.add(Group.objects.get(name=role))
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
