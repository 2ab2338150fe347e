"""Shared fixtures: the documents' data loaded once, and the people who use the dashboard."""

import pytest
from django.contrib.auth import get_user_model

from indicators.loading import load_documents


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the two documents' figures, loaded once per run."""
    with django_db_blocker.unblock():
        load_documents()


def pytest_collection_modifyitems(items):
    # Tests on a live server flush the database when they end; run them last so the
    # documents loaded once above stay in place for everything else.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def reload_documents(transactional_db):
    """For tests that commit (live server): put the documents back after a flush."""
    load_documents()


@pytest.fixture
def alice(db):
    """Alice, a district administrator who manages plans, targets and users."""
    return get_user_model().objects.create_superuser("alice", "", "alice-pass-2024!")
