"""Database expressions shared by the apps."""

from django.contrib.postgres.fields import DateRangeField
from django.db import models


class DateRange(models.Func):
    """``daterange(start, end, '[]')``: both ends inclusive, a NULL end is open."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start, end, bounds: str = "[]", **extra):
        super().__init__(start, end, models.Value(bounds), **extra)
