"""What happens after a builder has written a page and the site: one code path for every builder.

The MkDocs hooks call these from `on_page_content`, `on_post_page`, `on_post_template` and
`on_post_build`; the post-builder pass (`afterbuild.py`, `python -m briefing finish`) calls the
same functions over a site that a builder without hooks (Zensical) built from the export. So
nothing a reader gets exists only in the hooks.

- `content`: a page's content HTML, sanitised, with the survey's charts drawn in after it;
- `page`: a built page with the theme's markup patched, its ids checked, its feed link,
  tracker script tag and head tags added, and its Content-Security-Policy last;
- `theme_page`: the same for the theme's own pages (404.html);
- `site`: the files written after the pages: downloads (the PDF too), feeds, citation files,
  the tracker's script.
"""

from __future__ import annotations

import gzip
import html
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ..checks import anchors
from ..problems import Problem
from ..render import charts, tracker
from ..render.pages import SURVEY
from ..render.site import Site
from ..render.urls import page_url
from . import citefiles, csp, downloads, feed, head, material, pdf, sanitize


def content(site: Site, src: str, html: str) -> str:
    """Only allow-listed HTML in a page's content (SECURITY.md), whatever the Markdown held;
    then the charts, generated SVG the sanitiser would drop. Raises charts.UnsafeChart."""
    stats = site.briefing.statistics if src == SURVEY else ()
    return charts.embed(sanitize.clean(html), stats, site.formats)


@dataclass(frozen=True)
class Built:
    """One page a builder wrote: its source, site-relative URL, escaped title and content."""

    src: str
    url: str
    title: str
    content: str
    home: bool
    canonical_url: str | None = None

    def printed(self) -> pdf.PrintPage:
        return pdf.PrintPage(self.src, self.url, self.title, self.content)


@dataclass(frozen=True)
class Settings:
    """What every page of one build is finished with."""

    root: Path  # the project (mkdocs.yml's folder): the duplicate-id problems' files
    site_url: str | None = None
    directory_urls: bool = True
    language: str = "en"
    live_reload: bool = False  # a preview server's pages (see csp.policy)
    styles: tuple[str, ...] = ()  # stylesheets the theme's script inserts (see csp.policy)
    edit_base: str | None = None  # where edit links go: the repository's edit address, or none

    def edit_url(self, site: Site, src: str) -> str | None:
        """A page's edit link, as MkDocs writes it from the hooks' edit paths."""
        path = edit_path(site, src)
        return self.edit_base + path if self.edit_base and path else None


def canonical_url(site_url: str | None, src: str, directory_urls: bool = True) -> str | None:
    """A page's address under `site_url`, as MkDocs gives `page.canonical_url`."""
    if not site_url:
        return None
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, page_url(src, directory_urls))


def epoch() -> int | None:
    """SOURCE_DATE_EPOCH, the time every build stands for (the last commit's); None without."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def repository(
    repo_url: str | None,
    repo_name: str | None,
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
) -> dict[str, str]:
    """The repository settings every builder is given (repo_url, repo_name, edit_uri): those of
    mkdocs.yml, or the repository GitHub Actions builds; edit links on `extra.briefing.branch`
    (main). {} without a repository."""
    found: dict[str, str] = {}
    if not repo_url and environ.get("GITHUB_REPOSITORY"):
        repo_url = f"https://github.com/{environ['GITHUB_REPOSITORY']}"
        repo_name = environ["GITHUB_REPOSITORY"]
    if not repo_url:
        return found
    found["repo_url"] = repo_url
    if repo_name:
        found["repo_name"] = repo_name
    found["edit_uri"] = f"edit/{settings.get('branch', 'main')}/"
    return found


def edit_base(repository: Mapping[str, str]) -> str | None:
    """The address a page's edit path is appended to (MkDocs' repo_url + edit_uri)."""
    if "repo_url" not in repository:
        return None
    return urljoin(repository["repo_url"].rstrip("/") + "/", repository["edit_uri"])


def edit_path(site: Site, src: str) -> str | None:
    """What a page's edit link opens, relative to the project: a docs page's own file, a
    generated page's data file (None: a generated page with none has no edit link)."""
    generated = site.by_src().get(src)
    if generated is not None:
        return generated.edit or None
    return f"{site.docs}/{src}"


_EDIT_BUTTON = re.compile(
    r'<a href="[^"]*"(?P<rest>[^>]*class="md-content__button md-icon"[^>]*)>'
    r"(?P<inner>.*?</a>)(?P<space>\s*)",
    re.S,
)


def edit_links(before_content: str, edit_url: str | None) -> str:
    """The theme's edit (and view) buttons, written before a page's content, leading to
    `edit_url` (the view button to its raw file), or gone when the page has none, as the hooks
    have MkDocs write them (a builder without hooks would link a generated page's source as if
    it were a docs page)."""

    def button(match: re.Match[str]) -> str:
        if edit_url is None:
            return ""
        rest = match["rest"]
        url = edit_url if 'rel="edit"' in rest else edit_url.replace("/edit/", "/raw/", 1)
        return f'<a href="{html.escape(url)}"{rest}>{match["inner"]}{match["space"]}'

    return _EDIT_BUTTON.sub(button, before_content)


def source(site: Site, src: str) -> str:
    """The file a page is made from, relative to the project: its data file or its docs page."""
    generated = site.by_src().get(src)
    edit = generated.edit if generated is not None else None
    return edit or f"{site.docs}/{src}"


def page(
    output: str, site: Site, built: Built, settings: Settings, source_path: str | None = None
) -> tuple[str, list[Problem]]:
    """A built page, finished; the ids it uses twice (reported once the site is built).

    `source_path`: the file the duplicate-id problems name (`source` when not given).
    """
    output = material.page(output)
    where = source_path or source(site, built.src)
    duplicates = anchors.in_page(output, settings.root, where, built.url)
    labels = site.briefing.labels
    output = feed.link_tag(output, built.src, labels, settings.directory_urls)
    output = tracker.script_tag(output, built.src, labels, settings.directory_urls)
    output = head.for_page(
        output,
        site,
        title=built.title,
        content=built.content,
        home=built.home,
        site_name=site.briefing.report.title,
        url=built.canonical_url,
        site_url=settings.site_url,
        language=settings.language,
    )
    protected = csp.protect(output, live_reload=settings.live_reload, styles=settings.styles)
    return protected, duplicates  # the policy last: it hashes what the page holds


def theme_page(output: str, live_reload: bool = False, styles: Sequence[str] = ()) -> str:
    """A page the theme writes on its own (404.html), finished."""
    return csp.protect(material.page(output), live_reload=live_reload, styles=styles)


def site_files(
    site: Site,
    site_dir: Path,
    bib_file: Path,
    pages: Sequence[pdf.PrintPage],
    reading: Sequence[str],
    *,
    site_url: str | None = None,
    language: str = "en",
    epoch: int | None = None,
    paper: str = "a4",
    background: pdf.Background | None = None,
) -> downloads.Published:
    """Every file written after the pages: downloads and the PDF (from `pages` in the reading
    order `reading`), the feeds, the citation files and the tracker's script.

    Raises pdf.PdfError when the PDF cannot be made.
    """
    published = downloads.publish(
        site,
        site_dir,
        bib_file,
        downloads.reading_order(pages, reading),
        site_url=site_url,
        language=language,
        epoch=epoch,
        paper=paper,
        background=background,
    )
    feed.write(site, site_dir, site_url)
    citefiles.write(site, site_dir)
    tracker.write_script(site_dir)
    return published


def duplicates_error(found: Sequence[Problem]) -> str:
    """The words under which a site with ids used twice is refused."""
    return f"{len(found)} duplicate id(s): the site is not published."


PDF_STATES = {
    "printed": "the PDF took {seconds:.1f} s",
    "cached": "the PDF is unchanged since it was last printed (build cache)",
    "background": "the PDF is printing in the background",
}


def summary(published: downloads.Published) -> str:
    """One line for the log: what was written, and how the PDF was made."""
    made = PDF_STATES[published.pdf].format(seconds=published.pdf_seconds)
    return f"Wrote {len(published.files)} downloads; {made}"


def sitemap_gz(site_dir: Path, epoch: int | None) -> Path | None:
    """sitemap.xml gzipped next to it, as MkDocs writes it (the epoch as the gzip time), for a
    builder that writes only sitemap.xml; None when there is no sitemap.xml."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return None
    target = site_dir / "sitemap.xml.gz"
    buffer = io.BytesIO()
    with gzip.GzipFile(
        fileobj=buffer, filename=str(target), mode="wb", mtime=epoch or 0
    ) as compressed:
        compressed.write(sitemap.read_bytes())
    target.write_bytes(buffer.getvalue())
    return target
