"""Where in a document a figure stands (表1, 附件3 合计目标, 正文 二（一）高端装备制造), in the
page's language: Chinese pages print the locator as the document writes it, English pages
read "Table 1", "Annex 3, total targets", "text, section 2 (1) high-end equipment"."""

import functools
import re
from pathlib import Path

import yaml
from django.conf import settings

from indicators.engine.progress import Text, gettext_noop
from indicators.models import english_page, in_page_language

NUMERALS = {c: str(n) for n, c in enumerate("一二三四五六七八九十", start=1)}
_NUMERAL = "[一二三四五六七八九十]"

# The documents' section titles and the words of their locators.
WORDS = {
    "工作目标": "goals",
    "质量效益": "quality and efficiency",
    "结构调整": "structural adjustment",
    "智能创新": "smart innovation",
    "数字经济": "digital economy",
    "绿色发展": "green development",
    "核心指标完成亮点表": "table of core indicator highlights",
    "对策建议": "recommendations",
    "企业梯度培育工程": "firm cultivation programme",
    "全要素生产率": "total factor productivity",
    "发展机遇": "opportunities",
    "中医药": "traditional Chinese medicine",
    "汽车与新能源汽车": "automotive and new-energy vehicles",
    "高端装备制造": "high-end equipment",
    "绿色石化": "green petrochemicals",
    "轻工": "light industry",
    "信息技术应用创新": "IT application innovation",
    "新材料": "new materials",
    "新能源": "new energy",
    "生物医药": "biomedicine",
    "全区合计": "district total",
    "合计目标": "total targets",
    "合计": "total",
    "工作措施": "measures",
    "录入": "entered",
}

_RULES = [
    (re.compile(r"表(\d+)"), r"Table \1"),
    (re.compile(r"附件(\d+)"), r"Annex \1"),
    (re.compile(r"第(\d+)行"), r"row \1"),
    (re.compile(rf"({_NUMERAL})（({_NUMERAL})）"), lambda m: f"{_n(m[1])} ({_n(m[2])}) "),
    (re.compile(rf"({_NUMERAL})、"), lambda m: f"{_n(m[1])}: "),
    (re.compile(r"（(\d+)）"), r" (\1) "),
    (re.compile(rf"正文 ({_NUMERAL})(?!\d)"), lambda m: f"text, section {_n(m[1])}"),
    (re.compile(rf"^({_NUMERAL})(?= |$)"), lambda m: f"section {_n(m[1])}"),
    (re.compile("正文 "), "text, section "),
]


def _n(numeral):
    return NUMERALS[numeral]


def english(source: str) -> str:
    """A locator in English: 附件3 合计目标 → "Annex 3 total targets"."""
    text = source
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    for word in sorted(WORDS, key=len, reverse=True):
        text = text.replace(word, WORDS[word])
    text = re.sub(r"\s+", " ", text).strip()
    return f"section {text}" if text[:1].isdigit() else text


def display(source) -> str:
    """The locator in the page's language."""
    source = str(source or "")
    return english(source) if source and english_page() else source


def locator(source):
    """A locator inside a sentence (`progress.Text`), read in the language of the page that
    shows it; an actual without one was entered by staff (录入)."""
    if not source:
        return Text(gettext_noop("录入"))
    return in_page_language(lambda: display(source))


def in_plan(plan, source):
    """Where in a plan: 《倍增行动方案》表1."""
    return Text(gettext_noop("《{plan}》{source}"), plan=plan, source=locator(source))


def in_document(document, source):
    """Where in a document: 北辰区…报告“一（二）核心指标完成亮点表”."""
    return Text(gettext_noop("{document}“{source}”"), document=document, source=locator(source))


def document_source(document, source):
    """A document and the place in it, for a source column: 北辰区…方案（2021-2025年） 附件3."""
    return Text(gettext_noop("{document} {source}"), document=document, source=locator(source))


SEMICOLON = gettext_noop("{first}；{second}")
COMMA = gettext_noop("{first}，{second}")


def joined(parts, message=SEMICOLON):
    """Several parts of one sentence or source: “甲；乙；丙” (or with COMMA “甲，乙”), each
    translated in its place."""
    if len(parts) < 2:
        return parts[0] if parts else ""
    return Text(message, first=parts[0], second=joined(parts[1:], message))


# Short words the documents list (责任单位 “发改委、工信局”, 主导产业 “装备制造、电子”, 统计频率
# “年度；月度”), and the glossaries of fixtures/english.yaml that read them in English.
GOVERNMENT_UNITS, INDUSTRIES, FREQUENCIES = "government_units", "industries", "frequencies"
_LIST_SEPARATORS = re.compile(r"[、，；,;]")
_CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@functools.cache
def glossary(name):
    with open(Path(settings.BASE_DIR) / "fixtures" / "english.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle).get(name) or {}


def listed(text, name):
    """A list of the documents' short words in the page's language. Chinese pages print it as
    written; English pages read each word the glossary `name` knows in English, joined by
    commas, and keep any other word in Chinese: “发改委、某某办” → "Development and Reform
    Commission, 某某办"."""
    text = str(text or "")
    if not text or not english_page():
        return text
    words = glossary(name)
    parts = (part.strip() for part in _LIST_SEPARATORS.split(text))
    return ", ".join(words.get(part, part) for part in parts if part)


@functools.cache
def _metadata_texts():
    """fixtures/metadata.yaml's shared 指标说明 texts (as loaded: spaces folded) → English."""
    path = Path(settings.BASE_DIR) / "fixtures" / "metadata.yaml"
    with open(path, encoding="utf-8") as handle:
        metadata = yaml.safe_load(handle)
    chinese = {**metadata.get("methods", {}), **{k: metadata.get(k) for k in METADATA_SOURCES}}
    english = glossary("metadata_texts")
    return {
        " ".join(str(text).split()): " ".join(english[key].split())
        for key, text in chinese.items()
        if text and key in english
    }


METADATA_SOURCES = ("action_plan", "report", "both")


def metadata_text(text):
    """A figure's 指标说明 text in the page's language: English pages read the texts
    fixtures/metadata.yaml shares among figures (how the status is judged, the sources) in
    English, and any other text as written."""
    text = str(text or "")
    if not text or not english_page():
        return text
    return _metadata_texts().get(" ".join(text.split()), text)


# A document number (北辰政办发〔2022〕3号) is quoted as issued, inside English text too.
_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")


def still_chinese(text):
    """Whether a text shown on an English page still holds Chinese (to be marked as quoted),
    beside a document number."""
    return bool(_CHINESE.search(_DOCUMENT_NUMBER.sub("", str(text or ""))))
