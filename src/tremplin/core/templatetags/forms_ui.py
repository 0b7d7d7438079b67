"""Tags shared by the form and detail pages: `{% load forms_ui %}`.

- `{% form_fields form "name address" grid="grid-2" %}`: the named fields in that order (a
  name the form does not have is skipped: forms drop fields some roles may not set), each
  through `includes/field.html` (or `template=`), wrapped in `<div class="grid-2">` if given.
- `{% block_text "title" %}`: the text of one of the page's blocks, drawn again (the form
  page's heading repeats its title; its back link and Cancel button share one URL).
- `{% detail_table rows hidden_caption=_("…") empty=_("…") %}<thead>…</thead><tbody>…</tbody>
  {% enddetail_table %}`: a table of a detail page in its scrolling wrapper
  (`includes/detail_table.html`), or, when `rows` is empty, the `empty` paragraph. Options:
  `caption` (shown) or `hidden_caption` (for screen readers), `empty_class`, `region` (the id of
  the heading that names a wrapper reachable by keyboard).
"""

from django import template
from django.template.base import token_kwargs
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


class DetailTableNode(template.Node):
    def __init__(self, rows, options, nodelist):
        self.rows, self.options, self.nodelist = rows, options, nodelist

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        values["rows"] = self.rows.resolve(context)
        values["body"] = self.nodelist.render(context) if values["rows"] else ""
        wrapper = context.template.engine.get_template("includes/detail_table.html")
        return wrapper.render(template.Context(values, autoescape=context.autoescape))


@register.tag
def detail_table(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("detail_table needs the rows it shows")
    options = token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2:
        raise template.TemplateSyntaxError("detail_table takes name=value options after the rows")
    nodelist = parser.parse(("enddetail_table",))
    parser.delete_first_token()
    return DetailTableNode(parser.compile_filter(bits[1]), options, nodelist)
