"""The deterministic demo data set: thirty years of the register on realistic names.

``plan_demo`` builds everything in memory from one ``random.Random(seed)``: the
associations (a republican ethnocultural association for every ethnic group,
regional ones, other public associations and state bodies), the Assembly with its
Chairman, Deputy Chairmen, Council and Secretariat, and the assembly, council and
secretariat of every region, from 1995 to ``DEMO_DATE``. ``DemoPlan.save`` writes
it with ``bulk_create`` (and a "created" history row per record) in one
transaction.

Rows are bulk-created rather than saved one by one through ``members.services``
(each of those runs several validation queries), so the plan itself keeps their rules:
``DemoPlan.check`` verifies every membership — the body existed, the post belongs
to the body, the basis matches the organisation represented, an act is behind
every appointment and ending, no person holds two overlapping memberships of one
body, no post has more holders than seats — before anything is written; the
database constraints guard the rest.

Only the two Chairmen of the Assembly are real people (public office holders);
every other name is made up from common names.
"""

import bisect
import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from tqdm import tqdm

from assembly.audit import bulk_create_with_history
from assembly.models import Body, LegalAct, Post
from regional.models import Region

from .models import Association, EthnicGroup, Membership, Person
from .reference_data import ETHNIC_GROUPS, REGION_RU_GENITIVE
from .transliteration import to_latin
from .validators import build_iin

DEFAULT_SEED = 1995
# The last day the demo history reaches: every membership starts, and every ended
# one ends, on or before it, so the set stays the same whenever it is loaded.
DEMO_DATE = datetime.date(2026, 11, 1)
ASSEMBLY_FOUNDED = datetime.date(1995, 3, 1)
BATCH_SIZE = 1000

Basis = Membership.Basis
Reason = Membership.EndReason

PRESIDENT = "Қазақстан Республикасының Президенті"
HEAD_OF_ADMINISTRATION = "Қазақстан Республикасы Президенті Әкімшілігінің Басшысы"

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")

# Kazakh names whose Russian spelling is not a letter-for-letter replacement.
_RUSSIAN_SPELLING = {
    "Айгүл": "Айгуль", "Бибігүл": "Бибигуль", "Гүлнар": "Гульнар", "Гүлмира": "Гульмира", "Назгүл": "Назгуль",
    "Нұргүл": "Нургуль", "Гүлнұр": "Гульнур", "Әсел": "Асель", "Ләззат": "Ляззат", "Мөлдір": "Мольдир",
    "Ілияс": "Ильяс", "Әлия": "Алия", "Ғалия": "Галия", "Күнсұлу": "Кунсулу",
}  # fmt: skip

_KAZAKH_MALE = (
    "Асқар", "Айбек", "Айдос", "Азамат", "Әділет", "Әлихан", "Арман", "Ардақ", "Асхат", "Бауыржан", "Берік",
    "Болат", "Дәурен", "Дархан", "Ерлан", "Ержан", "Еркін", "Ерболат", "Жандос", "Жанболат", "Қайрат", "Қанат",
    "Қуаныш", "Мақсат", "Марат", "Мұрат", "Нұрлан", "Нұржан", "Нұрбол", "Олжас", "Руслан", "Самат", "Серік",
    "Сұлтан", "Талғат", "Тимур", "Ғалым", "Ғабит", "Әсет", "Дамир", "Ермек", "Бақыт", "Бақытжан", "Төлеген",
    "Абай", "Ілияс", "Мейрам", "Ербол", "Бекзат", "Ерасыл", "Аслан", "Ерғали", "Жасұлан", "Мирас", "Санжар",
    "Темірлан", "Алмас", "Әбілқайыр", "Ғани", "Бекжан",
)  # fmt: skip
_KAZAKH_FEMALE = (
    "Айгүл", "Айнұр", "Әсел", "Әйгерім", "Ақмарал", "Аружан", "Бибігүл", "Балжан", "Гүлнар", "Гүлмира",
    "Динара", "Жанар", "Жұлдыз", "Зарина", "Индира", "Қарлығаш", "Мадина", "Меруерт", "Назгүл", "Нұргүл",
    "Роза", "Сәуле", "Салтанат", "Шынар", "Ләззат", "Ғалия", "Мөлдір", "Толқын", "Ұлжан", "Гүлнұр", "Дана",
    "Камила", "Ақбота", "Айжан", "Әлия", "Эльмира", "Сандуғаш", "Гаухар", "Жібек", "Маржан", "Күнсұлу",
    "Раушан", "Ботагөз", "Жаннат",
)  # fmt: skip
# Older given names that live on in surnames and patronymics.
_KAZAKH_ELDERS = (
    "Ахмет", "Омар", "Оспан", "Сәрсен", "Байжан", "Жұмабек", "Есен", "Тұрсын", "Бекмұхамбет", "Сейітқали",
    "Құдайберген", "Мұхтар", "Жақып", "Кенже", "Серікбай", "Әбілқасым", "Ермекбай", "Нұрмағамбет", "Шаймерден",
    "Байтұрсын", "Дүйсен", "Қуандық", "Жанұзақ", "Сыздық", "Әбдірахман", "Мұқан", "Тілеу", "Әміре",
    "Рахымжан", "Ыбырай", "Алтынбек", "Нұрғали", "Бейсен", "Исабек", "Сұлтанбек", "Жақсылық", "Әлімжан",
    "Мәмет", "Есенгелді", "Қасым", "Бекен", "Төлеу", "Сағынтай", "Мырзахмет", "Шәкен", "Ораз", "Сапар",
    "Әбдіқадыр", "Жолдас", "Қожахмет", "Смағұл", "Ысқақ", "Сатыбалды", "Жұма", "Кәрім", "Ибрагим",
)  # fmt: skip

# Russian patronymics that no simple rule gives.
_PATRONYMICS = {
    "Юрий": ("Юрьевич", "Юрьевна"), "Василий": ("Васильевич", "Васильевна"),
    "Анатолий": ("Анатольевич", "Анатольевна"), "Валерий": ("Валерьевич", "Валерьевна"),
    "Геннадий": ("Геннадьевич", "Геннадьевна"), "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Григорий": ("Григорьевич", "Григорьевна"), "Михаил": ("Михайлович", "Михайловна"),
    "Павел": ("Павлович", "Павловна"), "Лев": ("Львович", "Львовна"), "Пётр": ("Петрович", "Петровна"),
    "Илья": ("Ильич", "Ильинична"), "Никита": ("Никитич", "Никитична"), "Яков": ("Яковлевич", "Яковлевна"),
    "Семён": ("Семёнович", "Семёновна"),
}  # fmt: skip

_RUSSIAN_MALE = (
    "Александр", "Сергей", "Владимир", "Андрей", "Алексей", "Николай", "Дмитрий", "Игорь", "Виктор", "Юрий",
    "Михаил", "Евгений", "Олег", "Павел", "Константин", "Валерий", "Геннадий", "Анатолий", "Борис", "Василий",
    "Пётр", "Иван", "Вячеслав", "Роман", "Максим", "Илья", "Григорий", "Никита", "Денис", "Артём",
)  # fmt: skip
_RUSSIAN_FEMALE = (
    "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Людмила", "Галина", "Марина", "Анна",
    "Екатерина", "Юлия", "Валентина", "Надежда", "Оксана", "Вера", "Любовь", "Лариса", "Нина", "Мария",
)  # fmt: skip


@dataclass(frozen=True)
class _Family:
    """How the members of a group are named: given names, surnames, patronymic style."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    patronymic: str = "russian"  # "russian" (-ович/-овна), "oglu" (Рауф оглы) or "none"


_FAMILIES = {
    "russian": _Family(
        _RUSSIAN_MALE,
        _RUSSIAN_FEMALE,
        (
            "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков",
            "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов",
            "Богданов", "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв",
            "Макаров", "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин", "Баранов", "Куликов",
            "Алексеев", "Степанов", "Яковлев", "Сорокин", "Сергеев", "Романов", "Захаров", "Борисов", "Герасимов",
            "Пономарёв", "Григорьев", "Щербаков", "Чернов", "Жуков",
        ),
    ),
    "ukrainian": _Family(
        (*_RUSSIAN_MALE[:20], "Тарас", "Богдан", "Остап"),
        (*_RUSSIAN_FEMALE[:15], "Олеся", "Леся"),
        (
            "Шевченко", "Бондаренко", "Коваленко", "Ткаченко", "Кравченко", "Савченко", "Петренко", "Лысенко",
            "Мельник", "Бойко", "Ковальчук", "Полищук", "Олейник", "Кравчук", "Гончаренко", "Руденко",
            "Марченко", "Литвиненко", "Мороз", "Павленко",
        ),
    ),
    "belarusian": _Family(
        _RUSSIAN_MALE[:20],
        _RUSSIAN_FEMALE,
        ("Ковалевич", "Лукашевич", "Карпович", "Климович", "Янкович", "Жук", "Новик", "Гринкевич", "Мицкевич"),
    ),
    "german": _Family(
        ("Александр", "Виктор", "Владимир", "Андрей", "Эдуард", "Роберт", "Фридрих", "Генрих", "Вальтер", "Иван",
         "Давид", "Яков", "Артур", "Эрих"),
        ("Ирина", "Елена", "Эмма", "Лидия", "Ольга", "Мария", "Наталья", "Эльвира", "Анна", "Ирма"),
        (
            "Шмидт", "Мюллер", "Вебер", "Шнайдер", "Фишер", "Майер", "Вагнер", "Беккер", "Шульц", "Гофман",
            "Келлер", "Циммерман", "Браун", "Краус", "Рихтер", "Кох", "Клейн", "Вольф", "Шредер", "Нойман",
            "Гартман", "Ланге", "Фрезе", "Винтер",
        ),
    ),
    "korean": _Family(
        _RUSSIAN_MALE[:24],
        _RUSSIAN_FEMALE,
        ("Ким", "Ли", "Пак", "Цой", "Тен", "Хан", "Шин", "Лим", "Югай", "Нам", "Кан", "Ни", "Тян", "Огай", "Пя",
         "Ан", "Хегай", "Когай"),
    ),
    "uzbek": _Family(
        ("Рустам", "Бахтияр", "Шухрат", "Улугбек", "Фарход", "Тимур", "Азиз", "Алишер", "Жахонгир", "Санжар",
         "Ильхом", "Бахром", "Шерзод", "Анвар", "Акмал", "Равшан"),
        ("Дилноза", "Гулнора", "Нодира", "Мунира", "Зулфия", "Феруза", "Малика", "Шахноза", "Севара", "Дильфуза",
         "Мохира"),
        ("Юсупов", "Каримов", "Рахимов", "Турсунов", "Ахмедов", "Мирзаев", "Абдуллаев", "Хасанов", "Назаров",
         "Исмаилов", "Усманов", "Алимов", "Рахманов", "Салимов", "Хамидов", "Эргашев", "Саидов"),
    ),
    "uyghur": _Family(
        ("Ахмет", "Дильмурат", "Ильхам", "Шавкат", "Азат", "Ильшат", "Арслан", "Мурат", "Абдурашид", "Кахриман",
         "Эркин", "Мухтар"),
        ("Гульнара", "Дильназ", "Патигуль", "Мунира", "Айгуль", "Зульфия", "Ризвангуль", "Мадина", "Рейхан"),
        ("Абдрахманов", "Исмаилов", "Ходжаев", "Сабиров", "Турсунов", "Розахунов", "Нуриев", "Мамутов",
         "Садыров", "Юнусов", "Хамраев", "Кадыров"),
    ),
    "tatar": _Family(
        ("Ринат", "Рустем", "Ильдар", "Марат", "Айдар", "Ильнур", "Дамир", "Рафаэль", "Равиль", "Фарид", "Шамиль",
         "Ильдус", "Наиль", "Тагир"),
        ("Гульнара", "Альфия", "Резеда", "Лейсан", "Алсу", "Гузель", "Диляра", "Венера", "Роза", "Эльвира",
         "Ильмира"),
        ("Хабибуллин", "Сафин", "Галиев", "Ахметшин", "Валиев", "Гарипов", "Шакиров", "Хайруллин", "Мухаметшин",
         "Зарипов", "Садыков", "Гильмутдинов", "Файзуллин", "Мингазов", "Нуриев"),
    ),
    "azeri_turkish": _Family(
        ("Эльдар", "Рауф", "Фуад", "Эльчин", "Рашид", "Тофик", "Ильхам", "Фикрет", "Мурат", "Вугар", "Самир",
         "Анар", "Исмаил", "Мевлют"),
        ("Севиндж", "Айтен", "Гюльнара", "Лейла", "Нигяр", "Айше", "Зейнеб", "Гульсум", "Самира", "Эсма"),
        ("Алиев", "Мамедов", "Гусейнов", "Гасанов", "Исмаилов", "Керимов", "Рзаев", "Аскеров", "Сафаров",
         "Ибрагимов", "Бекиров", "Османов", "Юнусов", "Велиев", "Джафаров", "Байрамов"),
        patronymic="oglu",
    ),
    "caucasian": _Family(
        ("Ислам", "Ахмед", "Руслан", "Магомед", "Хасан", "Муса", "Ибрагим", "Висита", "Алихан", "Султан", "Умар",
         "Шамиль", "Аслан", "Залим"),
        ("Хава", "Зарема", "Малика", "Лейла", "Седа", "Аминат", "Фатима", "Марьям", "Луиза", "Зулихан"),
        ("Исаев", "Дадаев", "Ахмадов", "Мусаев", "Хамзатов", "Гайрбеков", "Умаров", "Евлоев", "Мальсагов",
         "Арсанов", "Магомедов", "Абдулаев", "Гаджиев", "Байсултанов", "Тамбиев"),
    ),
    "armenian": _Family(
        ("Арам", "Ашот", "Карен", "Армен", "Гагик", "Самвел", "Артур", "Рубен", "Левон", "Тигран"),
        ("Анаит", "Гаяне", "Лусине", "Карине", "Асмик", "Нарине", "Седа", "Анна"),
        ("Петросян", "Саркисян", "Акопян", "Арутюнян", "Григорян", "Оганесян", "Мкртчян", "Аветисян", "Казарян",
         "Манукян", "Гаспарян", "Бабаян"),
    ),
    "georgian": _Family(
        ("Георгий", "Давид", "Леван", "Зураб", "Тамаз", "Гиви", "Нодар", "Реваз"),
        ("Нино", "Тамара", "Кетеван", "Манана", "Натела", "Эка"),
        ("Беридзе", "Гелашвили", "Капанадзе", "Мчедлишвили", "Абашидзе", "Джапаридзе", "Кипиани", "Чхеидзе"),
    ),
    "jewish": _Family(
        ("Михаил", "Борис", "Леонид", "Марк", "Александр", "Григорий", "Ефим", "Семён", "Яков", "Лев"),
        ("Белла", "Анна", "Ирина", "Софья", "Раиса", "Фаина", "Мария"),
        ("Коган", "Рабинович", "Гуревич", "Фридман", "Кац", "Шапиро", "Гольдберг", "Лившиц", "Зильберман",
         "Эпштейн"),
    ),
    "greek": _Family(
        _RUSSIAN_MALE[:20],
        _RUSSIAN_FEMALE,
        ("Попандопуло", "Харитониди", "Христопуло", "Кирьязиди", "Саввиди", "Триандафилиди", "Пахиди",
         "Иорданиди"),
    ),
    "polish": _Family(
        ("Ян", "Станислав", "Владислав", "Казимир", "Юзеф", "Тадеуш", "Виктор", "Эдуард"),
        ("Ядвига", "Ванда", "Ирена", "Халина", "Данута", "Барбара", "Елена"),
        ("Ковальский", "Вишневский", "Левандовский", "Каминский", "Зелинский", "Шиманский", "Войцеховский",
         "Домбровский"),
    ),
    "moldovan": _Family(
        ("Ион", "Георгий", "Михаил", "Николай", "Виктор", "Григорий", "Константин"),
        ("Мария", "Елена", "Ана", "Иоана", "Виорика", "Лилия"),
        ("Русу", "Чебан", "Мунтяну", "Попеску", "Морару", "Бурлаку", "Лунгу", "Чобану"),
    ),
    "dungan": _Family(
        ("Хусей", "Ильяс", "Мухамед", "Анвар", "Рахим", "Юсуп", "Ибрагим", "Сулейман"),
        ("Фатима", "Зухра", "Асия", "Айша", "Хадижа", "Мариям"),
        ("Дауров", "Мансуров", "Сиязов", "Шимаров", "Ханаров", "Бияров", "Сунлаев", "Хавазов", "Ясыров",
         "Мазиев"),
    ),
    "east_asian": _Family(
        ("Вэй", "Мин", "Цзюнь", "Хао", "Лэй", "Тао"),
        ("Мэй", "Лин", "Сяо", "Хуа", "Янь"),
        ("Ли", "Ван", "Чжан", "Лю", "Чэнь", "Ян", "Хуан", "Чжао", "Нгуен", "Танака"),
        patronymic="none",
    ),
}  # fmt: skip

# Ethnic group -> naming family; groups not listed are named like Russians, as most of
# their members in Kazakhstan are.
_GROUP_FAMILY = {
    "kazakhs": "kazakh", "kyrgyz": "kazakh", "karakalpaks": "kazakh",
    "ukrainians": "ukrainian", "rusyns": "ukrainian", "belarusians": "belarusian",
    "germans": "german", "austrians": "german", "dutch": "german", "swedes": "german", "danes": "german",
    "norwegians": "german", "english": "german", "americans": "german", "french": "german", "italians": "german",
    "spaniards": "german", "portuguese": "german",
    "koreans": "korean", "uzbeks": "uzbek", "tajiks": "uzbek", "turkmens": "uzbek", "uyghurs": "uyghur",
    "tatars": "tatar", "bashkirs": "tatar", "crimean-tatars": "tatar", "nogais": "tatar", "kumyks": "tatar",
    "karachays": "tatar", "balkars": "tatar", "kryashens": "tatar",
    "azerbaijanis": "azeri_turkish", "turks": "azeri_turkish", "meskhetian-turks": "azeri_turkish",
    "kurds": "azeri_turkish", "yazidis": "azeri_turkish", "talysh": "azeri_turkish", "tats": "azeri_turkish",
    "udi": "azeri_turkish", "persians": "azeri_turkish", "afghans": "azeri_turkish", "arabs": "azeri_turkish",
    "pashtuns": "azeri_turkish", "baloch": "azeri_turkish", "pakistanis": "azeri_turkish",
    "indians": "azeri_turkish",
    "chechens": "caucasian", "ingush": "caucasian", "kists": "caucasian", "avars": "caucasian",
    "dargins": "caucasian", "laks": "caucasian", "lezgins": "caucasian", "tabasarans": "caucasian",
    "rutuls": "caucasian", "aguls": "caucasian", "tsakhurs": "caucasian", "kabardians": "caucasian",
    "circassians": "caucasian", "adyghe": "caucasian", "abkhazians": "caucasian", "abazins": "caucasian",
    "ossetians": "caucasian",
    "armenians": "armenian", "georgians": "georgian", "jews": "jewish", "karaites": "jewish",
    "krymchaks": "jewish", "greeks": "greek", "poles": "polish",
    "moldovans": "moldovan", "romanians": "moldovan", "gagauz": "moldovan",
    "dungans": "dungan", "chinese": "east_asian", "japanese": "east_asian", "vietnamese": "east_asian",
}  # fmt: skip

# Approximate shares of the population (per cent, 2021 census); every other group 0.01.
_POPULATION_SHARE = {
    "kazakhs": 70.4, "russians": 15.5, "uzbeks": 3.2, "ukrainians": 2.0, "uyghurs": 1.5, "germans": 1.2,
    "tatars": 1.1, "azerbaijanis": 0.7, "koreans": 0.6, "turks": 0.5, "dungans": 0.4, "belarusians": 0.3,
    "tajiks": 0.3, "kurds": 0.25, "kyrgyz": 0.2, "chechens": 0.18, "poles": 0.15, "bashkirs": 0.09,
    "ingush": 0.08, "moldovans": 0.07, "armenians": 0.07, "greeks": 0.05, "chuvash": 0.04, "mordvins": 0.04,
}  # fmt: skip

_PROFESSIONS = (
    ("мектеп мұғалімі", "учитель школы", "school teacher"),
    ("дәрігер", "врач", "physician"),
    ("кәсіпкер", "предприниматель", "entrepreneur"),
    ("журналист", "журналист", "journalist"),
    ("ғалым, профессор", "учёный, профессор", "scholar, professor"),
    ("өнер қайраткері", "деятель искусства", "artist"),
    ("заңгер", "юрист", "lawyer"),
    ("зейнеткер", "пенсионер", "pensioner"),
    ("инженер", "инженер", "engineer"),
    ("ақын, жазушы", "поэт, писатель", "poet and writer"),
    ("ауыл шаруашылығы кәсіпорнының басшысы", "руководитель сельхозпредприятия", "head of a farming enterprise"),
    ("қайырымдылық қорының директоры", "директор благотворительного фонда", "director of a charity foundation"),
    ("колледж директоры", "директор колледжа", "college director"),
    ("спорт жаттықтырушысы", "спортивный тренер", "sports coach"),
)

# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------

# slug, kk, ru, en, founded
_PUBLIC_ASSOCIATIONS = (
    ("journalists-union", "Қазақстан Журналистер одағы", "Союз журналистов Казахстана",
     "Union of Journalists of Kazakhstan", datetime.date(1992, 6, 1)),
    ("writers-union", "Қазақстан Жазушылар одағы", "Союз писателей Казахстана", "Union of Writers of Kazakhstan",
     datetime.date(1991, 12, 20)),
    ("trade-unions-federation", "Қазақстан Республикасы Кәсіподақтарының Федерациясы",
     "Федерация профсоюзов Республики Казахстан", "Federation of Trade Unions of the Republic of Kazakhstan",
     datetime.date(1992, 3, 1)),
    ("red-crescent", "Қазақстан Қызыл Жарты Ай қоғамы", "Общество Красного Полумесяца Казахстана",
     "Kazakhstan Red Crescent Society", datetime.date(1992, 1, 1)),
    ("kazakh-tili-society", "«Қазақ тілі» халықаралық қоғамы", "Международное общество «Қазақ тілі»",
     "Kazakh Tili International Society", datetime.date(1992, 10, 1)),
    ("veterans-organisation", "Қазақстан ардагерлер ұйымы", "Организация ветеранов Казахстана",
     "Veterans' Organisation of Kazakhstan", datetime.date(1993, 5, 1)),
    ("business-women", "Қазақстан іскер әйелдер қауымдастығы", "Ассоциация деловых женщин Казахстана",
     "Association of Business Women of Kazakhstan", datetime.date(1995, 1, 10)),
    ("assembly-zhastary", "«Ассамблея жастары» республикалық жастар қозғалысы",
     "Республиканское молодёжное движение «Ассамблея жастары»", "Assembly Zhastary Republican Youth Movement",
     datetime.date(2017, 3, 1)),
)  # fmt: skip

# slug, kk stem, ru stem, en stem: «… министрлігі» / «Министерство …» / "Ministry of …".
_MINISTRIES = (
    ("culture", "Мәдениет және ақпарат", "культуры и информации", "Culture and Information"),
    ("education", "Оқу-ағарту", "просвещения", "Education"),
    ("science", "Ғылым және жоғары білім", "науки и высшего образования", "Science and Higher Education"),
    ("foreign-affairs", "Сыртқы істер", "иностранных дел", "Foreign Affairs"),
    ("internal-affairs", "Ішкі істер", "внутренних дел", "Internal Affairs"),
    ("justice", "Әділет", "юстиции", "Justice"),
    ("labour", "Еңбек және халықты әлеуметтік қорғау", "труда и социальной защиты населения",
     "Labour and Social Protection of the Population"),
    ("health", "Денсаулық сақтау", "здравоохранения", "Health"),
    ("sport", "Туризм және спорт", "туризма и спорта", "Tourism and Sports"),
    ("economy", "Ұлттық экономика", "национальной экономики", "National Economy"),
)  # fmt: skip

# Kinds of republican ECA names: kk, kk genitive, ru, ru genitive, en ({x}: the group).
_REPUBLICAN_ECA_NAMES = (
    ("Қазақстан {kk} қауымдастығы", "Қазақстан {kk} қауымдастығының", "Ассоциация {gen} Казахстана",
     "Ассоциации {gen} Казахстана", "Association of {en} of Kazakhstan"),
    ("Қазақстан {kk} республикалық этномәдени орталығы", "Қазақстан {kk} республикалық этномәдени орталығының",
     "Республиканский этнокультурный центр {gen}", "Республиканского этнокультурного центра {gen}",
     "Republican Ethnocultural Centre of {en}"),
)  # fmt: skip

# ---------------------------------------------------------------------------
# End reasons
# ---------------------------------------------------------------------------

# Reasons that end a membership on the day of an event; the act that records the
# end comes later. The others end on the eve of the act (rotation, recall, the
# President's decisions).
_EVENT_REASONS = frozenset(
    {
        Reason.OWN_INITIATIVE,
        Reason.LOSS_OF_CITIZENSHIP,
        Reason.EMIGRATION,
        Reason.CHANGE_OF_POSITION,
        Reason.DEATH,
        Reason.DECLARED_INCOMPETENT,
        Reason.DECLARED_MISSING,
        Reason.DECLARED_DEAD,
        Reason.MOVED_REGION,
    }
)
_NATIONAL_REASONS = {
    Reason.ROTATION: 38, Reason.RECALL: 12, Reason.OWN_INITIATIVE: 12, Reason.DEATH: 8, Reason.HEALTH: 6,
    Reason.EMIGRATION: 4, Reason.OTHER_GROUNDS: 4, Reason.IMPROPER_PERFORMANCE: 3, Reason.LOSS_OF_CITIZENSHIP: 1,
    Reason.DISCREDITING_OFFENCE: 1, Reason.CONVICTION: 1, Reason.DECLARED_INCOMPETENT: 1,
    Reason.DECLARED_MISSING: 1, Reason.DECLARED_DEAD: 1,
}  # fmt: skip
_REGIONAL_REASONS = {**_NATIONAL_REASONS, Reason.ROTATION: 30, Reason.RECALL: 14, Reason.MOVED_REGION: 10}
_ROTATION_REASONS = {Reason.ROTATION: 85, Reason.OWN_INITIATIVE: 5, Reason.HEALTH: 5, Reason.DEATH: 5}
_STAFF_REASONS = {Reason.CHANGE_OF_POSITION: 55, Reason.OWN_INITIATIVE: 30, Reason.OTHER_GROUNDS: 10, Reason.HEALTH: 5}
_POSITION_REASONS = {Reason.CHANGE_OF_POSITION: 1}

# The years the demo renews the Council's composition, and its size then.
_COUNCIL_RENEWALS = {1995: 40, 1999: 45, 2003: 50, 2007: 60, 2011: 65, 2015: 70, 2019: 75, 2022: 80, 2025: 84}

DAY = datetime.timedelta(days=1)


def _years(value: float) -> datetime.timedelta:
    return datetime.timedelta(days=round(365.25 * value))


def _in_russian(name: str) -> str:
    """The Russian spelling of a Kazakh name."""
    return _RUSSIAN_SPELLING.get(name) or name.translate(_KAZAKH_TO_RUSSIAN)


def russian_patronymic(father: str, female: bool) -> str:
    """The Russian-style patronymic (Серикович, Абишевна, Сергеевич) of a father's name."""
    if father in _PATRONYMICS:
        return _PATRONYMICS[father][female]
    if father.endswith("ий"):
        stem = father[:-2] + "иев"
    elif father.endswith(("й", "ь")):
        stem = father[:-1] + "ев"
    elif father[-1] in "аеиоуыэюяжшчщц":
        stem = father + "ев"
    else:
        stem = father + "ов"
    return stem + ("на" if female else "ич")


def kazakh_surname(base: str, female: bool) -> str:
    """A surname from an ancestor's name: Қасым -> Қасымов, Серікбай -> Серікбаев."""
    if base.endswith("й"):
        surname = base[:-1] + "ев"
    elif base[-1] in "аәеіоөұүыиэяжшчщ":
        surname = base + "ев"
    else:
        surname = base + "ов"
    return surname + "а" if female else surname


def _feminine(surname: str) -> str:
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


# ---------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------


class _Acts:
    """The legal acts of the plan: one per issuer, kind, title and date, numbered at
    the end so that each issuer's numbers grow with the date."""

    def __init__(self) -> None:
        self._acts: dict[tuple, LegalAct] = {}
        self._given_numbers: set[tuple] = set()  # keys of acts whose number is a known fact

    def get(self, *, kind: str, issuer: str, title: str, date: datetime.date, number: str | None = None) -> LegalAct:
        key = (kind, issuer, title, date)
        act = self._acts.get(key)
        if act is None:
            act = LegalAct(kind=kind, issuer=issuer, title=title, date=date, number=number or "")
            self._acts[key] = act
            if number is not None:
                self._given_numbers.add(key)
        return act

    def numbered(self, rng: random.Random, taken: set[tuple]) -> list[LegalAct]:
        """All acts, numbered per issuer and year; ``taken`` holds (kind, number, date)
        triples already in the database."""
        by_issuer = defaultdict(list)
        for key, act in self._acts.items():
            if key not in self._given_numbers:
                by_issuer[act.issuer, act.kind].append(act)
        for acts in by_issuer.values():
            acts.sort(key=lambda act: act.date)
            number, year = 0, None
            for act in acts:
                if act.date.year != year:
                    number, year = rng.randint(1, 60), act.date.year
                number += rng.randint(1, 25)
                while (act.kind, str(number), act.date) in taken:
                    number += 1
                act.number = str(number)
                taken.add((act.kind, act.number, act.date))
        return list(self._acts.values())


@dataclass
class _Calendar:
    """When acts of one kind are issued: on fixed dates (the decrees approving a
    composition) or on any day (appointments to a post)."""

    dates: list[datetime.date] | None
    act: Callable[[datetime.date], LegalAct]

    def on_or_after(self, day: datetime.date) -> datetime.date | None:
        if day > DEMO_DATE:
            return None
        if self.dates is None:
            return day
        index = bisect.bisect_left(self.dates, day)
        return self.dates[index] if index < len(self.dates) else None


Holder = tuple[Person, str, Association | None]


@dataclass
class DemoPlan:
    """Everything the demo set writes, built in memory (see the module docstring)."""

    associations: list[Association]
    acts: list[LegalAct]
    persons: list[Person]
    memberships: list[Membership]

    def check(self) -> None:
        """Raise ``ValueError`` if a membership breaks a rule of ``members.services``
        or of the database."""
        by_person_body = defaultdict(list)
        by_post = defaultdict(list)
        for membership in self.memberships:
            body, post = membership.body, membership.post
            problem = None
            if post.body is not body:
                problem = "post of another body"
            elif not body.is_active_on(membership.start_date):
                problem = "body not active on the start date"
            elif membership.end_date is not None and membership.end_date < membership.start_date:
                problem = "ends before it starts"
            elif (membership.end_date is None) != (membership.end_reason == "") or (
                membership.end_date is None and membership.ended_by is not None
            ):
                problem = "end date, reason and act out of step"
            elif membership.end_date is not None and membership.ended_by is None:
                problem = "no ending act"
            elif membership.appointed_by is None:
                problem = "no appointing act"
            elif membership.end_date is not None and membership.end_date > DEMO_DATE:
                problem = "ends after the demo date"
            elif membership.end_reason == Reason.MOVED_REGION and body.region_id is None:
                problem = "moved region from a national body"
            else:
                required = {
                    Basis.ETHNOCULTURAL: Association.Kind.ETHNOCULTURAL,
                    Basis.PUBLIC_ASSOCIATION: Association.Kind.PUBLIC,
                    Basis.STATE_BODY: Association.Kind.STATE_BODY,
                }.get(membership.basis)
                organisation = membership.on_behalf_of
                if required and (organisation is None or organisation.kind != required):
                    problem = "basis and organisation do not match"
            if problem:
                raise ValueError(f"demo plan: {problem}: {membership.person} in {body.slug} ({post.role})")
            by_person_body[id(membership.person), body.pk].append(membership)
            by_post[post.pk].append(membership)
        for memberships in by_person_body.values():
            _check_no_overlap(memberships, "one person holds two memberships of one body at once")
        for memberships in by_post.values():
            seats = memberships[0].post.seats
            if seats is not None and _most_at_once(memberships) > seats:
                raise ValueError(f"demo plan: more holders than seats in {memberships[0].post}")

    def save(self, progress: TextIO | None = None) -> int:
        """Write the plan in one transaction; return the number of rows written."""
        steps = (
            (Association, self.associations),
            (LegalAct, self.acts),
            (Person, self.persons),
            (Membership, self.memberships),
        )
        total = sum(len(objects) for _, objects in steps)
        with (
            translation.override("kk"),
            transaction.atomic(),
            tqdm(total=total, file=progress, disable=progress is None, unit=" rows", desc="demo data") as bar,
        ):
            for model, objects in steps:
                for start in range(0, len(objects), BATCH_SIZE):
                    batch = objects[start : start + BATCH_SIZE]
                    bulk_create_with_history(batch, model, batch_size=BATCH_SIZE)
                    bar.update(len(batch))
        return total


def _check_no_overlap(memberships: list[Membership], message: str) -> None:
    memberships = sorted(memberships, key=lambda m: m.start_date)
    for earlier, later in zip(memberships, memberships[1:], strict=False):
        if earlier.end_date is None or earlier.end_date >= later.start_date:
            raise ValueError(f"demo plan: {message}: {earlier.person} in {earlier.body.slug}")


def _most_at_once(memberships: list[Membership]) -> int:
    events = []
    for membership in memberships:
        events.append((membership.start_date, 1))
        if membership.end_date is not None:
            events.append((membership.end_date + DAY, -1))
    most = current = 0
    for _, change in sorted(events):  # on a tie the leaving holder (-1) counts first
        current += change
        most = max(most, current)
    return most


class _Planner:
    def __init__(self, *, seed: int, scale: int) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.acts = _Acts()
        self.persons: list[Person] = []
        self.memberships: list[Membership] = []
        self.associations: list[Association] = []
        self._slugs = set(Person.objects.values_list("slug", flat=True))
        self._iins = set(Person.objects.exclude(iin=None).values_list("iin", flat=True))
        self._association_slugs = set(Association.objects.values_list("slug", flat=True))
        self._serial = self.rng.randint(1000, 4000)
        self._read_reference()

    # -- reference data from the database ----------------------------------

    def _read_reference(self) -> None:
        self.groups = {group.slug: group for group in EthnicGroup.objects.order_by("slug")}
        genitives = {group.slug: group.ru_genitive for group in ETHNIC_GROUPS}
        self.group_genitive = {slug: genitives.get(slug, group.name_ru) for slug, group in self.groups.items()}
        self.group_slugs = list(self.groups)
        self.population_weights = [_POPULATION_SHARE.get(slug, 0.01) for slug in self.group_slugs]
        # Every group has a voice in the Assembly, so small groups weigh more there than by headcount.
        self.voice_weights = [weight**0.4 for weight in self.population_weights]
        self.regions = list(Region.objects.order_by("kato"))
        bodies = {body.slug: body for body in Body.objects.select_related("region")}
        self.posts = {(post.body_id, post.role): post for post in Post.objects.all()}
        self.assembly, self.council, self.secretariat = bodies["assembly"], bodies["council"], bodies["secretariat"]
        self.regional = {
            region.kato: (
                bodies[f"{region.slug}-assembly"],
                bodies[f"{region.slug}-council"],
                bodies[f"{region.slug}-secretariat"],
            )
            for region in self.regions
        }

    def post(self, body: Body, role: str) -> Post:
        post = self.posts[body.pk, role]
        post.body = body  # the same object, so the plan's checks can compare identities
        return post

    # -- small helpers ------------------------------------------------------

    def _pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _date_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _group(self, weights: list[float]) -> EthnicGroup:
        return self.groups[self.rng.choices(self.group_slugs, weights=weights)[0]]

    # -- organisations ------------------------------------------------------

    def _association(self, *, slug: str, kk: str, ru: str, en: str, kind: str, **fields) -> Association:
        base, suffix = slug, 2
        while slug in self._association_slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        self._association_slugs.add(slug)
        association = Association(slug=slug, name_kk=kk, name_ru=ru, name_en=en, kind=kind, **fields)
        self.associations.append(association)
        return association

    def plan_organisations(self) -> None:
        rng = self.rng
        republican = Association.Level.REPUBLICAN
        regional = Association.Level.REGIONAL
        self.ecas_by_group: dict[str, list[Association]] = defaultdict(list)
        # id(organisation) -> the position (kk, ru, en) of the one who leads or represents it.
        self.leader: dict[int, tuple[str, str, str]] = {}
        for slug, group in self.groups.items():
            kk, kk_gen, ru, ru_gen, en = _REPUBLICAN_ECA_NAMES[0 if rng.random() < 0.7 else 1]
            names = {"kk": group.name_kk[0].lower() + group.name_kk[1:], "gen": self.group_genitive[slug]}
            names["en"] = group.name_en
            association = self._association(
                slug=f"{slug}-republican",
                kk=kk.format(**names),
                ru=ru.format(**names),
                en=en.format(**names),
                kind=Association.Kind.ETHNOCULTURAL,
                level=republican,
                ethnic_group=group,
                founded=self._date_between(datetime.date(1989, 1, 1), datetime.date(1995, 2, 28)),
            )
            self.leader[id(association)] = (
                f"{kk_gen.format(**names)} төрағасы",
                f"председатель {ru_gen.format(**names)}",
                f"Chair of the {association.name_en}",
            )
            self.ecas_by_group[slug].append(association)

        self.public_associations = [
            self._association(slug=slug, kk=kk, ru=ru, en=en, kind=Association.Kind.PUBLIC, level=republican,
                              founded=founded)
            for slug, kk, ru, en, founded in _PUBLIC_ASSOCIATIONS
        ]  # fmt: skip
        state = Association.Kind.STATE_BODY
        self.administration = self._association(
            slug="presidential-administration",
            kk="Қазақстан Республикасы Президентінің Әкімшілігі",
            ru="Администрация Президента Республики Казахстан",
            en="Administration of the President of the Republic of Kazakhstan",
            kind=state,
            level=republican,
        )
        self.mazhilis = self._association(
            slug="mazhilis",
            kk="Қазақстан Республикасы Парламентінің Мәжілісі",
            ru="Мажилис Парламента Республики Казахстан",
            en="Mazhilis of the Parliament of the Republic of Kazakhstan",
            kind=state,
            level=republican,
        )
        self.senate = self._association(
            slug="senate",
            kk="Қазақстан Республикасы Парламентінің Сенаты",
            ru="Сенат Парламента Республики Казахстан",
            en="Senate of the Parliament of the Republic of Kazakhstan",
            kind=state,
            level=republican,
        )
        self.leader[id(self.mazhilis)] = (
            "Қазақстан Республикасы Парламенті Мәжілісінің депутаты",
            "депутат Мажилиса Парламента Республики Казахстан",
            "Member of the Mazhilis of the Parliament of the Republic of Kazakhstan",
        )
        self.leader[id(self.senate)] = (
            "Қазақстан Республикасы Парламенті Сенатының депутаты",
            "депутат Сената Парламента Республики Казахстан",
            "Senator of the Parliament of the Republic of Kazakhstan",
        )
        self.ministries = []
        for slug, kk, ru, en in _MINISTRIES:
            ministry = self._association(
                slug=f"ministry-{slug}",
                kk=f"Қазақстан Республикасының {kk} министрлігі",
                ru=f"Министерство {ru} Республики Казахстан",
                en=f"Ministry of {en} of the Republic of Kazakhstan",
                kind=state,
                level=republican,
            )
            self.leader[id(ministry)] = (
                f"Қазақстан Республикасының {kk} министрі",
                f"министр {ru} Республики Казахстан",
                f"Minister of {en} of the Republic of Kazakhstan",
            )
            self.ministries.append(ministry)

        self.akimats: dict[str, Association] = {}
        self.regional_ecas: dict[str, list[Association]] = {}
        for region in self.regions:
            founded = self.regional[region.kato][0].founded
            kk_of, ru_of = f"{region.name_kk}ның", REGION_RU_GENITIVE.get(region.kato, region.name_ru)
            akimat = self._association(
                slug=f"{region.slug}-akimat",
                kk=f"{kk_of} әкімдігі",
                ru=f"Акимат {ru_of}",
                en=f"Akimat of {region.name_en}",
                kind=state,
                level=regional,
                region=region,
                founded=region.valid_from,
            )
            self.leader[id(akimat)] = (f"{kk_of} әкімі", f"аким {ru_of}", f"Akim of {region.name_en}")
            self.akimats[region.kato] = akimat
            count = rng.randint(8, 16)
            chosen = ["kazakhs", "russians"]
            weights = [weight**0.8 for weight in self.population_weights]
            while len(chosen) < count:
                slug = rng.choices(self.group_slugs, weights=weights)[0]
                if slug not in chosen:
                    chosen.append(slug)
            ecas = []
            for slug in chosen:
                group = self.groups[slug]
                plural = group.name_kk[0].lower() + group.name_kk[1:]
                association = self._association(
                    slug=f"{region.slug}-{slug}",
                    kk=f"{kk_of} {plural} этномәдени бірлестігі",
                    ru=f"Этнокультурное объединение {self.group_genitive[slug]} {ru_of}",
                    en=f"Ethnocultural Association of {group.name_en} of {region.name_en}",
                    kind=Association.Kind.ETHNOCULTURAL,
                    level=regional,
                    region=region,
                    ethnic_group=group,
                    founded=region.valid_from or self._date_between(datetime.date(1990, 1, 1), founded - DAY),
                )
                self.leader[id(association)] = (
                    f"{kk_of} {plural} этномәдени бірлестігінің төрағасы",
                    f"председатель Этнокультурного объединения {self.group_genitive[slug]} {ru_of}",
                    f"Chair of the {association.name_en}",
                )
                ecas.append(association)
                self.ecas_by_group[slug].append(association)
            self.regional_ecas[region.kato] = ecas

    @staticmethod
    def _available(organisations: list[Association], day: datetime.date) -> list[Association]:
        return [org for org in organisations if org.founded is None or org.founded <= day]

    # -- persons ------------------------------------------------------------

    def person(
        self,
        *,
        on: datetime.date,
        group: EthnicGroup | None = None,
        female_share: float = 0.38,
        age: tuple[int, int] = (30, 64),
        position: tuple[str, str, str] | None = None,
    ) -> Person:
        """A new person of ``group`` (by headcount if None), ``age`` years old on ``on``."""
        rng = self.rng
        group = group or self._group(self.population_weights)
        female = rng.random() < female_share
        birth_date = on - _years(rng.randint(*age)) - datetime.timedelta(days=rng.randint(0, 364))
        names = self._names(group.slug, female, birth_date.year)
        surname, given_name, patronymic = (names[0], names[2], names[4])
        surname_latin, given_latin = to_latin(surname), to_latin(given_name)
        gender = Person.Gender.FEMALE if female else Person.Gender.MALE
        iin = self._iin(birth_date, gender) if rng.random() < 0.9 else None
        position = position or (rng.choice(_PROFESSIONS) if rng.random() < 0.8 else ("", "", ""))
        person = Person(
            surname=surname,
            given_name=given_name,
            patronymic=patronymic,
            surname_ru=names[1] if names[1] != surname else "",
            given_name_ru=names[3] if names[3] != given_name else "",
            patronymic_ru=names[5] if names[5] != patronymic else "",
            surname_latin=surname_latin,
            given_name_latin=given_latin,
            patronymic_latin=to_latin(patronymic),
            gender=gender,
            iin=iin,
            birth_date=birth_date if iin or rng.random() < 0.5 else None,
            phone=self._phone() if rng.random() < 0.85 else "",
            email=f"{slugify(given_latin.replace('ı', 'i'))}.{slugify(surname_latin.replace('ı', 'i'))}"
            f"{rng.randint(1, 999)}@example.com"
            if rng.random() < 0.7
            else "",
            ethnic_group=group,
            ethnicity_public=rng.random() < 0.15,
            position_kk=position[0],
            position_ru=position[1],
            position_en=position[2],
        )
        self._add_person(person)
        return person

    def _add_person(self, person: Person) -> None:
        # As members.services names slugs (the dotless ı has no ASCII form for slugify).
        base = slugify(person.full_name_latin.replace("ı", "i"))[:100] or "person"
        slug, suffix = base, 2
        while slug in self._slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        self._slugs.add(slug)
        person.slug = slug
        self.persons.append(person)

    def _names(self, group_slug: str, female: bool, born: int) -> tuple[str, str, str, str, str, str]:
        """Surname, given name and patronymic, each in Kazakh Cyrillic and in Russian spelling."""
        rng = self.rng
        family = _GROUP_FAMILY.get(group_slug, "russian")
        if family == "kazakh":
            surname = kazakh_surname(rng.choice(_KAZAKH_ELDERS + _KAZAKH_MALE), female)
            given = rng.choice(_KAZAKH_FEMALE if female else _KAZAKH_MALE)
            father = rng.choice(_KAZAKH_MALE + _KAZAKH_ELDERS)
            patronymic = father + ("қызы" if female else "ұлы")
            # Older documents give the Russian-style patronymic (Әбішұлы -> Абишевич).
            soviet = rng.random() < (0.85 if born < 1975 else 0.4 if born < 1990 else 0.1)
            patronymic_ru = russian_patronymic(_in_russian(father), female) if soviet else _in_russian(patronymic)
            return surname, _in_russian(surname), given, _in_russian(given), patronymic, patronymic_ru
        names = _FAMILIES[family]
        surname = rng.choice(names.surnames)
        if female:
            surname = _feminine(surname)
        given = rng.choice(names.female if female else names.male)
        father = rng.choice(names.male)
        if names.patronymic == "oglu" and rng.random() < 0.5:
            patronymic = f"{father} {'кызы' if female else 'оглы'}"
        elif names.patronymic == "none":
            patronymic = ""
        else:
            patronymic = russian_patronymic(father, female)
        return surname, surname, given, given, patronymic, patronymic

    def _iin(self, birth_date: datetime.date, gender: str) -> str:
        while True:
            self._serial += 1
            iin = build_iin(birth_date, gender, self._serial)
            if iin and iin not in self._iins:
                self._iins.add(iin)
                return iin

    def _phone(self) -> str:
        rng = self.rng
        operator = rng.choice(("701", "702", "705", "707", "708", "747", "771", "775", "776", "777"))
        return f"+7 {operator} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"

    # -- memberships --------------------------------------------------------

    def membership(
        self,
        *,
        person: Person,
        body: Body,
        role: str,
        basis: str,
        organisation: Association | None,
        start: datetime.date,
        act: LegalAct,
    ) -> Membership:
        post = self.post(body, role)
        membership = Membership(
            person=person,
            body=body,
            post=post,
            basis=basis,
            on_behalf_of=organisation,
            start_date=start,
            appointed_by=act,
            single_seat=post.seats == 1,
        )
        self.memberships.append(membership)
        return membership

    def chain(
        self,
        *,
        body: Body,
        role: str,
        start: datetime.date | None,
        calendar: _Calendar,
        holder: Callable[[datetime.date], Holder],
        term: tuple[float, float],
        reasons: dict,
    ) -> list[Membership]:
        """The successive holders of one seat from ``start`` to the demo date: each
        serves about ``term`` years, leaves for one of ``reasons`` and is followed by
        the next one appointed by the next act of ``calendar``."""
        rng = self.rng
        chain = []
        while start is not None:
            person, basis, organisation = holder(start)
            membership = self.membership(
                person=person,
                body=body,
                role=role,
                basis=basis,
                organisation=organisation,
                start=start,
                act=calendar.act(start),
            )
            chain.append(membership)
            due = calendar.on_or_after(start + _years(rng.uniform(*term)))
            if due is None:
                break
            reason = self._pick(reasons)
            # Civil servants mostly leave because they change posts; only they can.
            if basis == Basis.STATE_BODY and reason != Reason.CHANGE_OF_POSITION and rng.random() < 0.6:
                reason = Reason.CHANGE_OF_POSITION
            elif reason == Reason.CHANGE_OF_POSITION and basis not in (Basis.STATE_BODY, Basis.EX_OFFICIO):
                reason = Reason.OWN_INITIATIVE
            if reason in _EVENT_REASONS:
                vacancy = 300 if calendar.dates is not None else 60
                end = max(start, due - datetime.timedelta(days=rng.randint(1, vacancy)))
            else:
                end = due - DAY
            membership.end_date, membership.end_reason, membership.ended_by = end, reason, calendar.act(due)
            start = due
        return chain

    def linked(
        self,
        holders: list[Membership],
        *,
        body: Body,
        role: str,
        basis: str | None = None,
        organisation: Association | None = None,
        window: tuple[datetime.date, datetime.date | None],
        window_act: LegalAct | None = None,
        renewal_act: LegalAct | None = None,
    ) -> list[Membership]:
        """Memberships held by virtue of another one (``holders``), within ``window``:
        the akim chairs the regional council while he is akim. A membership ends with
        its holder's (same reason and act) or, at the end of the window, because a
        new composition was approved by ``renewal_act``."""
        window_start, window_end = window
        linked = []
        for holder in holders:
            start = max(holder.start_date, window_start, body.founded)
            ends = [day for day in (holder.end_date, window_end) if day is not None]
            end = min(ends) if ends else None
            if end is not None and end < start:
                continue
            membership = self.membership(
                person=holder.person,
                body=body,
                role=role,
                basis=basis or holder.basis,
                organisation=organisation if basis else holder.on_behalf_of,
                start=start,
                act=holder.appointed_by if holder.start_date > window_start or window_act is None else window_act,
            )
            if end is not None and end == holder.end_date:
                membership.end_date, membership.end_reason = end, holder.end_reason
                membership.ended_by = holder.ended_by
            elif end is not None:
                membership.end_date, membership.end_reason = end, Reason.COMPOSITION_RENEWED
                membership.ended_by = renewal_act
            linked.append(membership)
        return linked

    def _serving(self, pool: list[Membership], window: tuple, count: int, distinct=None) -> list[Membership]:
        """Up to ``count`` memberships of ``pool`` held at the start of ``window``, those
        that last the whole window first; one per ``distinct(membership)`` while possible."""
        start, end = window
        candidates = [m for m in pool if m.start_date <= start and (m.end_date is None or m.end_date >= start)]
        self.rng.shuffle(candidates)
        candidates.sort(key=lambda m: not (m.end_date is None or (end is not None and m.end_date >= end)))
        chosen, seen = [], set()
        for membership in candidates:
            key = distinct(membership) if distinct else id(membership)
            if key not in seen:
                seen.add(key)
                chosen.append(membership)
        taken = {id(m) for m in chosen}
        return (chosen + [m for m in candidates if id(m) not in taken])[:count]

    def _windows(self, renewals: list[tuple[datetime.date, LegalAct]]) -> Iterator[tuple]:
        """(window, act that approved it, act that replaced it) for each composition."""
        for index, (start, act) in enumerate(renewals):
            following = renewals[index + 1] if index + 1 < len(renewals) else None
            yield (start, following[0] - DAY if following else None), act, following[1] if following else None

    # -- the Assembly ---------------------------------------------------------

    def _decree(self, title: str) -> Callable[[datetime.date], LegalAct]:
        return lambda day: self.acts.get(kind=LegalAct.Kind.DECREE, issuer=PRESIDENT, title=title, date=day)

    def _order(self, issuer: str, title: str) -> Callable[[datetime.date], LegalAct]:
        return lambda day: self.acts.get(kind=LegalAct.Kind.ORDER, issuer=issuer, title=title, date=day)

    def _session_dates(self, first: datetime.date, autumn_share: float) -> list[datetime.date]:
        """The dates compositions change: ``first``, then one date in spring and, in
        some years, one in autumn, up to the demo date."""
        dates = [first]
        for year in range(first.year, DEMO_DATE.year + 1):
            spring = datetime.date(year, self.rng.randint(2, 5), self.rng.randint(1, 28))
            autumn = datetime.date(year, self.rng.randint(9, 10), self.rng.randint(1, 28))
            dates.append(spring)
            if self.rng.random() < autumn_share:
                dates.append(autumn)
        return sorted(day for day in set(dates) if first <= day <= DEMO_DATE)

    def _eca_holder(self, group: EthnicGroup | None, day: datetime.date, republican_share: float) -> Association:
        """An ECA of ``group`` (chosen by voice if None) active on ``day``."""
        while True:
            slug = group.slug if group else self._group(self.voice_weights).slug
            ecas = self._available(self.ecas_by_group[slug], day)
            republican = [eca for eca in ecas if eca.level == Association.Level.REPUBLICAN]
            regional = [eca for eca in ecas if eca.level == Association.Level.REGIONAL]
            if regional and self.rng.random() > republican_share:
                return self.rng.choice(regional)
            if republican:
                return republican[0]
            group = None

    def _national_holder(self, day: datetime.date) -> Holder:
        rng = self.rng
        roll = rng.random()
        if roll < 0.64:
            eca = self._eca_holder(None, day, republican_share=0.35)
            group = eca.ethnic_group if rng.random() < 0.95 else None
            return self.person(on=day, group=group), Basis.ETHNOCULTURAL, eca
        if roll < 0.74:
            association = rng.choice(self._available(self.public_associations, day))
            return self.person(on=day), Basis.PUBLIC_ASSOCIATION, association
        if roll < 0.82:
            state_bodies = self._available([*self.ministries, *self.akimats.values()], day)
            return self.person(on=day, age=(35, 60)), Basis.STATE_BODY, rng.choice(state_bodies)
        return self.person(on=day, age=(35, 75)), Basis.PUBLIC_FIGURE, None

    def plan_chairmen(self) -> None:
        nazarbayev = Person(
            surname="Назарбаев", given_name="Нұрсұлтан", patronymic="Әбішұлы", patronymic_ru="Абишевич",
            given_name_ru="Нурсултан", surname_latin=to_latin("Назарбаев"), given_name_latin=to_latin("Нұрсұлтан"),
            patronymic_latin=to_latin("Әбішұлы"), gender=Person.Gender.MALE, ethnic_group=self.groups["kazakhs"],
            position_kk="Қазақстан Республикасының Тұңғыш Президенті",
            position_ru="Первый Президент Республики Казахстан",
            position_en="First President of the Republic of Kazakhstan",
            biography_kk="Қазақстан Республикасының Тұңғыш Президенті (1991–2019). Қазақстан халқы Ассамблеясының "
            "Төрағасы (1995–2021).",
            biography_ru="Первый Президент Республики Казахстан (1991–2019). Председатель Ассамблеи народа "
            "Казахстана (1995–2021).",
            biography_en="First President of the Republic of Kazakhstan (1991–2019). Chairman of the Assembly of "
            "the People of Kazakhstan (1995–2021).",
        )  # fmt: skip
        tokayev = Person(
            surname="Тоқаев", surname_ru="Токаев", given_name="Қасым-Жомарт", given_name_ru="Касым-Жомарт",
            patronymic="Кемелұлы", patronymic_ru="Кемелевич", surname_latin=to_latin("Тоқаев"),
            given_name_latin=to_latin("Қасым-Жомарт"), patronymic_latin=to_latin("Кемелұлы"),
            gender=Person.Gender.MALE, ethnic_group=self.groups["kazakhs"],
            position_kk="Қазақстан Республикасының Президенті", position_ru="Президент Республики Казахстан",
            position_en="President of the Republic of Kazakhstan",
            biography_kk="Қазақстан Республикасының Президенті (2019 жылдан). Қазақстан халқы Ассамблеясының "
            "Төрағасы (2021 жылдың 28 сәуірінен).",
            biography_ru="Президент Республики Казахстан (с 2019 года). Председатель Ассамблеи народа Казахстана "
            "(с 28 апреля 2021 года).",
            biography_en="President of the Republic of Kazakhstan (since 2019). Chairman of the Assembly of the "
            "People of Kazakhstan (since 28 April 2021).",
        )  # fmt: skip
        for person in (nazarbayev, tokayev):
            self._add_person(person)
        founding = self.acts.get(
            kind=LegalAct.Kind.DECREE,
            issuer=PRESIDENT,
            title="Қазақстан халқы Ассамблеясын құру туралы",
            date=ASSEMBLY_FOUNDED,
            number="2066",
        )
        # The XXIX session of 28 April 2021, at which the First President handed the chairmanship over.
        handover = self.acts.get(
            kind=LegalAct.Kind.DECISION,
            issuer="Қазақстан халқы Ассамблеясының XXIX сессиясы",
            title="Қазақстан халқы Ассамблеясының Төрағасы туралы",
            date=datetime.date(2021, 4, 28),
            number="",
        )
        first = self.membership(
            person=nazarbayev,
            body=self.assembly,
            role=Post.Role.CHAIRMAN,
            basis=Basis.EX_OFFICIO,
            organisation=None,
            start=ASSEMBLY_FOUNDED,
            act=founding,
        )
        first.end_date, first.end_reason, first.ended_by = datetime.date(2021, 4, 27), Reason.OWN_INITIATIVE, handover
        self.membership(
            person=tokayev,
            body=self.assembly,
            role=Post.Role.CHAIRMAN,
            basis=Basis.EX_OFFICIO,
            organisation=None,
            start=handover.date,
            act=handover,
        )

    def plan_national(self) -> None:
        rng, scale = self.rng, self.scale
        self.national_dates = self._session_dates(datetime.date(1995, 3, 20), autumn_share=0.7)
        composition = _Calendar(self.national_dates, self._decree("Қазақстан халқы Ассамблеясының құрамы туралы"))

        # The Secretariat: its Head is a Deputy Chairman of the Assembly and chairs the Council.
        heads_calendar = _Calendar(None, self._decree("Қазақстан халқы Ассамблеясы Хатшылығының меңгерушісі туралы"))
        head_position = (
            "Қазақстан халқы Ассамблеясы Хатшылығының меңгерушісі",
            "заведующий Секретариатом Ассамблеи народа Казахстана",
            "Head of the Secretariat of the Assembly of the People of Kazakhstan",
        )
        self.secretariat_heads = self.chain(
            body=self.secretariat,
            role=Post.Role.HEAD,
            start=ASSEMBLY_FOUNDED,
            calendar=heads_calendar,
            holder=lambda day: (
                self.person(on=day, age=(40, 58), female_share=0.2, position=head_position),
                Basis.STATE_BODY,
                self.administration,
            ),
            term=(3, 7),
            reasons=_POSITION_REASONS,
        )
        self.linked(
            self.secretariat_heads,
            body=self.assembly,
            role=Post.Role.DEPUTY_CHAIRMAN,
            basis=Basis.EX_OFFICIO,
            window=(ASSEMBLY_FOUNDED, None),
        )
        staff_calendar = _Calendar(None, self._order(HEAD_OF_ADMINISTRATION, "Хатшылық қызметкерлері туралы"))
        for role, count in ((Post.Role.DEPUTY_HEAD, 1), (Post.Role.STAFF, 5)):
            for _ in range(count * scale):
                self.chain(
                    body=self.secretariat,
                    role=role,
                    start=self._date_between(ASSEMBLY_FOUNDED, datetime.date(1996, 12, 31)),
                    calendar=staff_calendar,
                    holder=lambda day: (
                        self.person(on=day, age=(26, 55), female_share=0.5),
                        Basis.STATE_BODY,
                        self.administration,
                    ),
                    term=(2, 8),
                    reasons=_STAFF_REASONS,
                )

        # Two Deputy Chairmen from the ethnocultural associations, by rotation.
        deputies_calendar = _Calendar(
            self.national_dates, self._order(PRESIDENT, "Қазақстан халқы Ассамблеясы Төрағасының орынбасары туралы")
        )

        def deputy(day: datetime.date) -> Holder:
            eca = self._eca_holder(None, day, republican_share=1.0)
            person = self.person(on=day, group=eca.ethnic_group, age=(45, 65), position=self.leader[id(eca)])
            return person, Basis.ETHNOCULTURAL, eca

        self.eca_deputies = [
            membership
            for _ in range(2)
            for membership in self.chain(
                body=self.assembly,
                role=Post.Role.DEPUTY_CHAIRMAN,
                start=self.national_dates[0],
                calendar=deputies_calendar,
                holder=deputy,
                term=(3, 6),
                reasons=_ROTATION_REASONS,
            )
        ]

        # Ordinary members: about 350 seats from 1995, growing by 2023 to about 600 members
        # with the Chairman, the three Deputy Chairmen and the 20 akims.
        seats = 576 * scale
        mid = [day for day in self.national_dates if 2008 <= day.year <= 2016]
        late = [day for day in self.national_dates if 2017 <= day.year <= 2023]
        self.national_members = []
        for index in range(seats):
            share = index / seats
            start = self.national_dates[0] if share < 0.59 else rng.choice(mid if share < 0.68 else late)
            self.national_members += self.chain(
                body=self.assembly,
                role=Post.Role.MEMBER,
                start=start,
                calendar=composition,
                holder=self._national_holder,
                term=(3, 10),
                reasons=_NATIONAL_REASONS,
            )

    def plan_council(self) -> None:
        rng, scale = self.rng, self.scale
        decree = self._decree("Қазақстан халқы Ассамблеясы Кеңесінің құрамы туралы")
        renewals = []
        for year in _COUNCIL_RENEWALS:
            day = (
                datetime.date(1995, 3, 24)
                if year == 1995
                else datetime.date(year, rng.randint(2, 5), rng.randint(1, 28))
            )
            renewals.append((day, decree(day)))
        eca_heads = [
            m
            for m in self.national_members
            if m.basis == Basis.ETHNOCULTURAL and m.on_behalf_of.level == Association.Level.REPUBLICAN
        ]
        chambers = [self.mazhilis, self.mazhilis, self.senate]
        figures: list[Person] = []
        for window, act, renewal_act in self._windows(renewals):
            start = window[0]
            common = {"window": window, "window_act": act, "renewal_act": renewal_act}
            self.linked(
                self.secretariat_heads, body=self.council, role=Post.Role.CHAIRMAN, basis=Basis.EX_OFFICIO, **common
            )
            self.linked(self.eca_deputies, body=self.council, role=Post.Role.MEMBER, **common)
            for kato, akim_chain in self.akim_chains.items():
                self.linked(
                    akim_chain,
                    body=self.council,
                    role=Post.Role.MEMBER,
                    basis=Basis.EX_OFFICIO,
                    organisation=self.akimats[kato],
                    **common,
                )
            akims = sum(1 for region in self.regions if self.regional[region.kato][0].is_active_on(start))
            size = _COUNCIL_RENEWALS[start.year] * scale
            ministers = (6 + start.year % 3) * scale
            parliament = 6 * scale
            rest = max(0, size - akims - 2 - ministers - parliament)
            heads = self._serving(eca_heads, window, round(rest * 0.62), distinct=lambda m: id(m.on_behalf_of))
            for head in heads:
                head.person.position_kk, head.person.position_ru, head.person.position_en = self.leader[
                    id(head.on_behalf_of)
                ]
                self.linked([head], body=self.council, role=Post.Role.MEMBER, **common)
            seated = []
            for index in range(ministers):
                ministry = self.ministries[index % len(self.ministries)]
                person = self.person(on=start, age=(40, 62), female_share=0.2, position=self.leader[id(ministry)])
                seated.append((person, Basis.STATE_BODY, ministry))
            for index in range(parliament):
                chamber = chambers[index % len(chambers)]
                seated.append(
                    (self.person(on=start, age=(38, 66), position=self.leader[id(chamber)]), Basis.STATE_BODY, chamber)
                )
            public = rest - len(heads)
            returning = rng.sample(figures, min(len(figures), round(public * 0.4)))
            figures = returning + [self.person(on=start, age=(40, 78)) for _ in range(public - len(returning))]
            seated += [(person, Basis.PUBLIC_FIGURE, None) for person in figures]
            for person, basis, organisation in seated:
                membership = self.membership(
                    person=person,
                    body=self.council,
                    role=Post.Role.MEMBER,
                    basis=basis,
                    organisation=organisation,
                    start=start,
                    act=act,
                )
                if window[1] is not None:
                    membership.end_date, membership.end_reason = window[1], Reason.COMPOSITION_RENEWED
                    membership.ended_by = renewal_act

    # -- the regions ------------------------------------------------------------

    def plan_regions(self) -> None:
        self.akim_chains: dict[str, list[Membership]] = {}
        for region in self.regions:
            self._plan_region(region)

    def _plan_region(self, region: Region) -> None:
        rng, scale = self.rng, self.scale
        assembly, council, secretariat = self.regional[region.kato]
        akimat, ecas = self.akimats[region.kato], self.regional_ecas[region.kato]
        founded = assembly.founded
        akim = f"{region.name_kk}ның әкімі"
        of_assembly = f"{region.name_kk} Қазақстан халқы Ассамблеясы"
        ru_of = REGION_RU_GENITIVE.get(region.kato, region.name_ru)
        first = founded + datetime.timedelta(days=rng.randint(10, 60))
        dates = self._session_dates(first, autumn_share=0.5)
        composition = _Calendar(dates, self._order(akim, f"{of_assembly}ның құрамы туралы"))

        akims = self.chain(
            body=assembly,
            role=Post.Role.CHAIRMAN,
            start=founded,
            calendar=_Calendar(None, self._decree(f"{akim} туралы")),
            holder=lambda day: (
                self.person(on=day, group=self.groups["kazakhs"], age=(42, 60), female_share=0.05,
                            position=self.leader[id(akimat)]),
                Basis.EX_OFFICIO,
                akimat,
            ),
            term=(1.5, 6),
            reasons=_POSITION_REASONS,
        )  # fmt: skip
        self.akim_chains[region.kato] = akims
        # The akims are members of the Assembly by virtue of chairing their regional assemblies.
        self.linked(
            akims,
            body=self.assembly,
            role=Post.Role.MEMBER,
            basis=Basis.EX_OFFICIO,
            organisation=akimat,
            window=(founded, None),
        )

        head_position = (
            f"{of_assembly} Хатшылығының меңгерушісі",
            f"заведующий Секретариатом Ассамблеи народа Казахстана {ru_of}",
            f"Head of the Secretariat of the {assembly.name_en}",
        )
        staff_calendar = _Calendar(None, self._order(akim, f"{of_assembly} Хатшылығының қызметкерлері туралы"))
        heads = self.chain(
            body=secretariat,
            role=Post.Role.HEAD,
            start=founded,
            calendar=staff_calendar,
            holder=lambda day: (
                self.person(on=day, age=(35, 58), female_share=0.35, position=head_position),
                Basis.STATE_BODY,
                akimat,
            ),
            term=(3, 8),
            reasons=_STAFF_REASONS,
        )
        self.linked(
            heads, body=assembly, role=Post.Role.DEPUTY_CHAIRMAN, basis=Basis.EX_OFFICIO, window=(founded, None)
        )
        for role, count in ((Post.Role.DEPUTY_HEAD, 1), (Post.Role.STAFF, rng.randint(2, 4))):
            for _ in range(count * scale):
                self.chain(
                    body=secretariat,
                    role=role,
                    start=self._date_between(founded, founded + _years(2)),
                    calendar=staff_calendar,
                    holder=lambda day: (self.person(on=day, age=(24, 55), female_share=0.55), Basis.STATE_BODY, akimat),
                    term=(2, 8),
                    reasons=_STAFF_REASONS,
                )

        def eca_member(day: datetime.date, chair: bool = False) -> Holder:
            eca = rng.choices(ecas, weights=[_POPULATION_SHARE.get(e.ethnic_group.slug, 0.01) ** 0.4 for e in ecas])[0]
            group = eca.ethnic_group if rng.random() < 0.95 else None
            position = self.leader[id(eca)] if chair or rng.random() < 0.2 else None
            return self.person(on=day, group=group, position=position), Basis.ETHNOCULTURAL, eca

        deputies = self.chain(
            body=assembly,
            role=Post.Role.DEPUTY_CHAIRMAN,
            start=first,
            calendar=_Calendar(dates, self._order(akim, f"{of_assembly} Төрағасының орынбасары туралы")),
            holder=lambda day: eca_member(day, chair=True),
            term=(3, 6),
            reasons=_ROTATION_REASONS,
        )

        def member(day: datetime.date) -> Holder:
            roll = rng.random()
            if roll < 0.78:
                return eca_member(day)
            if roll < 0.84:
                association = rng.choice(self._available(self.public_associations, day))
                return self.person(on=day), Basis.PUBLIC_ASSOCIATION, association
            if roll < 0.9:
                return self.person(on=day, age=(30, 60)), Basis.STATE_BODY, akimat
            return self.person(on=day, age=(35, 75)), Basis.PUBLIC_FIGURE, None

        members = []
        later = [day for day in dates if day <= DEMO_DATE - _years(1)]
        for _ in range(rng.randint(42, 72) * scale):
            start = first if rng.random() < 0.75 else rng.choice(later)
            members += self.chain(
                body=assembly,
                role=Post.Role.MEMBER,
                start=start,
                calendar=composition,
                holder=member,
                term=(2, 9),
                reasons=_REGIONAL_REASONS,
            )

        council_order = self._order(akim, f"{of_assembly} Кеңесінің құрамы туралы")
        renewals, day = [], first
        while day is not None:
            renewals.append((day, council_order(day)))
            following = bisect.bisect_left(dates, day + _years(rng.uniform(4, 6)))
            day = dates[following] if following < len(dates) else None
        for window, act, renewal_act in self._windows(renewals):
            common = {"window": window, "window_act": act, "renewal_act": renewal_act}
            self.linked(akims, body=council, role=Post.Role.CHAIRMAN, **common)
            self.linked(heads, body=council, role=Post.Role.MEMBER, basis=Basis.EX_OFFICIO, **common)
            self.linked(deputies, body=council, role=Post.Role.MEMBER, **common)
            self.linked(self._serving(members, window, rng.randint(8, 14) * scale), body=council,
                        role=Post.Role.MEMBER, **common)  # fmt: skip


def plan_demo(*, seed: int = DEFAULT_SEED, scale: int = 1) -> DemoPlan:
    """Build the demo set in memory and check it. Reads the reference data, and the
    slugs, IINs and act numbers already taken, so as not to collide with them."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    planner = _Planner(seed=seed, scale=scale)
    planner.plan_organisations()
    planner.plan_chairmen()
    planner.plan_regions()
    planner.plan_national()
    planner.plan_council()
    taken = set(LegalAct.objects.exclude(number="").values_list("kind", "number", "date"))
    plan = DemoPlan(
        associations=planner.associations,
        acts=planner.acts.numbered(planner.rng, taken),
        persons=planner.persons,
        memberships=planner.memberships,
    )
    plan.check()
    return plan


@dataclass
class DemoReport:
    plan: DemoPlan
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else math.inf


def load_demo(*, seed: int = DEFAULT_SEED, scale: int = 1, progress: TextIO | None = None) -> DemoReport:
    """Plan the demo set, check it and write it; ``progress`` receives a progress bar."""
    started = time.perf_counter()
    plan = plan_demo(seed=seed, scale=scale)
    rows = plan.save(progress)
    return DemoReport(plan=plan, rows=rows, seconds=time.perf_counter() - started)
