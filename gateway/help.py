"""The user guides of docs/help: their index, their Markdown, and each page as an HTML fragment."""

from __future__ import annotations

import itertools
import re
from functools import cache
from html import escape
from pathlib import Path

import yaml
from flask import Blueprint, Response, abort
from markdown_it import MarkdownIt
from markdown_it.token import Token

HELP_DIR = Path(__file__).resolve().parents[1] / "docs" / "help"
LANGUAGES = ("id", "en")
INDEX_PAGE = "index"
# `## Membayar retribusi {#bayar}`: an id written by hand, the same in both languages, so a
# "?" link can name a section whatever language the reader chose.
HEADING_ID = re.compile(r"\s*\{#([a-z0-9-]+)\}\s*$")
PAGE_NAME = re.compile(r"^[a-z0-9-]+$")

help_blueprint = Blueprint("help", __name__)


def load_index(help_dir: Path = HELP_DIR) -> list[dict]:
    """The sections of the guides in reading order: `{"title": {lang: text}, "pages": [...]}`."""
    return yaml.safe_load((help_dir / "index.yaml").read_text(encoding="utf-8"))["sections"]


def page_names(help_dir: Path = HELP_DIR) -> list[str]:
    return [page for section in load_index(help_dir) for page in section["pages"]]


def markdown() -> MarkdownIt:
    """CommonMark with tables; raw HTML stays text, so a guide can never inject markup."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def parse(source: str) -> list[Token]:
    """The guide's tokens, each heading carrying its `{#id}` as an id attribute."""
    tokens = markdown().parse(source)
    for opening, inline in itertools.pairwise(tokens):
        if opening.type != "heading_open":
            continue
        found = HEADING_ID.search(inline.content)
        if not found:
            continue
        opening.attrSet("id", found.group(1))
        inline.content = inline.content[: found.start()]
        last = inline.children[-1]
        last.content = HEADING_ID.sub("", last.content)
    return tokens


def read_page(page: str, lang: str, help_dir: Path = HELP_DIR) -> str:
    return (help_dir / lang / f"{page}.md").read_text(encoding="utf-8")


def page_title(tokens: list[Token]) -> str:
    """The text of the page's first heading."""
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open":
            return inline.content
    raise ValueError("a guide page starts with its title as a heading")


def without_screenshots(tokens: list[Token]) -> list[Token]:
    """The page for a phone's screen: its screenshots are that same screen, so only the PDF
    manual shows them (and the web page stays light enough to read on a slow link)."""
    kept: list[Token] = []
    for token in tokens:
        kept.append(token)
        if token.type == "paragraph_close" and len(kept) >= 3 and only_images(kept[-2]):
            del kept[-3:]
    return kept


def only_images(token: Token) -> bool:
    """An inline token that holds images and nothing else (a screenshot's paragraph)."""
    children = token.children or []
    return (
        token.type == "inline"
        and bool(children)
        and all(child.type in ("image", "softbreak") for child in children)
    )


@cache
def render_page(page: str, lang: str) -> str:
    md = markdown()
    tokens = without_screenshots(parse(read_page(page, lang)))
    return md.renderer.render(tokens, md.options, {})


@cache
def render_index(lang: str) -> str:
    """The table of contents: every section of the guides and the titles of its pages."""
    parts = [f"<h1>{'Bantuan' if lang == 'id' else 'Help'}</h1>"]
    for section in load_index():
        parts.append(f"<h2>{escape(section['title'][lang])}</h2><ul>")
        for page in section["pages"]:
            title = escape(page_title(parse(read_page(page, lang))))
            parts.append(f'<li><a href="/bantuan/{page}">{title}</a></li>')
        parts.append("</ul>")
    return "".join(parts)


@help_blueprint.get("/help/<lang>/<page>")
def help_page(lang: str, page: str):
    """A guide page as an HTML fragment for the web client's /bantuan pages."""
    known = page == INDEX_PAGE or page in page_names()
    if lang not in LANGUAGES or not PAGE_NAME.match(page) or not known:
        abort(404)
    body = render_index(lang) if page == INDEX_PAGE else render_page(page, lang)
    response = Response(body, mimetype="text/html")
    # The service worker keeps what was read for offline use; online, a new release shows at once.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Language"] = lang
    return response
