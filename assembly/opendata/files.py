"""The files of the open data (the only names ever served) and writing them all."""

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import popolo, writers
from .datasets import DATASETS, Dataset, ExportContext


@dataclass(frozen=True)
class DataFile:
    """A file of the open data: its name, what it holds and in which format, and what writes it."""

    filename: str
    format: Promise
    content_type: str
    title: Promise
    write: Callable[[TextIO, ExportContext], None]
    encoding: str = "utf-8"
    dataset: Dataset | None = None


def _files() -> list[DataFile]:
    files = []
    for dataset in DATASETS:
        files += [
            DataFile(
                filename=f"{dataset.name}.csv",
                format=_("CSV"),
                content_type="text/csv; charset=utf-8",
                title=dataset.title,
                write=writers.write_csv(dataset),
                encoding=writers.CSV_ENCODING,
                dataset=dataset,
            ),
            DataFile(
                filename=f"{dataset.name}.json",
                format=_("JSON"),
                content_type="application/json",
                title=dataset.title,
                write=writers.write_json(dataset),
                dataset=dataset,
            ),
        ]
    files += [
        DataFile(
            filename="popolo.json",
            format=_("Popolo JSON"),
            content_type="application/json",
            title=_("Persons, organisations, posts, memberships, areas and events in the Popolo standard"),
            write=popolo.write_popolo,
        ),
        DataFile(
            filename="datapackage.json",
            format=_("Data Package (JSON)"),
            content_type="application/json",
            title=_("The description of the CSV files for data tools (Frictionless Data Package)"),
            write=writers.write_datapackage,
        ),
    ]
    return files


FILES = {data_file.filename: data_file for data_file in _files()}


def open_data_root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for every file (a membership never names a person
    the persons file lacks): a read-only, repeatable-read transaction, or the caller's own
    transaction if it holds one."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def write_all(*, directory: Path | None = None, base_url: str = "") -> list[Path]:
    """Write every file of ``FILES`` into ``directory`` (``settings.OPEN_DATA_ROOT`` by
    default), each atomically; the paths written. ``base_url``, the site's public address,
    makes the links in the files absolute."""
    directory = directory or open_data_root()
    directory.mkdir(parents=True, exist_ok=True)
    context = ExportContext(date=timezone.localdate(), base_url=base_url.rstrip("/"))
    written = []
    with _snapshot():
        for data_file in FILES.values():
            path = directory / data_file.filename
            writers.write_atomically(
                path, lambda handle, data_file=data_file: data_file.write(handle, context), encoding=data_file.encoding
            )
            written.append(path)
    return written
