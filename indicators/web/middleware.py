"""BEICHEN_PUBLIC=false: every page asks for a login, not only the admin."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
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
