"""The open data page (/<lang>/open-data/) and the downloads (/open-data/<file>)."""

import pytest
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import http_date

from assembly.opendata.datasets import DATASETS
from assembly.opendata.files import FILES
from tests.factories import memberships_of, national_body
from tests.public.helpers import LANGUAGES, hrefs, html_lang, parse, table_rows, text, translated

pytestmark = pytest.mark.django_db


def files_table(response) -> dict[str, list[str]]:
    """The rows of the files table, by file name."""
    return {row[0]: row for row in table_rows(response) if row and row[0] in FILES}


def test_the_page_lists_every_file_with_its_size(exported, client, settings):
    response = client.get("/en/open-data/")

    assert response.status_code == 200
    rows = files_table(response)
    assert sorted(rows) == sorted(FILES)
    for name, row in rows.items():
        size = (settings.OPEN_DATA_ROOT / name).stat().st_size
        with translation.override("en"):
            assert filesizeformat(size).replace("\xa0", " ") in row, name
        assert f"/open-data/{name}" in hrefs(response)
    assert "not generated yet" not in text(response)


def test_the_page_has_the_licence_the_api_and_the_data_dictionary(exported, client):
    response = client.get("/en/open-data/")
    page, links = text(response), hrefs(response)

    assert "https://creativecommons.org/licenses/by/4.0/" in links
    assert 'rel="license"' in page and "CC BY 4.0" in page
    assert "/api/docs/" in links and "/api/schema/" in links
    dictionary = {row[0] for row in table_rows(response)}
    for dataset in DATASETS:
        assert str(dataset.title) in page
        for column in dataset.columns:
            assert ", ".join(column.keys) in dictionary, (dataset.name, column.name)
    # The values of a choice column are explained.
    assert "ex_officio (ex officio)" in strip_tags(page)


def test_the_page_in_each_language(exported, client):
    for language in LANGUAGES:
        response = client.get(f"/{language}/open-data/")
        assert response.status_code == 200
        assert html_lang(response) == language
        assert parse(response).headings == [translated("Open data", language)]
        assert translated("Data dictionary", language) in text(response)


def test_before_the_first_export_the_page_says_how_to_generate(db, client, settings):
    response = client.get("/en/open-data/")

    assert response.status_code == 200
    assert "have not been generated yet" in text(response)
    assert "python manage.py export_open_data" in text(response)
    rows = files_table(response)
    assert sorted(rows) == sorted(FILES)
    assert all(row[-1] == "not generated yet" for row in rows.values())
    assert not [link for link in hrefs(response) if link.startswith("/open-data/")]
    assert client.get("/open-data/persons.csv").status_code == 404


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("persons.csv", "text/csv; charset=utf-8"),
        ("memberships.json", "application/json"),
        ("popolo.json", "application/json"),
        ("datapackage.json", "application/json"),
    ],
)
def test_a_download(exported, client, settings, filename, content_type):
    path = settings.OPEN_DATA_ROOT / filename

    response = client.get(f"/open-data/{filename}", headers={"Origin": "https://data.example.org"})

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert int(response["Content-Length"]) == path.stat().st_size
    assert response["Last-Modified"] == http_date(path.stat().st_mtime)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content) == path.read_bytes()


def test_a_repeated_download_is_answered_not_modified(exported, client):
    first = client.get("/open-data/regions.csv")

    again = client.get("/open-data/regions.csv", headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304


def test_only_get_and_head(exported, client):
    assert client.head("/open-data/regions.csv").status_code == 200
    assert client.post("/open-data/regions.csv").status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/secrets.csv",
        "/open-data/persons.xlsx",
        "/open-data/notes.txt",
        "/open-data/.regions.csv.tmp",
        "/open-data/..%2Fsettings.py",
        "/open-data/../assembly/settings.py",
        "/open-data/%2E%2E/%2E%2E/etc/passwd",
    ],
)
def test_only_the_files_the_data_sets_define_are_served(exported, client, settings, path):
    # Files in the folder that are not open data (a note, an unfinished temporary file) stay there.
    (settings.OPEN_DATA_ROOT / "notes.txt").write_text("not for download", encoding="utf-8")
    (settings.OPEN_DATA_ROOT / ".regions.csv.tmp").write_text("half a file", encoding="utf-8")

    assert client.get(path).status_code == 404


def test_the_page_costs_the_same_queries_however_large_the_register(register, client, django_assert_num_queries):
    call_command("export_open_data", verbosity=0)
    with django_assert_num_queries(0):
        small = client.get("/kk/open-data/")

    memberships_of(national_body("council"), 30)
    call_command("export_open_data", verbosity=0)
    with django_assert_num_queries(0):
        large = client.get("/kk/open-data/")

    assert small.status_code == large.status_code == 200


def test_the_page_is_linked_from_every_page_and_in_the_sitemap(db, client):
    assert "/kk/open-data/" in hrefs(client.get("/kk/"))
    assert "/ru/open-data/" in hrefs(client.get("/ru/sessions/"))
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    for language in LANGUAGES:
        assert f"/{language}/open-data/</loc>" in sitemap
