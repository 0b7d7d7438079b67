"""Writing and publishing project stories: organizers (for the projects they may edit) and the
coordination. Anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.form_pages import NOT_SAVED, action, submitted

from . import sanitize, selectors, services
from .forms import PublishForm, StoryForm
from .models import Story
from .views_staff import image_errors


@login_required
def story_manage(request):
    stories = selectors.stories_for_user(request.user)
    q = (request.GET.get("q") or "").strip()[:100]
    projects = selectors.story_projects(request.user, q)
    return render(
        request,
        "newsletter/story_manage.html",
        {"stories": stories, "projects": projects, "q": q},
    )


def _story_of(project) -> Story:
    return Story.objects.filter(project=project).first() or Story(
        project=project, title=project.title
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, public_id):
    project = selectors.get_project_for_story(request.user, public_id)
    story = _story_of(project)
    form = StoryForm(request.POST or None, request.FILES or None, instance=story)
    saved = submitted(
        request,
        form,
        lambda: services.story_save(
            user=request.user,
            story=form.save(commit=False),
            image=form.cleaned_data.get("image_file"),
            remove_image=form.cleaned_data.get("remove_image", False),
            request=request,
        ),
        errors=image_errors,
    )
    if saved is not NOT_SAVED:
        messages.success(request, _("L'histoire a été enregistrée."))
        return redirect("newsletter:story-edit", public_id=project.public_id)
    return render(
        request,
        "newsletter/story_form.html",
        {
            "form": form,
            "project": project,
            "story": story,
            "publish_form": PublishForm(),
            "body_preview": sanitize.clean_html(story.body) if story.pk else "",
        },
    )


@login_required
@require_POST
def story_publish(request, public_id):
    project = selectors.get_project_for_story(request.user, public_id)
    story = Story.objects.filter(project=project).first()
    if story is None:
        messages.error(request, _("Enregistrez d'abord l'histoire."))
        return redirect("newsletter:story-edit", public_id=project.public_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("newsletter:story-edit", public_id=project.public_id)
    return action(
        request,
        lambda: services.story_publish(user=request.user, story=story, request=request),
        success=_("L'histoire est publiée sur le site public."),
        to=reverse("newsletter:story-edit", args=[project.public_id]),
    )


@login_required
@require_POST
def story_unpublish(request, public_id):
    project = selectors.get_project_for_story(request.user, public_id)
    story = Story.objects.filter(project=project).first()
    if story is not None and story.is_published:
        services.story_unpublish(user=request.user, story=story, request=request)
        messages.success(request, _("L'histoire est retirée du site public."))
    return redirect("newsletter:story-edit", public_id=project.public_id)
