"""Two-factor sign-in to the staff admin: a password, then a time-based code (TOTP) from an
authenticator app on the staff member's phone (django-otp).

While ``settings.OTP_REQUIRED_FOR_ADMIN`` is on, the admin lets in only a session verified
with a code (``assembly.adminsite.AssemblyAdminSite``). The sign-in form asks for the code
beside the password. A staff member without an authenticator app yet signs in with the
password alone and is sent to :class:`EnrolView`: it shows the secret as a QR code and
keeps it in the session; the device is saved, confirmed, only when the first code from
the app matches. A staff member keeps one device: setting up a new phone needs a session
verified with the old one, and a lost phone is removed in the admin by a superuser
(README, "Security: logins").
"""

import base64
import secrets

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# The secret of a device being set up, until its first code confirms it.
ENROL_SESSION_KEY = "two_factor_enrol_key"


def required() -> bool:
    return settings.OTP_REQUIRED_FOR_ADMIN


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def is_verified(user) -> bool:
    """Signed in with a code in this session (``django_otp.middleware.OTPMiddleware``)."""
    return user.is_authenticated and user.is_verified()


def needs_enrolment(user) -> bool:
    """A staff member signed in with the password whom the admin must send to set up the app first."""
    return (
        required()
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not is_verified(user)
        and confirmed_device(user) is None
    )


def code_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Code from the authenticator app"),
        required=required,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )


def _code_is_valid(device: TOTPDevice, code: str) -> bool:
    """Check a code against a saved device, which django-otp throttles after each wrong one.

    Raises ``ValidationError`` while the device waits out its throttle. The transaction ends
    before that error is raised, so that the throttle's count of failures is kept.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _extra = device.verify_is_allowed()
        valid = allowed and device.verify_token(code)
    if not allowed:
        raise ValidationError(
            _("Too many wrong codes in a row. Wait a minute, then enter the code the app shows now."),
            code="code_throttled",
        )
    return valid


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: the password (refused while django-axes locks the user out), then,
    when two-factor sign-in is required and the user has set up an app, its current code.

    A wrong code counts as a failed sign-in for django-axes, like a wrong password.
    """

    otp_token = code_field(required=False)

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": _("Enter the code that your authenticator app shows."),
        "code_invalid": _("The code is wrong or has expired. Enter the code the app shows now."),
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None or not required():
            return cleaned_data
        device = confirmed_device(user)
        if device is None:
            return cleaned_data
        code = cleaned_data.get("otp_token")
        if not code:
            raise ValidationError(self.error_messages["code_required"], code="code_required")
        if not _code_is_valid(device, code):
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
            raise ValidationError(self.error_messages["code_invalid"], code="code_invalid")
        # django-otp marks the session verified when the user is logged in with this attribute.
        user.otp_device = device
        return cleaned_data


class EnrolForm(forms.Form):
    otp_token = code_field()

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.time_step = None

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"]
        device = self.device
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if not (code.isdigit() and totp.verify(int(code), device.tolerance)):
            raise ValidationError(
                _("The code does not match. Check the phone's clock, then enter the code the app shows now."),
                code="code_invalid",
            )
        self.time_step = totp.t()
        return code


def qr_code_svg(data: str) -> str:
    """An inline SVG image (no script, no style attribute) of a QR code of ``data``."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    # Safe: qrcode draws only rectangles and a path, whatever the data.
    return mark_safe(image.to_string(encoding="unicode"))


def grouped_secret(device: TOTPDevice) -> str:
    """The secret in base32, as an app asks for it when it cannot scan, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


@method_decorator(never_cache, name="dispatch")
class EnrolView(View):
    """Set up the authenticator app: the QR code and the secret, then the first code to confirm it.

    Open to an active staff member signed in with the password. Replacing a confirmed device
    needs a session verified with it (when two-factor sign-in is required): else anyone who
    learnt the password could move the second factor to their own phone.
    """

    admin_site = None
    template_name = "admin/two_factor/enrol.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect(self.login_url())
        self.current_device = confirmed_device(user)
        if self.current_device is not None and required() and not is_verified(user):
            return redirect(self.login_url())
        return super().dispatch(request, *args, **kwargs)

    def login_url(self) -> str:
        login = reverse("admin:login", current_app=self.admin_site.name)
        return f"{login}?{urlencode({REDIRECT_FIELD_NAME: self.request.path})}"

    def next_url(self) -> str:
        url = self.request.POST.get(REDIRECT_FIELD_NAME) or self.request.GET.get(REDIRECT_FIELD_NAME, "")
        if url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return reverse("admin:index", current_app=self.admin_site.name)

    def new_device(self) -> TOTPDevice:
        """The device being set up, unsaved: its secret lives in the session until confirmed."""
        key = self.request.session.get(ENROL_SESSION_KEY)
        if key is None:
            key = secrets.token_hex(20)
            self.request.session[ENROL_SESSION_KEY] = key
        return TOTPDevice(user=self.request.user, key=key, name=str(_("Authenticator app")))

    def get(self, request):
        device = self.new_device()
        return self.page(device, EnrolForm(device=device))

    def post(self, request):
        device = self.new_device()
        form = EnrolForm(request.POST, device=device)
        if not form.is_valid():
            return self.page(device, form, status=400)
        device.confirmed = True
        device.last_t = form.time_step
        with transaction.atomic():
            TOTPDevice.objects.filter(user=request.user).delete()
            device.save()
        del request.session[ENROL_SESSION_KEY]
        # The session gains the second factor: a new session key, as at any sign-in.
        request.session.cycle_key()
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up: from now on, sign in with a code from the app."))
        return redirect(self.next_url())

    def page(self, device: TOTPDevice, form: EnrolForm, status: int = 200) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(self.request),
            "title": _("Set up two-factor sign-in"),
            "form": form,
            "qr_code": qr_code_svg(device.config_url),
            "secret": grouped_secret(device),
            "replacing": self.current_device is not None,
            "next": self.next_url(),
        }
        self.request.current_app = self.admin_site.name
        return TemplateResponse(self.request, self.template_name, context, status=status)
