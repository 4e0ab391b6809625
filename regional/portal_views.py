"""The regional office portal (``/<lang>/portal/``): regional office users prepare and follow
their region's nominations, the Secretariat reviews them.

Every nomination and file is looked up among those the user may see
(``regional.selectors``), so that another region's, or a missing one, answers 404 alike:
nothing about it can be inferred. Every write goes through ``regional.services``.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import roles, selectors, services
from .forms import (
    DocumentForm,
    NominationFilterForm,
    NominationForm,
    TransitionForm,
    VersionForm,
    add_service_errors,
)
from .models import Nomination, NominationDocument, Notification

LOGIN_URL = reverse_lazy("portal:login")


def forbidden(request, message: str) -> TemplateResponse:
    return TemplateResponse(request, "regional/portal/forbidden.html", {"message": message}, status=403)


class PortalLoginView(auth_views.LoginView):
    template_name = "regional/portal/login.html"
    next_page = reverse_lazy("portal:list")
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")


class PortalMixin(LoginRequiredMixin):
    """Signed in, and a regional office or Secretariat user; others get a 403 page that says why."""

    login_url = LOGIN_URL
    secretariat_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        if self.secretariat_only and not roles.is_secretariat(user):
            return forbidden(request, _("This page is for the Secretariat only."))
        if not (roles.is_secretariat(user) or roles.office_region_id(user) is not None):
            return forbidden(
                request, _("The portal is for the users of the regional offices and of the Secretariat only.")
            )
        return super().dispatch(request, *args, **kwargs)

    def render(self, template_name: str, context: dict, status: int = 200) -> TemplateResponse:
        return TemplateResponse(self.request, template_name, self.portal_context(context), status=status)

    def portal_context(self, context: dict) -> dict:
        user = self.request.user
        return {
            **context,
            "is_office": roles.office_region_id(user) is not None,
            "is_secretariat": roles.is_secretariat(user),
            "unread_count": selectors.notifications_of(user=user, unread_only=True).count(),
        }

    def get_context_data(self, **kwargs):
        return self.portal_context(super().get_context_data(**kwargs))

    def get_nomination(self, pk: int) -> Nomination:
        return get_object_or_404(selectors.nomination_list(user=self.request.user), pk=pk)


class NominationListView(PortalMixin, TemplateView):
    template_name = "regional/portal/list.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = NominationFilterForm(self.request.GET or None, with_region=context["is_secretariat"])
        nominations = form.filter(selectors.nomination_list(user=self.request.user))
        page = Paginator(nominations, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(filter_form=form, page_obj=page, nominations=page.object_list)
        return context


class NominationCreateView(PortalMixin, View):
    template_name = "regional/portal/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.office_region_id(request.user) is None:
            return forbidden(request, _("Only a user of a regional office can nominate a candidate."))
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None, files=None):
        return NominationForm(data, files, region_id=roles.office_region_id(self.request.user), creating=True)

    def get(self, request):
        return self.render(self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            track = fields.pop("track")
            decision = fields.pop("decision_file")
            documents = [(NominationDocument.Kind.DECISION, decision)] if decision else []
            try:
                nomination = services.nomination_create(user=request.user, track=track, documents=documents, **fields)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft nomination has been saved."))
                return redirect("portal:detail", pk=nomination.pk)
        return self.render(self.template_name, {"form": form}, status=400)


class NominationUpdateView(PortalMixin, View):
    """Edit a draft, or answer a returned nomination (edit it, then resubmit from its page)."""

    template_name = "regional/portal/form.html"

    def form(self, nomination, data=None):
        return NominationForm(data, instance=nomination, region_id=nomination.region_id, creating=False)

    def page(self, nomination, form, version_form, status=200):
        context = {"form": form, "version_form": version_form, "nomination": nomination}
        return self.render(self.template_name, context, status=status)

    def refuse(self, request, nomination):
        if not roles.is_office_user_of(request.user, nomination.region_id):
            return forbidden(
                request,
                _("Only the regional office of %(region)s may change this nomination.") % {"region": nomination.region},
            )
        if nomination.status not in services.EDITABLE_STATUSES:
            messages.error(request, _("Only a draft or a returned nomination can be changed."))
            return redirect("portal:detail", pk=nomination.pk)
        return None

    def get(self, request, pk):
        nomination = self.get_nomination(pk)
        refusal = self.refuse(request, nomination)
        if refusal:
            return refusal
        return self.page(nomination, self.form(nomination), VersionForm(initial={"version": nomination.version}))

    def post(self, request, pk):
        nomination = self.get_nomination(pk)
        refusal = self.refuse(request, nomination)
        if refusal:
            return refusal
        form, version_form = self.form(nomination, request.POST), VersionForm(request.POST)
        if form.is_valid() and version_form.is_valid():
            try:
                services.nomination_update(
                    nomination=nomination,
                    user=request.user,
                    version=version_form.cleaned_data["version"],
                    **form.cleaned_data,
                )
            except services.StaleNominationError as error:
                messages.error(request, error.messages[0])
                return redirect("portal:detail", pk=nomination.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The nomination has been saved."))
                return redirect("portal:detail", pk=nomination.pk)
        return self.page(nomination, form, version_form, status=400)


class NominationDetailView(PortalMixin, View):
    """The nomination, its documents, its full history and the steps the user may take."""

    template_name = "regional/portal/detail.html"

    def page(self, nomination, *, bound: TransitionForm | None = None, document_form=None, status=200):
        user = self.request.user
        forms = [
            bound
            if bound is not None and bound.transition.action == transition.action
            else TransitionForm(nomination=nomination, transition=transition)
            for transition in services.available_transitions(user=user, nomination=nomination)
        ]
        may_edit = (
            roles.is_office_user_of(user, nomination.region_id) and nomination.status in services.EDITABLE_STATUSES
        )
        context = {
            "nomination": nomination,
            "history": selectors.nomination_history(nomination=nomination),
            "documents": nomination.documents.select_related("uploaded_by"),
            "transition_forms": forms,
            "may_edit": may_edit,
            "document_form": document_form or (DocumentForm() if may_edit else None),
        }
        return self.render(self.template_name, context, status=status)

    def get(self, request, pk):
        return self.page(self.get_nomination(pk))


class NominationTransitionView(NominationDetailView):
    """POST one step of the procedure; a refusal shows the page again with its message."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        nomination = self.get_nomination(pk)
        transition = services.TRANSITIONS.get((nomination.track, action))
        if transition is None:
            raise Http404
        form = TransitionForm(request.POST, request.FILES, nomination=nomination, transition=transition)
        if form.is_valid():
            try:
                services.nomination_transition(
                    nomination=nomination,
                    user=request.user,
                    action=action,
                    version=form.cleaned_data["version"],
                    **form.service_arguments(),
                )
            except services.NominationPermissionDenied as error:
                return forbidden(request, error.message)
            except services.StaleNominationError as error:
                messages.error(request, error.messages[0])
                return redirect("portal:detail", pk=nomination.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Done: “%(action)s”.") % {"action": transition.label})
                return redirect("portal:detail", pk=nomination.pk)
        if transition not in services.available_transitions(user=request.user, nomination=nomination):
            messages.error(request, " ".join(form.non_field_errors()) or _("This step cannot be taken now."))
            return redirect("portal:detail", pk=nomination.pk)
        return self.page(nomination, bound=form, status=400)


class DocumentUploadView(NominationDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        nomination = self.get_nomination(pk)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.nomination_document_add(
                    nomination=nomination,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    file=form.cleaned_data["file"],
                )
            except services.NominationPermissionDenied as error:
                return forbidden(request, error.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The document has been attached."))
                return redirect("portal:detail", pk=nomination.pk)
        return self.page(nomination, document_form=form, status=400)


class DocumentRemoveView(PortalMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        nomination = self.get_nomination(pk)
        document = get_object_or_404(nomination.documents.all(), pk=document_pk)
        try:
            services.nomination_document_remove(document=document, user=request.user)
        except services.NominationPermissionDenied as error:
            return forbidden(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document has been removed."))
        return redirect("portal:detail", pk=nomination.pk)


class DocumentDownloadView(PortalMixin, View):
    """A nomination's file, to those who may see the nomination; 404 to anyone else."""

    def get(self, request, pk, document_pk):
        documents = selectors.nomination_documents_visible_to(user=request.user)
        document = get_object_or_404(documents, pk=document_pk, nomination_id=pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )


class NotificationListView(PortalMixin, TemplateView):
    template_name = "regional/portal/notifications.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notifications = selectors.notifications_of(user=self.request.user)
        page = Paginator(notifications, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, notifications=page.object_list)
        return context


class NotificationReadView(PortalMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        services.notification_mark_read(notification=notification, user=request.user)
        return redirect("portal:notifications")


class NotificationReadAllView(PortalMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
        return redirect("portal:notifications")


class DashboardView(PortalMixin, TemplateView):
    template_name = "regional/portal/dashboard.html"
    secretariat_only = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dashboard"] = selectors.nomination_dashboard(user=self.request.user)
        return context
