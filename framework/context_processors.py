from .params import canonical_query


def canonical_url(request):
    """The page's own address without tracking parameters, for its citation: a
    cached page is served to everyone, whatever `utm_*` the first visitor had."""
    query = canonical_query(request.META.get("QUERY_STRING", ""))
    url = request.build_absolute_uri(request.path)
    return {"canonical_url": url + ("?" + query if query else "")}
