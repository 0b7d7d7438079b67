"""Tags of the list pages: ``{% table %}``, a data table with its column headers.

::

    {% load lists %}
    {% table _("Ressource") _("Territoire") _("Immeubles")|numeric _("Action")|unseen hidden_caption=_("Ressources") rows=resources empty=_("Aucune ressource.") empty_class="notice" %}
      {% for r in resources %}<tr>…</tr>{% endfor %}
    {% endtable %}

draws the headers (``includes/table_head.html``: one ``<th scope="col">`` a column), then the
rows between the two tags in ``<tbody>``, in the frame of ``{% detail_table %}``
(``includes/detail_table.html``, core/templatetags/forms_ui.py): the scrolling wrapper, the
``stack`` table (its cells in a column on a phone, each under its ``data-label``) and the
caption; or, when ``rows`` is given and empty, only the ``empty`` paragraph.

Columns are the positional arguments, in order: a label (an empty one is left out, for a
column drawn on a condition), ``|numeric`` for figures (aligned right), ``|unseen`` for a
header read by screen readers only (a column of buttons). Options, those of ``detail_table``:
``caption`` (shown) or ``hidden_caption`` (for screen readers), ``rows``, ``empty``,
``empty_class``, ``region`` (the id of the heading that names a wrapper reachable by keyboard).
"""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.text import smart_split

register = template.Library()


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    unseen: bool = False


def _column(label) -> Column:
    return label if isinstance(label, Column) else Column(label)


@register.filter
def numeric(label):
    """A column of figures: its header and cells aligned right."""
    return Column(_column(label).label, numeric=True)


@register.filter
def unseen(label):
    """A column whose header is for screen readers only."""
    return Column(_column(label).label, unseen=True)


class TableNode(template.Node):
    def __init__(self, columns, options, nodelist):
        self.columns, self.options, self.nodelist = columns, options, nodelist

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.options.items()}
        values["rows"] = values.get("rows", True)
        if values["rows"]:
            engine = context.template.engine
            columns = [_column(column.resolve(context)) for column in self.columns]
            head = engine.get_template("includes/table_head.html").render(
                template.Context({"columns": [c for c in columns if c.label]})
            )
            values["body"] = format_html("{}<tbody>{}</tbody>", head, self.nodelist.render(context))
        frame = context.template.engine.get_template("includes/detail_table.html")
        return frame.render(template.Context(values, autoescape=context.autoescape))


@register.tag
def table(parser, token):
    # smart_split, not token.split_contents(): that one joins ``_("…")|numeric`` with the next
    # argument (it reads on to a bit ending in ``")``).
    columns, options = [], {}
    for bit in list(smart_split(token.contents))[1:]:
        kwarg = template.base.kwarg_re.match(bit)
        if kwarg and kwarg.group(1):
            options[kwarg.group(1)] = parser.compile_filter(kwarg.group(2))
        else:
            columns.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(columns, options, nodelist)
