"""Response headers Django does not set by itself."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Tell the browser which powerful features pages may use (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.ASIH_PERMISSIONS_POLICY)
        return response
