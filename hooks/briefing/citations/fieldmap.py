"""Which BibTeX entry type becomes which CSL type, and which field which CSL variable.

Tables only, read by `csljson.py`, and by the tests that check every field reference managers
write is either carried (a variable here) or named in `NOT_CARRIED` with the reason.
"""

from __future__ import annotations

# BibTeX's and biblatex's entry types (with those of biblatex-apa, -juridica and Zotero's
# Better BibTeX, which reference managers write) to CSL 1.0.2 types.
TYPES = {
    "article": "article-journal",
    "suppperiodical": "article-journal",
    "periodical": "periodical",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "incollection": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "dataset": "dataset",
    "software": "software",
    "softwareversion": "software",
    "softwaremodule": "software",
    "codefragment": "software",
    "patent": "patent",
    "standard": "standard",
    "jurisdiction": "legal_case",
    "case": "legal_case",
    "legislation": "legislation",
    "statute": "legislation",
    "bill": "bill",
    "legal": "treaty",
    "hearing": "hearing",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "audio": "song",
    "music": "song",
    "performance": "performance",
    "artwork": "graphic",
    "image": "graphic",
    "map": "map",
    "interview": "interview",
    "review": "review",
    "unpublished": "manuscript",
}
GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
ARTICLE_KINDS = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
# BibTeX's number is a journal's issue, the number of a report, patent, case or statute, or
# else a number in a series.
NUMBER = {"article-journal": "issue", "article-magazine": "issue", "article-newspaper": "issue"}
NUMBERED = ("report", "patent", "legal_case", "legislation", "bill", "standard", "thesis")
LEGAL = ("legal_case", "legislation", "bill", "hearing", "treaty")
# Field -> CSL variable, as plain text; where several fields fill one variable, the first
# written in this table wins (journaltitle before journal, say).
SIMPLE = (
    ("journaltitle", "container-title"),
    ("journal", "container-title"),
    ("booktitle", "container-title"),
    ("reporter", "container-title"),
    ("maintitle", "container-title"),
    ("shortjournal", "container-title-short"),
    ("journal-iso", "container-title-short"),
    ("shorttitle", "title-short"),
    ("issuetitle", "volume-title"),
    ("eventtitle", "event-title"),
    ("series", "collection-title"),
    ("volume", "volume"),
    ("volumes", "number-of-volumes"),
    ("issue", "issue"),
    ("reportnumber", "number"),
    ("eid", "number"),
    ("part", "part-number"),
    ("pages", "page"),
    ("pagetotal", "number-of-pages"),
    ("chapter", "chapter-number"),
    ("section", "section"),
    ("publisher", "publisher"),
    ("address", "publisher-place"),
    ("location", "publisher-place"),
    ("city", "publisher-place"),
    ("venue", "event-place"),
    ("court", "authority"),
    ("jurisdiction", "jurisdiction"),
    ("origpublisher", "original-publisher"),
    ("origlocation", "original-publisher-place"),
    ("origtitle", "original-title"),
    ("edition", "edition"),
    ("version", "version"),
    ("pubstate", "status"),
    ("note", "note"),
    ("addendum", "note"),
    ("annotation", "annote"),
    ("annote", "annote"),
    ("comment", "annote"),
    ("remark", "annote"),
    ("abstract", "abstract"),
    ("keywords", "keyword"),
    ("mendeley-tags", "keyword"),
    ("language", "language"),
    ("langid", "language"),
    ("type", "genre"),
    ("eprinttype", "archive"),
    ("archiveprefix", "archive"),
    ("repository", "archive"),
    ("eprint", "archive_location"),
    ("lccn", "call-number"),
    ("license", "license"),
    ("copyright", "license"),
    ("bibsource", "source"),
    ("source", "source"),
)
TITLES = ("container-title", "event-title", "collection-title", "volume-title", "original-title")
VERBATIM = (
    ("isbn", "ISBN"),
    ("isbn-13", "ISBN"),
    ("issn", "ISSN"),
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
)
NAME_FIELDS = (
    ("author", "author"),
    ("editor", "editor"),
    ("translator", "translator"),
    ("bookauthor", "container-author"),
    ("holder", "author"),
    ("director", "director"),
    ("interviewer", "interviewer"),
)
BODIES = ("organization", "institution", "school")
DATES = (
    ("date", "issued"),
    ("urldate", "accessed"),
    ("eventdate", "event-date"),
    ("origdate", "original-date"),
    ("origyear", "original-date"),
)
# Fields reference managers write that no CSL variable holds, by name, with the reason.
NOT_CARRIED = {
    **dict.fromkeys(
        ("file", "pdf", "evastar_pdf", "bdsk-file-1", "bdsk-file-2", "localfile"),
        "a file on the editor's own computer",
    ),
    **dict.fromkeys(
        ("groups", "ranking", "readstatus", "priority", "qualityassured", "printed",
         "relevance", "rating", "owner", "timestamp", "creationdate", "modificationdate",
         "date-added", "date-modified", "added-at", "added-by", "created", "bibdate",
         "msbibtype", "msbib-accessed", "msbib-day", "unique-id", "key"),
        "the reference manager's own bookkeeping (reading state, who added the entry, when), "
        "not a fact about the work",
    ),
    **dict.fromkeys(
        ("crossref", "xdata", "xref", "entryset", "related", "relatedtype", "relatedstring",
         "relatedoptions", "ids", "entrysubtype", "options", "execute"),
        "a link to another entry or an option for LaTeX; its fields are inherited (bib.py) "
        "and its type read",
    ),
    **dict.fromkeys(
        ("langidopts", "editoratype", "editorbtype", "editorctype", "origlanguage"),
        "an option for LaTeX's language packages or a role's name, with no CSL variable (the "
        "people of editora, b and c are carried as contributors)",
    ),
    **dict.fromkeys(
        ("sortkey", "sortname", "sorttitle", "sortyear", "presort", "indextitle",
         "indexsorttitle", "label", "shorthand", "shortauthor", "shorteditor"),
        "how LaTeX sorts, indexes or labels the entry; the CSL style does its own",
    ),
    **dict.fromkeys(
        ("author-email", "affiliation", "cited-references", "doc-delivery-number",
         "keywords-plus", "number-of-cited-references", "subject-category", "times-cited",
         "medline-pst", "subject", "tableofcontents", "acknowledgement", "collaboration",
         "country"),
        "a database's notes about the authors, subjects or citations (Web of Science, PubMed, "
        "INSPIRE): CSL has no variable for them",
    ),
    **dict.fromkeys(
        ("eprintclass", "primaryclass", "pii", "hal_id", "hal_version", "ppn_gvk", "swhid",
         "handle", "biburl", "review"),
        "an identifier in one archive or catalogue (arXiv's subject class, HAL, a library "
        "catalogue, Software Heritage) with no CSL variable; the DOI and URL are carried",
    ),
    **dict.fromkeys(
        ("introducedin", "mycustomfields", "test"),
        "a custom field of the reference manager's own test files, with no meaning elsewhere",
    ),
    **dict.fromkeys(
        ("year", "month", "day", "subtitle", "title", "url", "doi", "howpublished",
         "bdsk-url-1", "bdsk-url-2", "uri"),
        "read into another variable (issued, title, URL, DOI, medium)",
    ),
}  # fmt: skip


# biblatex's subtitles join their titles (as the title's own subtitle does), and its title
# addons follow them after a full stop, as biblatex prints them.
SUBTITLES = (
    ("booktitle", "booksubtitle", ": "),
    ("journaltitle", "journalsubtitle", ": "),
    ("maintitle", "mainsubtitle", ": "),
    ("issuetitle", "issuesubtitle", ": "),
    ("title", "titleaddon", ". "),
    ("booktitle", "booktitleaddon", ". "),
    ("maintitle", "maintitleaddon", ". "),
)
# biblatex's other contributors (a foreword's author, a commentator, editora ...): CSL has
# no such roles, so all are its contributors.
CONTRIBUTORS = (
    "foreword", "afterword", "introduction", "annotator", "commentator", "editora",
    "editorb", "editorc",
)  # fmt: skip
