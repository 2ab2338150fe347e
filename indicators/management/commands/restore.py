"""`python manage.py restore FILE --replace`: put a backup made by `backup` back.

Everything in the database is replaced by the backup's content (hence --replace).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from indicators.management.commands.backup import postgres_env, run


class Command(BaseCommand):
    help = "用 backup 生成的备份替换数据库的全部内容（须加 --replace 确认）。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="backup 生成的备份文件")
        parser.add_argument(
            "--replace", action="store_true", help="确认用备份替换数据库中的全部数据"
        )

    def handle(self, *args, **options):
        if not options["replace"]:
            raise CommandError("恢复会替换数据库中的全部数据；确认无误请加 --replace。")
        backup = options["backup"]
        try:
            open(backup, "rb").close()
        except OSError as error:
            raise CommandError(f"无法读取备份文件 {backup}：{error.strerror}") from None
        if connection.vendor == "postgresql":
            args, env = postgres_env()
            run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, backup], env)
        else:
            call_command("migrate", verbosity=0, interactive=False)
            call_command("flush", verbosity=0, interactive=False)
            call_command("loaddata", backup, verbosity=0)
        self.stdout.write(f"已从 {backup} 恢复。")
