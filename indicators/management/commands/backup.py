"""`python manage.py backup --output FILE`: the whole database, restorable with `restore`.

PostgreSQL (production): pg_dump's custom format, restored with pg_restore. SQLite (a
single machine, development): Django's dumpdata as JSON, restored with loaddata. Either
holds every figure, target, user, 填报范围 and history record.
"""

import os
import subprocess

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Rebuilt by migrate; sessions and login attempts are not worth restoring.
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def postgres_env():
    """pg_dump/pg_restore arguments and environment for the configured database."""
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args, env


def run(command, env):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise CommandError(f"找不到 {command[0]}，请先安装 PostgreSQL 客户端。") from None
    if result.returncode != 0:
        raise CommandError(f"{command[0]} 失败：{result.stderr.strip()[:2000]}")


class Command(BaseCommand):
    help = "备份整个数据库（PostgreSQL 用 pg_dump，SQLite 用 dumpdata），可用 restore 恢复。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="备份文件，如 backups/beichen.dump")

    def handle(self, *args, **options):
        output = options["output"]
        if connection.vendor == "postgresql":
            args, env = postgres_env()
            run(["pg_dump", "--format=custom", "--no-owner", "--file", output, *args], env)
        else:
            if not output.endswith(".json"):
                raise CommandError("SQLite 的备份是 JSON 文件，文件名请以 .json 结尾。")
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=NOT_DUMPED,
                output=output,
                indent=None,
                verbosity=0,
            )
        self.stdout.write(f"已备份到 {output}（{os.path.getsize(output) / 1024:.0f} KB）。")
