"""What every page's layout reads: the source documents the footer names."""

from django.db.models import F
from django.utils.functional import SimpleLazyObject

from indicators.domain import data_version
from indicators.models import Document

# Issued documents by date, then those without a date (on every database).
ISSUED = F("issued").asc(nulls_last=True)


def source_documents(request):
    """The documents the figures come from, in the order they were issued (read only when the
    footer is rendered, then kept until the data changes)."""
    return {
        "source_documents": SimpleLazyObject(
            lambda: data_version.kept(
                "source-documents", lambda: list(Document.objects.order_by(ISSUED, "slug"))
            )
        )
    }
