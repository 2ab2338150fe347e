from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators.admin import guard_every_admin
from indicators.web.middleware import switch_language

admin.site.site_header = "北辰区制造业倍增指标管理"
admin.site.site_title = "北辰区指标看板"
admin.site.index_title = "数据管理"
guard_every_admin(admin.site)

urlpatterns = [
    path("i18n/setlang/", switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("api.urls")),
    path("chains/", include("chains.urls")),
    path("", include("parks.urls")),
    path("", include("indicators.web.urls")),
]
