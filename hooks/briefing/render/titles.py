"""Each generated item page's one title, in the briefing's words (data/labels.yml).

The same words name the page everywhere: its heading, the navigation, the browser's title
bar and link previews (`<title>`, `og:title`, both from the navigation's name), the
references' backlinks, and the PDF's contents.
"""

from __future__ import annotations

from ..labels import Labels
from ..model import Recommendation, Theme


def recommendation(labels: Labels, rec: Recommendation) -> str:
    """ "Recommendation 2: Promote and increase flexibility in HSST delivery"."""
    return labels("recommendation_title", number=rec.number, title=rec.title)


def theme(labels: Labels, item: Theme) -> str:
    """ "Theme 2: The Position of HSST Relative to CCS Posts"."""
    return labels("theme_title", number=item.number, title=item.title)
