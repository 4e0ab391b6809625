"""The open data page (/<lang>/open-data/) and the downloads (/open-data/<file>).

Both read the files from ``settings.OPEN_DATA_ROOT`` and never the database: the page costs
the same however large the register, and a download is the file the export wrote.
"""

import datetime
import os

from django.http import FileResponse, Http404
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from assembly.selectors import SMALL_GROUP

from .datasets import DATASETS
from .files import FILES, open_data_root
from .writers import LICENCE


class OpenDataView(TemplateView):
    template_name = "assembly/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root = open_data_root()
        files = []
        for data_file in FILES.values():
            try:
                stat = (root / data_file.filename).stat()
            except FileNotFoundError:
                stat = None
            files.append(
                {
                    "file": data_file,
                    "size": stat.st_size if stat else None,
                    "generated": datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC) if stat else None,
                }
            )
        context.update(
            files=files,
            any_missing=any(item["size"] is None for item in files),
            datasets=DATASETS,
            licence=LICENCE,
            small_group=SMALL_GROUP,
        )
        return context


@require_safe
def open_data_file(request, filename: str):
    """A file of the open data, as an attachment; 404 for a name the data sets do not define
    (so no other file of the folder, nor of the disk, can be asked for) or a file not yet written."""
    data_file = FILES.get(filename)
    if data_file is None:
        raise Http404
    try:
        handle = (open_data_root() / data_file.filename).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=data_file.filename, content_type=data_file.content_type
    )
    # With Last-Modified, ConditionalGetMiddleware answers a repeated download with 304.
    response["Last-Modified"] = http_date(os.fstat(handle.fileno()).st_mtime)
    return response
