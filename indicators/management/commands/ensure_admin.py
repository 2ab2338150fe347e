import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "若尚无管理员，则创建本地管理员 admin。密码取自 DJANGO_SUPERUSER_PASSWORD，"
        "未设置时随机生成并只显示这一次。"
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("已有管理员账号，未创建新账号。")
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(f"已创建管理员：{username}")
        if generated:
            self.stdout.write(f"随机密码（只显示这一次，请妥善保存）：{password}")
