from django.core.management.base import BaseCommand, CommandError

from indicators.models import Actual
from indicators.reporting import report
from indicators.spreadsheets import workbook


class Command(BaseCommand):
    help = "把某一年的指标报告写成 Excel 工作簿（仅含已审核的实际值）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="报告年份，如 2024")
        parser.add_argument("--output", required=True, help="输出文件，如 report.xlsx")

    def handle(self, *args, **options):
        year = report.valid_year(options["year"])
        if year is None:
            low, high = Actual.year_bounds()
            raise CommandError(
                f"年份须在 {low} 年至 {high} 年之间（填写的是“{options['year']}”）。"
            )
        rep = report.build(year)
        try:
            workbook.build(rep).save(options["output"])
        except OSError as error:
            raise CommandError(f"无法写入 {options['output']}：{error.strerror}") from None
        rows = sum(len(sheet.rows) for sheet in rep.sheets)
        self.stdout.write(
            f"已生成 {options['output']}：{year}年报告，{len(rep.sheets)} 张表，{rows} 行。"
        )
