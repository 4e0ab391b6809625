import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Association, EthnicGroup, Person


@register(EthnicGroup)
class EthnicGroupTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Association)
class AssociationTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("position", "biography")


# History is registered after the translation so that the historical models also
# get the per-language columns (django-simple-history's documented order).
simple_history.register(EthnicGroup)
simple_history.register(Association)
simple_history.register(Person, excluded_fields=["search_name", "sort_name"])
