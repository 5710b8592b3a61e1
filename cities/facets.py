"""The filter panel's facet options as HTML, written in Python once per request.

A facet offers up to a hundred options (one per city on /initiatives/), and the
template language costs some 40 µs an option (eight variables, a test, a loop
pass): 4 ms of the initiatives page went there. These functions write the same
markup, byte for byte, in a few µs an option. templates/includes/facets.html keeps
the markup around the options (each facet's group, its "show all" fold) and shows
an option's markup in its comment.
"""

from django.utils.safestring import mark_safe

from framework.markup import esc


def option_html(facet_name, option, *, indent, checkable):
    """One checkbox and its label. `indent`: the spaces before the option's
    <div>; `checkable`: whether a chosen option is shown ticked (the folded
    options are never chosen)."""
    name = esc(facet_name)
    value = esc(option.value)
    checked = " checked" if checkable and option.selected else ""
    pad = " " * indent
    return (
        f'\n{pad}<div class="facet-option">'
        f'\n{pad}  <input type="checkbox" id="f-{name}-{value}" name="{name}" '
        f'value="{value}"{checked}>'
        f'\n{pad}  <label for="f-{name}-{value}">{esc(option.label)} '
        f'<span class="count">({option.count})</span></label>'
        f"\n{pad}</div>\n{pad}"
    )


def facet_options_html(facet):
    """Set `shown_html` and `folded_html` on a facet that has `shown_options` and
    `folded_options` (cities.views.facet_panel)."""
    facet.shown_html = mark_safe(
        "".join(
            option_html(facet.name, option, indent=4, checkable=True)
            for option in facet.shown_options
        )
    )
    facet.folded_html = mark_safe(
        "".join(
            option_html(facet.name, option, indent=6, checkable=False)
            for option in facet.folded_options
        )
    )
    return facet
