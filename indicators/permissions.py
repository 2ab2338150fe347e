"""Who may see and change which figures.

Every view, admin page and import asks these functions; none decides on its own.
"""

from indicators.models import Subject


def can_preview(user):
    """Staff may see figures that are not yet approved, clearly marked as such."""
    return bool(user and user.is_authenticated and user.is_staff)


def editable_subjects(user):
    """Subjects whose actuals this user may enter or change."""
    if not (user and user.is_authenticated and user.is_active):
        return Subject.objects.none()
    if user.is_superuser or user.has_perm("indicators.change_actual"):
        return Subject.objects.all()
    return Subject.objects.none()


def can_edit(user, subject):
    """Whether this user may enter or change actuals of this subject."""
    return editable_subjects(user).filter(pk=subject.pk).exists()
