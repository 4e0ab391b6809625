"""Checks of a nomination document by its content, never by its name or the type the
browser claims: only PDF, JPEG and PNG files, whole and within the size limit
(``settings.NOMINATION_UPLOAD_MAX_BYTES``).

- PDF: begins with ``%PDF-`` and ends with ``%%EOF`` (a file cut short has no trailer);
- JPEG, PNG: the signature of the format, then Pillow verifies the file and decodes the
  whole image (a truncated image fails there).

Anything else (an SVG with a script, HTML renamed to .pdf, a zip, an executable ...) is
refused with a message that says what is accepted.
"""

import dataclasses
import os
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# (signature, content type, the format's name in Pillow)
_SIGNATURES = (
    (b"%PDF-", PDF, None),
    (b"\xff\xd8\xff", JPEG, "JPEG"),
    (b"\x89PNG\r\n\x1a\n", PNG, "PNG"),
)
# The PDF specification puts the end-of-file marker within the last 1024 bytes.
_PDF_TRAILER_WINDOW = 1024


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed the checks, with what they found out about it."""

    file: File
    content_type: str
    size: int
    original_name: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _not_accepted() -> ValidationError:
    return _refuse(
        _("Only PDF, JPEG or PNG files are accepted, and this file is none of them (its content was checked)."),
        "file_type",
    )


def original_name_of(file: File) -> str:
    """The file's own name without any folder, control characters or excess length."""
    name = os.path.basename((file.name or "").replace("\\", "/"))
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    if len(name) > 255:
        stem, extension = os.path.splitext(name)
        name = stem[: 255 - len(extension)] + extension
    return name or "document"


def _read_at(file: File, offset: int, length: int, *, whence: int = os.SEEK_SET) -> bytes:
    file.seek(offset, whence)
    return file.read(length)


def _check_pdf(file: File, size: int) -> None:
    tail = _read_at(file, -min(size, _PDF_TRAILER_WINDOW), _PDF_TRAILER_WINDOW, whence=os.SEEK_END)
    if b"%%EOF" not in tail:
        raise _refuse(_("The PDF file is incomplete (it has no end-of-file marker): upload it again."), "truncated")


def _check_image(file: File, pillow_format: str) -> None:
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format != pillow_format:
                raise _not_accepted()
            image.verify()
        # verify() does not decode the pixels; load() does, and fails on a truncated image.
        file.seek(0)
        with Image.open(file) as image:
            image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("The image is damaged or incomplete: upload it again."), "damaged") from None


def check_upload(file: File) -> CheckedUpload:
    """Check an uploaded file; ValidationError with a clear message when it is refused."""
    size = file.size
    if not size:
        raise _refuse(_("The file is empty."), "empty")
    limit = settings.NOMINATION_UPLOAD_MAX_BYTES
    if size > limit:
        raise _refuse(
            _("The file is too large (%(size)s): the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "too_large",
        )
    head = _read_at(file, 0, 16)
    found = next((kind for kind in _SIGNATURES if head.startswith(kind[0])), None)
    if found is None:
        raise _not_accepted()
    _signature, content_type, pillow_format = found
    if content_type == PDF:
        _check_pdf(file, size)
    else:
        _check_image(file, pillow_format)
    file.seek(0)
    return CheckedUpload(file=file, content_type=content_type, size=size, original_name=original_name_of(file))
