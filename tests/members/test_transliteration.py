import pytest

from members.models import Person
from members.services import person_save
from members.transliteration import search_key, to_latin

KAZAKH_LOWER = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Қасым", "Qasym"),
        ("Ибрагим", "İbragim"),
        ("Іле", "Ile"),
        ("Жомарт", "Jomart"),
        ("Шәріп", "Şärıp"),
        ("Нұрсұлтан", "Nūrsūltan"),
        ("Үміт", "Ümıt"),
        ("Тоқаев", "Toqaev"),
        ("Ғабит", "Ğabit"),
        ("Өмірзақ", "Ömırzaq"),
        ("Әлихан", "Älihan"),
        ("Жаңа", "Jaña"),
        ("Қайрат", "Qairat"),
        ("Хасен", "Hasen"),
        ("Һиба", "Hiba"),
        ("Цой", "Tsoi"),
        ("Чингиз", "Chingiz"),
        ("Щукин", "Şşukin"),
        ("Эльмира", "Elmira"),
        ("Подъячев", "Podiachev"),
        ("Ясауи", "İasaui"),
        ("Юсуп", "İusup"),
        ("Ёлкин", "İolkin"),
        ("Ыбырай", "Ybyrai"),
        ("Қасым-Жомарт Кемелұлы", "Qasym-Jomart Kemelūly"),
    ],
)
def test_to_latin_writes_the_2021_alphabet(cyrillic, latin):
    assert to_latin(cyrillic) == latin


def test_to_latin_maps_every_kazakh_letter():
    assert to_latin(KAZAKH_LOWER) == "aäbvgğdeiojziikqlmnñoöprstuūüfhhtschşşşyıeiuia"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("ҚАСЫМ-ЖОМАРТ ТОҚАЕВ", "QASYM-JOMART TOQAEV"),
        ("ЯКОВЛЕВ", "İAKOVLEV"),
        ("ЩЕРБАКОВ", "ŞŞERBAKOV"),
        ("ЧИНГИЗ", "CHİNGİZ"),
        ("ІЛЕ", "ILE"),
        ("Я.", "İa."),
    ],
)
def test_to_latin_keeps_words_in_capitals_in_capitals(cyrillic, latin):
    assert to_latin(cyrillic) == latin


def test_to_latin_leaves_other_characters_alone():
    assert to_latin("Smith 2-ші, «Ä»") == "Smith 2-şı, «Ä»"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Қасым", "Касым", "Qasym", "kasym", "QASYM", "қасым"],
        ["Тоқаев", "Токаев", "Tokayev", "Toqaev", "TOKAYEV"],
        ["Жомарт", "Zhomart", "Jomart"],
        ["Шәріп", "Шарип", "Sharip", "Şärıp"],
        ["Хасен", "Khasen", "Hasen"],
        ["Нұрсұлтан", "Нурсултан", "Nursultan", "Nūrsūltan"],
        ["Ибрагим", "İbragim", "Ibragim"],
        ["Үміт", "Умит", "Umit", "Ümıt"],
        ["Ғабит", "Габит", "Gabit", "Ğabit"],
        ["Ясауи", "İasaui", "Yasaui"],
        ["Юсуп", "Yusup", "İusup"],
        ["Қасым-Жомарт", "Kassym-Jomart", "Qasym-Jomart", "Касым-Жомарт"],
        ["Щукин", "Shchukin", "Şşukin", "Щукин"],
        ["Аллаберген", "Allabergen", "Alabergen"],
    ],
    ids=lambda spellings: spellings[0],
)
def test_search_key_makes_every_script_equal(spellings):
    assert {search_key(spelling) for spelling in spellings} == {search_key(spellings[0])}


def test_search_key_tells_different_names_apart():
    keys = [search_key(name) for name in ["Қасым", "Хасен", "Нұрсұлтан", "Жомарт", "Серік", "Ерлан"]]
    assert len(set(keys)) == len(keys)


def test_search_key_folds_spaces_and_punctuation():
    assert search_key("  Қасым-Жомарт   О’Тоқаев ") == "kasimjomart otokaev"


# Names with capitals, every Kazakh letter in both cases, hyphens, apostrophes, Russian
# spellings and explicit Latin spellings (some outside the Kazakh alphabet).
SAMPLE_NAMES = [
    {"surname": "Тоқаев", "given_name": "Қасым-Жомарт", "patronymic": "Кемелұлы", "surname_ru": "Токаев",
     "given_name_ru": "Касым-Жомарт", "patronymic_ru": "Кемелевич", "surname_latin": "Tokayev",
     "given_name_latin": "Kassym-Jomart"},
    {"surname": KAZAKH_LOWER.upper(), "given_name": KAZAKH_LOWER, "patronymic": KAZAKH_LOWER.title()},
    {"surname": "ӘБДІҒАПАРОВА", "given_name": "ҮМІТ", "patronymic": "ҰЛАНҚЫЗЫ"},
    {"surname": "Шәріпов", "given_name": "Хасен", "patronymic": "", "surname_ru": "Шарипов"},
    {"surname": "Өтебаев", "given_name": "Ғалымжан", "patronymic": "Һашымұлы"},
    {"surname": "Щербакова", "given_name": "Юлия", "patronymic": "Ёсифовна"},
    {"surname": "Цой", "given_name": "Чингиз", "patronymic": "Эдуардович", "given_name_latin": "CHINGIZ"},
    {"surname": "Д’Артаньян", "given_name": "Ибрагим", "patronymic": "Ньязович"},
    {"surname": "Челик", "given_name": "Өзгүр", "surname_latin": "ÇELİK", "given_name_latin": "Özgür"},
    {"surname": "Жаңабаев", "given_name": "Іле", "patronymic": "Ыбырайұлы", "surname_latin": "ZHANABAYEV"},
    {"surname": "Ли", "given_name": "Ия", "patronymic": "", "given_name_latin": "İia"},
]  # fmt: skip
NAME_FIELDS = [
    "surname",
    "given_name",
    "patronymic",
    "surname_ru",
    "given_name_ru",
    "patronymic_ru",
    "surname_latin",
    "given_name_latin",
    "patronymic_latin",
]


@pytest.mark.django_db
def test_the_search_column_equals_search_key():
    """The generated column (SQL) and ``search_key`` (Python) fold every name alike."""
    persons = [person_save(person=Person(gender=Person.Gender.MALE, **names)) for names in SAMPLE_NAMES]
    for person in Person.objects.filter(pk__in=[person.pk for person in persons]):
        python_key = search_key(" ".join(getattr(person, field) for field in NAME_FIELDS))
        # SQL keeps the separators of empty name parts; the search splits into words anyway.
        assert " ".join(person.search_name.split()) == python_key, person.full_name


@pytest.mark.django_db
def test_the_search_column_folds_to_a_known_skeleton():
    person = person_save(person=Person(surname="Тоқаев", given_name="Қасым", gender=Person.Gender.MALE))
    person.refresh_from_db()
    assert " ".join(person.search_name.split()) == "tokaev kasim tokaev kasim"


@pytest.fixture
def tokayev():
    return person_save(
        person=Person(
            surname="Тоқаев",
            given_name="Қасым-Жомарт",
            patronymic="Кемелұлы",
            surname_ru="Токаев",
            given_name_ru="Касым-Жомарт",
            patronymic_ru="Кемелевич",
            gender=Person.Gender.MALE,
        )
    )


@pytest.fixture
def others():
    names = [
        ("Назарбаев", "Нұрсұлтан", "Әбішұлы"),
        ("Шәріпов", "Хасен", ""),
        ("Сейтқалиева", "Айгүл", "Серікқызы"),
        ("Ибрагимов", "Ерлан", "Қайратұлы"),
    ]
    return [
        person_save(person=Person(surname=surname, given_name=given, patronymic=patronymic, gender="male"))
        for surname, given, patronymic in names
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Қасым",
        "Касым",
        "Qasym",
        "kasym",
        "ҚАСЫМ",
        "Тоқаев",
        "Токаев",
        "Tokayev",
        "Toqaev",
        "Жомарт",
        "Zhomart",
        "Jomart",
        "Kemeluly",
        "Кемелевич",
    ],
)
def test_search_finds_a_person_in_every_script(tokayev, others, query):
    assert list(Person.objects.search(query)) == [tokayev]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Тоқаев Қасым", "Qasym Tokayev", "kasym  zhomart", "Касым-Жомарт Кемелұлы"])
def test_search_by_several_words_needs_every_word(tokayev, others, query):
    assert list(Person.objects.search(query)) == [tokayev]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Қасым Назарбаев", "Tokayev Nursultan", "Серік Тоқаев", "Петров"])
def test_search_does_not_find_unrelated_people(tokayev, others, query):
    assert list(Person.objects.search(query)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "surname"),
    [("Sharip", "Шәріпов"), ("Khasen", "Шәріпов"), ("Şärıpov", "Шәріпов"), ("Nursultan", "Назарбаев")],
)
def test_search_finds_each_other_person_by_name(tokayev, others, query, surname):
    assert [person.surname for person in Person.objects.search(query)] == [surname]


@pytest.mark.django_db
def test_search_matches_part_of_a_name(tokayev, others):
    assert set(Person.objects.search("Ибрагим")) == {others[3]}
    assert set(Person.objects.search("Ерлан Ибрагим")) == {others[3]}
