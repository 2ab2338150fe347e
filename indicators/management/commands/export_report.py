from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Actual, Plan
from indicators.reporting import document, report
from indicators.spreadsheets import workbook

FORMATS = ("xlsx", "docx")


class Command(BaseCommand):
    help = (
        "把某一年的指标报告写成 Excel 工作簿，或写成 Word 评估报告（--format docx）；"
        "仅含已审核的实际值。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="报告年份，如 2024")
        parser.add_argument(
            "--output", required=True, help="输出文件，如 report.xlsx 或 report.docx"
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="xlsx（Excel 工作簿）或 docx（Word 评估报告）；默认按输出文件的扩展名，否则为 xlsx",
        )
        parser.add_argument(
            "--plan",
            default="",
            help="规划代码：报告按该规划编排（Word 报告只写该规划的指标）；"
            "默认为规划期包含该年份的规划，否则为最新规划",
        )

    def handle(self, *args, **options):
        year = report.valid_year(options["year"])
        if year is None:
            low, high = Actual.year_bounds()
            raise CommandError(
                f"年份须在 {low} 年至 {high} 年之间（填写的是“{options['year']}”）。"
            )
        output = options["output"]
        fmt = options["format"] or ("docx" if Path(output).suffix.lower() == ".docx" else "xlsx")
        plan = None
        if options["plan"]:
            plan = Plan.objects.with_targets().filter(slug=options["plan"]).first()
            if plan is None:
                codes = "、".join(Plan.objects.with_targets().values_list("slug", flat=True))
                raise CommandError(f"没有代码为“{options['plan']}”的规划；可选：{codes}。")
        rep = report.build(year, plan)
        # The file is finished before the path is opened: an unwritable path is reported as
        # such, and the workbook's streamed sheets are never left unsaved.
        if fmt == "docx":
            content = document.to_bytes(document.build(rep, plan))
        else:
            content = workbook.to_bytes(workbook.build(rep))
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error.strerror}") from None
        if fmt == "docx":
            self.stdout.write(f"已生成 {output}：{year}年评估报告（Word）。")
            return
        rows = sum(len(sheet.rows) for sheet in rep.sheets)
        self.stdout.write(f"已生成 {output}：{year}年报告，{len(rep.sheets)} 张表，{rows} 行。")
