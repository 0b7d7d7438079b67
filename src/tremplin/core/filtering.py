"""What the sorted lists' filter sets share (django-filter): a ``sort`` choice naming one of
the list's ``SORTS``, applied to the filtered rows whatever the other filters."""

import django_filters
from django.utils.translation import gettext_lazy as _


def sort_filter(choices) -> django_filters.ChoiceFilter:
    """The « Trier par » choice (no empty choice: the first is the default)."""
    return django_filters.ChoiceFilter(
        label=_("Trier par"), method="filter_sort", empty_label=None, choices=choices
    )


class SortedFilterSet(django_filters.FilterSet):
    """A filter set ordered by ``SORTS[sort]`` (column tuples, each ending with a unique column
    so that a page is always the same rows: ``core.keyset``); ``DEFAULT_SORT`` when no sort or
    an unknown one is asked."""

    SORTS: dict[str, tuple[str, ...]] = {}
    DEFAULT_SORT = ""

    def filter_sort(self, queryset, name, value):
        return queryset  # sorted in qs, with or without a choice

    @property
    def ordering(self) -> tuple[str, ...]:
        """The chosen sort's columns."""
        self.is_valid()
        sort = getattr(self.form, "cleaned_data", {}).get("sort") or self.DEFAULT_SORT
        return self.SORTS.get(sort, self.SORTS[self.DEFAULT_SORT])

    @property
    def qs(self):
        return super().qs.order_by(*self.ordering)
