"""The formats of the open data files, and writing a file atomically.

CSV: UTF-8 with a byte order mark, comma-separated, a header row, quoted as RFC 4180 says.
The comma is what data tools expect; the byte order mark is what makes Excel (Data → From
Text/CSV) read the Cyrillic as UTF-8, and data tools skip it (``utf-8-sig`` in Python). The
values are written as they are, without the apostrophe the staff exports put before a
leading ``=``: these files are data, and a changed value would be wrong data.

JSON: UTF-8, an array of objects, one per line; a translated text is an object
``{"kk": …, "ru": …, "en": …}``. Dates are ISO 8601 (YYYY-MM-DD) in both formats; a missing
value is an empty cell in CSV and ``null`` in JSON, a missing translation an empty string.
"""

import contextlib
import csv
import datetime
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from django.utils import timezone, translation

from .datasets import DATASETS, LANGUAGES, Dataset, ExportContext

CSV_ENCODING = "utf-8-sig"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def json_object(dataset: Dataset, row: dict) -> dict:
    """A row as its JSON object: translated columns nested by language."""
    item = {}
    for column in dataset.columns:
        if column.translated:
            item[column.name] = {code: row[f"{column.name}_{code}"] or "" for code in LANGUAGES}
        else:
            item[column.name] = _json_value(row[column.name])
    return item


def write_csv(dataset: Dataset) -> Callable[[TextIO, ExportContext], None]:
    def write(handle: TextIO, context: ExportContext) -> None:
        writer = csv.writer(handle)
        writer.writerow(dataset.keys)
        translated = {key for column in dataset.columns if column.translated for key in column.keys}
        for row in dataset.rows(context):
            writer.writerow(_cell(row[key] or "") if key in translated else _cell(row[key]) for key in dataset.keys)

    return write


def write_json_array(handle: TextIO, items: Iterable[dict]) -> None:
    """A JSON array written one object per line, never held whole in memory."""
    handle.write("[")
    separator = "\n"
    for item in items:
        handle.write(separator)
        handle.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        separator = ",\n"
    handle.write("\n]\n")


def write_json(dataset: Dataset) -> Callable[[TextIO, ExportContext], None]:
    def write(handle: TextIO, context: ExportContext) -> None:
        write_json_array(handle, (json_object(dataset, row) for row in dataset.rows(context)))

    return write


def table_schema(dataset: Dataset) -> dict:
    """The Table Schema of a data set's CSV file, described in English."""
    fields = []
    for column in dataset.columns:
        for key in column.keys:
            described = {"name": key, "type": column.datatype, "description": str(column.description)}
            if column.choices is not None:
                described["constraints"] = {"enum": list(column.choices.values)}
            fields.append(described)
    return {"fields": fields, "missingValues": [""]}


def write_datapackage(handle: TextIO, context: ExportContext) -> None:
    """The Frictionless Data Package descriptor: the data dictionary for machines."""
    with translation.override("en"):
        package = {
            "profile": "tabular-data-package",
            "name": "assembly-of-the-people-of-kazakhstan",
            "title": "Assembly of the People of Kazakhstan: the register and the sessions",
            "created": timezone.now().isoformat(timespec="seconds"),
            "licenses": [LICENCE],
            "resources": [
                {
                    "name": dataset.name,
                    "title": str(dataset.title),
                    "description": str(dataset.description),
                    "path": f"{dataset.name}.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": CSV_ENCODING,
                    "dialect": {"delimiter": ",", "header": True},
                    "schema": table_schema(dataset),
                }
                for dataset in DATASETS
            ],
        }
    json.dump(package, handle, ensure_ascii=False, indent=1)
    handle.write("\n")


def write_atomically(path: Path, write: Callable[[TextIO], None], *, encoding: str) -> None:
    """``write`` into a temporary file beside ``path``, then put it in place in one rename, so
    that a reader sees the old file or the new one, never half of one."""
    handle = tempfile.NamedTemporaryFile(
        "w", encoding=encoding, newline="", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # The temporary file is private to its owner; the published one is for the web server too.
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise
