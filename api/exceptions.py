"""Errors as JSON with a Chinese message: `{"detail": "…", "code": "…"}` (and per-field errors).

Whatever goes wrong on a request to /api/ — an unknown code, a malformed year, a page past
the end, a method the API does not offer — the client gets JSON it can read, never a page
of HTML and never a server error for its own bad input.
"""

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from api.pagination import PAGE_MESSAGE

MESSAGES = {
    "not_found": "未找到该资源。请检查代码（slug）或编号是否正确。",
    "method_not_allowed": "本接口只读，仅支持 GET、HEAD 和 OPTIONS 请求。",
    "not_acceptable": "无法以请求的格式返回，本接口只返回 JSON。",
    "not_authenticated": "请先登录。",
    "permission_denied": "没有权限访问该资源。",
    "unsupported_media_type": "不支持的请求内容格式。",
    "throttled": "请求过于频繁，请稍后再试。",
    "parse_error": "请求内容无法解析。",
}


def handle(exc, context):
    """DRF's handler, with every message in Chinese and a stable `code`."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": "查询参数有误：" + "；".join(_field_messages(exc.detail)),
            "code": "invalid",
            "errors": exc.detail,
        }
        return response
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    detail = str(getattr(exc, "detail", ""))
    # The page-number message says more than “not found”: keep it.
    message = detail if detail == PAGE_MESSAGE else MESSAGES.get(code, detail)
    response.data = {"detail": message, "code": code}
    return response


def _field_messages(detail):
    if isinstance(detail, dict):
        return [
            f"{name}：{'，'.join(str(m) for m in _flat(messages))}"
            for name, messages in detail.items()
        ]
    return [str(m) for m in _flat(detail)]


def _flat(messages):
    if isinstance(messages, (list, tuple)):
        for m in messages:
            yield from _flat(m)
    elif isinstance(messages, dict):
        for m in messages.values():
            yield from _flat(m)
    else:
        yield messages


def not_found(request, *args, **kwargs):
    """Any other path under /api/: a JSON 404 rather than the site's HTML page."""
    return JsonResponse(
        {"detail": MESSAGES["not_found"], "code": "not_found"},
        status=status.HTTP_404_NOT_FOUND,
        json_dumps_params={"ensure_ascii": False},
    )
