"""django-axes' view of a sign-in attempt (AXES_USERNAME_CALLABLE)."""

# django-axes stores the attempted username in a 255-character column; a longer
# one (no account has one: usernames hold at most 150) made PostgreSQL refuse the
# row and the sign-in page answer 500.
USERNAME_MAX = 255


def attempted_username(request, credentials):
    if credentials:
        username = credentials.get("username")
    else:
        username = request.POST.get("username")
    return username[:USERNAME_MAX] if isinstance(username, str) else username
