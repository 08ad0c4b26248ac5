"""The allow-list every chart's SVG passes before it goes into a page, fresh or from the cache.

Charts go into the survey page after the page sanitiser (which drops every `<svg>`), so they
need a check of their own: the elements and attributes matplotlib writes for a bar chart and
nothing else. No script, no event handler, no `<foreignObject>`, `<image>` or `<a>`, no
reference outside the chart itself (`href` and `url()` point only at `#` ids of the chart),
no style property beyond colours, strokes and fonts, and every id is the chart's own (a chart
cannot take an item's id). A build-cache entry is trusted no more than fresh output: one that
fails is drawn again (`charts.svg`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
ELEMENTS = frozenset(
    {"svg", "g", "path", "defs", "clipPath", "rect", "text", "tspan", "title", "desc", "use"}
    | {"line", "polyline", "polygon", "circle", "ellipse"}
)
ATTRIBUTES = frozenset(
    {"id", "class", "style", "transform", "clip-path", "d", "viewBox", "role"}
    | {"aria-labelledby", "aria-hidden", "aria-label", "x", "y", "width", "height"}
    | {"points", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "dx", "dy"}
    | {"fill", "stroke", "stroke-width", "opacity", "text-anchor", "font-size"}
    | {"font-family", "font-weight", "font-style"}
)
HREF = frozenset({"href", f"{XLINK}href"})
PROPERTIES = frozenset(
    {"fill", "fill-opacity", "stroke", "stroke-width", "stroke-linejoin", "stroke-linecap"}
    | {"stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "stroke-miterlimit"}
    | {"opacity", "font-size", "font-family", "font-weight", "font-style", "text-anchor"}
)
_LOCAL_URL = re.compile(r"^url\(#[A-Za-z0-9_.:-]+\)$")
_SAFE_VALUE = re.compile(r"^[\w\s#%.,'\"()+-]*$")  # colours, lengths, font names, url(#id)


def problems(svg: str, prefix: str) -> list[str]:
    """What in `svg` is outside the allow-list (empty when nothing is); ids must start with
    `prefix` followed by '-' (or be `prefix`-title / -desc)."""
    if "<!" in svg or "<?" in svg:  # doctype, entity, comment, CDATA, processing instruction
        return ["a declaration, comment or processing instruction"]
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        return [f"not well-formed XML ({error})"]
    found: list[str] = []
    if root.tag != f"{SVG}svg":
        found.append(f"the root element is {root.tag}, not svg")
    for element in root.iter():
        name = element.tag.removeprefix(SVG)
        if name not in ELEMENTS:
            found.append(f"element <{name}>")
            continue
        for attribute, value in element.attrib.items():
            found += _attribute(name, attribute, value, prefix)
    return found


def _attribute(element: str, attribute: str, value: str, prefix: str) -> list[str]:
    where = f"<{element} {attribute}>"
    if attribute in HREF:
        ok = element == "use" and re.fullmatch(r"#[A-Za-z0-9_.:-]+", value)
        return [] if ok else [f"{where}: '{value}' is not a reference inside the chart"]
    if attribute not in ATTRIBUTES:
        return [f"attribute {where}"]
    if attribute == "id" and not value.startswith(prefix + "-"):
        return [f"{where}: '{value}' is not one of the chart's own ids ({prefix}-...)"]
    if attribute == "clip-path" and not _LOCAL_URL.match(value):
        return [f"{where}: '{value}' is not a reference inside the chart"]
    if attribute == "style":
        return [f"{where}: {why}" for why in _style(value)]
    if attribute != "clip-path" and not _SAFE_VALUE.match(value):
        return [f"{where}: '{value}' holds characters no chart writes"]
    return []


def _style(style: str) -> list[str]:
    found = []
    for declaration in filter(None, (d.strip() for d in style.split(";"))):
        name, colon, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not colon or name not in PROPERTIES:
            found.append(f"style property '{name}'")
        elif "(" in value and not _LOCAL_URL.match(value):
            found.append(f"'{name}: {value}' calls a function")
        elif not _SAFE_VALUE.match(value):
            found.append(f"'{name}: {value}' holds characters no chart writes")
    return found
