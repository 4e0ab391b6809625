"""Reading the public pages in tests: the language of a page, its heading, links and tables.

The pages are read by their structure rather than by exact markup, so that a change of
layout or an accessibility attribute does not break a test about content.
"""

from html.parser import HTMLParser

from django.utils import translation

LANGUAGES = ("kk", "ru", "en")


def _squeeze(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.headings: list[str] = []
        self.anchors: list[dict[str, str]] = []
        self.alternates: dict[str, str] = {}
        self.rows: list[list[str]] = []
        self._heading: list[str] | None = None
        self._anchor: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "h1":
            self._heading = []
        elif tag == "a":
            self.anchors.append(attributes)
            self._anchor = []
        elif tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            self.alternates[attributes["hreflang"]] = attributes["href"]
        elif tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "h1" and self._heading is not None:
            self.headings.append(_squeeze(self._heading))
            self._heading = None
        elif tag == "a" and self._anchor is not None:
            self.anchors[-1]["text"] = _squeeze(self._anchor)
            self._anchor = None
        elif tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append(_squeeze(self._cell))
            self._cell = None

    def handle_data(self, data):
        for collecting in (self._heading, self._anchor, self._cell):
            if collecting is not None:
                collecting.append(data)


def parse(response) -> _PageParser:
    parser = _PageParser()
    parser.feed(response.content.decode())
    return parser


def html_lang(response) -> str | None:
    return parse(response).html_lang


def heading(response) -> str:
    """The text of the page's <h1>."""
    (only,) = parse(response).headings
    return only


def hrefs(response) -> list[str]:
    return [anchor["href"] for anchor in parse(response).anchors if "href" in anchor]


def links(response) -> list[tuple[str, str]]:
    """(address, text) of every link of the page."""
    return [(anchor["href"], anchor.get("text", "")) for anchor in parse(response).anchors if "href" in anchor]


def language_switch(response) -> dict[str, str]:
    """The language switch of the page header: language code -> link (the links that name
    their own language with ``lang`` and ``hreflang``)."""
    return {
        anchor["hreflang"]: anchor["href"]
        for anchor in parse(response).anchors
        if "lang" in anchor and anchor.get("hreflang") == anchor["lang"]
    }


def current_language_in_switch(response) -> list[str]:
    """The languages the switch marks as the current one."""
    return [
        anchor["hreflang"]
        for anchor in parse(response).anchors
        if "lang" in anchor and anchor.get("hreflang") == anchor["lang"] and "aria-current" in anchor
    ]


def table_rows(response) -> list[list[str]]:
    """The text of the cells of every table row of the page."""
    return parse(response).rows


def text(response) -> str:
    return response.content.decode()


def translated(message: str, language: str) -> str:
    """The interface string as a page in ``language`` shows it ({% translate %} does not escape)."""
    with translation.override(language):
        return translation.gettext(message)


def label(choice, language: str) -> str:
    """The label of a model choice as a page in ``language`` shows it."""
    with translation.override(language):
        return str(choice.label)


def fetch_counting_queries(client, django_assert_num_queries, expected: list[tuple[str, int]]) -> list:
    """Fetch each URL with exactly its expected number of queries; the responses, in order."""
    responses = []
    for url, queries in expected:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200, url
        responses.append(response)
    return responses
