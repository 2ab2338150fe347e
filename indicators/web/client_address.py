"""The client's address as the login lockout (django-axes) records it.

Behind the intranet's reverse proxy every request arrives from the proxy's address; the
real one is in X-Forwarded-For, which a client can also write itself. The header is read
only when BEICHEN_TRUSTED_PROXY_COUNT says how many proxies in front of the server append
to it, and then only the entry the nearest trusted proxy wrote (counted from the right).
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "BEICHEN_TRUSTED_PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
