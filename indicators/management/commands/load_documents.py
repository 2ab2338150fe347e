from django.core.management.base import BaseCommand

from indicators.documents.loading import load_documents


class Command(BaseCommand):
    help = "载入两份来源文件的全部数据（fixtures/*.yaml）。重复执行不改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="将已改动的来源数据恢复为文件原值（默认保留工作人员的修改）。",
        )

    def handle(self, *args, reset=False, **options):
        report = load_documents(reset=reset)
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed:
            self.stdout.write("数据已是最新，未作改动。")
