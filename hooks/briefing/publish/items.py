"""The briefing's items as other programs read them: their addresses, a Markdown field as
plain text (citations as their numbers), a reference as CSL-JSON. Shared by the downloads,
the head tags and the feeds, all read away from the site's own pages."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import markdown as markdown_lib  # type: ignore[import-untyped]  # no stubs; one call

from .. import weblinks
from ..citations.csljson import to_csl_json
from ..citations.groups import citation_group
from ..model import Markdown, Recommendation
from ..render.urls import page_url
from ..sources import markup

if TYPE_CHECKING:
    from ..render.site import Site


def url(site: Site, src: str, anchor: str = "", site_url: str | None = None) -> str:
    """An item's address: site-relative, or absolute when the site's address is known."""
    path = page_url(src, site.directory_urls) + (f"#{anchor}" if anchor else "")
    return (
        urljoin(site_url if site_url.endswith("/") else site_url + "/", path) if site_url else path
    )


def item_url(site: Site, item_id: str, site_url: str | None = None) -> str:
    target = site.targets[item_id]
    return url(site, target.page, target.anchor, site_url)


def source(text: Markdown | None) -> str | None:
    return text.text.strip() if text is not None else None


def plain_text(site: Site, text: Markdown | str) -> str:
    """A Markdown field as plain text: citations as their numbers ([3], [3, p. 4]), cross-
    references as their labels, paragraphs apart by a blank line."""
    numbers, targets = site.numbering.numbers, site.targets

    def render(token: markup.Token) -> str:
        if token.is_citation:  # as the pages show it (citation_group)
            return citation_group(token.cites, numbers, site.grouping)
        assert token.target is not None
        return token.label if token.label is not None else targets[token.target].label

    source = text.text if isinstance(text, Markdown) else text
    rendered = markdown_lib.markdown(markup.replace(source, render))
    blocks = re.split(r"</(?:p|li|h\d|blockquote)>", rendered)
    lines = [" ".join(html.unescape(re.sub(r"<[^>]*>", " ", b)).split()) for b in blocks]
    return "\n\n".join(line for line in lines if line)


def url_of_rec(site: Site, rec: Recommendation, site_url: str | None = None) -> str:
    """The address of a recommendation's page (no anchor)."""
    return item_url(site, rec.id, site_url).split("#")[0]


def csl_item(site: Site, key: str) -> dict[str, object]:
    """A reference as CSL-JSON, with only a URL a reader may follow (`weblinks.web`): the
    downloads and the head metadata are read away from the site's sanitiser."""
    return weblinks.csl_item(to_csl_json(site.briefing.references[key]))
