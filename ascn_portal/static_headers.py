"""Headers WhiteNoise adds to every static file (WHITENOISE_ADD_HEADERS_FUNCTION).

WhiteNoise answers static requests before Django's middleware runs, so the
security headers the pages get from SecurityMiddleware and django-csp must be
added here.
"""

# Kept here, not read from settings: this module is imported by the settings.
STATIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
)


def add_headers(headers, path, url):
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = STATIC_CSP
