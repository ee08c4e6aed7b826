"""Offline support: the service worker (served from the root for its scope) and the manifest."""

from django.http import HttpResponse


def service_worker(request):
    return HttpResponse("", content_type="text/javascript")


def manifest(request):
    return HttpResponse("{}", content_type="application/manifest+json")
