from django.shortcuts import render

from chains.models import Chain
from indicators.models import Actual, Plan, Target
from parks.models import Locality, Park


def home(request):
    context = {
        "plans": Plan.objects.with_document(),
        "headline": Target.objects.headline(),
        "counts": {
            "chains": Chain.objects.count(),
            "localities": Locality.objects.count(),
            "parks": Park.objects.count(),
            "targets": Target.objects.count(),
            "actuals": Actual.objects.published().count(),
        },
    }
    return render(request, "indicators/home.html", context)
