"""The guard for every page: each URL pattern of the project, public and admin, asked by each
persona with malformed and oversized path and query values, answers without a server error.

Nothing here lists pages: the patterns come from the URLconf, and each pattern's parameters
from the pattern itself, the links and forms of a sample page, and what the view reads from
request.GET. A page added tomorrow (an /api/, a new report) is walked without a change here.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import URLResolver, get_resolver, path, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

# A word where a number belongs, a number past 64 bits, superscript digits (str.isdigit says
# yes, int() says no), a value far longer than any field, and a NUL byte (PostgreSQL refuses
# it in any text it is given).
JUNK = ["abc", "99999999999999999999", "²⁰²⁴", "x" * 2000, "a\x00b"]
# Extra junk the superuser sends, every parameter a different value in each request, so each
# parameter meets each value: signs, zero, overflow, decimals, markup, a lone percent sign.
MORE_JUNK = ["-1", "0", "1e309", "2024.5", "<script>", "%"]
# Parameters worth trying on every page, beside the ones each page shows or reads.
COMMON = ["year", "page", "sort", "o", "q", "p", "plan", "subject", "metric", "next", "e"]
POST_FIELDS = ["_selected_action", "action", "transition", "token", "reason", "select_across"]


def walk(resolver=None, prefix=""):
    """(pattern text, is regex) of every URL pattern, nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, text)
        else:
            yield text


ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?[^()]*\)")


def fill(pattern, value):
    """The pattern with every parameter replaced by `value` (route and regex syntax)."""
    path = ROUTE_PARAM.sub(lambda m: quote(value, safe=""), pattern)
    path = REGEX_GROUP.sub(lambda m: quote(value, safe=""), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def parameter_count(pattern):
    return len(ROUTE_PARAM.findall(pattern)) + len(REGEX_GROUP.findall(pattern))


class Links(HTMLParser):
    """Same-site links, GET-form field names and list action names of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.fields, self.actions = [], set(), []
        self._in_action = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith(("/", "?")):
            self.links.append(attrs["href"])
        if tag in ("input", "select") and attrs.get("name"):
            self.fields.add(attrs["name"])
        self._in_action = tag == "select" and attrs.get("name") == "action"
        if tag == "option" and self._in_action_list and attrs.get("value"):
            self.actions.append(attrs["value"])
        if tag == "select":
            self._in_action_list = self._in_action

    _in_action_list = False


def route_of(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def read_parameters(client, url):
    """Names the view reads from request.GET (QueryDict.get / [] / getlist / in)."""
    seen = set()
    originals = {
        name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")
    }

    def spy(name):
        def method(self, key, *args, **kwargs):
            seen.add(key)
            return originals[name](self, key, *args, **kwargs)

        return method

    for name in originals:
        setattr(QueryDict, name, spy(name))
    try:
        response = client.get(url)
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
    return response, {k for k in seen if isinstance(k, str)}


class Walker:
    def __init__(self, client, user=None):
        self.client, self.user = client, user
        self.problems = []
        self.asked = 0

    def ask(self, method, url, data=None):
        self.asked += 1
        try:
            response = getattr(self.client, method)(url, data or {})
        except Exception as error:  # the test client re-raises the view's exception
            problem = f"{method.upper()} {url[:160]} → {type(error).__name__}: {error}"
            self.problems.append(problem[:400])
            return None
        if response.status_code >= 500:
            self.problems.append(f"{method.upper()} {url[:160]} → {response.status_code}")
        if (
            method == "post"
            and self.user is not None
            and "_auth_user_id" not in self.client.session
        ):
            self.client.force_login(self.user)  # a POST to a logout page: carry on as before
        return response


def samples_by_route(client, patterns):
    """One real URL per pattern: the parameterless pages, then the links found on them."""
    samples, pages = {}, {}
    for pattern in patterns:
        if parameter_count(pattern) == 0:
            url = fill(pattern, "")
            if (route := route_of(url)) is not None:
                samples.setdefault(route, url)
    for url in list(samples.values()):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        links = Links()
        links.feed(response.content.decode(errors="replace"))
        pages[url] = links
        for href in links.links:
            target = urlsplit(href)
            path = target.path or urlsplit(url).path
            route = route_of(path)
            if route is not None and route not in samples:
                samples[route] = path
    return samples, pages


def query_names(walker, url, page):
    """(every parameter to try, the ones the page itself reads or links)."""
    response, read = read_parameters(walker.client, url)
    if page is not None:
        read |= {k for href in page.links for k, _ in parse_qsl(urlsplit(href).query)}
        read |= page.fields
    read = {n for n in read if not n.startswith("csrf")}
    return sorted(read | set(COMMON)), sorted(read)


def walk_as(walker, patterns, samples, pages, thorough):
    """Every pattern with junk in its path parameters, then each sample page with junk in all
    its query parameters at once. `thorough` (the superuser, who reaches every page) uses
    every junk value, also POSTs, tries each parameter the page reads or links alone, and
    each list action with a bad selection; the other personas try the two sharpest values."""
    junk = JUNK if thorough else JUNK[1:2]
    for pattern in patterns:
        if parameter_count(pattern):
            for value in junk:
                walker.ask("get", fill(pattern, value))
            if thorough:
                walker.ask("post", fill(pattern, "abc"), {field: "abc" for field in POST_FIELDS})
    for url in samples.values():
        page = pages.get(url)
        names, read = query_names(walker, url, page)
        for value in JUNK if thorough else JUNK[:1]:
            walker.ask("get", f"{url}?{urlencode({n: value for n in names})}")
        if thorough:
            for shift in range(len(MORE_JUNK)):
                values = {n: MORE_JUNK[(i + shift) % len(MORE_JUNK)] for i, n in enumerate(names)}
                walker.ask("get", f"{url}?{urlencode(values)}")
            for name in read:
                walker.ask("get", f"{url}?{urlencode({name: JUNK[0]})}")
            for action in page.actions if page else []:
                walker.ask("post", url, {"action": action, "_selected_action": "abc"})


@pytest.fixture
def personas(alice, bob, rita, adam):
    """Anonymous, a clerk, a reviewer, an administrator (group) and a superuser."""
    walkers = {"访客": Walker(Client())}
    for user in (bob, rita, adam, alice):
        client = Client()
        client.force_login(user)
        walkers[user.username] = Walker(client, user)
    return walkers


def test_no_url_answers_a_server_error_to_malformed_or_oversized_values(personas):
    patterns = list(walk())
    assert len(patterns) > 80  # public pages and every admin page are walked
    samples, pages = samples_by_route(personas["alice"].client, patterns)
    # Pages reached by a real URL: every parameterless page and the pages they link to.
    assert {
        "indicators/<slug:plan>/<slug:subject>/<slug:metric>/",
        "chains/<slug:slug>/",
        "admin/indicators/actual/<path:object_id>/change/",
    } <= set(samples)
    problems = []
    for name, walker in personas.items():
        walk_as(walker, patterns, samples, pages, thorough=name == "alice")
        problems += [f"{name}: {p}" for p in walker.problems]
    assert sum(w.asked for w in personas.values()) > 1000
    assert not problems, "\n".join(sorted(set(problems))[:80])


def broken(request, number=None):
    """A page that trusts its input, as the walker must catch."""
    return HttpResponse(str(int(request.GET.get("year", "2024")) + int(number or 0)))


urlpatterns = [
    path("broken/<str:number>/", broken),
    path("broken/", broken),
]


@pytest.mark.urls(__name__)
def test_the_walker_catches_a_page_that_trusts_its_path_or_query(alice):
    client = Client()
    client.force_login(alice)
    walker = Walker(client, alice)
    patterns = list(walk())
    assert patterns == ["broken/<str:number>/", "broken/"]
    samples = {"broken/": "/broken/"}
    walk_as(walker, patterns, samples, {}, thorough=True)
    assert "GET /broken/abc/ → ValueError: invalid literal for int() with base 10: 'abc'" in (
        walker.problems
    )
    assert "GET /broken/?year=abc → ValueError: invalid literal for int() with base 10: 'abc'" in (
        walker.problems
    )
