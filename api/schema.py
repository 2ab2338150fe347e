"""Schema post-processing: every operation documents its JSON error answers."""

ERROR = {
    "type": "object",
    "description": "出错时的回答：detail 为中文说明，code 为稳定的错误代码。",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["detail", "code"],
}

ERRORS = {
    "400": "查询参数有误（如年份不是整数、代码不存在）",
    "404": "未找到（代码或编号不存在，或页码超出范围）",
}


def error_responses(result, generator, request, public):
    """Add the 400 and 404 answers, with the shared Error body, to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
