"""Who may see and change which figures.

Every view, admin page, workflow step and import asks these functions; none decides
on its own. A clerk's scope is the subjects assigned to them (`Assignment`), plus the
subjects those manage (a subject app registers the link, e.g. a park's locality, in
`indicators.domain.registry`): a town's clerk enters the town's figures and its parks'.
"""

from django.db.models import Q

from indicators.domain import registry
from indicators.models import Subject


def is_active_user(user):
    return bool(user and user.is_authenticated and user.is_active)


def can_preview(user):
    """Staff may see figures that are not yet approved, clearly marked as such."""
    return is_active_user(user) and user.is_staff


def enters_any_subject(user):
    """Administrators enter figures for every subject."""
    return is_active_user(user) and (
        user.is_superuser or user.has_perm("indicators.enter_any_subject")
    )


def editable_subjects(user):
    """Subjects whose actuals this user may enter or change."""
    if not is_active_user(user) or not user.has_perm("indicators.change_actual"):
        return Subject.objects.none()
    if enters_any_subject(user):
        return Subject.objects.all()
    scope = Q(assignments__user=user)
    for lookup in registry.manager_lookups():
        scope |= Q(**{f"{lookup}__assignments__user": user})
    return Subject.objects.filter(scope).distinct()


def can_edit(user, subject):
    """Whether this user may enter or change actuals of this subject."""
    if subject is None:
        return False
    return editable_subjects(user).filter(pk=subject.pk).exists()


def can_submit(user, subject):
    """Whether this user may send this subject's figures for review."""
    return can_edit(user, subject) and user.has_perm("indicators.submit_actual")


def can_review(user):
    """Reviewers approve, return and reopen figures of every subject."""
    return is_active_user(user) and user.has_perm("indicators.review_actual")


def visible_actuals(user, queryset):
    """The actuals a staff member sees in the admin: their scope, or all for reviewers."""
    if can_review(user) or enters_any_subject(user):
        return queryset
    return queryset.filter(subject__in=editable_subjects(user))
