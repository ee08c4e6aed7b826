"""`{% fragment "name" page [own=True] [key=value …] %}…{% endfragment %}`: a cached part of a page.

The block is rendered once per set of counters and values (see asih.pagecache.fragments) and
then served from Django's cache. Only for markup that is the same for every visitor: nothing
from the request, the session or a form may appear inside.
"""

from django import template
from django.template.base import token_kwargs

from ..fragments import cached_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, page, options):
        self.nodelist = nodelist
        self.name = name
        self.page = page
        self.options = options

    def render(self, context):
        page = self.page.resolve(context)
        if page is None or not getattr(page, "pk", None):
            return self.nodelist.render(context)
        values = {key: value.resolve(context) for key, value in self.options.items()}
        own = bool(values.pop("own", False))
        vary = tuple(f"{key}={values[key]}" for key in sorted(values))
        return cached_fragment(
            request=context.get("request"),
            page=page,
            name=self.name.resolve(context),
            render=lambda: self.nodelist.render(context),
            own=own,
            vary=vary,
        )


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a page")
    name = parser.compile_filter(bits[1])
    page = parser.compile_filter(bits[2])
    remaining = bits[3:]
    options = token_kwargs(remaining, parser, support_legacy=False)
    if remaining:
        raise template.TemplateSyntaxError(f"{bits[0]}: options are key=value pairs")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, page, options)
