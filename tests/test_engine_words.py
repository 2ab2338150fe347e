"""The engine's words are written once and every one has its English: nothing can drift.

Each reason, label, method and worked-calculation sentence is a `progress.Text` made from a
message inside `gettext_noop(...)`. This reads those messages from the source and checks the
English catalogue has each one, so a new reason cannot reach an English page in Chinese.
"""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from indicators.engine import progress
from indicators.engine.progress import Figure, Point

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "indicators/engine/progress.py", ROOT / "indicators/domain/tracking.py"]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def marked_messages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "gettext_noop"
        and isinstance(node.args[0], ast.Constant)
    ]


def test_the_engine_marks_its_messages():
    messages = marked_messages(SOURCES[0])
    assert len(messages) > 40
    assert "总量为零，无法计算占比" in messages
    assert "{year}年约{projected}，与目标相差{gap}（负数为缺口）" in messages


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_engine_message_has_its_english(path):
    with translation.override("en"):
        untranslated = [m for m in marked_messages(path) if CJK.search(gettext(m))]
    assert untranslated == []


def test_no_chinese_string_in_the_engine_escapes_the_catalogue():
    """Chinese in progress.py appears only inside gettext_noop (or in comments/docstrings)."""
    tree = ast.parse(SOURCES[0].read_text(encoding="utf-8"))
    marked = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop"
    }
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    loose = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in marked | docstrings
    ]
    assert loose == []


def test_a_worked_calculation_reads_in_english():
    """Beichen's 2024 strategic output: 330 → 700 planned, a partial 2025 and a gap year."""
    fig = Figure(2020, 330, 2025, 700)
    points = [Point(2021, 380), Point(2024, 560), Point(2025, 610, partial=True)]
    a = progress.assess(fig, points)
    with translation.override("en"):
        rows = [
            (label.translate(gettext), text.translate(gettext))
            for label, text in progress.explain(a)
        ]
        notes = [note.translate(gettext) for note in a.notes]
    assert rows[0] == ("Method", "Compound annual growth rate")
    assert rows[-1][1].endswith(" (judged on the 2024 actual)")
    assert "No actual for 2022, 2023; computed from the years available" in notes
    assert not [text for row in rows for text in row if CJK.search(text)]
    assert not [note for note in notes if CJK.search(note)]
    # The Chinese is unchanged: the Text is the sentence the pages printed before.
    assert "缺少2022、2023年实际值，按已有年份计算" in a.notes
