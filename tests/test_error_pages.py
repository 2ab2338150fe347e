"""Officials who follow a stale link get a Chinese page that leads them back."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_missing_page_answers_404_in_chinese_with_a_way_back(client):
    response = client.get("/chains/no-such-chain/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "返回总览" in html


@override_settings(DEBUG=False)
def test_the_404_page_follows_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    html = client.get("/parks/nowhere/").content.decode()
    assert "Page not found" in html
