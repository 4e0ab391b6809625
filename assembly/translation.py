import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Body, Post


@register(Body)
class BodyTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Post)
class PostTranslationOptions(TranslationOptions):
    fields = ("label",)


# History is registered after the translation so that the historical models also
# get the per-language columns (django-simple-history's documented order).
simple_history.register(Body)
simple_history.register(Post)
