from django.conf import settings


def amanah(request):
    user = getattr(request, "user", None)
    return {
        "AMANAH_SITE_URL": settings.SITE_URL,
        "is_staff_user": bool(user and user.is_authenticated),
    }
