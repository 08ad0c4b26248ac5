"""The Atom feeds: valid against RFC 4287's RELAX NG grammar (tests/feed/atom.rnc, converted
with rnc2rng, validated by lxml), read back by a real feed parser (feedparser), and made from
the data alone: stable ids, dates from the entries, the same bytes on every build."""

from __future__ import annotations

from pathlib import Path

import feedparser  # type: ignore[import-untyped]  # no stubs
import lxml.etree as etree
import pytest
import rnc2rng  # type: ignore[import-untyped]  # no stubs
from briefing.labels import Labels
from briefing.publish import feed
from briefing.render.site import Site, prepare

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tracked"
GRAMMAR = Path(__file__).resolve().parent / "feed" / "atom.rnc"
SITE_URL = "https://example.org/trees/"


@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    rng = rnc2rng.dumps(rnc2rng.load(str(GRAMMAR)))
    # rnc2rng declares `xmlns:local=""` for the grammar's `local` namespace, which XML
    # namespaces 1.0 forbids; the grammar refers to it as nsName ns="" and never by prefix.
    rng = rng.replace(' xmlns:local=""', "").replace('\n         xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode("utf-8")))


def _site() -> Site:
    prepared = prepare(FIXTURE, FIXTURE / "docs", None)
    assert prepared.site is not None
    return prepared.site


@pytest.mark.parametrize("site_url", [SITE_URL, None])
@pytest.mark.parametrize("which", ["all", "rec-plant-hot-streets", "rec-shade-map"])
def test_feeds_are_valid_atom(relaxng: etree.RelaxNG, site_url: str | None, which: str) -> None:
    site = _site()
    rec = next((r for r in site.briefing.recommendations if r.id == which), None)
    text = feed.atom(site, site_url, rec)
    document = etree.fromstring(text.encode("utf-8"))
    assert relaxng.validate(document), relaxng.error_log
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"


def test_one_entry_per_status_change_and_response_newest_first() -> None:
    site = _site()
    parsed = feedparser.parse(feed.atom(site, SITE_URL))
    recs = site.briefing.recommendations
    assert len(parsed.entries) == sum(len(r.history) + len(r.responses) for r in recs)
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    assert parsed.feed.updated == "2026-04-20T00:00:00Z"  # the latest entry's, not the clock's
    first = parsed.entries[0]
    assert first.id == (
        "tag:example.org,2025-06:rec-plant-hot-streets/status-2026-04-20-implemented"
    )
    assert first.link == (
        f"{SITE_URL}recommendations/plant-hot-streets/#status-2026-04-20-implemented"
    )
    assert first.title == "Recommendation 1: Implemented"
    assert first.author == "City Parks Department"
    assert "[1, p. 14]" in first.summary  # the citation, as its number
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == len(ids)


def test_ids_and_bytes_do_not_depend_on_the_build() -> None:
    assert feed.atom(_site(), SITE_URL) == feed.atom(_site(), SITE_URL)
    relative = feedparser.parse(feed.atom(_site(), None))
    assert relative.entries[0].link.startswith("recommendations/plant-hot-streets/#")


def test_every_page_head_links_the_feed() -> None:
    page = "<html><head><title>x</title></head><body></body></html>"
    linked = feed.link_tag(page, "recommendations/sensors.md", Labels())
    assert (
        '<link rel="alternate" type="application/atom+xml" href="../../feed.atom" '
        'title="Atom feed">\n</head>'
    ) in linked
    assert 'href="feed.atom"' in feed.link_tag(page, "index.md", Labels())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<updated>2026-04-20T00:00:00Z</updated>", "<updated>2026-04-20</updated>"),
        ('<link rel="self"', '<link rel="self" length="1" bogus:x="1" xmlns:bogus="b"'),
        ("<title>Recommendation 1: Implemented</title>", ""),
    ],
    ids=["a date without time", "control: extension attribute allowed", "an entry without title"],
)
def test_the_grammar_can_fail(relaxng: etree.RelaxNG, old: str, new: str) -> None:
    """The validator is not vacuous: a date that is not RFC 3339 or a missing title fails."""
    text = feed.atom(_site(), SITE_URL)
    assert old in text
    broken = etree.fromstring(text.replace(old, new, 1).encode("utf-8"))
    assert relaxng.validate(broken) is (new.startswith("<link")), relaxng.error_log
