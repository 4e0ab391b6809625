"""What the browser tests share: the tools they need, a page that records what failed to
load, the accessibility check, and the data the pages are tested with."""

import dataclasses
import datetime
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, Response

from assembly.models import Post
from members.models import Association, Membership, Person
from sessions.models import Meeting
from sessions.services import attendance_mark_all_present, attendance_set, election_compute
from tests.factories import (
    AgendaItemFactory,
    AssociationFactory,
    CandidateFactory,
    DecisionFactory,
    ElectionFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    memberships_of,
    national_body,
    post_of,
    region,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / ".test-artifacts" / "screenshots"
LANGUAGES = ["kk", "ru", "en"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def missing_tools() -> list[str]:
    """What is not installed, each with the command that installs it."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium`.")
    if not AXE.exists():
        missing.append(f"axe-core is not installed at {AXE}: run `npm ci` (or `make test`).")
    return missing


def url(language: str, name: str, *args, query: str = "") -> str:
    """The path of a named page in ``language``."""
    with translation.override(language):
        path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


def text(language: str, message: str) -> str:
    """An interface string as the site shows it in ``language``."""
    with translation.override(language):
        return translation.gettext(message)


def in_language(language: str, value: Callable[[], object]) -> str:
    """A translated model value (a body's name, a decision) as the site shows it in ``language``."""
    with translation.override(language):
        return str(value())


def name_in(language: str, person: Person) -> str:
    """A person's name as the site shows it in ``language`` (Cyrillic or Latin)."""
    return in_language(language, lambda: person.display_name)


class Tab:
    """A browser page on the live server that notes every asset that failed to load and
    every script error, so that a test can assert that none happened."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        page.on("response", self._check_response)
        page.on("requestfailed", self._check_failure)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _check_response(self, response: Response) -> None:
        # The page itself may be a 404 on purpose; what it loads may not.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} {response.request.resource_type}: {response.url}")

    def _check_failure(self, request) -> None:
        # A navigation aborts the requests of the page it leaves; that is not a failure.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed {request.resource_type}: {request.url} ({request.failure})")

    def open(self, path: str, *, status: int = 200) -> Response:
        response = self.page.goto(path)
        assert response is not None and response.status == status, f"{path}: HTTP {response and response.status}"
        return response

    def lang(self) -> str:
        return self.page.locator("html").get_attribute("lang")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def horizontal_overflow(self) -> int:
        """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
        return self.page.evaluate(
            "() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)"
        )

    def serious_accessibility_violations(self) -> list[str]:
        """axe-core's violations of impact "serious" or "critical", one line each."""
        # Run through the browser's debugging protocol: the site's Content-Security-Policy refuses
        # the inline <script> that add_script_tag would insert.
        self.page.evaluate(AXE.read_text())
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical")
                    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                  targets: v.nodes.slice(0, 8).map((n) => n.target.join(" "))}));
            }"""
        )
        return [f"{v['impact']} {v['id']}: {v['help']} — at {', '.join(v['targets'])}" for v in violations]


# The focus indicator of the focused element (WCAG 2.4.7 and 1.4.11): an outline at
# least 2px wide, and its contrast with the background it is drawn on, sampled just
# outside the element where the outline runs.
FOCUS_INDICATOR = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const parse = (color) => {
        const m = color.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r, g, b, a};
    };
    const luminance = ({r, g, b}) => {
        const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const width = style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
    const distance = parseFloat(style.outlineOffset) + width / 2;
    const x = box.left - distance >= 0 ? box.left - distance : box.right + distance;
    const y = (Math.max(box.top, 0) + Math.min(box.bottom, window.innerHeight)) / 2;
    const under = document.elementsFromPoint(x, y).find((node) => node !== el && !el.contains(node));
    let background = {r: 255, g: 255, b: 255, a: 1};
    for (let node = under || el.parentElement; node; node = node.parentElement) {
        const color = parse(getComputedStyle(node).backgroundColor);
        if (color && color.a > 0) { background = color; break; }
    }
    const [light, dark] = [luminance(parse(style.outlineColor)), luminance(background)].sort((p, q) => q - p);
    return {
        element: el.outerHTML.slice(0, 100),
        width,
        contrast: Math.round(100 * (light + 0.05) / (dark + 0.05)) / 100,
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
    };
}"""


@dataclasses.dataclass
class SiteData:
    """The people, associations and meetings the pages are tested with."""

    qasym: Person  # Chairman of the Assembly and of its Council
    kim: Person  # represents an Almaty association in the Assembly, the Council and Almaty's assembly
    akim: Person  # chairs Almaty's assembly
    ospanova: Person  # represents a Shymkent association
    former: Person  # left the Assembly in 2019
    almaty_association: Association
    session: Meeting  # the latest session of the Assembly, with its decision
    next_session: Meeting


def build_site_data() -> SiteData:
    today = timezone.localdate()
    since = datetime.date(2020, 1, 15)
    act = LegalActFactory(date=since)
    assembly, council = national_body("assembly"), national_body("council")
    almaty_assembly, shymkent_assembly = national_body("almaty-assembly"), national_body("shymkent-assembly")
    almaty_association = AssociationFactory(
        level=Association.Level.REGIONAL,
        region=region("75"),
        name_kk="Алматы қаласының корей этномәдени орталығы",
        name_ru="Корейский этнокультурный центр города Алматы",
        name_en="Korean Ethnocultural Centre of Almaty",
    )
    shymkent_association = AssociationFactory(
        level=Association.Level.REGIONAL,
        region=region("79"),
        name_kk="Шымкент қаласының өзбек этномәдени орталығы",
        name_ru="Узбекский этнокультурный центр города Шымкента",
        name_en="Uzbek Ethnocultural Centre of Shymkent",
    )
    male = Person.Gender.MALE
    qasym = PersonFactory(
        surname="Әлиев",
        given_name="Қасым",
        patronymic="Нұрланұлы",
        surname_ru="Алиев",
        given_name_ru="Касым",
        patronymic_ru="Нурланович",
        gender=male,
        position_kk="Қазақстан Республикасының Президенті",
        position_ru="Президент Республики Казахстан",
        position_en="President of the Republic of Kazakhstan",
        biography_kk="Қазақстан халқы Ассамблеясының Төрағасы.",
        biography_ru="Председатель Ассамблеи народа Казахстана.",
        biography_en="Chairman of the Assembly of the People of Kazakhstan.",
    )
    kim = PersonFactory(surname="Ким", given_name="Виктория", patronymic="Сергеевна")
    akim = PersonFactory(
        surname="Бекетов", given_name="Ерлан", patronymic="Маратұлы", patronymic_ru="Маратович", gender=male
    )
    ospanova = PersonFactory(
        surname="Оспанова",
        given_name="Гүлнар",
        patronymic="Асқарқызы",
        given_name_ru="Гульнар",
        patronymic_ru="Аскаровна",
    )
    former = PersonFactory(surname="Жұмабаев", given_name="Серік", patronymic="Әділұлы", gender=male)

    ex_officio, ethnocultural = Membership.Basis.EX_OFFICIO, Membership.Basis.ETHNOCULTURAL
    chairman = Post.Role.CHAIRMAN
    for body in (assembly, council):
        MembershipFactory(person=qasym, body=body, post=post_of(body, chairman), basis=ex_officio, start_date=since)
    for body in (assembly, council, almaty_assembly):
        MembershipFactory(person=kim, body=body, basis=ethnocultural, on_behalf_of=almaty_association, appointed_by=act)
    MembershipFactory(person=akim, body=almaty_assembly, post=post_of(almaty_assembly, chairman), basis=ex_officio)
    for body in (assembly, shymkent_assembly):
        MembershipFactory(
            person=ospanova, body=body, basis=ethnocultural, on_behalf_of=shymkent_association, appointed_by=act
        )
    MembershipFactory(
        person=former,
        body=assembly,
        start_date=datetime.date(2015, 1, 15),
        end_date=datetime.date(2019, 12, 31),
        end_reason=Membership.EndReason.ROTATION,
        ended_by=LegalActFactory(date=datetime.date(2019, 12, 31)),
    )
    others = memberships_of(assembly, 4)
    memberships_of(council, 2)

    number = Meeting.objects.filter(body=assembly).aggregate(last=Max("number"))["last"] or 0
    session = MeetingFactory(
        body=assembly,
        number=number + 1,
        start_date=today - datetime.timedelta(days=14),
        venue_kk="Астана, Тәуелсіздік сарайы",
        venue_ru="Астана, Дворец Независимости",
        venue_en="Astana, Palace of Independence",
        theme_kk="«Бірлік пен келісім — ел болашағы»",
        theme_ru="«Единство и согласие — будущее страны»",
        theme_en="“Unity and accord: the country's future”",
    )
    attendance_mark_all_present(meeting=session)
    attendance_set(meeting=session, statuses={others[0].pk: "excused"})
    AgendaItemFactory(
        meeting=session,
        order=1,
        title_kk="Ассамблея қызметінің қорытындылары",
        title_ru="Итоги деятельности Ассамблеи",
        title_en="The results of the Assembly's work",
    )
    DecisionFactory(
        meeting=session,
        number="1",
        text_kk="Қазақстан халқы бірлігін нығайтудың 2027–2030 жылдарға арналған жоспары бекітілсін.",
        text_ru="Утвердить план укрепления единства народа Казахстана на 2027–2030 годы.",
        text_en="To approve the plan for strengthening the unity of the people of Kazakhstan for 2027–2030.",
        votes_for=5,
        votes_abstained=1,
    )
    election = ElectionFactory(
        meeting=session,
        kind="deputy_chairmen",
        title_kk="Төрағаның орынбасарын сайлау",
        title_ru="Избрание заместителя Председателя",
        title_en="Election of a Deputy Chairman",
        ballots_issued=6,
        ballots_cast=6,
    )
    CandidateFactory(election=election, person=kim, votes=5)
    CandidateFactory(election=election, person=ospanova, votes=1)
    election_compute(election=election)
    next_session = MeetingFactory(
        body=assembly, number=number + 2, status="planned", start_date=today + datetime.timedelta(days=60)
    )
    MeetingFactory(body=council, start_date=today - datetime.timedelta(days=60))
    MeetingFactory(body=almaty_assembly, number=1, start_date=today - datetime.timedelta(days=30))
    return SiteData(
        qasym=qasym,
        kim=kim,
        akim=akim,
        ospanova=ospanova,
        former=former,
        almaty_association=almaty_association,
        session=session,
        next_session=next_session,
    )
