"""The header's search box: figures, chains, localities, parks and measures by name.

A query matches a Chinese name or short name (新能源, 双街), the pinyin initials of either
(xny, sj), or a code (new-energy). One clear hit — the only hit, or the only exact one —
goes straight to its page; several are listed, exact matches first.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chains.models import Chain
from indicators.domain import sources
from indicators.models import Measure, Subject, Target
from parks.models import Locality, Park

EXACT, PREFIX, CONTAINS = 3, 2, 1
MAX_LENGTH = 50
# Words a short name leaves off: 新能源产业链 → 新能源, 双街镇 → 双街.
SUFFIXES = {Subject.Kind.CHAIN: "产业链", Subject.Kind.LOCALITY: "镇"}


@lru_cache(maxsize=4096)
def initials(text):
    """Pinyin initials of the Chinese characters in `text`, letters and digits kept: 新能源 → xny."""
    # pypinyin's phrase dictionary takes some 58 MB: loaded by the first search, not at start.
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(letters).lower() if ch.isalnum())


@dataclass
class Entry:
    """Something the search can land on."""

    kind: str  # what it is, as the results list names it
    title: str
    url: str
    names: list  # Chinese name and short name
    code: str = ""
    detail: str = ""
    quoted: bool = False  # title and detail are the documents' own words (no English version)
    keys: list = field(default_factory=list)

    def __post_init__(self):
        names = [n for n in self.names if n]
        self.keys = [n.lower() for n in names] + [initials(n) for n in names]
        if self.code:
            self.keys.append(self.code.lower())

    def score(self, query):
        if query in self.keys:
            return EXACT
        if any(key.startswith(query) for key in self.keys):
            return PREFIX
        if any(query in key for key in self.keys):
            return CONTAINS
        return 0


def short_name(subject):
    suffix = SUFFIXES.get(subject.kind, "")
    name = subject.name
    return (
        name[: -len(suffix)] if suffix and name.endswith(suffix) and len(name) > len(suffix) else ""
    )


def subject_entries():
    kinds = [
        (Chain.objects.all(), _("产业链"), "chains:detail"),
        (Locality.objects.all(), _("属地"), "parks:locality"),
        (Park.objects.select_related("managed_by"), _("园区"), "parks:park"),
    ]
    for queryset, label, url_name in kinds:
        for subject in queryset:
            detail = subject.managed_by.display_name if isinstance(subject, Park) else ""
            yield Entry(
                label,
                subject.display_name,
                reverse(url_name, args=[subject.slug]),
                [subject.name, short_name(subject)],
                code=subject.slug,
                detail=detail,
            )


def figure_entries():
    targets = Target.objects.select_related("plan", "subject", "metric").order_by(
        "subject__kind", "subject__order", "metric__order", "plan__base_year"
    )
    for t in targets:
        yield Entry(
            _("指标"),
            f"{t.subject.display_name} · {t.metric.display_name}",
            reverse("indicators:indicator", args=[t.plan.slug, t.subject.slug, t.metric.slug]),
            [t.metric.name],
            code=t.metric.slug,
            detail=t.plan.display_short_name,
        )


def measure_entries():
    for m in Measure.objects.select_related("project").order_by("number"):
        title = f"{m.number}. {m.display_title}"
        yield Entry(
            _("工作举措"),
            title,
            reverse("indicators:measures") + f"#measure-{m.number}",
            [m.title],
            detail=m.project.display_name,
            # Quoted (the plan's Chinese) where fixtures/english.yaml gives no English title.
            quoted=sources.still_chinese(title),
        )


def find(query):
    """Entries matching `query`, best first: [(score, entry)]."""
    query = (query or "").strip().lower()[:MAX_LENGTH]
    if not query:
        return []
    hits = []
    for entries in (subject_entries(), figure_entries(), measure_entries()):
        for entry in entries:
            if score := entry.score(query):
                hits.append((score, entry))
    hits.sort(key=lambda hit: -hit[0])  # stable: subjects before figures before measures
    return hits


def landing(hits):
    """The one page a search lands on, or None when the person should choose."""
    exact = [entry for score, entry in hits if score == EXACT]
    if len(exact) == 1:
        return exact[0]
    if len(hits) == 1:
        return hits[0][1]
    return None


def search(request):
    query = request.GET.get("q", "").strip()
    hits = find(query)
    if (entry := landing(hits)) is not None:
        return redirect(entry.url)
    return render(
        request,
        "indicators/search.html",
        {"query": query[:MAX_LENGTH], "hits": [entry for _, entry in hits]},
    )
