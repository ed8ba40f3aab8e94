"""The user guides (docs/help): every page in both languages, every link resolving, every "?" of
the web client landing on a page that exists, every screenshot made by a browser test, the
gateway serving each page, and the PDF manual typeset from them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PIL import Image

from chassis.config import load_settings
from devstack.manual import MissingScreenshots, build, referenced_screenshots
from gateway.app import create_app
from gateway.help import HELP_DIR, LANGUAGES, page_names, page_title, parse, read_page
from gateway.web import WEB_DIR

ROOT = Path(__file__).resolve().parents[2]
PAGES_JS = sorted((WEB_DIR / "js" / "pages").glob("*.js"))
BROWSER_TESTS = ROOT / "tests" / "browser"
STEP = re.compile(r"[^\w.-]+")  # as conftest.snap names a step


def links(page: str, lang: str) -> list[str]:
    return [
        child.attrGet("href")
        for token in parse(read_page(page, lang))
        for child in token.children or []
        if child.type == "link_open"
    ]


def heading_ids(page: str, lang: str) -> set[str]:
    tokens = parse(read_page(page, lang))
    return {token.attrGet("id") for token in tokens if token.type == "heading_open"}


def app_routes() -> list[re.Pattern]:
    """The web client's own paths, as its router matches them."""
    patterns = re.findall(r'route\("([^"]+)"', "".join(p.read_text() for p in PAGES_JS))
    return [re.compile("^" + re.sub(r":\w+", "[^/]+", pattern) + "/?$") for pattern in patterns]


def help_links_in_the_app() -> set[str]:
    """Where every "?" of the web client points (`page` or `page#section`)."""
    source = "".join(path.read_text() for path in PAGES_JS)
    targets = set(re.findall(r'helpLink\("([^"]+)"', source))
    targets |= set(re.findall(r'\bhelp: "([^"]+)"', source))  # lookup pages pass theirs along
    queue_roles = re.findall(r'"(\w+)"', re.search(r"QUEUE_ROLES = \[(.*?)\]", source).group(1))
    for template in re.findall(r"helpLink\(`([^`]+)`", source):
        targets |= {template.replace("${role}", role) for role in queue_roles}
    conditional = re.findall(r'helpLink\(\w+ \? "([^"]+)" : "([^"]+)"', source)
    return targets | {target for pair in conditional for target in pair}


def resolves(target: str, lang: str) -> bool:
    page, _, section = target.partition("#")
    return page in page_names() and (not section or section in heading_ids(page, lang))


def snapped_screenshots() -> set[str]:
    """The file names `snap(page, "step")` gives inside each browser test."""
    names = set()
    for path in BROWSER_TESTS.glob("test_*.py"):
        for test in ast.parse(path.read_text()).body:
            if not (isinstance(test, ast.FunctionDef) and test.name.startswith("test_")):
                continue
            for call in ast.walk(test):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", "") == "snap"
                    and len(call.args) == 2
                    and isinstance(call.args[1], ast.Constant)
                ):
                    step = STEP.sub("_", call.args[1].value)
                    names.add(f"{test.name}-{step}.png")
    return names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_listed_page_exists_and_every_page_is_listed(lang):
    files = {path.stem for path in (HELP_DIR / lang).glob("*.md")}
    assert files == set(page_names())
    assert len(page_names()) == len(set(page_names())), "a page is listed twice"
    for page in page_names():
        assert page_title(parse(read_page(page, lang))), page


def test_both_languages_have_the_same_sections_so_a_question_mark_works_in_either():
    for page in page_names():
        assert heading_ids(page, "id") == heading_ids(page, "en"), page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_link_in_the_guides_resolves(lang):
    routes = app_routes()
    for page in page_names():
        for href in links(page, lang):
            if href.startswith("/bantuan/"):
                assert resolves(href.removeprefix("/bantuan/"), lang), (page, href)
            else:
                assert any(route.match(href) for route in routes), (page, href)


def test_every_question_mark_of_the_web_client_opens_a_section_that_exists():
    targets = help_links_in_the_app()
    assert len(targets) > 20
    for lang in LANGUAGES:
        for target in targets:
            assert resolves(target, lang), (lang, target)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_reached_from_a_question_mark_by_following_the_guides(lang):
    reached = {target.partition("#")[0] for target in help_links_in_the_app()}
    waiting = list(reached)
    while waiting:
        for href in links(waiting.pop(), lang):
            page = href.removeprefix("/bantuan/").partition("#")[0]
            if href.startswith("/bantuan/") and page not in reached:
                reached.add(page)
                waiting.append(page)
    assert set(page_names()) - reached == set()


def test_every_screenshot_the_guides_show_is_made_by_a_browser_test():
    shown = referenced_screenshots()
    assert shown, "the manual shows screenshots"
    assert set(shown) - snapped_screenshots() == set()


@pytest.fixture
def client():
    return create_app(load_settings({})).test_client()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gateway_serves_every_page_without_its_screenshots(client, lang):
    for page in page_names():
        response = client.get(f"/help/{lang}/{page}")
        assert response.status_code == 200, page
        assert response.mimetype == "text/html"
        body = response.get_data(as_text=True)
        assert body.startswith("<h1"), page
        assert "<img" not in body, page
    index = client.get(f"/help/{lang}/index").get_data(as_text=True)
    assert set(re.findall(r'href="/bantuan/([\w-]+)"', index)) == set(page_names())


def test_an_unknown_page_or_language_is_not_found(client):
    assert client.get("/help/id/no-such-page").status_code == 404
    assert client.get("/help/fr/mulai").status_code == 404
    assert client.get("/help/id/Mulai.md").status_code == 404


def test_the_manual_refuses_to_build_without_the_screenshots(tmp_path):
    with pytest.raises(MissingScreenshots) as refused:
        build("id", shots=tmp_path, out_dir=tmp_path)
    assert next(iter(referenced_screenshots())) in str(refused.value)


def test_the_manual_is_typeset_with_every_page_and_its_screenshots(tmp_path):
    for shade, name in enumerate(referenced_screenshots()):
        # Distinct pictures: a PDF keeps one copy of identical images.
        Image.new("RGB", (390, 2400), (shade, shade, shade)).save(tmp_path / name)
    path = build("en", shots=tmp_path, out_dir=tmp_path / "out")
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type /Page[^s]", pdf))
    assert pages > len(page_names()), pages
    assert pdf.count(b"/Subtype /Image") >= len(set(referenced_screenshots()))
