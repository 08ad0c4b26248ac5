"""What became of each recommendation: its history checked, its timeline, the tracker page,
the counts on the home page and the downloads (tests/fixtures/tracked: every status,
responses from several actors, citations and cross-references inside summaries)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from briefing import labels
from briefing.checks import check_progress
from briefing.checks.check import check
from briefing.checks.validate import validate
from briefing.publish import citefiles, downloads
from briefing.render import citing
from briefing.render.site import Site, prepare
from briefing.render.timeline import counts, events
from briefing.render.tracker import TRACKER
from briefing.sources import bib, load
from bs4 import BeautifulSoup
from sitetools import markdown_html
from test_render import golden

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tracked"
RECS = "data/recommendations.yml"
SITE_URL = "https://example.org/trees/"


def _copy(tmp_path: Path, old: str = "", new: str = "") -> Path:
    root = tmp_path / "tracked"
    shutil.copytree(FIXTURE, root)
    if old:
        path = root / RECS
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _problems(root: Path, today: date = date(2026, 12, 1)) -> list[str]:
    sources, problems = load.read_sources(root)
    references, found = bib.load(root)
    briefing = load.build(sources, references)
    assert briefing is not None
    found += problems + check(sources, briefing, shared_bibliography=False, today=today)
    return [str(p) for p in sorted(found) if p.path == RECS]


def _site(root: Path = FIXTURE, locale: str = "en_GB") -> Site:
    prepared = prepare(root, root / "docs", None, published=True, site_url=SITE_URL, locale=locale)
    assert prepared.site is not None, prepared.result.errors
    return prepared.site


def test_the_fixture_is_valid() -> None:
    result = validate(FIXTURE)
    assert not result.problems, result.problems


def test_current_status_and_its_date_come_from_the_history() -> None:
    recs = {r.id: r for r in validate(FIXTURE).checked().recommendations}
    assert recs["rec-plant-hot-streets"].status == "implemented"  # no `status:` written
    assert recs["rec-plant-hot-streets"].status_date == "2026-04-20"
    assert recs["rec-watering-rota"].status == "in-progress"  # written, and agreeing
    assert recs["rec-sensors"].status == "declined"
    assert recs["rec-shade-map"].status == "proposed"
    statuses = {c.status for r in recs.values() for c in r.history}
    assert statuses == {"proposed", "accepted", "in-progress", "implemented", "declined"}


MISTAKES = [
    pytest.param(
        '  status: in-progress\n  history:\n    - date: "2025-06"',
        '  status: accepted\n  history:\n    - date: "2025-06"',
        "data/recommendations.yml:61:11: 'status: accepted' contradicts the history, whose "
        "latest entry (2026-03-01, line 71) says 'in-progress'; the current status is the "
        "latest entry's: delete this `status:` line or make it 'in-progress'",
        id="status-contradicts-history",
    ),
    pytest.param(
        '    - date: "2025-12-05"\n      status: declined',
        '    - date: "2027-01-05"\n      status: declined',
        "data/recommendations.yml:98:13: 'date': '2027-01-05' is in the future (today is "
        "2026-12-01); record a status change once it has happened",
        id="future",
    ),
    pytest.param(
        '    - date: "2025-12-05"\n      status: declined',
        '    - date: "2025-02-05"\n      status: declined',
        "data/recommendations.yml:98:13: 'date': '2025-02-05' is before the report's date "
        "(2025-06, data/report.yml); a status change comes after the report: fix the date",
        id="before-report",
    ),
    pytest.param(
        '    - date: "2025-10-02"\n      status: in-progress',
        '    - date: "2025-07-02"\n      status: in-progress',
        "data/recommendations.yml:28:13: 'history' is oldest first, but this status change "
        "(2025-07-02) is older than the one before it (2025-07-15, line 21): move it above "
        "that one",
        id="out-of-order",
    ),
    pytest.param(
        '    - date: "2025-10-20"\n      actor: Residents',
        '    - date: "2025-08-20"\n      actor: Residents',
        "data/recommendations.yml:83:13: 'responses' is oldest first, but this response "
        "(2025-08-20) is older than the one before it (2025-09-01, line 77): move it above "
        "that one",
        id="responses-out-of-order",
    ),
    pytest.param(
        '    - date: "2025-12-05"\n      status: declined',
        '    - date: "2025-02-30"\n      status: declined',
        "data/recommendations.yml:98:13: 'date': '2025-02-30' is not a date: February 2025 "
        "has 28 days",
        id="no-such-day",
    ),
    pytest.param(
        '      actor: City Council\n    - date: "2025-10-02"',
        '      actor: City Counsil\n    - date: "2025-10-02"',
        "data/recommendations.yml:27:14: warning: 'City Counsil' is not among this "
        "recommendation's actors (City Parks Department, City Council): Did you mean 'City "
        "Council'? add them to `actors:` if they were asked to act, or fix the name of this "
        "status change's actor",
        id="unknown-actor",
    ),
    pytest.param(
        '    - date: "2025-07-01"\n      actor: City Council',
        '    - date: "2025-07-01"\n      actor: The Mayor',
        "data/recommendations.yml:43:14: warning: 'The Mayor' is not among this "
        "recommendation's actors (City Parks Department, City Council): add them to "
        "`actors:` if they were asked to act, or fix the name of this response's actor",
        id="unknown-responder",
    ),
    pytest.param(
        '    - date: "2025-12-05"\n      status: declined',
        '    - date: "2025-06"\n      status: proposed',
        "data/recommendations.yml:98:7: this entry of 'history' repeats the one at line 96 "
        "(same date and status); delete one of them",
        id="duplicate",
    ),
    pytest.param(
        '    - date: "2025-12-05"\n      status: declined',
        '    - date: "2025-12-05"\n      status: proposed',
        "data/recommendations.yml:99:15: warning: the status is already 'proposed' since "
        "2025-06 (line 96): a history entry records a change of status; record news without "
        "a change as a response",
        id="no-change",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES)
def test_each_mistake_is_placed_and_explained(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert expected in _problems(_copy(tmp_path, old, new))


ACCEPTED = '    - date: "2025-09-01"\n      status: accepted\n'
IN_PROGRESS = '    - date: "2026-03-01"\n      status: in-progress\n'
HELD = '    - date: "2026-02-01"\n      status: in-progress\n'
ANSWER = (
    "      text: |\n        The council will consider the recommendation at its July meeting.\n"
)
REFLOWED = (
    '    - date: "2025-07-01"\n      actor: City Council\n'
    '      text: "The council will  consider the\\n recommendation at its July meeting."\n'
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a duplicate is told once, as a duplicate (not also as a status already held)
        (
            ACCEPTED,
            ACCEPTED * 2,
            f"{RECS}:67:7: this entry of 'history' repeats the one at line 65 (same date and "
            "status); delete one of them",
        ),
        # a status held again after changes before it
        (
            IN_PROGRESS,
            HELD + IN_PROGRESS,
            f"{RECS}:74:15: warning: the status is already 'in-progress' since 2026-02-01 "
            "(line 71): a history entry records a change of status; record news without a "
            "change as a response",
        ),
        # the same response with its text reflowed is the same response
        (
            ANSWER,
            ANSWER + REFLOWED,
            f"{RECS}:46:7: this entry of 'responses' repeats the one at line 42 (same date, "
            "actor and text); delete one of them",
        ),
    ],
    ids=["duplicate", "held-again-after-changes", "reflowed-response"],
)
def test_each_repeat_is_told_once(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert _problems(_copy(tmp_path, old, new)) == [expected]


def test_a_status_held_again_after_a_duplicate_is_told_too(tmp_path: Path) -> None:
    """A duplicate is skipped as a repeat, and the entries after it are still looked at."""
    again = '    - date: "2025-10-01"\n      status: accepted\n'
    assert _problems(_copy(tmp_path, ACCEPTED, ACCEPTED * 2 + again)) == [
        f"{RECS}:67:7: this entry of 'history' repeats the one at line 65 (same date and "
        "status); delete one of them",
        f"{RECS}:70:15: warning: the status is already 'accepted' since 2025-09-01 (line 67): "
        "a history entry records a change of status; record news without a change as a "
        "response",
    ]


def test_the_future_is_the_real_clock_s_not_the_last_commit_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry dated today passes even when SOURCE_DATE_EPOCH (the last commit) is older."""
    day = check_progress.today().isoformat()
    root = _copy(tmp_path, '    - date: "2026-04-20"', f'    - date: "{day}"')
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert not validate(root).problems
    assert check_progress.before((2026, 12), (2026, 12, 31)) is False  # same month
    assert check_progress.before((2026, 11, 30), (2026, 12))


def test_dates_are_checked_against_the_day_the_check_is_given() -> None:
    """The fixture's last status change is dated 2026-04-20: checked on the day before, it has
    not happened yet, whatever the real clock says."""
    assert _problems(FIXTURE, today=date(2026, 4, 19)) == [
        "data/recommendations.yml:34:13: 'date': '2026-04-20' is in the future (today is "
        "2026-04-19); record a status change once it has happened"
    ]
    assert _problems(FIXTURE, today=date(2026, 4, 20)) == []


def test_a_citation_in_a_summary_is_checked_like_any_markdown(tmp_path: Path) -> None:
    root = _copy(tmp_path, "citing the canopy survey [@cityatlas2024]", "citing [@nosuch2020]")
    errors = [str(p) for p in validate(root).errors]
    assert any(e.startswith("data/recommendations.yml:") and "nosuch2020" in e for e in errors)


def test_the_schema_names_a_wrong_status(tmp_path: Path) -> None:
    root = _copy(tmp_path, "      status: declined", "      status: rejected")
    errors = [str(p) for p in validate(root).errors]
    assert any(e.startswith("data/recommendations.yml:99:15:") for e in errors), errors


# --- the timeline ----------------------------------------------------------------------------


def test_timeline_interleaves_changes_and_responses_by_date() -> None:
    rec = validate(FIXTURE).checked().recommendations[0]
    assert [e.anchor for e in events(rec)] == [
        "status-2025-06-proposed",
        "response-2025-07-01-city-council",
        "status-2025-07-15-accepted",
        "status-2025-10-02-in-progress",
        "response-2025-11-12-city-parks-department",
        "status-2026-04-20-implemented",
    ]


def test_a_recommendation_page_shows_its_timeline_in_words() -> None:
    page = _site().pages["recommendations/plant-hot-streets.md"]
    assert (
        '<p class="status-as-of">Status as of <time datetime="2026-04-20">20 April 2026</time>: '
        '<strong class="status status-implemented">Implemented</strong></p>'
    ) in page
    start = page.index('id="status-2025-07-15-accepted"')
    entry = page[start : page.index("</div>", start)]
    assert "by City Council" in entry
    assert 'class="citation-group"' in entry  # the summary's citation is linked
    assert "Source: [Council resolution 2025/41](https://example.org/council/2025-41)" in entry
    assert page.index("response-2025-07-01-city-council") < start


def test_tracker_page_groups_by_status_and_by_actor() -> None:
    site = _site()
    page = site.pages[TRACKER]
    for status, n in counts(site.briefing.recommendations).items():
        assert f"({n}) {{#status-{status}}}" in page
    assert "### City Council (2) {#actor-city-council}" in page
    assert "### Residents' associations (1)" in page
    assert '<a href="recommendations/sensors.md">3. Measure street temperatures</a>' in page
    assert '<time datetime="2025-12-05">5 December 2025</time>' in page
    assert 'href="feed.atom"' in page  # beside tracker.md: the builder resolves it


def test_dates_are_the_briefing_s_locale_s() -> None:
    """The timeline's and the tracker's dates follow the locale, like every other date."""
    site = _site(locale="fr")
    rec = site.pages["recommendations/plant-hot-streets.md"]
    assert '<time datetime="2026-04-20">20 avril 2026</time>' in rec
    assert '<time datetime="2025-12-05">5 décembre 2025</time>' in site.pages[TRACKER]
    american = _site(locale="en")
    assert '<time datetime="2026-04-20">April 20, 2026</time>' in american.pages[TRACKER]


def test_home_page_counts_each_status() -> None:
    home = _site().pages["index.md"]
    assert "- [Implemented: 1](tracker.md#status-implemented)" in home
    assert "- [Accepted: 0](tracker.md#status-accepted)" in home


def test_tracker_follows_the_recommendations_in_the_nav() -> None:
    prepared = prepare(FIXTURE, FIXTURE / "docs", None)
    section = next(i for i in prepared.nav if isinstance(i, dict) and "Recommendations" in i)
    assert section["Recommendations"][-1] == {"Tracker": TRACKER}


# --- downloads -------------------------------------------------------------------------------


def test_downloads_carry_the_history_and_the_status_date() -> None:
    site = _site()
    data = downloads.briefing(site, None, "https://example.org/trees/")
    schema = json.loads(downloads.SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    recs = data["recommendations"]
    assert isinstance(recs, list)
    rec = recs[0]
    assert rec["status"] == "implemented" and rec["status_date"] == "2026-04-20"
    assert rec["history"][1]["url"] == (
        "https://example.org/trees/recommendations/plant-hot-streets/#status-2025-07-15-accepted"
    )
    rows = list(csv.DictReader(io.StringIO(downloads.recommendations_csv(site))))
    assert rows[2]["status_date"] == "2025-12-05"
    assert rows[2]["history"] == "2025-06 proposed; 2025-12-05 declined"


# --- cite one recommendation -----------------------------------------------------------------


def test_a_recommendation_page_cites_it_with_the_briefing_as_container() -> None:
    site = _site()
    page = site.pages["recommendations/sensors.md"]
    citation = site.rec_citations["rec-sensors"]
    assert "## Cite this recommendation {#cite}" in page
    assert f'<p class="cite-recommendation">{citation.html}</p>' in page
    assert "Recommendation 3: Measure street temperatures. In: Urban Trees" in citation.text
    url = f"{SITE_URL}recommendations/sensors/"
    assert f'<a href="{url}">{url}</a>' in page  # its permanent address
    assert "@incollection{rct2025-sensors," in page
    assert "booktitle = {{Urban Trees and Summer Heat" in citation.bibtex
    assert '<a href="../downloads/cite/sensors.bib">BibTeX</a>' in page  # from the source
    item = json.loads(citing.csl_json(citation))[0]
    assert item["type"] == "chapter"
    assert item["container-title"].startswith("Urban Trees and Summer Heat")
    assert item["URL"] == url


def test_citation_files_are_written(tmp_path: Path) -> None:
    site = _site()
    written = citefiles.write(site, tmp_path)
    assert len(written) == 2 * len(site.briefing.recommendations)
    bib_text = (tmp_path / "downloads/cite/sensors.bib").read_text(encoding="utf-8")
    references, problems = bib.parse("sensors.bib", bib_text.encode("utf-8"))
    assert not problems and list(references) == ["rct2025-sensors"]


def test_without_downloads_there_is_no_citation_nor_feed_link() -> None:
    prepared = prepare(FIXTURE, FIXTURE / "docs", None)  # the plain export
    assert prepared.site is not None
    assert "Cite this recommendation" not in prepared.site.pages["recommendations/sensors.md"]
    assert "feed.atom" not in prepared.site.pages[TRACKER]


COUNCIL_SAYS = (
    "      text: |\n        The council will consider the recommendation at its July meeting.\n"
)
NOT_LISTED = (
    "is not among this recommendation's actors (none are listed): add them to `actors:` if "
    "they were asked to act, or fix the name of this {what}'s actor"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            COUNCIL_SAYS,
            COUNCIL_SAYS + '    - date: "2025-07-01"\n      actor: City Council\n'
            "      text: The council will consider the\n"
            "        recommendation at its July meeting.\n",
            [
                "data/recommendations.yml:46:7: this entry of 'responses' repeats the one at "
                "line 42 (same date, actor and text); delete one of them"
            ],
            id="a-response-repeated-however-wrapped",
        ),
        pytest.param(
            COUNCIL_SAYS,
            COUNCIL_SAYS + '    - date: "2025-07-01"\n      actor: City Parks Department\n'
            "      text: The department will draw up a planting plan.\n",
            [],
            id="two-responses-on-one-day",
        ),
        pytest.param(
            COUNCIL_SAYS,
            COUNCIL_SAYS + '    - date: "2025-07-09"\n      actor: City Council\n' + COUNCIL_SAYS,
            [],
            id="the-same-words-on-another-day",
        ),
        pytest.param(
            COUNCIL_SAYS,
            COUNCIL_SAYS
            + '    - date: "2025-07-01"\n      actor: City Parks Department\n'
            + COUNCIL_SAYS,
            [],
            id="the-same-words-from-another-actor",
        ),
        pytest.param(
            COUNCIL_SAYS,
            COUNCIL_SAYS + '    - date: "2025-07-01"\n      actor: City Council\n'
            "      text: The council has set a date.\n",
            [],
            id="other-words-from-the-same-actor-on-the-same-day",
        ),
        pytest.param(
            "      summary: Published in the briefing.\n      actor: Riverside Civic Trust\n",
            "      summary: Published in the briefing.\n",
            [],
            id="a-status-change-with-no-actor",
        ),
        pytest.param(
            '    - date: "2025-10-02"\n      status: in-progress',
            '    - date: "2025-07-15"\n      status: in-progress',
            [],
            id="two-status-changes-on-one-day",
        ),
        pytest.param(
            "  actors:\n    - City Parks Department\n    - City Council\n  history:\n",
            "  history:\n",
            [
                "data/recommendations.yml:24:14: warning: 'City Council' "
                + NOT_LISTED.format(what="status change"),
                "data/recommendations.yml:30:14: warning: 'City Parks Department' "
                + NOT_LISTED.format(what="status change"),
                "data/recommendations.yml:37:14: warning: 'City Parks Department' "
                + NOT_LISTED.format(what="status change"),
                "data/recommendations.yml:40:14: warning: 'City Council' "
                + NOT_LISTED.format(what="response"),
                "data/recommendations.yml:44:14: warning: 'City Parks Department' "
                + NOT_LISTED.format(what="response"),
            ],
            id="no-actors-listed",
        ),
        pytest.param(
            '    - date: "2025-07-15"\n      status: accepted',
            '    - date: "someday"\n      status: accepted',
            [
                "data/recommendations.yml:21:13: 'date': 'someday' is not a date; write "
                '"YYYY-MM-DD" or "YYYY-MM"'
            ],
            id="a-date-that-is-not-one",
        ),
    ],
)
def test_what_is_and_is_not_a_repeat_or_an_unknown_actor(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    assert _problems(_copy(tmp_path, old, new)) == expected


def test_a_status_change_with_no_actor_does_not_hide_a_later_unknown_one(tmp_path: Path) -> None:
    root = _copy(
        tmp_path,
        "      summary: Published in the briefing.\n      actor: Riverside Civic Trust\n",
        "      summary: Published in the briefing.\n",
    )
    path = root / RECS
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("actor: City Council\n", "actor: The Mayor\n", 1), encoding="utf-8"
    )
    assert _problems(root) == [
        "data/recommendations.yml:26:14: warning: 'The Mayor' is not among this "
        "recommendation's actors (City Parks Department, City Council): add them to "
        "`actors:` if they were asked to act, or fix the name of this status change's actor"
    ]


def test_a_date_that_is_not_one_does_not_hide_a_later_future_one(tmp_path: Path) -> None:
    root = _copy(tmp_path, '    - date: "2025-07-15"', '    - date: "someday"')
    path = root / RECS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"2026-04-20"', '"2027-04-20"', 1), encoding="utf-8")
    assert _problems(root)[1:] == [
        "data/recommendations.yml:34:13: 'date': '2027-04-20' is in the future (today is "
        "2026-12-01); record a status change once it has happened"
    ]


# --- every page, as approved ------------------------------------------------------------------

TRACKED_PAGES = [
    "index.md",
    "survey.md",
    *(f"themes/{t}.md" for t in ("index", "shade", "care")),
    "recommendations/index.md",
    *(f"recommendations/{r}.md" for r in ("plant-hot-streets", "watering-rota", "sensors")),
    "recommendations/shade-map.md",
    TRACKER,
    "references.md",
    "glossary.md",
]
HISTORY_PAGE = "changes.md"  # the clone's git history, not the engine's: tests/test_history.py


@pytest.fixture(scope="module")
def tracked() -> Site:
    """The tracked briefing's site; the tests only read it."""
    return _site()


@pytest.mark.parametrize("src", TRACKED_PAGES)
def test_each_page_of_a_tracked_briefing_is_as_approved(tracked: Site, src: str) -> None:
    """Every page the engine writes for the tracked briefing but its history (histories,
    responses, actors, sources, the counts, the tracker), as reviewed: tests/golden/tracked/
    (UPDATE_GOLDEN=1 writes them again, for a change you mean)."""
    every = sorted(page.src for page in tracked.generated)
    assert sorted([*TRACKED_PAGES, HISTORY_PAGE]) == every
    golden("tracked/" + src.replace("/", "-"), tracked.pages[src])


# --- the briefing's words, as written -------------------------------------------------------

# Appended to every label: HTML and Markdown that a reader must see as typed, never as markup.
AS_TYPED = '<b>&amp; *x*</b> "q"'


def test_every_label_shows_as_typed_on_every_generated_page(tmp_path: Path) -> None:
    """Each label is escaped for where it goes (HTML, Markdown, an attribute), on every page
    the engine writes: the timeline, the tracker, the counts, the home page, the lists."""
    root = _copy(tmp_path)
    nested: dict[str, Any] = {}
    for name, words in labels.defaults().items():
        *parents, last = name.split("/")
        node = nested
        for parent in parents:
            node = node.setdefault(parent, {})
        node[last] = f"{words} {AS_TYPED}"
    (root / "data" / "labels.yml").write_text(
        yaml.safe_dump(nested, allow_unicode=True), encoding="utf-8"
    )
    site = _site(root)
    shown = {}
    for page in site.generated:
        html = BeautifulSoup(markdown_html(site.markdown(page.src)), "html.parser")
        assert not html.find("b"), f"{page.src}: a label's <b> became an element"
        assert not html.find("em", string="x"), f"{page.src}: a label's *x* became emphasis"
        shown[page.src] = html.get_text().count(AS_TYPED)
    assert len(shown) > 10 and all(shown.values()), shown  # every page says something so
