from django.core.management.base import BaseCommand

from indicators.domain.roles import ROLE_HELP, setup_roles


class Command(BaseCommand):
    help = "创建或更新角色（用户组）及其权限：领导干部、填报人员、审核人员、管理员。可重复运行。"

    def handle(self, *args, **options):
        report = setup_roles()
        for label, names in (
            ("新建", report.created),
            ("更新", report.updated),
            ("未变", report.unchanged),
        ):
            for name in names:
                self.stdout.write(f"{label}：{name} — {ROLE_HELP[name]}")
