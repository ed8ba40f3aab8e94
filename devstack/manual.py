"""`make docs`: the printable manuals docs/manual/gaspol-panduan-<lang>.pdf, typeset with reportlab
from the same Markdown as the web client's help pages, with the browser tests' screenshots."""

from __future__ import annotations

import argparse
import io
import itertools
import re
import sys
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from markdown_it.token import Token
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from gateway.help import HELP_DIR, LANGUAGES, load_index, parse, read_page

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
OUT_DIR = ROOT / "docs" / "manual"
SCREENSHOT_LINK = re.compile(r"^screenshots/([\w.-]+\.png)$")
# `![...](screenshots/x.png "120-900")`: the rows (CSS pixels) of a full-page screenshot to print.
CROP = re.compile(r"^(\d+)-(\d+)$")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FRAME_WIDTH = A4[0] - 4 * cm
PHONE_WIDTH = 6.5 * cm  # a phone's screenshot printed about as wide as the phone
MAX_IMAGE_HEIGHT = 15 * cm

WORDS = {
    "id": {
        "title": "Panduan Pengguna GASPOL",
        "subtitle": "Layanan Perizinan Daring DPMPTSP",
        "lead": "Panduan pemohon, petugas, dan administrator; pertanyaan umum dan glosarium.",
        "built": "Disusun {day} dari docs/help; gambar layar dari uji peramban.",
        "contents": "Daftar Isi",
        "page": "Halaman {number}",
    },
    "en": {
        "title": "GASPOL User Guide",
        "subtitle": "The DPMPTSP office's online permit service",
        "lead": "Guides for applicants, officers and administrators; FAQ and glossary.",
        "built": "Built {day} from docs/help; screenshots from the browser tests.",
        "contents": "Contents",
        "page": "Page {number}",
    },
}


class MissingScreenshots(Exception):
    """Guides name screenshots the browser tests have not produced (run them first)."""


def referenced_screenshots(help_dir: Path = HELP_DIR) -> dict[str, list[str]]:
    """Every screenshot file name the guides show, with the pages (`lang/page`) that show it."""
    found: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for section in load_index(help_dir):
            for page in section["pages"]:
                for token in parse(read_page(page, lang, help_dir)):
                    for child in token.children or []:
                        if child.type == "image":
                            name = screenshot_name(child.attrGet("src"))
                            found.setdefault(name, []).append(f"{lang}/{page}")
    return found


def screenshot_name(src: str) -> str:
    matched = SCREENSHOT_LINK.match(src or "")
    if not matched:
        raise ValueError(f"a guide's image must be screenshots/<name>.png, not {src!r}")
    return matched.group(1)


def missing_screenshots(screenshots: Path, help_dir: Path = HELP_DIR) -> dict[str, list[str]]:
    return {
        name: pages
        for name, pages in referenced_screenshots(help_dir).items()
        if not (screenshots / name).is_file()
    }


# --- fonts and styles ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    mono: str


def fonts() -> Fonts:
    """DejaVu when the system has it (every glyph the guides use), else the PDF base fonts."""
    files = {
        "GaspolSans": "DejaVuSans.ttf",
        "GaspolSans-Bold": "DejaVuSans-Bold.ttf",
        "GaspolSans-Oblique": "DejaVuSans-Oblique.ttf",
        "GaspolSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
        "GaspolMono": "DejaVuSansMono.ttf",
    }
    if not all((DEJAVU / file).is_file() for file in files.values()):
        return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Courier")
    for name, file in files.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(DEJAVU / file)))
    pdfmetrics.registerFontFamily(
        "GaspolSans",
        normal="GaspolSans",
        bold="GaspolSans-Bold",
        italic="GaspolSans-Oblique",
        boldItalic="GaspolSans-BoldOblique",
    )
    return Fonts("GaspolSans", "GaspolSans-Bold", "GaspolSans-Oblique", "GaspolMono")


def styles(font: Fonts) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", base["BodyText"], fontName=font.regular, fontSize=10, leading=14)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", body, fontSize=9, leading=12),
        "caption": ParagraphStyle(
            "caption", body, fontName=font.italic, fontSize=8.5, textColor=colors.grey
        ),
        "part": ParagraphStyle(
            "part", body, fontName=font.bold, fontSize=24, leading=30, spaceAfter=12
        ),
        "h1": ParagraphStyle(
            "h1", body, fontName=font.bold, fontSize=17, leading=22, spaceBefore=6, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", body, fontName=font.bold, fontSize=13, leading=17, spaceBefore=10, spaceAfter=4
        ),
        "h3": ParagraphStyle("h3", body, fontName=font.bold, fontSize=11, spaceBefore=6),
        "cover": ParagraphStyle(
            "cover", body, fontName=font.bold, fontSize=30, leading=38, alignment=TA_CENTER
        ),
        "cover-sub": ParagraphStyle(
            "cover-sub", body, fontSize=15, leading=20, alignment=TA_CENTER, spaceBefore=12
        ),
        "toc1": ParagraphStyle("toc1", body, fontName=font.bold, fontSize=11, spaceBefore=8),
        "toc2": ParagraphStyle("toc2", body, leftIndent=14),
    }


# --- Markdown tokens to flowables ----------------------------------------------------------------


class Heading(Paragraph):
    """A heading the table of contents lists (level 0: a part, 1: a page) and the outline keeps."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, *also: str):
        names = "".join(f'<a name="{name}"/>' for name in (key, *also))
        super().__init__(names + text, style)
        self.toc_level = level
        self.toc_text = text
        self.toc_key = key


class Typesetter:
    """One guide page's tokens as reportlab flowables."""

    def __init__(self, page: str, style: dict[str, ParagraphStyle], font: Fonts, shots: Path):
        self.page = page
        self.style = style
        self.font = font
        self.shots = shots

    def blocks(self, tokens: list[Token]) -> list[Flowable]:
        out: list[Flowable] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            end = closing(tokens, index)
            if token.type == "heading_open":
                out.append(self.heading(token, tokens[index + 1]))
            elif token.type == "paragraph_open":
                out.extend(self.paragraph(tokens[index + 1]))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                out.append(self.listing(token, tokens[index + 1 : end]))
            elif token.type == "table_open":
                out.append(self.table(tokens[index + 1 : end]))
            index = end + 1
        return out

    def heading(self, opening: Token, inline: Token) -> Flowable:
        level = int(opening.tag[1])
        key = anchor(self.page, opening.attrGet("id"))
        text = self.markup(inline)
        if level == 1:
            return Heading(text, self.style["h1"], 1, key, self.page)
        return Paragraph(f'<a name="{key}"/>{text}', self.style[f"h{min(level, 3)}"])

    def paragraph(self, inline: Token) -> list[Flowable]:
        images = [child for child in inline.children or [] if child.type == "image"]
        if not images:
            return [Paragraph(self.markup(inline), self.style["body"])]
        return [self.screenshot(image) for image in images]

    def listing(self, opening: Token, tokens: list[Token]) -> Flowable:
        items = []
        index = 0
        while index < len(tokens):
            end = closing(tokens, index)
            if tokens[index].type == "list_item_open":
                items.append(ListItem(self.blocks(tokens[index + 1 : end])))
            index = end + 1
        ordered = opening.type == "ordered_list_open"
        return ListFlowable(
            items,
            bulletType="1" if ordered else "bullet",
            start="1" if ordered else "•",
            bulletFontName=self.font.regular,
            bulletFontSize=9,
            leftIndent=16,
        )

    def table(self, tokens: list[Token]) -> Flowable:
        rows: list[list[Paragraph]] = []
        for token, following in itertools.pairwise(tokens):
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                bold = token.type == "th_open"
                text = self.markup(following)
                rows[-1].append(Paragraph(f"<b>{text}</b>" if bold else text, self.style["cell"]))
        table = Table(rows, colWidths=[FRAME_WIDTH * 0.35, FRAME_WIDTH * 0.65], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.lightgrey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    def markup(self, inline: Token) -> str:
        """Inline Markdown as reportlab's paragraph markup; links between guides stay links."""
        parts: list[str] = []
        closers: list[str] = []
        tags = {"strong_open": "<b>", "strong_close": "</b>", "em_open": "<i>", "em_close": "</i>"}
        for child in inline.children or []:
            if child.type == "text":
                parts.append(escape(child.content, quote=False))
            elif child.type in tags:
                parts.append(tags[child.type])
            elif child.type == "code_inline":
                parts.append(f'<font face="{self.font.mono}">{escape(child.content)}</font>')
            elif child.type == "softbreak":
                parts.append(" ")
            elif child.type == "hardbreak":
                parts.append("<br/>")
            elif child.type == "link_open":
                target = link_target(child.attrGet("href"))
                parts.append(f'<a href="{target}" color="#0b5cab">' if target else "")
                closers.append("</a>" if target else "")
            elif child.type == "link_close":
                parts.append(closers.pop())
        return "".join(parts)

    def screenshot(self, image: Token) -> Flowable:
        name = screenshot_name(image.attrGet("src"))
        picture = PILImage.open(self.shots / name)
        width, height = picture.size
        printed_width = min(FRAME_WIDTH, PHONE_WIDTH if width <= 480 else FRAME_WIDTH)
        scale = printed_width / width
        top, bottom = crop_rows(image.attrGet("title"), height, int(MAX_IMAGE_HEIGHT / scale))
        buffer = io.BytesIO()
        picture.crop((0, top, width, bottom)).save(buffer, format="PNG")
        buffer.seek(0)
        printed = Image(buffer, width=printed_width, height=(bottom - top) * scale)
        printed.hAlign = "LEFT"
        caption = Paragraph(escape(image.content), self.style["caption"])
        return KeepTogether([Spacer(1, 4), printed, caption, Spacer(1, 6)])


def closing(tokens: list[Token], index: int) -> int:
    """Where the block opened at `index` ends (itself, when it opens nothing)."""
    opening = tokens[index]
    if opening.nesting != 1:
        return index
    wanted = opening.type.replace("_open", "_close")
    for end in range(index + 1, len(tokens)):
        if tokens[end].type == wanted and tokens[end].level == opening.level:
            return end
    raise ValueError(f"{opening.type} is never closed")


def anchor(page: str, heading_id: str | None) -> str:
    return f"{page}--{heading_id}" if heading_id else page


def link_target(href: str | None) -> str | None:
    """A link to another guide becomes a link inside the PDF; the app's own pages and anything
    else are plain words on paper."""
    if href and href.startswith("/bantuan/"):
        page, _, section = href.removeprefix("/bantuan/").partition("#")
        return f"#{anchor(page, section or None)}"
    if href and href.startswith(("https://", "http://")):
        return escape(href)
    return None


def crop_rows(title: str | None, height: int, fits: int) -> tuple[int, int]:
    """The rows a title names (`"120-900"`), else the top of the page, as much as fits."""
    matched = CROP.match(title or "")
    top, bottom = (int(matched.group(1)), int(matched.group(2))) if matched else (0, fits)
    top = min(top, max(0, height - 1))
    return top, min(bottom, height, top + fits)


# --- the document --------------------------------------------------------------------------------


class Manual(BaseDocTemplate):
    """A4: a cover, the contents, then the guides; a footer with the page number."""

    def __init__(self, path: Path, lang: str, font: Fonts):
        super().__init__(
            str(path),
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=WORDS[lang]["title"],
            author="DPMPTSP",
            lang=lang,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.words = WORDS[lang]
        self.font = font
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame]),
                PageTemplate(id="guide", frames=[frame], onPage=self.footer),
            ]
        )

    def footer(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(self.font.regular, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(2 * cm, 1.2 * cm, self.words["title"])
        page = self.words["page"].format(number=document.page)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, page)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            level, text, key = flowable.toc_level, flowable.toc_text, flowable.toc_key
            self.notify("TOCEntry", (level, text, self.page, key))
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(re.sub(r"<[^>]+>", "", text), key, level=level)


def story(lang: str, shots: Path, help_dir: Path, font: Fonts) -> list[Flowable]:
    style = styles(font)
    words = WORDS[lang]
    contents = TableOfContents(levelStyles=[style["toc1"], style["toc2"]], dotsMinLevel=1)
    flowables: list[Flowable] = [
        Spacer(1, 6 * cm),
        Paragraph(words["title"], style["cover"]),
        Paragraph(words["subtitle"], style["cover-sub"]),
        Paragraph(words["lead"], style["cover-sub"]),
        Spacer(1, 4 * cm),
        Paragraph(words["built"].format(day=date.today().isoformat()), style["caption"]),
        NextPageTemplate("guide"),
        PageBreak(),
        Paragraph(words["contents"], style["h1"]),
        contents,
    ]
    for number, section in enumerate(load_index(help_dir), start=1):
        title = escape(section["title"][lang])
        flowables += [PageBreak(), Heading(title, style["part"], 0, f"part-{number}")]
        for page in section["pages"]:
            typeset = Typesetter(page, style, font, shots)
            flowables += [Spacer(1, 12), *typeset.blocks(parse(read_page(page, lang, help_dir)))]
    return flowables


def build(lang: str, shots: Path = SCREENSHOTS, out_dir: Path = OUT_DIR, help_dir=HELP_DIR) -> Path:
    """The manual of one language; refuses when a screenshot it shows is missing."""
    missing = missing_screenshots(shots, help_dir)
    if missing:
        listed = "\n".join(f"  {name} (in {', '.join(pages)})" for name, pages in missing.items())
        raise MissingScreenshots(
            f"{len(missing)} screenshots the guides show are not in {shots};"
            f" run the browser tests first (make test):\n{listed}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"gaspol-panduan-{lang}.pdf"
    font = fonts()
    Manual(path, lang, font).multiBuild(story(lang, shots, help_dir, font))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screenshots", type=Path, default=SCREENSHOTS)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    try:
        for lang in LANGUAGES:
            path = build(lang, args.screenshots, args.out)
            print(f"docs: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    except MissingScreenshots as problem:
        print(f"docs: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
