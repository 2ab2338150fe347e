"""What the core needs from each kind of subject, registered by the app that defines it.

The core (models, tracking, permissions, workflow, quality) knows subjects only as
`Subject` rows. A subject app (`chains`, `parks`) tells it the rest in its
`AppConfig.ready()`, the way `django.contrib.admin` collects ModelAdmins:

- `list_url`: the URL name of the kind's list page (navigation, links from other pages);
- `report_sheet`: a function `(year, plan) -> Sheet` that writes the kind's sheet of the
  report for the plan it follows;
- `manager_lookup`: an ORM path from `Subject` to the subject that manages it (a park's
  locality), so that the manager's clerk also enters its figures;
- `attributes`: a function returning `{metric slug: [values]}` for descriptive fields that a
  document totals in a 合计 row (annex 2's area and firm count);
- `managers`: a function returning `{subject pk: managing subject pk}`.

The core asks this module and never imports a subject app.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    order: int = 100
    list_url: str = ""
    report_sheet: Callable | None = None
    manager_lookup: str = ""
    attributes: Callable[[], dict] | None = None
    managers: Callable[[], dict] | None = None


_kinds: dict[str, SubjectKind] = {}


def register(kind: SubjectKind) -> None:
    """Register (or replace) what the core needs from one kind of subject."""
    _kinds[kind.kind] = kind


def kinds() -> list[SubjectKind]:
    """Every registered kind, in the order its pages and sheets appear."""
    return sorted(_kinds.values(), key=lambda k: k.order)


def get(kind: str) -> SubjectKind | None:
    return _kinds.get(kind)


def manager_lookups() -> list[str]:
    """ORM paths from a subject to the subjects that manage it."""
    return [k.manager_lookup for k in kinds() if k.manager_lookup]


def attribute_values(metric_slug: str) -> list:
    """Values of a descriptive attribute a document totals, for one metric (or [])."""
    for k in kinds():
        if k.attributes:
            values = k.attributes().get(metric_slug)
            if values is not None:
                return values
    return []


def managers() -> dict:
    """Subject pk → the pk of the subject that manages it, over every kind."""
    found = {}
    for k in kinds():
        if k.managers:
            found.update(k.managers())
    return found
