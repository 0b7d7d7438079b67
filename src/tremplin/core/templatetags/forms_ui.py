"""Tags shared by the form and detail pages: `{% load forms_ui %}`.

- `{% form_fields form "name address" grid="grid-2" %}`: the named fields in that order (a
  name the form does not have is skipped: forms drop fields some roles may not set), each
  through `includes/field.html` (or `template=`), wrapped in `<div class="grid-2">` if given.
- `{% block_text "title" %}`: the text of one of the page's blocks, drawn again (the form
  page's heading repeats its title; its back link and Cancel button share one URL).
"""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

register = template.Library()


@register.inclusion_tag("includes/form_fields.html")
def form_fields(form, names, grid="", template="includes/field.html"):
    fields = [form[name] for name in names.split() if name in form.fields]
    return {"fields": fields, "grid": grid, "template": template}


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """Render the page's block `name` (its most derived version) once more."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context else None
    if block is None:
        return ""
    with context.push():
        text = block.nodelist.render(context)  # already escaped: safe as it is
    return text if text.strip() else ""  # a block of white space counts as empty
