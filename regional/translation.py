import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name", "centre")


# History is registered after the translation so that the historical model also
# gets the per-language columns (django-simple-history's documented order).
simple_history.register(Region)
