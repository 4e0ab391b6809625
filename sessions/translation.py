import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Decision, Election, Meeting


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("venue", "theme")


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Election)
class ElectionTranslationOptions(TranslationOptions):
    fields = ("title",)


# History is registered after the translation so that the historical models also
# get the per-language columns (django-simple-history's documented order).
simple_history.register(Meeting)
simple_history.register(AgendaItem)
simple_history.register(Decision)
simple_history.register(Election)
