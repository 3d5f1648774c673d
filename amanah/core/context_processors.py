from django.conf import settings
from django.utils.functional import lazy

from . import files


def amanah(request):
    user = getattr(request, "user", None)
    return {
        "AMANAH_SITE_URL": settings.SITE_URL,
        "is_staff_user": bool(user and user.is_authenticated),
        # The upload limit as the page's language writes it, worked out only where a page shows it.
        "UPLOAD_MAX_MB": lazy(files.max_megabytes, str)(),
    }
