"""Nomination documents are checked by their content: PDF, JPEG or PNG, whole, within the
size limit. The name and the type the browser claims count for nothing. A refused file
leaves no nomination, no row and no stored file behind."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from regional import services
from regional.models import Nomination, NominationDocument
from regional.uploads import check_upload
from tests.factories import PDF_BYTES, NominationFactory, image_bytes, regional_office_user, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def refusal(file) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(file)
    return excinfo.value


NOT_ACCEPTED = "Only PDF, JPEG or PNG files are accepted, and this file is none of them (its content was checked)."

SVG_WITH_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example'</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("decision.pdf", PDF_BYTES)
    return buffer.getvalue()


# Accepted.


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("decision.pdf", PDF_BYTES, "application/pdf"),
        ("scan.png", image_bytes("PNG"), "image/png"),
        ("scan.jpg", image_bytes("JPEG"), "image/jpeg"),
        # The content decides, not the name or the claimed type.
        ("scan.png", PDF_BYTES, "application/pdf"),
        ("decision", image_bytes("JPEG"), "image/jpeg"),
        ("decision.pdf", PDF_BYTES + b"\r\n", "application/pdf"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(name, data, content_type):
    checked = check_upload(upload(name, data, content_type="application/octet-stream"))
    assert (checked.content_type, checked.size, checked.original_name) == (content_type, len(data), name)


def test_the_original_name_loses_its_folders_and_control_characters():
    checked = check_upload(upload("C:\\Users\\x\\..\\решение\x07.pdf", PDF_BYTES))
    assert checked.original_name == "решение.pdf"
    long_name = "а" * 300 + ".pdf"
    assert check_upload(upload(long_name, PDF_BYTES)).original_name == "а" * 251 + ".pdf"


# Refused.


@pytest.mark.parametrize(
    ("name", "data", "claimed"),
    [
        ("decision.pdf", b"Just some text, not a PDF at all.", "application/pdf"),
        ("decision.pdf", EXE, "application/pdf"),
        ("setup.exe", EXE, "application/x-msdownload"),
        ("picture.png", SVG_WITH_SCRIPT, "image/png"),
        ("picture.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("decision.pdf", HTML, "application/pdf"),
        ("decision.pdf", zip_bytes(), "application/pdf"),
        ("animation.gif", image_bytes("GIF"), "image/gif"),
        ("scan.png", image_bytes("BMP"), "image/png"),
        ("padded.pdf", b" " + PDF_BYTES, "application/pdf"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, data, claimed):
    error = refusal(upload(name, data, content_type=claimed))
    assert (error.code, error.messages) == ("file_type", [NOT_ACCEPTED])


def test_a_png_header_on_another_format_is_refused():
    error = refusal(upload("fake.png", b"\x89PNG\r\n\x1a\n" + image_bytes("JPEG")))
    assert error.code == "damaged"


def test_a_truncated_png_is_refused():
    data = image_bytes("PNG", size=(64, 64))
    error = refusal(upload("scan.png", data[: len(data) // 2]))
    assert (error.code, error.messages) == ("damaged", ["The image is damaged or incomplete: upload it again."])


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(64, 64))
    assert refusal(upload("scan.jpg", data[: len(data) - 200])).code == "damaged"


def test_a_png_with_a_broken_checksum_is_refused():
    data = bytearray(image_bytes("PNG"))
    data[-20] ^= 0xFF  # inside the image data chunk
    assert refusal(upload("scan.png", bytes(data))).code == "damaged"


def test_a_truncated_pdf_is_refused():
    error = refusal(upload("decision.pdf", PDF_BYTES[:-8]))
    assert (error.code, error.messages) == (
        "truncated",
        ["The PDF file is incomplete (it has no end-of-file marker): upload it again."],
    )


def test_a_pdf_whose_end_marker_is_far_from_the_end_is_refused():
    assert refusal(upload("decision.pdf", PDF_BYTES + b"x" * 2000)).code == "truncated"


def test_an_empty_file_is_refused():
    error = refusal(upload("decision.pdf", b""))
    assert (error.code, error.messages) == ("empty", ["The file is empty."])


def test_the_size_limit(settings):
    settings.NOMINATION_UPLOAD_MAX_BYTES = len(PDF_BYTES)
    assert check_upload(upload("decision.pdf", PDF_BYTES)).size == len(PDF_BYTES)
    settings.NOMINATION_UPLOAD_MAX_BYTES = len(PDF_BYTES) - 1
    error = refusal(upload("decision.pdf", PDF_BYTES))
    assert error.code == "too_large"
    size, limit = len(PDF_BYTES), len(PDF_BYTES) - 1
    assert error.messages == [f"The file is too large ({size}\xa0bytes): the limit is {limit}\xa0bytes."]


def test_the_default_size_limit_is_ten_megabytes():
    assert settings.NOMINATION_UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.NOMINATION_UPLOAD_MAX_BYTES = 1024

    class Unreadable(io.BytesIO):
        name = "big.pdf"
        size = 1025

        def read(self, *args):
            raise AssertionError("read")

    assert refusal(Unreadable()).code == "too_large"


# Through the services.


def test_a_refused_file_leaves_nothing_behind(_private_media):
    user = regional_office_user()
    files = [("decision", upload("decision.pdf", HTML)), ("consent", upload("consent.png", b"\x89PNG\r\n\x1a\n"))]
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=user, documents=files)
    assert excinfo.value.message_dict["documents"] == [
        f"decision.pdf: {NOT_ACCEPTED}",
        "consent.png: The image is damaged or incomplete: upload it again.",
    ]
    assert not Nomination.objects.exists()
    assert not NominationDocument.objects.exists()
    assert not Path(_private_media).exists() or not any(Path(_private_media).rglob("*.*"))


def test_an_accepted_file_is_stored_privately_under_a_name_of_its_content(_private_media):
    nomination = NominationFactory(documents=[("decision", upload("../../решение.png", PDF_BYTES, "image/png"))])
    document = nomination.documents.get()
    assert (document.kind, document.original_name, document.content_type, document.size) == (
        "decision",
        "решение.png",
        "application/pdf",
        len(PDF_BYTES),
    )
    stored = Path(_private_media) / document.file.name
    assert document.file.name.startswith(f"nominations/{nomination.pk}/") and stored.suffix == ".pdf"
    assert stored.read_bytes() == PDF_BYTES
    assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()


def test_a_document_of_an_unknown_kind_is_refused():
    user = regional_office_user()
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=user, documents=[("selfie", upload())])
    assert excinfo.value.message_dict["documents"] == ["“selfie” is not a kind of nomination document."]


def test_a_bad_file_with_a_step_changes_nothing():
    nomination = NominationFactory(documents=[])
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_transition(
            nomination=nomination,
            user=nomination.created_by,
            action="submit",
            version=nomination.version,
            documents=[("decision", upload("decision.pdf", zip_bytes()))],
        )
    assert set(excinfo.value.message_dict) == {"documents"}
    nomination.refresh_from_db()
    assert (nomination.status, nomination.version, nomination.documents.count()) == ("draft", 1, 0)
