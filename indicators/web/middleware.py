"""The site's own middleware: login unless public, the chosen language, and NUL refused."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

# The language switch carries no CSRF token, so published pages hold nothing per visitor and
# can be cached for everyone; a forged request could only switch someone's page language.
switch_language = csrf_exempt(set_language)


class LoginUnlessPublicMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, switched off while the dashboard is public.

    The login pages (the site's and the admin's) are marked `login_not_required` by
    Django itself, and static files are served before this middleware runs.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.BEICHEN_PUBLIC or view_func is switch_language:
            # The language switch sits on the login page too.
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the person chose English with the language switch.

    The browser's Accept-Language is not consulted: officials on an English-language
    system still get the Chinese dashboard first, and English only when they ask for it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_in(request):
    """Where a NUL character sits in the request (path, a query or form field), or None."""
    if NUL in request.path:
        return gettext("地址路径")
    fields = [request.GET]
    if request.method == "POST" and request.content_type in FORMS:
        fields.append(request.POST)
    for data in fields:
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                return gettext("参数“%(name)s”") % {"name": name.replace(NUL, "")[:40]}
    return None


class RefuseNulMiddleware:
    """A NUL character in the address or a form is a malformed request: 400 with the place
    named, before any view passes it to the database (PostgreSQL refuses NUL in text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_in(request)
        if where is None:
            return self.get_response(request)
        message = gettext("请求中含有空字符（NUL），无法处理：%(where)s。请检查地址后重试。") % {
            "where": where
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
