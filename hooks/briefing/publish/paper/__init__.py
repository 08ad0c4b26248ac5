"""The print edition: the briefing as one paged document, printed to PDF by headless Chromium.

`document` makes the document from the engine's records and the site's rendered fragments;
`style` is its print style; `files` confines what the typesetter may read to the built site;
`typeset` prints it twice for the page numbers with the browser `browser` drives (in a child
process started by `run`, which bounds it); `verify`
checks the PDF before it is published; `background` prints for `mkdocs serve`.
"""
