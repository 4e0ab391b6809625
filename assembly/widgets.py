"""Form widgets of the public pages."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> SafeString:
    """As Django's ``attrs.html``: in the given order, ``True`` as a bare name, ``False`` left out."""
    drawn = (
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False and value is not None
    )
    return mark_safe("".join(drawn))


class QuickSelect(forms.Select):
    """A ``<select>`` drawn in Python, the same markup as Django's own template.

    The public filters offer every body and association, several hundred options at national
    scale, and Django draws each option through two included templates: about half the time of
    the member directory went into its filter form. The options, their values and the selected
    one still come from ``Select.get_context``; only the drawing differs.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            drawn = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], _attributes(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, drawn) if group_name else drawn)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )
